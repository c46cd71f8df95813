"""
Floor views: the same rows and fields as a measured page, with `values()` and `JsonResponse`.

The least Django can do for each kind of page: no model instances, no serializer, no template.
A page's time divided by its floor's says what the framework layers on top of the database cost.
A floor reads every column its page shows: the translations of titles, summaries, group and
actor names (in every language, as the `*_i18n` fields give them) and a citation's selectors
and revision, so that the ratio measures the layers, not a difference in what is read.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, JsonResponse

from proposals import selectors
from proposals.content_languages import in_every_language, with_group_names
from proposals.models import Citation, Proposal, Source, StatusChange, StatusChangeEvidence
from proposals.selectors import PROPOSAL_ROW_FIELDS, SOURCE_LIST_FIELDS
from proposals.workflow import Status

ROW_FIELDS = (*PROPOSAL_ROW_FIELDS, *in_every_language("title"))
GROUP_NAME_FIELDS = tuple(in_every_language("group_name"))
CHANGE_FIELDS = (
    "id",
    "proposal_id",
    "from_status",
    "to_status",
    "effective_date",
    "effective_precision",
    "note",
    "recorded_at",
    "recorded_by__username",
)
CARD_FIELDS = selectors.PROPOSAL_CARD_FIELDS


def _actors(proposal_ids: list[int]) -> tuple[dict[int, list], dict[int, list]]:
    """Proposers and addressees of the proposals, by proposal id: two queries."""
    found: list[dict[int, list]] = []
    for through in (Proposal.proposers.through, Proposal.addressees.through):
        by_proposal: dict[int, list] = defaultdict(list)
        rows = through.objects.filter(proposal_id__in=proposal_ids).values_list(
            "proposal_id", "actor__slug", "actor__name", *in_every_language("actor__name")
        )
        for proposal_id, slug, name, *names in rows:
            by_proposal[proposal_id].append({"slug": slug, "name": name, "name_i18n": names})
        found.append(by_proposal)
    return found[0], found[1]


def _page(request: HttpRequest, default_size: int) -> tuple[int, int]:
    size = int(request.GET.get("page_size", default_size))
    page = int(request.GET.get("page", 1))
    return (page - 1) * size, page * size


def proposal_list(request: HttpRequest) -> JsonResponse:
    """The API's list page: count, rows and their actors; `status`, `q` and `as_of` as the API."""
    queryset = with_group_names(
        Proposal.objects.order_by("group", "ordinal", "proposed_on", "slug")
    )
    fields = [*ROW_FIELDS, *GROUP_NAME_FIELDS]
    as_of = request.GET.get("as_of")
    if as_of:
        day = datetime.date.fromisoformat(as_of)
        queryset = selectors.with_status_shown(queryset, as_of=day)
        fields += ["shown_status", "shown_since", "shown_precision"]
    if request.GET.get("status"):
        field = "shown_status" if as_of else "status"
        queryset = queryset.filter(**{field: request.GET["status"]})
    if request.GET.get("q"):
        queryset = selectors.search_proposals(queryset, request.GET["q"])
    bottom, top = _page(request, 50)
    count = queryset.count()
    rows = list(queryset.values(*fields)[bottom:top])
    proposers, addressees = _actors([row["id"] for row in rows])
    for row in rows:
        row["proposers"] = proposers.get(row["id"], [])
        row["addressees"] = addressees.get(row["id"], [])
        row["url"] = f"/api/v1/proposals/{row['slug']}/"
    return JsonResponse({"count": count, "results": rows})


def _proposal(slug: str, *fields: str) -> dict[str, Any]:
    row = with_group_names(Proposal.objects.filter(slug=slug)).values(*fields).first()
    if row is None:
        raise Http404
    return row


def _citations(proposal_id: int) -> list[dict[str, Any]]:
    citations = selectors.with_verification(Citation.objects.filter(proposal_id=proposal_id))
    return list(
        citations.order_by("source__published_on", "source__slug", "start", "id").values(
            "id",
            "source__slug",
            "source__title",
            "quote",
            "locator",
            "role",
            "start",
            "end",
            "prefix",
            "suffix",
            "anchor_status",
            "revision__number",
            "verified",
        )
    )


def proposal_detail(request: HttpRequest, slug: str) -> JsonResponse:
    """The API's detail: the proposal, its actors and its citations (verified in the database)."""
    row = _proposal(
        slug,
        *ROW_FIELDS,
        *GROUP_NAME_FIELDS,
        *in_every_language("summary"),
        "summary",
        "created_at",
        "updated_at",
    )
    proposers, addressees = _actors([row["id"]])
    row["proposers"] = proposers.get(row["id"], [])
    row["addressees"] = addressees.get(row["id"], [])
    row["citations"] = _citations(row["id"])
    return JsonResponse(row)


def _history(proposal_id: int) -> list[dict[str, Any]]:
    changes = list(
        StatusChange.objects.filter(proposal_id=proposal_id)
        .order_by("effective_date", "id")
        .values(*CHANGE_FIELDS)
    )
    evidence: dict[int, list] = defaultdict(list)
    links = StatusChangeEvidence.objects.filter(status_change__proposal_id=proposal_id).values(
        "status_change_id",
        "citation_id",
        "citation__quote",
        "citation__locator",
        "citation__source__slug",
        "citation__source__title",
    )
    for link in links:
        evidence[link["status_change_id"]].append(link)
    for change in changes:
        change["evidence"] = evidence.get(change["id"], [])
    return changes


def proposal_history(request: HttpRequest, slug: str) -> JsonResponse:
    """The API's history: a proposal's changes, oldest first, each with its evidence."""
    row = _proposal(slug, "id")
    return JsonResponse(_history(row["id"]), safe=False)


# --- The site's pages -----------------------------------------------------------------------


def site_home(request: HttpRequest) -> JsonResponse:
    """Counts per status, totals, the measures and the latest changes with their proposals."""
    counts = dict(Proposal.objects.order_by().values_list("status").annotate(total=Count("id")))
    totals = {
        "sources": Source.objects.count(),
        "actors": Proposal.proposers.field.related_model.objects.count(),
        "citations": Citation.objects.count(),
        "changes": StatusChange.objects.count(),
    }
    measures = list(
        Proposal.objects.filter(group="2019-japan-us-taiwan-statement")
        .order_by("ordinal", "id")
        .values(*CARD_FIELDS)
    )
    changes = list(
        StatusChange.objects.order_by("-effective_date", "-id").values(
            "id",
            "from_status",
            "to_status",
            "effective_date",
            "effective_precision",
            "proposal__slug",
            "proposal__title",
        )[:8]
    )
    return JsonResponse(
        {"counts": counts, "totals": totals, "measures": measures, "changes": changes}
    )


def site_proposal_list(request: HttpRequest) -> JsonResponse:
    """The list page: its filter form's choices, the count and a page of cards with proposers."""
    choices = {
        "groups": list(
            Proposal.objects.exclude(group="")
            .order_by("group")
            .values_list("group", flat=True)
            .distinct()
        ),
        "sources": list(Source.objects.values_list("slug", "title")),
        "actors": list(
            Proposal.proposers.field.related_model.objects.order_by("name").values_list(
                "slug", "name"
            )
        ),
    }
    queryset = Proposal.objects.order_by("group", "ordinal", "proposed_on", "slug")
    bottom, top = _page(request, 25)
    count = queryset.count()
    rows = list(queryset.values(*CARD_FIELDS)[bottom:top])
    proposers, _ = _actors([row["id"] for row in rows])
    for row in rows:
        row["proposers"] = proposers.get(row["id"], [])
    return JsonResponse({"choices": choices, "count": count, "results": rows})


def site_proposal(request: HttpRequest, slug: str) -> JsonResponse:
    """The proposal page: the proposal, actors, citations, and its timeline with evidence."""
    row = _proposal(slug, *ROW_FIELDS, "summary")
    proposers, addressees = _actors([row["id"]])
    row["proposers"] = proposers.get(row["id"], [])
    row["addressees"] = addressees.get(row["id"], [])
    row["citations"] = list(
        Citation.objects.filter(proposal_id=row["id"])
        .order_by("source__published_on", "source__slug", "start", "id")
        .values("id", "source__slug", "source__title", "quote", "locator", "role")
    )
    row["history"] = _history(row["id"])
    return JsonResponse(row)


def site_source(request: HttpRequest, slug: str) -> JsonResponse:
    """The source page: the source with its full text, and every citation with its proposal."""
    row = Source.objects.filter(slug=slug).values(*SOURCE_LIST_FIELDS, "text").first()
    if row is None:
        raise Http404
    row["citations"] = list(
        Citation.objects.filter(source_id=row["id"])
        .order_by("start", "end", "id")
        .values("id", "start", "end", "role", "locator", "proposal__slug", "proposal__title")
    )
    return JsonResponse(row)


def site_board(request: HttpRequest) -> JsonResponse:
    """The board: every proposal made by the day, with its status, date and precision then."""
    day = datetime.date.fromisoformat(request.GET["as_of"])
    rows = list(
        selectors.with_status_shown(
            Proposal.objects.order_by(*Proposal._meta.ordering), as_of=day
        ).values("id", "slug", "title", "shown_status", "shown_since", "shown_precision")
    )
    columns: dict[str, list] = {status: [] for status in Status.values}
    for row in rows:
        columns[row["shown_status"]].append(row)
    return JsonResponse({"day": day, "total": len(rows), "columns": columns})


def admin_changelist(request: HttpRequest) -> JsonResponse:
    """The admin's proposal list: the count and a page of 50 rows of its columns."""
    queryset = Proposal.objects.order_by("-pk")
    count = queryset.count()
    rows = list(
        queryset.values(
            "id",
            "title",
            "status",
            "status_since",
            "category",
            "group",
            "ordinal",
            "proposed_on",
        )[:50]
    )
    return JsonResponse({"count": count, "results": rows})
