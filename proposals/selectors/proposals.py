"""Proposals: the shapes pages and lists read, the status they show, and how they are narrowed
and ordered (one set of filters and orders for the API, the site and the feeds)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Collection, Sequence

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from proposals.content_languages import with_group_names
from proposals.models import Actor, Citation, Position, Proposal, Source, StatusChange
from proposals.selectors.changes import changes, end_of_day, months_before
from proposals.selectors.citations import citations_in_detail, citations_with_sources
from proposals.selectors.search import search_proposals
from proposals.workflow import Status, is_terminal

# What a card (the site's lists, the board, a group) shows of a proposal.
PROPOSAL_CARD_FIELDS = (
    "id",
    "slug",
    "title",
    "category",
    "group",
    "ordinal",
    "proposed_on",
    "proposed_precision",
    "proposed_qualifier",
    "status",
    "status_since",
    "status_since_precision",
    "status_since_qualifier",
)
# What a row of the API's list shows: a card and the version (its ETag).
PROPOSAL_ROW_FIELDS = (*PROPOSAL_CARD_FIELDS, "version")


# The status shown --------------------------------------------------------------------------


def status_as_of_subquery(
    day: datetime.date, field: str = "to_status", *, recorded_by: datetime.date | None = None
) -> Subquery:
    """The `field` of a proposal's latest change dated on or before `day` (None before any).

    With `recorded_by`, only the changes recorded by the end of that day count: the history as
    the tracker held it then.
    """
    latest = StatusChange.objects.filter(proposal=OuterRef("pk"), effective_date__lte=day)
    if recorded_by is not None:
        latest = latest.filter(recorded_at__lt=end_of_day(recorded_by))
    return Subquery(latest.order_by("-effective_date", "-id").values(field)[:1])


def with_status_shown(
    queryset: QuerySet[Proposal],
    *,
    as_of: datetime.date | None = None,
    recorded_as_of: datetime.date | None = None,
) -> QuerySet[Proposal]:
    """Annotate the status a reader is shown: `shown_status`, `shown_since` (its date) and
    `shown_precision` (that date's precision). Annotating again replaces the earlier answer.

    With neither day: the current status. With `as_of` (D): the status on D, and proposals not
    yet proposed on D are left out. A proposal's first change is dated its `proposed_on`
    (create_proposal writes it) and no change precedes it, so "proposed by D" is
    `proposed_on <= D`: an indexed filter, where testing the annotation would run the subquery
    for every row of the table, page or not.

    With `recorded_as_of` (R), the answer is the tracker's own as it stood at the end of R: the
    status effective on D (R itself when D is not given) among the changes recorded by then.
    A proposal with no such change (not yet proposed on D, or not yet recorded on R) is left
    out; that test needs the annotation, so it costs a subquery per proposal of the table.
    """
    if as_of is None:
        if recorded_as_of is None:
            return queryset.annotate(
                shown_status=F("status"),
                shown_since=F("status_since"),
                shown_precision=F("status_since_precision"),
            )
        as_of = recorded_as_of
    queryset = queryset.filter(proposed_on__lte=as_of).annotate(
        **_status_shown_subqueries(as_of, recorded_as_of, timezone.get_current_timezone_name())
    )
    if recorded_as_of is not None:
        queryset = queryset.filter(shown_status__isnull=False)
    return queryset


@functools.lru_cache(maxsize=256)
def _status_shown_subqueries(
    as_of: datetime.date, recorded_as_of: datetime.date | None, time_zone: str
) -> dict[str, Subquery]:
    """The three subqueries of `with_status_shown` for one day (and time zone, which places
    the end of `recorded_as_of`), built once per day asked.

    Building them cost about a millisecond of every as-of request, as much as the rest of its
    query. An expression is never evaluated itself: `annotate()` resolves a copy of it.
    """
    return {
        name: status_as_of_subquery(as_of, field, recorded_by=recorded_as_of)
        for name, field in (
            ("shown_status", "to_status"),
            ("shown_since", "effective_date"),
            ("shown_precision", "effective_precision"),
        )
    }


# Shapes ------------------------------------------------------------------------------------


def _with_actors(
    queryset: QuerySet[Proposal], actors: Sequence[str] = ("proposers", "addressees")
) -> QuerySet[Proposal]:
    slim = Actor.objects.only("id", "slug", "name")
    return queryset.prefetch_related(*(Prefetch(relation, queryset=slim) for relation in actors))


def bare_proposals() -> QuerySet[Proposal]:
    """Proposals with every field, nothing joined or prefetched: what a write, or a read of
    one of a proposal's parts (its history, relations, positions), starts from."""
    return Proposal.objects.all()


def proposal_heading() -> QuerySet[Proposal]:
    """Proposals with what names them (slug, title): a feed's heading."""
    return Proposal.objects.only("id", "slug", "title")


def proposal_cards(*, with_proposers: bool = False) -> QuerySet[Proposal]:
    """Proposals with what a card shows and the current status shown, in their natural order;
    `with_proposers` prefetches those (slug, name)."""
    queryset = with_status_shown(Proposal.objects.only(*PROPOSAL_CARD_FIELDS))
    return _with_actors(queryset, ("proposers",)) if with_proposers else queryset


def proposal_rows() -> QuerySet[Proposal]:
    """Proposals with only the fields a list row shows (no summary), their group's names and
    the current status shown (`with_status_shown` asks for another day); their actors come
    from `actor_refs`."""
    return with_group_names(with_status_shown(Proposal.objects.only(*PROPOSAL_ROW_FIELDS)))


def proposal_page() -> QuerySet[Proposal]:
    """Proposals with actors and citations (and their sources, no texts): the site's page."""
    return _with_actors(Proposal.objects.all()).prefetch_related(
        Prefetch("citations", queryset=citations_with_sources())
    )


def proposal_detail() -> QuerySet[Proposal]:
    """Proposals with their group's names, the current status shown, and citations each with
    its `verified` flag: the API's detail. Their actors come from `actor_refs` (one query for
    both relations, where two prefetches cost two)."""
    queryset = with_group_names(with_status_shown(Proposal.objects.all()))
    return queryset.prefetch_related(Prefetch("citations", queryset=citations_in_detail()))


def board(
    as_of: datetime.date | None = None, *, recorded_as_of: datetime.date | None = None
) -> QuerySet[Proposal]:
    """Every proposal proposed by `as_of` (today by default) as a card, with the status shown
    as of that day; with `recorded_as_of`, as the tracker knew it then (see with_status_shown)."""
    if as_of is None and recorded_as_of is None:
        as_of = timezone.localdate()
    return with_status_shown(
        Proposal.objects.only(*PROPOSAL_CARD_FIELDS), as_of=as_of, recorded_as_of=recorded_as_of
    )


def proposals_in_group(group: str) -> QuerySet[Proposal]:
    """The proposals made together as `group`, by their place in it."""
    return proposal_cards().filter(group=group).order_by("ordinal", "id")


def proposal_groups() -> QuerySet[Proposal]:
    """The distinct non-empty groups, as a flat list of slugs."""
    return (
        Proposal.objects.exclude(group="")
        .order_by("group")
        .values_list("group", flat=True)
        .distinct()
    )


def proposals_without_movement(*, months: int, today: datetime.date) -> QuerySet[Proposal]:
    """Open proposals (not in a final status) whose status has not changed for more than
    `months` months, the longest-still first."""
    final = [status for status in Status.values if is_terminal(status)]
    return (
        proposal_cards()
        .exclude(status__in=final)
        .filter(status_since__lt=months_before(today, months))
        .order_by("status_since", "slug")
    )


# Narrowing and ordering --------------------------------------------------------------------


def _any_of(value: str | Collection[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _latest_stance_is(actor: str, stance: str) -> Subquery:
    latest = Position.objects.filter(proposal=OuterRef("pk"), actor__slug=actor).order_by(
        "-effective_date", "-id"
    )
    return Subquery(latest.values("stance")[:1])


def filter_proposals(
    queryset: QuerySet[Proposal],
    *,
    status: str | Collection[str] = (),
    category: str | Collection[str] = (),
    group: str = "",
    ungrouped: bool = False,
    source: str = "",
    actor: str = "",
    supported_by: str = "",
    opposed_by: str = "",
    text: str = "",
) -> QuerySet[Proposal]:
    """Narrow `queryset`; an empty value does not filter. `status` and `category` take one
    value or several; `source`, `actor`, `supported_by` and `opposed_by` are slugs;
    `ungrouped` keeps the proposals made on their own (in no group).

    `status` is the status shown (see with_status_shown), the current one unless the queryset
    asked for another day. `supported_by`/`opposed_by` keep the proposals on which that actor's
    latest position is that stance. Related filters use subqueries rather than joins, so no row
    is repeated and no DISTINCT is needed.
    """
    if statuses := _any_of(status):
        queryset = queryset.filter(shown_status__in=statuses)
    if categories := _any_of(category):
        queryset = queryset.filter(category__in=categories)
    if group:
        queryset = queryset.filter(group=group)
    if ungrouped:
        queryset = queryset.filter(group="")
    if source:
        queryset = queryset.filter(
            Exists(Citation.objects.filter(proposal=OuterRef("pk"), source__slug=source))
        )
    if actor:
        proposers = Proposal.proposers.through.objects.filter(
            proposal=OuterRef("pk"), actor__slug=actor
        )
        addressees = Proposal.addressees.through.objects.filter(
            proposal=OuterRef("pk"), actor__slug=actor
        )
        queryset = queryset.filter(Exists(proposers) | Exists(addressees))
    for stance, by in (("supports", supported_by), ("opposes", opposed_by)):
        if by:
            queryset = queryset.annotate(**{f"_stance_{stance}": _latest_stance_is(by, stance)})
            queryset = queryset.filter(**{f"_stance_{stance}": stance})
    return search_proposals(queryset, text)


def proposals_of_actor(actor: Actor | str) -> QuerySet[Proposal]:
    """The proposals an actor made or is addressed by (`actor` or its slug)."""
    slug = actor if isinstance(actor, str) else actor.slug
    return filter_proposals(bare_proposals(), actor=slug)


def proposals_citing(source: Source | str) -> QuerySet[Proposal]:
    """The proposals citing a source (`source` or its slug)."""
    slug = source if isinstance(source, str) else source.slug
    return filter_proposals(bare_proposals(), source=slug)


def workflow_order(field: str = "shown_status") -> Case:
    """An expression ranking a status in the order the workflow lists them."""
    return Case(
        *(When(**{field: code}, then=Value(rank)) for rank, code in enumerate(Status.values)),
        default=Value(len(Status.values)),
        output_field=IntegerField(),
    )


# The keys a reader may order by, and what each orders by: the status in workflow order and
# its date, both of the status shown.
ORDERINGS = {
    "proposed_on": "proposed_on",
    "title": "title",
    "status": "status_rank",
    "status_since": "shown_since",
    "slug": "slug",
    "category": "category",
}


def order_proposals(queryset: QuerySet[Proposal], keys: Sequence[str]) -> QuerySet[Proposal]:
    """Order by `keys` (of ORDERINGS, '-' first for descending), then by slug so that pages
    never overlap; no keys keep the natural order."""
    fields = []
    for key in keys:
        name = key.lstrip("-")
        if name in ORDERINGS:
            fields.append(("-" if key.startswith("-") else "") + ORDERINGS[name])
    if not fields:
        return queryset
    if "slug" not in {field.lstrip("-") for field in fields}:
        fields.append("slug")
    if any(field.lstrip("-") == "status_rank" for field in fields):
        queryset = queryset.annotate(status_rank=workflow_order())
    return queryset.order_by(*fields)


# Counts ------------------------------------------------------------------------------------


def status_counts() -> dict[str, int]:
    """The number of proposals in each status; statuses that no proposal has are absent."""
    rows = Proposal.objects.order_by().values_list("status").annotate(total=Count("id"))
    return dict(rows)


def totals() -> dict[str, int]:
    """How many sources, actors, citations and later status changes the tracker holds."""
    return {
        "sources": Source.objects.count(),
        "actors": Actor.objects.count(),
        "citations": Citation.objects.count(),
        "changes": changes(after_proposal=True, evidence=False).count(),
    }


def proposal_period() -> tuple[datetime.date | None, datetime.date | None]:
    """The dates of the first and the latest proposal."""
    span = Proposal.objects.aggregate(first=Min("proposed_on"), last=Max("proposed_on"))
    return span["first"], span["last"]
