"""Views of the public, read-only site."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from proposals import selectors, workflow


def home(request: HttpRequest) -> HttpResponse:
    """List every proposal under its current status."""
    proposals = list(selectors.proposal_list(with_actors=False).only("slug", "title", "status"))
    columns = [(status, [p for p in proposals if p.status == status]) for status in workflow.Status]
    return render(
        request, "proposals/site/home.html", {"columns": columns, "total": len(proposals)}
    )


def proposal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_object_or_404(selectors.proposal_detail(), slug=slug)
    history = selectors.history_of(proposal)
    return render(
        request, "proposals/site/proposal_detail.html", {"proposal": proposal, "history": history}
    )


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(selectors.source_with_citations(), slug=slug)
    return render(request, "proposals/site/source_detail.html", {"source": source})


def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(selectors.actor_with_proposals(), slug=slug)
    return render(request, "proposals/site/actor_detail.html", {"actor": actor})
