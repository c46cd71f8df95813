"""Views of the public, read-only site: each reads through a selector and renders a template."""

from __future__ import annotations

import datetime
from html import escape

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from proposals import selectors, workflow
from proposals.models import Citation, Source
from proposals.routing import slug_url
from proposals.site import links
from proposals.site.forms import BoardForm, ProposalFilterForm
from proposals.site.highlight import render_highlighted, render_jump_list

PAGE_SIZE = 25
RECENT_CHANGES = 8
# The six measures of the 2019 Japan-US-Taiwan statement, shown as one row on the home page.
MEASURES_GROUP = "2019-japan-us-taiwan-statement"


def home(request: HttpRequest) -> HttpResponse:
    """Counts per status, the six 2019 measures and the latest status changes."""
    counts = selectors.status_counts()
    largest = max(counts.values(), default=0) or 1
    chart = [
        {
            "status": status,
            "count": counts.get(status, 0),
            "percent": round(100 * counts.get(status, 0) / largest),
        }
        for status in workflow.Status
    ]
    context = {
        "chart": chart,
        "total": sum(counts.values()),
        "totals": selectors.totals(),
        "measures": list(selectors.proposals_in_group(MEASURES_GROUP)),
        "measures_group": MEASURES_GROUP,
        "changes": selectors.recent_changes(after_proposal=True)[:RECENT_CHANGES],
    }
    return render(request, "proposals/site/home.html", context)


def proposal_list(request: HttpRequest) -> HttpResponse:
    """Proposals filtered, sorted and paginated by the query string, which can be shared."""
    form = ProposalFilterForm(request.GET)
    queryset = selectors.filter_proposals(
        selectors.proposal_list(actors=("proposers",)), **form.filters()
    )
    ordering = form.ordering()
    if "status_rank" in ordering:
        queryset = queryset.annotate(status_rank=selectors.workflow_order())
    if ordering:
        queryset = queryset.order_by(*ordering)
    page = Paginator(queryset.only(*selectors.PROPOSAL_CARD_FIELDS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "problems": form.problems(),
        "page": page,
        "filtered": bool(form.filters()),
    }
    return render(request, "proposals/site/proposal_list.html", context)


def proposal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A proposal, its citations and its status timeline with the evidence of each change."""
    proposal = get_object_or_404(selectors.proposal_detail(), slug=slug)
    citations = list(proposal.citations.all())
    context = {
        "proposal": proposal,
        "origins": [c for c in citations if c.role == Citation.Role.ORIGIN],
        "others": [c for c in citations if c.role != Citation.Role.ORIGIN],
        "history": selectors.history_of(proposal),
    }
    return render(request, "proposals/site/proposal_detail.html", context)


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A source's metadata and full text, each cited passage highlighted and linkable."""
    source = get_object_or_404(Source, slug=slug)
    citations = selectors.passages_of(source)
    context = {
        "source": source,
        "citations": citations,
        "highlighted": render_highlighted(source.text, citations),
        "jump_list": render_jump_list(citations),
    }
    return render(request, "proposals/site/source_detail.html", context)


def source_list(request: HttpRequest) -> HttpResponse:
    """Every source, with how much of it is cited."""
    sources = selectors.sources_with_counts()
    return render(request, "proposals/site/source_list.html", {"sources": sources})


def actor_list(request: HttpRequest) -> HttpResponse:
    """Every actor, with how many proposals it made and is addressed by."""
    actors = selectors.actors_with_counts()
    return render(request, "proposals/site/actor_list.html", {"actors": actors})


def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """What an actor proposed and what is addressed to it."""
    actor = get_object_or_404(selectors.actor_with_proposals(), slug=slug)
    return render(request, "proposals/site/actor_detail.html", {"actor": actor})


def board_columns(day: datetime.date) -> tuple[list[tuple[workflow.Status, int, str]], int]:
    """Each status with its count and its cards as HTML, for every proposal made by `day`.

    The board shows every proposal, thousands of them at scale; its cards are built here in
    one pass rather than through a template loop.
    """
    proposal_url = slug_url("site:proposal-detail")
    cards: dict[str, list[str]] = {status: [] for status in workflow.Status}
    rows = selectors.board_as_of(day).values_list(
        "slug", "title", "as_of_status", "as_of_since", "as_of_precision"
    )
    for slug, title, status, since, precision in rows:
        cards[status].append(
            f'<li class="board-card" data-slug="{escape(slug)}">'
            f'<a href="{escape(proposal_url(slug))}">{escape(title)}</a> '
            f'<small class="muted">since {links.time_html(since, precision)}</small></li>'
        )
    columns = [
        # Safe: every value in the cards went through html.escape.
        (status, len(cards[status]), mark_safe("".join(cards[status])))
        for status in workflow.Status
    ]
    return columns, sum(count for _, count, _ in columns)


def board(request: HttpRequest) -> HttpResponse:
    """Every proposal in the column of its status as it stood on the chosen day."""
    day, problem = BoardForm(request.GET if "as_of" in request.GET else None).day()
    columns, total = board_columns(day)
    context = {
        "form": BoardForm(initial={"as_of": day}),
        "day": day,
        "problem": problem,
        "columns": columns,
        "total": total,
    }
    return render(request, "proposals/site/board.html", context)
