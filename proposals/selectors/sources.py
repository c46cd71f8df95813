"""Sources and their revisions: texts (tens of kilobytes each) only on a source's own page."""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import Count, Max, Min, Prefetch, QuerySet
from django.db.models.functions import Length

from proposals.models import Source, SourceRevision

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


def sources_with_text() -> QuerySet[Source]:
    """Sources with every field, the text included: a source's own page, and what a new
    citation is anchored in."""
    return Source.objects.all()


def source_choices() -> QuerySet[Source]:
    """Each source's slug, title and language, oldest first: the choices of the site's filter."""
    return Source.objects.values_list("slug", "title", "language")


def sources_by_title() -> QuerySet[Source]:
    """Each source's (slug, title), by title: the choices of the admin's filter."""
    return Source.objects.order_by("title").values_list("slug", "title")


def source_detail() -> QuerySet[Source]:
    """Sources with every field, the full text included, and their revisions (without text)."""
    return Source.objects.prefetch_related(Prefetch("revisions", queryset=revisions_without_text()))


def source_heading() -> QuerySet[Source]:
    """Sources with what names them (slug, title): a feed's heading."""
    return Source.objects.only("id", "slug", "title")


def sources_with_counts() -> QuerySet[Source]:
    """Sources without their text, with how many citations and proposals cite each."""
    return sources_without_text().annotate(
        citation_count=Count("citations", distinct=True),
        proposal_count=Count("citations__proposal", distinct=True),
    )


def revisions_without_text() -> QuerySet[SourceRevision]:
    """Revisions, oldest first, with the length of their text but not the text itself."""
    return SourceRevision.objects.defer("text").annotate(length=Length("text")).order_by("number")


def revision_of(source: Source, number: int) -> SourceRevision | None:
    """The revision `number` of `source` (without its text), if there is one."""
    return revisions_without_text().filter(source=source, number=number).first()


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
