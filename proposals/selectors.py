"""
The reads that matter, shared by the API, the site and the admin.

Each returns a queryset with its joins and order applied, so that the number of queries a page
costs is decided here, once. Source texts (tens of kilobytes each) are deferred everywhere but the
source's own page.
"""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from proposals.models import Actor, Citation, Proposal, Source, StatusChange

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


def proposal_list(*, with_actors: bool = True) -> QuerySet[Proposal]:
    """Proposals in their natural order, with their proposers and addressees prefetched."""
    queryset = Proposal.objects.all()
    if with_actors:
        queryset = queryset.prefetch_related(
            Prefetch("proposers", queryset=Actor.objects.only("id", "slug", "name")),
            Prefetch("addressees", queryset=Actor.objects.only("id", "slug", "name")),
        )
    return queryset


def proposal_detail() -> QuerySet[Proposal]:
    """Proposals with actors and citations (and their sources) prefetched: for a detail page."""
    return proposal_list().prefetch_related(
        Prefetch("citations", queryset=citations_with_sources())
    )


def proposals_citing(source: Source | int) -> QuerySet[Proposal]:
    """Proposals with at least one citation of `source`."""
    return proposal_list().filter(citations__source=source).distinct()


def search_proposals(queryset: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    """Keep proposals whose title, summary or slug contains `text` (case-insensitive)."""
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(title__icontains=text) | Q(summary__icontains=text) | Q(slug__icontains=text)
    )


def status_as_of_subquery(day: datetime.date, field: str = "to_status") -> Subquery:
    """The `field` of a proposal's latest change dated on or before `day` (None before any)."""
    latest = StatusChange.objects.filter(proposal=OuterRef("pk"), effective_date__lte=day).order_by(
        "-effective_date", "-id"
    )
    return Subquery(latest.values(field)[:1])


def with_status_as_of(queryset: QuerySet[Proposal], day: datetime.date) -> QuerySet[Proposal]:
    """Annotate `as_of_status` and `as_of_since`; drop proposals not yet proposed on `day`."""
    return queryset.annotate(
        as_of_status=status_as_of_subquery(day),
        as_of_since=status_as_of_subquery(day, "effective_date"),
    ).filter(as_of_status__isnull=False)


def history_of(proposal: Proposal | int) -> QuerySet[StatusChange]:
    """A proposal's status changes, oldest first, each with its evidence and who recorded it."""
    return (
        StatusChange.objects.filter(proposal=proposal)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("evidence", queryset=citations_with_sources()))
        .order_by("effective_date", "id")
    )


def recent_changes(*, since: datetime.date | None = None) -> QuerySet[StatusChange]:
    """Status changes of all proposals, newest first, with their proposal and evidence.

    `since` keeps the changes effective on or after that day.
    """
    queryset = (
        StatusChange.objects.select_related("proposal", "recorded_by")
        .prefetch_related(Prefetch("evidence", queryset=citations_with_sources()))
        .order_by("-effective_date", "-id")
    )
    if since is not None:
        queryset = queryset.filter(effective_date__gte=since)
    return queryset


def source_with_citations() -> QuerySet[Source]:
    """Sources with their citations and each citation's proposal: for the source page."""
    return Source.objects.prefetch_related(
        Prefetch(
            "citations",
            queryset=Citation.objects.select_related("proposal")
            .only(
                "id",
                "source_id",
                "start",
                "end",
                "role",
                "locator",
                "quote",
                "proposal__id",
                "proposal__slug",
                "proposal__title",
                "proposal__status",
            )
            .order_by("start", "end", "id"),
        )
    )


def actor_with_proposals() -> QuerySet[Actor]:
    """Actors with what they proposed and what is addressed to them."""
    slim = Proposal.objects.only("id", "slug", "title", "status", "status_since", "proposed_on")
    return Actor.objects.prefetch_related(
        Prefetch("proposals_made", queryset=slim), Prefetch("proposals_addressed", queryset=slim)
    )
