"""
The status workflow: statuses, the transition table and the rules of a change.

This is the one place that decides what is allowed. Everything here is plain data or a pure
function, so the admin, the API, the fixtures' checks and the tests all ask the same questions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from proposals import errors

NOTE_MAX_LENGTH = 10_000


class Status(models.TextChoices):
    # "Proposed" is also a date heading on the site: the context keeps the two apart.
    PROPOSED = "proposed", pgettext_lazy("status", "Proposed")
    UNDER_DISCUSSION = "under_discussion", pgettext_lazy("status", "Under discussion")
    AGREED = "agreed", pgettext_lazy("status", "Agreed")
    IN_PROGRESS = "in_progress", pgettext_lazy("status", "In progress")
    IMPLEMENTED = "implemented", pgettext_lazy("status", "Implemented")
    STALLED = "stalled", pgettext_lazy("status", "Stalled")
    REJECTED = "rejected", pgettext_lazy("status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("status", "Withdrawn")


INITIAL_STATUS = Status.PROPOSED

DESCRIPTIONS: dict[Status, Any] = {
    Status.PROPOSED: gettext_lazy("Put forward by its proposers; nobody has yet taken it up."),
    Status.UNDER_DISCUSSION: gettext_lazy("The parties concerned are discussing it."),
    Status.AGREED: gettext_lazy("The parties concerned agreed to do it."),
    Status.IN_PROGRESS: gettext_lazy("Work to carry it out has begun."),
    Status.IMPLEMENTED: gettext_lazy("It has been carried out."),
    Status.STALLED: gettext_lazy("Discussion or work on it has stopped without a decision."),
    Status.REJECTED: gettext_lazy("A party whose assent it needs refused it."),
    Status.WITHDRAWN: gettext_lazy("Its proposers dropped it."),
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
    DAY = "day", gettext_lazy("Day")
    MONTH = "month", gettext_lazy("Month")
    YEAR = "year", gettext_lazy("Year")


class DateQualifier(models.TextChoices):
    """How a date relates to the event: the text dates it, shows it by then, or gives it roughly.

    An `on_or_before` date is the earliest day the text supports ("by 10 November 2005"); the
    as-of logic counts the event from that day.
    """

    EXACT = "exact", gettext_lazy("Exact")
    ON_OR_BEFORE = "on_or_before", gettext_lazy("On or before")
    ABOUT = "about", gettext_lazy("About")


class Stance(models.TextChoices):
    """An actor's position on a proposal."""

    SUPPORTS = "supports", gettext_lazy("Supports")
    OPPOSES = "opposes", gettext_lazy("Opposes")
    UNDECIDED = "undecided", gettext_lazy("Undecided")
    CONDITIONAL = "conditional", gettext_lazy("Supports on conditions")


class RelationType(models.TextChoices):
    """How one proposal relates to another (read: `from` continues / is part of ... `to`)."""

    CONTINUES = "continues", gettext_lazy("Continues")
    PART_OF = "part_of", gettext_lazy("Part of")
    ALTERNATIVE_TO = "alternative_to", gettext_lazy("Alternative to")
    CONFLICTS_WITH = "conflicts_with", gettext_lazy("Conflicts with")


def allowed_next(status: str) -> list[str]:
    """Return the codes of the statuses that may follow `status`, in table order."""
    return [str(code) for code in TRANSITIONS.get(Status(status), ())]


def requires_evidence(status: str) -> bool:
    """Return whether a change into `status` needs at least one evidence citation."""
    return status in EVIDENCE_REQUIRED


def evidence_rule() -> str:
    """The evidence rule in words, for help texts: "Required for agreed, ... and rejected."."""
    labels = [str(status.label).lower() for status in Status if status in EVIDENCE_REQUIRED]
    return _("Required for %(statuses)s.") % {"statuses": get_text_list(labels, _("and"))}


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


# The tracker follows policy after 1900; an earlier date is a mistyped year ("0618" for "2018"),
# which a reader could not tell from a real one and which no date element may carry as written.
EARLIEST_DATE = datetime.date(1900, 1, 1)


def check_plausible_date(value: datetime.date, field: str) -> None:
    """Raise if `value` lies before EARLIEST_DATE (a mistyped year)."""
    if value < EARLIEST_DATE:
        raise errors.InvalidDate(
            field,
            _("A date before %(earliest)s is a mistyped year: check the year.")
            % {"earliest": EARLIEST_DATE.year},
        )


def check_precision(value: datetime.date, precision: str, field: str) -> None:
    """Raise unless a month- or year-precise date is stored as the first day of its period."""
    if precision not in Precision.values:
        raise errors.InvalidDate(
            field,
            _("Unknown precision %(precision)r; use one of %(known)s.")
            % {"precision": precision, "known": ", ".join(Precision.values)},
        )
    if precision == Precision.MONTH and value.day != 1:
        raise errors.InvalidDate(field, _("A date known to the month is stored as its first day."))
    if precision == Precision.YEAR and (value.month, value.day) != (1, 1):
        raise errors.InvalidDate(field, _("A date known to the year is stored as 1 January."))


def check_effective_date(
    effective_date: datetime.date,
    *,
    proposed_on: datetime.date,
    previous_date: datetime.date | None,
    today: datetime.date,
) -> None:
    """Raise unless the date is not in the future, nor before the proposal or the last change."""
    if effective_date > today:
        raise errors.InvalidDate(
            "effective_date", _("The effective date may not lie in the future.")
        )
    if effective_date < proposed_on:
        raise errors.InvalidDate(
            "effective_date",
            _("The effective date may not be before the proposal's date (%(date)s).")
            % {"date": proposed_on},
        )
    if previous_date is not None and effective_date < previous_date:
        raise errors.InvalidDate(
            "effective_date",
            _(
                "The effective date may not be before that of the current status (%(date)s); "
                "the history reads in order."
            )
            % {"date": previous_date},
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
            _("Unknown date qualifier %(qualifier)r; use one of %(known)s.")
            % {"qualifier": qualifier, "known": ", ".join(DateQualifier.values)},
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
    check_plausible_date(effective_date, "effective_date")
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
