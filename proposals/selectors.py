"""
The reads that matter, shared by the API, the site and the admin.

Each returns a queryset with its joins and order applied, so that the number of queries a page
costs is decided here, once. Source texts (tens of kilobytes each) are deferred everywhere but the
source's own page.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Length, Substr
from django.utils import timezone

from proposals import genealogy
from proposals.content_languages import in_every_language, localized, with_group_names
from proposals.models import (
    Actor,
    Citation,
    Position,
    Proposal,
    Relation,
    Source,
    SourceRevision,
    StatusChange,
)
from proposals.search import search_proposals
from proposals.workflow import RelationType, Status, is_terminal

SOURCE_LIST_FIELDS = (
    "id",
    "slug",
    "title",
    "kind",
    "publisher",
    "author",
    "reference",
    "published_on",
    "published_precision",
    "classification",
    "seed_file",
    "sha256",
    "language",
    "document_url",
    "archived_url",
    "retrieved_on",
    "revision",
    "version",
    "created_at",
)


def sources_without_text() -> QuerySet[Source]:
    """Sources with every field but the full text."""
    return Source.objects.only(*SOURCE_LIST_FIELDS)


def citations_with_sources() -> QuerySet[Citation]:
    """Citations with their source (without its text), in reading order."""
    return (
        Citation.objects.select_related("source")
        .defer("source__text")
        .order_by("source__published_on", "source__slug", "start", "id")
    )


def citations_for_editing() -> QuerySet[Citation]:
    """Citations with their proposal, source and revision (no texts) and `verified`, in
    reading order: the editors' inline, whose rows name their proposal and source."""
    return with_verification(
        citations_with_sources().select_related("proposal", "revision").defer("revision__text")
    )


def citations_for_admin_list() -> QuerySet[Citation]:
    """Citations with their proposal, source and revision (whose name reads its source's slug),
    no texts: the admin's list of citations."""
    return Citation.objects.select_related("proposal", "source", "revision__source").defer(
        "source__text", "revision__text", "revision__source__text"
    )


def proposal_list(*, actors: tuple[str, ...] = ("proposers", "addressees")) -> QuerySet[Proposal]:
    """Proposals in their natural order, with the named actor relations prefetched."""
    slim_actors = Actor.objects.only("id", "slug", "name")
    return Proposal.objects.prefetch_related(
        *(Prefetch(relation, queryset=slim_actors) for relation in actors)
    )


def proposal_detail() -> QuerySet[Proposal]:
    """Proposals with actors and citations (and their sources) prefetched: for a detail page."""
    return proposal_list().prefetch_related(
        Prefetch("citations", queryset=citations_with_sources())
    )


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in the site's time zone: "recorded by the end of `day`"."""
    following = day + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))


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


def with_status_as_of(
    queryset: QuerySet[Proposal],
    day: datetime.date | None = None,
    *,
    recorded_as_of: datetime.date | None = None,
) -> QuerySet[Proposal]:
    """Annotate `as_of_status` and `as_of_since`; drop proposals not yet proposed on `day`.

    A proposal's first change is dated its `proposed_on` (create_proposal writes it) and no change
    precedes it, so "proposed by `day`" is `proposed_on <= day`: an indexed filter, where testing
    the annotation would run the subquery for every row of the table, page or not.

    With `recorded_as_of` (R), the answer is the tracker's own as it stood at the end of R: the
    status effective on `day` (R itself when `day` is None) among the changes recorded by then.
    A proposal with no such change (not yet proposed on `day`, or not yet recorded on R) is left
    out; that test needs the annotation, so it costs a subquery per proposal of the table.
    """
    if day is None:
        day = recorded_as_of if recorded_as_of is not None else timezone.localdate()
    queryset = queryset.filter(proposed_on__lte=day).annotate(
        as_of_status=status_as_of_subquery(day, recorded_by=recorded_as_of),
        as_of_since=status_as_of_subquery(day, "effective_date", recorded_by=recorded_as_of),
    )
    if recorded_as_of is not None:
        queryset = queryset.filter(as_of_status__isnull=False)
    return queryset


def history_of(proposal: Proposal | int | None = None) -> QuerySet[StatusChange]:
    """A proposal's status changes, oldest first, each with its proposal, who recorded it and
    its evidence; every proposal's when `proposal` is None (an admin inline narrows it)."""
    queryset = (
        StatusChange.objects.select_related("proposal", "recorded_by")
        .prefetch_related(Prefetch("evidence", queryset=citations_with_sources()))
        .order_by("effective_date", "id")
    )
    if proposal is not None:
        queryset = queryset.filter(proposal=proposal)
    return queryset


def changes_for_admin_list() -> QuerySet[StatusChange]:
    """Status changes with their proposal and who recorded them: the admin's list."""
    return StatusChange.objects.select_related("proposal", "recorded_by")


def recent_changes(
    *, since: datetime.date | None = None, after_proposal: bool = False
) -> QuerySet[StatusChange]:
    """Status changes of all proposals, newest first, with their proposal and evidence.

    `since` keeps the changes effective on or after that day; `after_proposal` leaves out the
    first entry of each history (the proposal being made).
    """
    queryset = (
        StatusChange.objects.select_related("proposal", "recorded_by")
        .prefetch_related(Prefetch("evidence", queryset=citations_with_sources()))
        .order_by("-effective_date", "-id")
    )
    if since is not None:
        queryset = queryset.filter(effective_date__gte=since)
    if after_proposal:
        queryset = queryset.exclude(from_status="")
    return queryset


def changes_recorded(proposals: QuerySet[Proposal] | None = None) -> QuerySet[StatusChange]:
    """Status changes newest recorded first (feeds), of `proposals` if given, with evidence.

    Recording order, not effective order: a change recorded today with an old effective date
    is news today.
    """
    queryset = (
        StatusChange.objects.select_related("proposal")
        .only(
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
        .prefetch_related(Prefetch("evidence", queryset=citations_with_sources()))
        .order_by("-recorded_at", "-id")
    )
    if proposals is not None:
        queryset = queryset.filter(proposal__in=proposals.values("pk"))
    return queryset


class ProposalRef(NamedTuple):
    slug: str
    title: str


class Passage(NamedTuple):
    """A cited passage as the source page shows it: plain values, no model instances."""

    pk: int
    start: int
    end: int
    role: str
    locator: str
    proposal: ProposalRef

    def get_role_display(self) -> str:
        return str(Citation.Role(self.role).label)


def passages_of(source: Source | int) -> list[Passage]:
    """Every citation of `source` with its proposal's slug and title, in reading order.

    A long source is cited hundreds of times; tuples cost a fraction of model instances.
    """
    # Only the citations anchored on the current text: an ambiguous or orphaned one keeps the
    # offsets of an earlier revision, which would mark other words.
    rows = (
        Citation.objects.filter(source=source, revision__number=F("source__revision"))
        .order_by("start", "end", "id")
        .values_list(
            "id", "start", "end", "role", "locator", "proposal__slug", localized("proposal__title")
        )
    )
    return [Passage(*row[:5], ProposalRef(*row[5:])) for row in rows]


def actor_with_proposals() -> QuerySet[Actor]:
    """Actors with what they proposed and what is addressed to them."""
    slim = Proposal.objects.only("id", "slug", "title", "status", "status_since", "proposed_on")
    return Actor.objects.prefetch_related(
        Prefetch("proposals_made", queryset=slim), Prefetch("proposals_addressed", queryset=slim)
    )


# The public site -------------------------------------------------------------------------------

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
        # The first entry of every history is the proposal itself, not a change of status.
        "changes": StatusChange.objects.exclude(from_status="").count(),
    }


def proposals_in_group(group: str) -> QuerySet[Proposal]:
    """The proposals made together as `group`, by their place in it."""
    return (
        Proposal.objects.filter(group=group).only(*PROPOSAL_CARD_FIELDS).order_by("ordinal", "id")
    )


def proposal_groups() -> QuerySet[Proposal]:
    """The distinct non-empty groups, as a flat list of slugs."""
    return (
        Proposal.objects.exclude(group="")
        .order_by("group")
        .values_list("group", flat=True)
        .distinct()
    )


def filter_proposals(
    queryset: QuerySet[Proposal],
    *,
    status: str = "",
    category: str = "",
    group: str = "",
    source: str = "",
    actor: str = "",
    text: str = "",
) -> QuerySet[Proposal]:
    """Narrow `queryset`; an empty value does not filter. `source` and `actor` are slugs.

    Related filters use subqueries rather than joins, so no row is repeated and no DISTINCT is
    needed.
    """
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if group:
        queryset = queryset.filter(group=group)
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
    return search_proposals(queryset, text)


def workflow_order() -> Case:
    """An expression ranking a proposal's status in the order the workflow lists them."""
    return Case(
        *(When(status=code, then=Value(rank)) for rank, code in enumerate(Status.values)),
        default=Value(len(Status.values)),
        output_field=IntegerField(),
    )


def board_as_of(
    day: datetime.date | None = None, *, recorded_as_of: datetime.date | None = None
) -> QuerySet[Proposal]:
    """Every proposal proposed by `day`, with its status, date and precision as of that day.

    With `recorded_as_of`, as the tracker knew it at the end of that day (see with_status_as_of).
    """
    return with_status_as_of_precision(
        Proposal.objects.only(*PROPOSAL_CARD_FIELDS), day, recorded_as_of=recorded_as_of
    )


def actors_with_counts() -> QuerySet[Actor]:
    """Actors with how many proposals each made (`made`) and is addressed by (`addressed`)."""
    return Actor.objects.annotate(
        made=Count("proposals_made", distinct=True),
        addressed=Count("proposals_addressed", distinct=True),
    ).order_by("name")


def sources_with_counts() -> QuerySet[Source]:
    """Sources without their text, with how many citations and proposals cite each."""
    return sources_without_text().annotate(
        citation_count=Count("citations", distinct=True),
        proposal_count=Count("citations__proposal", distinct=True),
    )


# The API's reads: slim rows for lists, citations checked against their source in the database.

PROPOSAL_ROW_FIELDS = (*PROPOSAL_CARD_FIELDS, "version")


def proposal_rows() -> QuerySet[Proposal]:
    """Proposals with only the fields a list row shows (no summary), their group's names;
    see `actor_refs`."""
    return with_group_names(Proposal.objects.only(*PROPOSAL_ROW_FIELDS))


def actor_refs(proposal_ids: list[int]) -> dict[int, dict[str, list[dict[str, str]]]]:
    """The proposers and addressees (slug, name) of each proposal, in two queries.

    For a page of list rows: plain tuples instead of prefetched model instances and managers,
    which cost several times as much.
    """
    refs: dict[int, dict[str, list[dict[str, str]]]] = {
        pk: {"proposers": [], "addressees": []} for pk in proposal_ids
    }
    if not proposal_ids:
        return refs
    for role in ("proposers", "addressees"):
        through = getattr(Proposal, role).through.objects
        rows = (
            through.filter(proposal_id__in=proposal_ids)
            .order_by(localized("actor__name"), "actor_id")
            .values_list("proposal_id", "actor__slug", localized("actor__name"))
        )
        for proposal_id, slug, name in rows:
            refs[proposal_id][role].append({"slug": slug, "name": name})
    return refs


def with_status_as_of_precision(
    queryset: QuerySet[Proposal],
    day: datetime.date | None = None,
    *,
    recorded_as_of: datetime.date | None = None,
) -> QuerySet[Proposal]:
    """`with_status_as_of`, plus `as_of_precision`: the precision of that status's date."""
    if day is None:
        day = recorded_as_of if recorded_as_of is not None else timezone.localdate()
    return with_status_as_of(queryset, day, recorded_as_of=recorded_as_of).annotate(
        as_of_precision=status_as_of_subquery(
            day, "effective_precision", recorded_by=recorded_as_of
        )
    )


# A citation's own fields with its selectors and the number of the revision they index.
CITATION_SELECTOR_FIELDS = (
    "id",
    "quote",
    "locator",
    "role",
    "start",
    "end",
    "prefix",
    "suffix",
    "anchor_status",
    "revision__id",
    "revision__number",
)


def with_verification(queryset: QuerySet[Citation]) -> QuerySet[Citation]:
    """Annotate `verified`: whether the text of the revision the citation is anchored on holds
    the quote at [start:end].

    The comparison runs in the database, so the text never leaves it.
    """
    passage = Substr("revision__text", F("start") + 1, F("end") - F("start"))
    return queryset.annotate(
        verified=ExpressionWrapper(Q(quote=passage), output_field=BooleanField())
    )


def citation_list() -> QuerySet[Citation]:
    """Citations with their source (slug, title), proposal (slug, title) and `verified`."""
    return with_verification(
        Citation.objects.select_related("source", "proposal", "revision")
        .only(
            *CITATION_SELECTOR_FIELDS,
            "source__id",
            "source__slug",
            "source__title",
            "proposal__id",
            "proposal__slug",
            *in_every_language("proposal__title"),
        )
        .order_by("source__published_on", "source__slug", "start", "id")
    )


def proposal_detail_verified() -> QuerySet[Proposal]:
    """Proposals with actors and citations, each citation with its `verified` flag."""
    citations = with_verification(
        Citation.objects.select_related("source", "revision")
        .only(
            *CITATION_SELECTOR_FIELDS,
            "proposal_id",
            "source__id",
            "source__slug",
            "source__title",
        )
        .order_by("source__published_on", "source__slug", "start", "id")
    )
    return with_group_names(proposal_list()).prefetch_related(
        Prefetch("citations", queryset=citations)
    )


def actor_list() -> QuerySet[Actor]:
    """Actors in name order."""
    return Actor.objects.all()


def source_detail() -> QuerySet[Source]:
    """Sources with every field, the full text included, and their revisions (without text)."""
    return Source.objects.prefetch_related(Prefetch("revisions", queryset=revisions_without_text()))


def revisions_without_text() -> QuerySet[SourceRevision]:
    """Revisions, oldest first, with the length of their text but not the text itself."""
    return SourceRevision.objects.defer("text").annotate(length=Length("text")).order_by("number")


def revisions_for_editing() -> QuerySet[SourceRevision]:
    """Revisions with their source (named by its slug) and who made them, no texts, oldest
    first: the editors' inline."""
    return (
        SourceRevision.objects.select_related("source", "created_by")
        .defer("text", "source__text")
        .order_by("number")
    )


def latest_correction(source: Source) -> SourceRevision | None:
    """The source's latest revision after the first (a correction of its text), if any."""
    if source.revision == 1:
        return None  # never corrected: no query
    return revisions_without_text().filter(source=source, number__gt=1).order_by("-number").first()


def unresolved_citations() -> QuerySet[Citation]:
    """Citations the latest revision of their source no longer holds exactly once."""
    return Citation.objects.filter(
        anchor_status__in=[Citation.AnchorStatus.AMBIGUOUS, Citation.AnchorStatus.ORPHANED]
    )


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
    changes = StatusChange.objects.filter(effective_date__lte=until)
    if recorded_as_of is not None:
        changes = changes.filter(recorded_at__lt=end_of_day(recorded_as_of))
    rows = changes.order_by("effective_date", "id").values_list(
        "proposal_id", "effective_date", "to_status"
    )
    iterator = iter(rows.iterator(chunk_size=5_000))
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


class SourceKindSummary(NamedTuple):
    """How many sources of one kind the tracker holds, and the years they span."""

    kind: str
    count: int
    first_year: int | None
    last_year: int | None


def source_kinds() -> list[SourceKindSummary]:
    """Per kind of source, how many and from which years, the oldest kind first."""
    rows = (
        Source.objects.order_by()
        .values("kind")
        .annotate(count=Count("id"), first=Min("published_on"), last=Max("published_on"))
        .order_by("first", "kind")
    )
    return [
        SourceKindSummary(
            row["kind"],
            row["count"],
            row["first"].year if row["first"] else None,
            row["last"].year if row["last"] else None,
        )
        for row in rows
    ]


def proposal_period() -> tuple[datetime.date | None, datetime.date | None]:
    """The dates of the first and the latest proposal."""
    span = Proposal.objects.aggregate(first=Min("proposed_on"), last=Max("proposed_on"))
    return span["first"], span["last"]


# --- Relations and positions ----------------------------------------------------------------


def relations_of(proposal: Proposal) -> QuerySet[Relation]:
    """Relations from or to `proposal`, with both proposals and the citation's source (no text)."""
    return (
        Relation.objects.filter(Q(from_proposal=proposal) | Q(to_proposal=proposal))
        .select_related("from_proposal", "to_proposal", "citation__source")
        .defer("citation__source__text")
        .order_by("type", "id")
    )


def continues_pairs() -> list[tuple[int, int]]:
    """Every (later, earlier) pair of `continues` relations: the edges of all lineages."""
    return list(
        Relation.objects.filter(type=RelationType.CONTINUES).values_list(
            "from_proposal_id", "to_proposal_id"
        )
    )


def lineage_of(proposal: Proposal) -> list[Proposal]:
    """`proposal` with the proposals it continues and that continue it, earliest first."""
    ancestors, descendants = genealogy.lineage_ids(proposal.pk, continues_pairs())
    if not ancestors and not descendants:
        return []
    return list(
        Proposal.objects.filter(pk__in={proposal.pk, *ancestors, *descendants}).order_by(
            "proposed_on", "slug"
        )
    )


def adoption_of(proposal: Proposal, lineage: list[Proposal]) -> genealogy.Adoption | None:
    """How long the lineage took from its first proposal to `proposal`'s agreement, if reached."""
    if not lineage or lineage[0].pk == proposal.pk:
        return None
    adopted = (
        StatusChange.objects.filter(
            proposal=proposal, to_status__in=(Status.AGREED, Status.IMPLEMENTED)
        )
        .order_by("effective_date", "id")
        .first()
    )
    if adopted is None:
        return None
    first = lineage[0]
    return genealogy.Adoption(
        first_proposed_on=first.proposed_on,
        first_precision=first.proposed_precision,
        first_qualifier=first.proposed_qualifier,
        adopted_on=adopted.effective_date,
        adopted_precision=adopted.effective_precision,
        status=adopted.to_status,
    )


def positions_of(proposal: Proposal) -> QuerySet[Position]:
    """A proposal's positions, oldest first, with their actors and evidence (no source texts)."""
    return (
        Position.objects.filter(proposal=proposal)
        .select_related("actor", "recorded_by")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Citation.objects.select_related("source").only(
                    "id", "quote", "locator", "source__slug"
                ),
            )
        )
        .order_by("effective_date", "id")
    )


def current_positions(positions: list[Position]) -> list[Position]:
    """The latest position of each actor among `positions` (given oldest first)."""
    latest: dict[int, Position] = {}
    for position in positions:
        latest[position.actor_id] = position
    return sorted(latest.values(), key=lambda item: (item.actor.name, item.pk))


def positions_of_actor(actor: Actor) -> QuerySet[Position]:
    """An actor's positions on every proposal, newest first, with the proposals."""
    return (
        Position.objects.filter(actor=actor)
        .select_related("proposal")
        .order_by("-effective_date", "-id")
    )


def with_latest_stance(queryset: QuerySet[Proposal], *, actor: str, stance: str) -> QuerySet:
    """Proposals on which the actor with slug `actor` last took `stance`."""
    latest = Position.objects.filter(proposal=OuterRef("pk"), actor__slug=actor).order_by(
        "-effective_date", "-id"
    )
    return queryset.annotate(**{f"_stance_{stance}": Subquery(latest.values("stance")[:1])}).filter(
        **{f"_stance_{stance}": stance}
    )


# The editors' "needs attention" page ------------------------------------------------------------


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    first = datetime.date(year, month + 1, 1)
    return first.replace(day=min(day.day, _month_end(first).day))


def proposals_without_movement(*, months: int, today: datetime.date) -> QuerySet[Proposal]:
    """Open proposals (not in a final status) whose status has not changed for more than
    `months` months, the longest-still first."""
    final = [status for status in Status.values if is_terminal(status)]
    return (
        Proposal.objects.exclude(status__in=final)
        .filter(status_since__lt=months_before(today, months))
        .only(*PROPOSAL_CARD_FIELDS)
        .order_by("status_since", "slug")
    )


def citations_needing_a_look() -> QuerySet[Citation]:
    """Citations a source's revision left ambiguous or orphaned, with their proposal and source
    (without texts), by source then proposal."""
    return (
        unresolved_citations()
        .select_related("proposal", "source", "revision")
        .only(
            "id",
            "quote",
            "locator",
            "role",
            "anchor_status",
            *in_every_language("proposal__title"),
            "proposal__id",
            "proposal__slug",
            "source__id",
            "source__slug",
            "source__title",
            "source__revision",
            "revision__id",
            "revision__number",
        )
        .order_by("source__slug", "proposal__slug", "id")
    )
