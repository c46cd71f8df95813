"""Actors: lists, pages and the choices of a filter."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from proposals.models import Actor, Proposal


def actor_list() -> QuerySet[Actor]:
    """Actors in name order."""
    return Actor.objects.all()


def actor_choices() -> QuerySet[Actor]:
    """Each actor's (slug, name), by name: the choices of a filter."""
    return Actor.objects.order_by("name").values_list("slug", "name")


def actor_heading() -> QuerySet[Actor]:
    """Actors with what names them (slug, name): a feed's heading."""
    return Actor.objects.only("id", "slug", "name")


def actor_with_proposals() -> QuerySet[Actor]:
    """Actors with what they proposed and what is addressed to them."""
    slim = Proposal.objects.only("id", "slug", "title", "status", "status_since", "proposed_on")
    return Actor.objects.prefetch_related(
        Prefetch("proposals_made", queryset=slim), Prefetch("proposals_addressed", queryset=slim)
    )


def actors_with_counts() -> QuerySet[Actor]:
    """Actors with how many proposals each made (`made`) and is addressed by (`addressed`)."""
    return Actor.objects.annotate(
        made=Count("proposals_made", distinct=True),
        addressed=Count("proposals_addressed", distinct=True),
    ).order_by("name")
