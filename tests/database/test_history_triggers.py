"""The database itself refuses edits of the history (PostgreSQL trigger)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import IntegrityError, InternalError

from proposals.models import StatusChange
from tests.factories import ProposalFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the history trigger exists only on PostgreSQL"
    ),
]


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_update_is_refused():
    change = ProposalFactory().history.get()
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        raw("UPDATE proposals_statuschange SET note = %s WHERE id = %s", ["forged", change.pk])
    assert StatusChange.objects.get(pk=change.pk).note != "forged"


def test_raw_delete_is_refused():
    change = ProposalFactory().history.get()
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        raw("DELETE FROM proposals_statuschange WHERE id = %s", [change.pk])
    assert StatusChange.objects.filter(pk=change.pk).exists()


def test_an_update_that_changes_nothing_is_let_through():
    change = ProposalFactory().history.get()
    raw("UPDATE proposals_statuschange SET note = note WHERE id = %s", [change.pk])
    assert StatusChange.objects.get(pk=change.pk).note == change.note


def test_the_words_of_an_evidence_citation_cannot_be_rewritten():
    import datetime

    from proposals import services
    from proposals.models import Citation
    from tests.factories import cite

    proposal = ProposalFactory(proposed_on=datetime.date(2005, 11, 10))
    citation = cite(proposal)
    services.record_transition(
        proposal=proposal,
        to_status="agreed",
        note="Agreed.",
        effective_date=datetime.date(2005, 11, 10),
        evidence=[citation],
        expected_version=proposal.version,
    )
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Citation.objects.filter(pk=citation.pk).update(quote="Officials proposed nothing")
    assert Citation.objects.get(pk=citation.pk).quote == citation.quote
    # Its locator may still change.
    Citation.objects.filter(pk=citation.pk).update(locator="¶2 (corrected)")
    assert Citation.objects.get(pk=citation.pk).locator == "¶2 (corrected)"


def test_an_unused_citation_can_still_be_reanchored():
    from proposals.models import Citation
    from tests.factories import cite

    citation = cite(ProposalFactory())
    Citation.objects.filter(pk=citation.pk).update(start=citation.start + 1)
    assert Citation.objects.get(pk=citation.pk).start == citation.start + 1
