"""A year before 1900 is a mistyped one ("0618" for "2018"): every dated write refuses it."""

from __future__ import annotations

import datetime

import pytest

from proposals import errors, services, sources
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite, database_state

pytestmark = pytest.mark.django_db

MISTYPED = datetime.date(618, 9, 1)


def test_a_proposal_dated_in_618_is_refused_naming_its_date():
    before = database_state()
    with pytest.raises(errors.InvalidDate) as refused:
        ProposalFactory(proposed_on=MISTYPED, proposed_precision="month")
    assert refused.value.field == "proposed_on"
    assert "1900" in str(refused.value.message)
    assert database_state() == before


def test_the_first_year_of_the_tracker_is_accepted():
    proposal = ProposalFactory(proposed_on=datetime.date(1900, 1, 1), proposed_precision="year")
    assert proposal.proposed_on.year == 1900


@pytest.mark.parametrize("field", ["published_on", "retrieved_on"])
def test_a_source_dated_in_618_is_refused(field):
    source = SourceFactory()
    with pytest.raises(errors.InvalidDate) as refused:
        sources.update_source(source=source, expected_version=source.version, **{field: MISTYPED})
    assert refused.value.field == field


def test_a_position_dated_in_618_is_refused():
    proposal = ProposalFactory()
    citation = cite(proposal)
    with pytest.raises(errors.InvalidDate) as refused:
        services.record_position(
            proposal=proposal,
            actor=ActorFactory(),
            stance="supports",
            effective_date=MISTYPED,
            effective_precision="day",
            note="Said so.",
            evidence=[citation],
        )
    assert refused.value.field == "effective_date"
