"""
The status workflow: statuses, the transition table and the rules of a change.

This is the one place that decides what is allowed. Everything here is plain data or a pure
function, so the admin, the API, the fixtures' checks and the tests all ask the same questions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db import models

from proposals import errors

NOTE_MAX_LENGTH = 10_000


class Status(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    UNDER_DISCUSSION = "under_discussion", "Under discussion"
    AGREED = "agreed", "Agreed"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    STALLED = "stalled", "Stalled"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


INITIAL_STATUS = Status.PROPOSED

DESCRIPTIONS: dict[Status, str] = {
    Status.PROPOSED: "Put forward by its proposers; nobody has yet taken it up.",
    Status.UNDER_DISCUSSION: "The parties concerned are discussing it.",
    Status.AGREED: "The parties concerned agreed to do it.",
    Status.IN_PROGRESS: "Work to carry it out has begun.",
    Status.IMPLEMENTED: "It has been carried out.",
    Status.STALLED: "Discussion or work on it has stopped without a decision.",
    Status.REJECTED: "A party whose assent it needs refused it.",
    Status.WITHDRAWN: "Its proposers dropped it.",
}

TRANSITIONS: dict[Status, tuple[Status, ...]] = {
    Status.PROPOSED: (
        Status.UNDER_DISCUSSION,
        Status.AGREED,
        Status.REJECTED,
        Status.WITHDRAWN,
    ),
    Status.UNDER_DISCUSSION: (
        Status.AGREED,
        Status.STALLED,
        Status.REJECTED,
        Status.WITHDRAWN,
    ),
    Status.AGREED: (Status.IN_PROGRESS, Status.IMPLEMENTED, Status.STALLED),
    Status.IN_PROGRESS: (Status.IMPLEMENTED, Status.STALLED),
    Status.STALLED: (
        Status.UNDER_DISCUSSION,
        Status.IN_PROGRESS,
        Status.REJECTED,
        Status.WITHDRAWN,
    ),
    Status.REJECTED: (Status.UNDER_DISCUSSION,),
    Status.IMPLEMENTED: (),
    Status.WITHDRAWN: (),
}

# A change into one of these must point at the words of a source that support it.
EVIDENCE_REQUIRED: frozenset[Status] = frozenset(
    {Status.AGREED, Status.IN_PROGRESS, Status.IMPLEMENTED, Status.REJECTED}
)


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class DateQualifier(models.TextChoices):
    """How a date relates to the event: the text dates it, shows it by then, or gives it roughly.

    An `on_or_before` date is the earliest day the text supports ("by 10 November 2005"); the
    as-of logic counts the event from that day.
    """

    EXACT = "exact", "Exact"
    ON_OR_BEFORE = "on_or_before", "On or before"
    ABOUT = "about", "About"


class Stance(models.TextChoices):
    """An actor's position on a proposal."""

    SUPPORTS = "supports", "Supports"
    OPPOSES = "opposes", "Opposes"
    UNDECIDED = "undecided", "Undecided"
    CONDITIONAL = "conditional", "Supports on conditions"


class RelationType(models.TextChoices):
    """How one proposal relates to another (read: `from` continues / is part of ... `to`)."""

    CONTINUES = "continues", "Continues"
    PART_OF = "part_of", "Part of"
    ALTERNATIVE_TO = "alternative_to", "Alternative to"
    CONFLICTS_WITH = "conflicts_with", "Conflicts with"


def allowed_next(status: str) -> list[str]:
    """Return the codes of the statuses that may follow `status`, in table order."""
    return [str(code) for code in TRANSITIONS.get(Status(status), ())]


def requires_evidence(status: str) -> bool:
    """Return whether a change into `status` needs at least one evidence citation."""
    return status in EVIDENCE_REQUIRED


def is_terminal(status: str) -> bool:
    """Return whether no status may follow `status`."""
    return not TRANSITIONS.get(Status(status))


def check_status_code(code: str, *, from_status: str | None = None) -> Status:
    """Return the Status for `code` or raise UnknownStatus naming the known ones.

    Given `from_status` (the proposal's current status), the error also names the statuses
    allowed next from it, as an illegal transition does.
    """
    try:
        return Status(code)
    except ValueError:
        allowed = allowed_next(from_status) if from_status is not None else None
        raise errors.UnknownStatus(
            code, known=list(Status.values), from_status=from_status, allowed=allowed
        ) from None


def check_transition(from_status: str, to_status: str) -> None:
    """Raise unless the table allows `from_status` -> `to_status`."""
    target = check_status_code(to_status, from_status=from_status)
    allowed = allowed_next(from_status)
    if target not in allowed:
        raise errors.TransitionNotAllowed(from_status, to_status, allowed=allowed)


def check_note(note: str | None) -> str:
    """Return the stripped note, or raise if it is empty or too long."""
    note = (note or "").strip()
    if not note:
        raise errors.NoteRequired()
    if len(note) > NOTE_MAX_LENGTH:
        raise errors.NoteTooLong(len(note), NOTE_MAX_LENGTH)
    return note


def check_evidence(to_status: str, evidence_proposal_ids: Iterable[int], proposal_id: int) -> None:
    """Raise unless the evidence belongs to the proposal and is present where required."""
    proposal_ids = list(evidence_proposal_ids)
    if any(pid != proposal_id for pid in proposal_ids):
        raise errors.EvidenceOfAnotherProposal()
    if requires_evidence(to_status) and not proposal_ids:
        raise errors.EvidenceRequired(to_status, label=str(Status(to_status).label))


def check_precision(value: datetime.date, precision: str, field: str) -> None:
    """Raise unless a month- or year-precise date is stored as the first day of its period."""
    if precision not in Precision.values:
        raise errors.InvalidDate(
            field, f"Unknown precision {precision!r}; use one of {', '.join(Precision.values)}."
        )
    if precision == Precision.MONTH and value.day != 1:
        raise errors.InvalidDate(field, "A date known to the month is stored as its first day.")
    if precision == Precision.YEAR and (value.month, value.day) != (1, 1):
        raise errors.InvalidDate(field, "A date known to the year is stored as 1 January.")


def check_effective_date(
    effective_date: datetime.date,
    *,
    proposed_on: datetime.date,
    previous_date: datetime.date | None,
    today: datetime.date,
) -> None:
    """Raise unless the date is not in the future, nor before the proposal or the last change."""
    if effective_date > today:
        raise errors.InvalidDate("effective_date", "The effective date may not lie in the future.")
    if effective_date < proposed_on:
        raise errors.InvalidDate(
            "effective_date",
            f"The effective date may not be before the proposal's date ({proposed_on}).",
        )
    if previous_date is not None and effective_date < previous_date:
        raise errors.InvalidDate(
            "effective_date",
            f"The effective date may not be before that of the current status ({previous_date}); "
            "the history reads in order.",
        )


def check_change(
    *,
    from_status: str,
    to_status: str,
    note: str | None,
    effective_date: datetime.date,
    effective_precision: str,
    proposed_on: datetime.date,
    previous_date: datetime.date | None,
    evidence_proposal_ids: Iterable[int],
    proposal_id: int,
    today: datetime.date,
) -> str:
    """Check every rule of one status change; return the cleaned note."""
    check_transition(from_status, to_status)
    cleaned_note = check_note(note)
    check_precision(effective_date, effective_precision, "effective_date")
    check_effective_date(
        effective_date, proposed_on=proposed_on, previous_date=previous_date, today=today
    )
    check_evidence(to_status, evidence_proposal_ids, proposal_id)
    return cleaned_note


def change_problems(
    *,
    from_status: str,
    to_status: str | None,
    note: str | None,
    effective_date: datetime.date | None,
    effective_precision: str | None,
    proposed_on: datetime.date,
    previous_date: datetime.date | None,
    evidence_proposal_ids: Iterable[int],
    proposal_id: int,
    today: datetime.date,
) -> list[errors.DomainError]:
    """Every rule a status change breaks, not only the first: check_change's twin for forms.

    A value a form could not read (None) is not checked again here: the form reports it.
    """
    problems: list[errors.DomainError] = []

    def collect(check: Callable[[], object]) -> None:
        try:
            check()
        except errors.DomainError as exc:
            problems.append(exc)

    if to_status is not None:
        collect(lambda: check_transition(from_status, to_status))
    collect(lambda: check_note(note))
    if effective_date is not None and effective_precision is not None:
        collect(lambda: check_precision(effective_date, effective_precision, "effective_date"))
    if effective_date is not None:
        collect(
            lambda: check_effective_date(
                effective_date, proposed_on=proposed_on, previous_date=previous_date, today=today
            )
        )
    if to_status is not None:
        collect(lambda: check_evidence(to_status, evidence_proposal_ids, proposal_id))
    return problems


def check_qualifier(qualifier: str, field: str) -> None:
    """Raise unless `qualifier` is one of the date qualifiers."""
    if qualifier not in DateQualifier.values:
        raise errors.InvalidDate(
            field,
            f"Unknown date qualifier {qualifier!r}; use one of {', '.join(DateQualifier.values)}.",
        )


def check_position(
    *,
    stance: str,
    note: str | None,
    effective_date: datetime.date,
    effective_precision: str,
    effective_qualifier: str,
    proposed_on: datetime.date,
    previous_date: datetime.date | None,
    evidence_proposal_ids: Iterable[int],
    proposal_id: int,
    today: datetime.date,
) -> str:
    """Check every rule of an actor's position on a proposal; return the cleaned note.

    A position rests on the words of a source like a status change does: at least one citation of
    the same proposal. Its date reads in order after the actor's previous position.
    """
    if stance not in Stance.values:
        raise errors.UnknownChoice("stance", stance, known=list(Stance.values))
    cleaned_note = check_note(note)
    check_precision(effective_date, effective_precision, "effective_date")
    check_qualifier(effective_qualifier, "effective_qualifier")
    check_effective_date(
        effective_date, proposed_on=proposed_on, previous_date=previous_date, today=today
    )
    proposal_ids = list(evidence_proposal_ids)
    if any(pid != proposal_id for pid in proposal_ids):
        raise errors.EvidenceOfAnotherProposal()
    if not proposal_ids:
        raise errors.PositionEvidenceRequired()
    return cleaned_note
