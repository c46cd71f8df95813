"""What the open-data snapshot reads beside the export tables: the state naming a build, and
the source texts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Max, Sum

from proposals.models import Actor, Citation, Proposal, Source, StatusChange


def data_state() -> list[Any]:
    """Values that change with every write the tracker makes (five queries).

    Proposals carry a version that every write to them (or to their citations, actors and
    sources) moves on; changes and citations are counted and their newest id taken. Actors and
    sources are few: their fields (a source's but its text) are read whole, so an edit of one
    that no proposal names changes the state too.
    """
    parts: list[Any] = [
        Proposal.objects.aggregate(n=Count("id"), v=Sum("version"), u=Max("updated_at"))
    ]
    for model in (StatusChange, Citation):
        parts.append(model.objects.aggregate(n=Count("id"), m=Max("id")))
    parts.append(list(Actor.objects.order_by("pk").values_list()))
    fields = [field.attname for field in Source._meta.concrete_fields if field.name != "text"]
    parts.append(list(Source.objects.order_by("pk").values_list(*fields)))
    return parts


def source_texts() -> Iterator[tuple[str, str]]:
    """Every source's (slug, text), by slug, a few texts per round trip."""
    return Source.objects.order_by("slug").values_list("slug", "text").iterator(chunk_size=50)
