"""Status changes: histories, the changes across proposals, and the counts they add up to."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from proposals.content_languages import in_every_language
from proposals.models import Proposal, StatusChange
from proposals.selectors.citations import citations_with_sources
from proposals.workflow import Status

# Fields of a change as a feed entry shows it, with its proposal's slug and titles.
FEED_ENTRY_FIELDS = (
    "id",
    "from_status",
    "to_status",
    "effective_date",
    "effective_precision",
    "effective_qualifier",
    "note",
    "recorded_at",
    "proposal__id",
    "proposal__slug",
    # Every language's title: the reader's falls back to English, which must be loaded.
    *in_every_language("proposal__title"),
    "proposal__version",
    "proposal__updated_at",
)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in the site's time zone: "recorded by the end of `day`"."""
    following = day + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))


def _with_evidence(queryset: QuerySet[StatusChange]) -> QuerySet[StatusChange]:
    return queryset.prefetch_related(Prefetch("evidence", queryset=citations_with_sources()))


def _listed() -> QuerySet[StatusChange]:
    """Changes with their proposal and who recorded them."""
    return StatusChange.objects.select_related("proposal", "recorded_by")


def changes(
    *,
    since: datetime.date | None = None,
    recorded_since: datetime.datetime | None = None,
    after_proposal: bool = False,
    evidence: bool = True,
) -> QuerySet[StatusChange]:
    """Status changes of every proposal, newest effective first, with their proposal, who
    recorded them and (unless `evidence` is False, for a page that does not show it) their
    evidence with its sources.

    `since` keeps the changes effective on or after that day, `recorded_since` those recorded at
    or after that moment. The first entry of every history is the proposal being made (it comes
    from no status), not a change of status: `after_proposal` leaves those out.
    """
    queryset = _listed().order_by("-effective_date", "-id")
    if evidence:
        queryset = _with_evidence(queryset)
    if since is not None:
        queryset = queryset.filter(effective_date__gte=since)
    if recorded_since is not None:
        queryset = queryset.filter(recorded_at__gte=recorded_since)
    if after_proposal:
        queryset = queryset.exclude(from_status="")
    return queryset


def history_of(proposal: Proposal | int | None = None) -> QuerySet[StatusChange]:
    """A proposal's status changes, oldest first, each with its proposal, who recorded it and
    its evidence; every proposal's when `proposal` is None (an admin inline narrows it)."""
    queryset = _with_evidence(_listed().order_by("effective_date", "id"))
    if proposal is not None:
        queryset = queryset.filter(proposal=proposal)
    return queryset


def changes_recorded(proposals: QuerySet[Proposal] | None = None) -> QuerySet[StatusChange]:
    """Status changes newest recorded first (feeds), of `proposals` if given, with evidence.

    Recording order, not effective order: a change recorded today with an old effective date
    is news today.
    """
    queryset = _with_evidence(
        StatusChange.objects.select_related("proposal")
        .only(*FEED_ENTRY_FIELDS)
        .order_by("-recorded_at", "-id")
    )
    if proposals is not None:
        queryset = queryset.filter(proposal__in=proposals.values("pk"))
    return queryset


def changes_for_admin_list() -> QuerySet[StatusChange]:
    """Status changes with their proposal and who recorded them: the admin's list."""
    return _listed()


# Pictures: how many proposals stood in each status, month by month ---------------------------


class MonthCounts(NamedTuple):
    """The number of proposals in each status at the end of `month` (its first day)."""

    month: datetime.date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _month_end(month: datetime.date) -> datetime.date:
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    first = datetime.date(year, month + 1, 1)
    return first.replace(day=min(day.day, _month_end(first).day))


def status_counts_by_month(
    *, until: datetime.date | None = None, recorded_as_of: datetime.date | None = None
) -> list[MonthCounts]:
    """`month_counts`, cached until the history grows or the day changes: at scale the pass
    reads every change. The history is append-only, so its latest row names its state."""
    until = until or timezone.localdate()
    latest = StatusChange.objects.aggregate(id=Max("id"), at=Max("recorded_at"))
    at = latest["at"].isoformat() if latest["at"] else ""
    key = f"status-counts-by-month:{latest['id']}:{at}:{until}:{recorded_as_of}"
    months = cache.get(key)
    if months is None:
        months = month_counts(until=until, recorded_as_of=recorded_as_of)
        cache.set(key, months, timeout=24 * 3600)
    return months


def month_counts(
    *, until: datetime.date | None = None, recorded_as_of: datetime.date | None = None
) -> list[MonthCounts]:
    """Per month, from the first proposal's month to `until`'s (today by default), the number
    of proposals in each status at the month's end (at `until` for its own month).

    Computed from the history in one pass over its rows, oldest first: each change moves its
    proposal from one count to another. With `recorded_as_of`, only the changes recorded by the
    end of that day count, as for the board.
    """
    until = until or timezone.localdate()
    rows = StatusChange.objects.filter(effective_date__lte=until)
    if recorded_as_of is not None:
        rows = rows.filter(recorded_at__lt=end_of_day(recorded_as_of))
    iterator = iter(
        rows.order_by("effective_date", "id")
        .values_list("proposal_id", "effective_date", "to_status")
        .iterator(chunk_size=5_000)
    )
    pending = next(iterator, None)
    if pending is None:
        return []
    status_of: dict[int, str] = {}
    counts = dict.fromkeys(Status.values, 0)
    months: list[MonthCounts] = []
    month = pending[1].replace(day=1)
    last = until.replace(day=1)
    while month <= last:
        end = min(_month_end(month), until)
        while pending is not None and pending[1] <= end:
            proposal_id, _, to_status = pending
            previous = status_of.get(proposal_id)
            if previous is not None:
                counts[previous] -= 1
            counts[to_status] = counts.get(to_status, 0) + 1
            status_of[proposal_id] = to_status
            pending = next(iterator, None)
        months.append(MonthCounts(month, dict(counts)))
        month = _month_end(month) + datetime.timedelta(days=1)
    return months
