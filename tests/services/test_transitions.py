"""The transition table, the note, evidence and date rules, through the one service."""

from __future__ import annotations

import datetime
from collections import deque

import pytest
from django.utils import timezone

from proposals import errors, services, workflow
from proposals.models import Proposal, StatusChange
from proposals.workflow import Status
from tests.factories import ProposalFactory, cite

pytestmark = pytest.mark.django_db

START = datetime.date(2005, 3, 2)


def path_to(target: Status) -> list[Status]:
    """The shortest legal path of statuses from the initial one to `target`."""
    queue = deque([[workflow.INITIAL_STATUS]])
    seen = {workflow.INITIAL_STATUS}
    while queue:
        route = queue.popleft()
        if route[-1] == target:
            return route[1:]
        for following in workflow.TRANSITIONS[route[-1]]:
            if following not in seen:
                seen.add(following)
                queue.append([*route, following])
    raise AssertionError(f"{target} is unreachable")


def proposal_in(status: Status) -> Proposal:
    proposal = ProposalFactory(proposed_on=START)
    evidence = cite(proposal)
    for step, to_status in enumerate(path_to(status), start=1):
        proposal = services.record_transition(
            proposal=proposal,
            to_status=to_status,
            note=f"Step {step}.",
            effective_date=START + datetime.timedelta(days=step),
            evidence=[evidence],
            expected_version=proposal.version,
        ).proposal
    return proposal


def transition(proposal: Proposal, to_status: str, **overrides) -> StatusChange:
    arguments = {
        "proposal": proposal,
        "to_status": to_status,
        "note": "Reported by the source.",
        "effective_date": START + datetime.timedelta(days=30),
        "evidence": list(proposal.citations.all()),
        "expected_version": proposal.version,
    }
    arguments.update(overrides)
    return services.record_transition(**arguments)


ALL_PAIRS = [(source, target) for source in Status for target in Status]


@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS)
def test_every_pair_of_the_table(from_status, to_status):
    proposal = proposal_in(from_status)
    assert proposal.status == from_status
    before = proposal.history.count()
    if to_status in workflow.TRANSITIONS[from_status]:
        change = transition(proposal, to_status)
        proposal.refresh_from_db()
        assert proposal.status == to_status
        assert change.from_status == from_status
        assert proposal.history.count() == before + 1
    else:
        with pytest.raises(errors.TransitionNotAllowed) as caught:
            transition(proposal, to_status)
        assert caught.value.extra["allowed"] == workflow.allowed_next(from_status)
        for allowed in workflow.allowed_next(from_status):
            assert allowed in caught.value.message
        proposal.refresh_from_db()
        assert proposal.status == from_status
        assert proposal.history.count() == before


def test_unknown_status_is_refused_naming_the_known_ones():
    proposal = proposal_in(Status.PROPOSED)
    with pytest.raises(errors.UnknownStatus) as caught:
        transition(proposal, "finished")
    assert "under_discussion" in caught.value.message


@pytest.mark.parametrize("note", ["", "   ", None])
def test_a_note_is_required(note):
    proposal = proposal_in(Status.PROPOSED)
    with pytest.raises(errors.NoteRequired):
        transition(proposal, Status.UNDER_DISCUSSION, note=note)
    assert proposal.history.count() == 1


def test_a_note_over_the_limit_is_refused():
    proposal = proposal_in(Status.PROPOSED)
    with pytest.raises(errors.NoteTooLong):
        transition(proposal, Status.UNDER_DISCUSSION, note="x" * (workflow.NOTE_MAX_LENGTH + 1))


@pytest.mark.parametrize("to_status", sorted(workflow.EVIDENCE_REQUIRED))
def test_evidence_is_required_for_strong_statuses(to_status):
    proposal = proposal_in(
        path_to(Status(to_status))[-2] if len(path_to(Status(to_status))) > 1 else Status.PROPOSED
    )
    with pytest.raises(errors.EvidenceRequired):
        transition(proposal, to_status, evidence=[])
    assert proposal.history.filter(to_status=to_status).count() == 0


def test_evidence_is_not_required_for_discussion():
    proposal = proposal_in(Status.PROPOSED)
    change = transition(proposal, Status.UNDER_DISCUSSION, evidence=[])
    assert change.evidence.count() == 0


def test_evidence_of_another_proposal_is_refused():
    proposal = proposal_in(Status.PROPOSED)
    other = ProposalFactory()
    foreign = cite(other)
    with pytest.raises(errors.EvidenceOfAnotherProposal):
        transition(proposal, Status.AGREED, evidence=[foreign])
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED


def test_evidence_is_stored_with_the_change():
    proposal = proposal_in(Status.PROPOSED)
    evidence = cite(proposal, quote="a point both sides welcomed", role="evidence")
    change = transition(proposal, Status.AGREED, evidence=[evidence])
    assert list(change.evidence.all()) == [evidence]


def test_future_dates_are_refused():
    proposal = proposal_in(Status.PROPOSED)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(errors.InvalidDate):
        transition(proposal, Status.UNDER_DISCUSSION, effective_date=tomorrow)


def test_dates_before_the_proposal_are_refused():
    proposal = proposal_in(Status.PROPOSED)
    with pytest.raises(errors.InvalidDate) as caught:
        transition(
            proposal, Status.UNDER_DISCUSSION, effective_date=START - datetime.timedelta(days=1)
        )
    assert "proposal's date" in caught.value.message


def test_dates_before_the_current_status_are_refused():
    proposal = proposal_in(Status.UNDER_DISCUSSION)  # since START + 1 day
    with pytest.raises(errors.InvalidDate) as caught:
        transition(proposal, Status.STALLED, effective_date=START)
    assert "history reads in order" in caught.value.message


def test_same_day_as_current_status_is_allowed():
    proposal = proposal_in(Status.UNDER_DISCUSSION)
    change = transition(proposal, Status.STALLED, effective_date=proposal.status_since)
    assert change.effective_date == proposal.status_since


@pytest.mark.parametrize(
    ("day", "precision"),
    [(datetime.date(2005, 3, 2), "month"), (datetime.date(2005, 3, 1), "year"), (START, "week")],
)
def test_imprecise_dates_must_be_first_days(day, precision):
    proposal = ProposalFactory(proposed_on=datetime.date(2005, 1, 1), proposed_precision="year")
    with pytest.raises(errors.InvalidDate):
        transition(
            proposal, Status.UNDER_DISCUSSION, effective_date=day, effective_precision=precision
        )


def test_month_precision_is_kept_on_the_proposal():
    proposal = ProposalFactory(proposed_on=datetime.date(2005, 1, 1), proposed_precision="year")
    transition(
        proposal,
        Status.UNDER_DISCUSSION,
        effective_date=datetime.date(2005, 3, 1),
        effective_precision="month",
    )
    proposal.refresh_from_db()
    assert (proposal.status_since, proposal.status_since_precision) == (
        datetime.date(2005, 3, 1),
        "month",
    )


def test_statuses_api_data_is_consistent():
    for status in Status:
        assert status in workflow.TRANSITIONS
        assert workflow.DESCRIPTIONS[status]
    assert workflow.is_terminal(Status.IMPLEMENTED)
    assert workflow.is_terminal(Status.WITHDRAWN)
    assert not workflow.is_terminal(Status.REJECTED)
