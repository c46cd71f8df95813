"""Citations: in reading order with their sources (never their texts), checked in the database."""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Substr

from proposals.content_languages import in_every_language, localized
from proposals.models import Citation, Proposal, Source

# The order a reader meets citations in: by source (oldest first), then by place in it.
READING_ORDER = ("source__published_on", "source__slug", "start", "id")

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


def citations_with_sources() -> QuerySet[Citation]:
    """Citations with their source (without its text), in reading order."""
    return Citation.objects.select_related("source").defer("source__text").order_by(*READING_ORDER)


def citations_of(proposal: Proposal | int) -> QuerySet[Citation]:
    """A proposal's citations with their sources (no texts), in reading order."""
    return citations_with_sources().filter(proposal=proposal)


def filter_citations(
    queryset: QuerySet[Citation], *, source: str = "", proposal: str = "", role: str = ""
) -> QuerySet[Citation]:
    """Narrow `queryset` to the citations of the source `source`, of the proposal `proposal`
    (slugs), in the role `role`; an empty argument narrows nothing."""
    if source:
        queryset = queryset.filter(source__slug=source)
    if proposal:
        queryset = queryset.filter(proposal__slug=proposal)
    if role:
        queryset = queryset.filter(role=role)
    return queryset


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


def _verified_with_sources(*fields: str, related: tuple[str, ...] = ()) -> QuerySet[Citation]:
    """Citations with their selectors, source (slug, title), `fields` (of `related` too) and
    `verified`, in reading order."""
    return with_verification(
        Citation.objects.select_related("source", "revision", *related)
        .only(*CITATION_SELECTOR_FIELDS, "source__id", "source__slug", "source__title", *fields)
        .order_by(*READING_ORDER)
    )


def citation_rows() -> QuerySet[Citation]:
    """Citations as the API lists them: with `verified`, their source (slug, title) and their
    proposal (slug, title in every language)."""
    return _verified_with_sources(
        "proposal__id",
        "proposal__slug",
        *in_every_language("proposal__title"),
        related=("proposal",),
    )


def citations_in_detail() -> QuerySet[Citation]:
    """Citations as a proposal's API detail shows them: with `verified` and their source."""
    return _verified_with_sources("proposal_id")


def unresolved_citations() -> QuerySet[Citation]:
    """Citations the latest revision of their source no longer holds exactly once."""
    return Citation.objects.filter(
        anchor_status__in=[Citation.AnchorStatus.AMBIGUOUS, Citation.AnchorStatus.ORPHANED]
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


def citations_in_source(source: Source | int) -> QuerySet[Citation]:
    """The citations of `source`, each with its proposal: what a correction of its text moves."""
    return Citation.objects.filter(source=source).select_related("proposal")


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
