"""The services' check-only twins: the refusal the write would give, and nothing written."""

from __future__ import annotations

import datetime

import pytest

from proposals import errors, services
from proposals.models import Citation, Proposal
from tests.factories import ProposalFactory, SourceFactory, cite, database_state

pytestmark = pytest.mark.django_db

DAY = datetime.date(2005, 11, 10)
QUOTE = "Officials proposed exchanges between military academies"


@pytest.fixture
def proposal() -> Proposal:
    proposal = ProposalFactory(proposed_on=DAY)
    cite(proposal)
    return proposal


def test_check_citation_returns_what_add_citation_would_store(proposal):
    source = SourceFactory(text="Preamble. " + QUOTE.replace("proposed", "“proposed”") + ".")
    before = database_state()
    checked = services.check_citation(
        proposal=proposal, source=source, quote=QUOTE.replace("proposed", '"proposed"')
    )
    assert checked.pk is None
    assert (checked.start, checked.quote) == (
        10,
        "Officials “proposed” exchanges between military academies",
    )
    assert database_state() == before


@pytest.mark.parametrize(
    ("quote", "role", "refusal"),
    [
        ("words the source never says", "context", errors.QuoteNotInSource),
        (QUOTE, "origin", errors.AlreadyCited),
        ("Officials\x07 proposed", "context", errors.ControlCharacter),
    ],
)
def test_check_citation_raises_what_add_citation_raises(proposal, quote, role, refusal):
    source = proposal.citations.get().source
    before = database_state()
    with pytest.raises(refusal):
        services.check_citation(proposal=proposal, source=source, quote=quote, role=role)
    with pytest.raises(refusal):
        services.add_citation(proposal=proposal, source=source, quote=quote, locator="¶", role=role)
    assert database_state() == before


def test_check_citation_of_an_ambiguous_quote_lists_the_occurrences(proposal):
    source = SourceFactory(text="Taiwan and Japan met. Later Taiwan and Japan met again.")
    with pytest.raises(errors.AmbiguousQuote) as caught:
        services.check_citation(proposal=proposal, source=source, quote="Taiwan and Japan")
    assert caught.value.extra["positions"] == [[0, 16], [28, 44]]
    picked = services.check_citation(
        proposal=proposal, source=source, quote="Taiwan and Japan", start=28
    )
    assert picked.start == 28


def test_check_citation_of_evidence_refuses_other_words_but_not_a_new_locator(proposal):
    evidence = proposal.citations.get()
    services.record_transition(
        proposal=proposal,
        to_status="agreed",
        note="Agreed.",
        effective_date=DAY,
        evidence=[evidence],
        expected_version=proposal.version,
    )
    with pytest.raises(errors.EvidenceIsFixed):
        services.check_citation(proposal=proposal, citation=evidence, quote="Officials proposed")
    checked = services.check_citation(proposal=proposal, citation=evidence, locator=" ¶9 ")
    assert (checked.pk, checked.locator, checked.start) == (evidence.pk, "¶9", evidence.start)
    assert Citation.objects.get(pk=evidence.pk).locator == "¶2"


def test_check_proposal_update_refuses_a_stale_version_and_unknown_fields(proposal):
    before = database_state()
    services.check_proposal_update(proposal=proposal, expected_version=2, title="Fine")
    with pytest.raises(errors.StaleVersion):
        services.check_proposal_update(proposal=proposal, expected_version=1, title="Fine")
    with pytest.raises(errors.DomainError) as caught:
        services.check_proposal_update(proposal=proposal, expected_version=2, status="agreed")
    assert caught.value.field == "status"
    with pytest.raises(errors.ControlCharacter) as caught:
        services.check_proposal_update(proposal=proposal, expected_version=2, title_ja="\ufffe")
    assert "Unicode non-character U+FFFE" in caught.value.message
    assert database_state() == before


def test_transition_problems_lists_every_broken_rule_and_writes_nothing(proposal):
    before = database_state()
    problems = services.transition_problems(
        proposal=proposal,
        to_status="agreed",
        note="Bell\x07",
        effective_date=DAY - datetime.timedelta(days=1),
        effective_precision="day",
        evidence=[],
        expected_version=proposal.version,
    )
    assert [type(problem) for problem in problems] == [
        errors.ControlCharacter,
        errors.InvalidDate,
        errors.EvidenceRequired,
    ]
    assert database_state() == before


def test_transition_problems_says_stale_before_anything_else(proposal):
    with pytest.raises(errors.StaleVersion):
        services.transition_problems(
            proposal=proposal,
            to_status="finished",
            note="",
            effective_date=None,
            effective_precision=None,
            evidence=[],
            expected_version=proposal.version - 1,
        )
