"""What rows refer to (a proposal's actors, a change's evidence), read once for many rows.

For a page of rows or a whole export: plain dicts from a query per relation, instead of
prefetched model instances and managers, which cost several times as much.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import CharField, QuerySet, Value

from proposals.content_languages import in_every_language, language_codes, localized
from proposals.models import Proposal, StatusChange

# Rows fetched per round trip of a streamed read.
CHUNK_SIZE = 2_000


class EmptyLists(dict):
    """A map whose missing keys read as `default()`: rows without relations."""

    def __init__(self, default: Callable[[], Any]) -> None:
        super().__init__()
        self.default = default

    def __missing__(self, key: Any) -> Any:
        return self.default()


def actor_refs(
    proposals: Iterable[int] | QuerySet[Proposal],
) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """The proposers and addressees (slug, name in the reader's language, `name_i18n`: the name
    in every language) of each of `proposals` (ids, or a queryset however large, which is
    streamed), by name: one query.

    The translations are columns of the actor's row, read in the same query.
    """
    codes = language_codes()
    refs = EmptyLists(lambda: {"proposers": [], "addressees": []})
    streamed = isinstance(proposals, QuerySet)
    if streamed:
        ids: Any = proposals.order_by().values("pk")
    else:
        ids = list(proposals)
        if not ids:
            return refs
    # Both relations in one round trip: a UNION ALL of the two link tables, each row naming
    # its relation.
    proposers, addressees = (_actor_links(role, ids) for role in ("proposers", "addressees"))
    rows = proposers.union(addressees, all=True).order_by("actor_name", "actor_id")
    # A queryset (an export) is streamed; a page's ids are few, and a plain fetch spares
    # PostgreSQL a server-side cursor (2-4 ms of a list request at 100,000 proposals).
    fetched = rows.iterator(chunk_size=CHUNK_SIZE) if streamed else rows
    for role, proposal_id, slug, name, *names, _actor_id in fetched:
        if proposal_id not in refs:
            refs[proposal_id] = {"proposers": [], "addressees": []}
        refs[proposal_id][role].append(
            {
                "slug": slug,
                "name": name,
                "name_i18n": {
                    code: value or None for code, value in zip(codes, names, strict=True)
                },
            }
        )
    return refs


def _actor_links(role: str, ids: Any) -> QuerySet:
    """The links of `role` ("proposers" or "addressees") of the proposals `ids`: the role, the
    proposal, the actor's slug, name in the reader's language and in every language, and id."""
    return (
        getattr(Proposal, role)
        .through.objects.filter(proposal_id__in=ids)
        .annotate(role=Value(role, output_field=CharField()), actor_name=localized("actor__name"))
        .values_list(
            "role",
            "proposal_id",
            "actor__slug",
            "actor_name",
            *in_every_language("actor__name"),
            "actor_id",
        )
    )


def evidence_ids_of(queryset: QuerySet[StatusChange]) -> dict[int, list[dict[str, int]]]:
    """The ids of the evidence of every change of `queryset`: one query, streamed.

    Only ids: they are all a CSV row shows of its evidence, and a full export must not hold
    every quote in memory.
    """
    refs: dict[int, list[dict[str, int]]] = EmptyLists(list)
    rows = (
        StatusChange.evidence.through.objects.filter(
            status_change_id__in=queryset.order_by().values("pk")
        )
        .order_by("status_change_id", "citation_id")
        .values_list("status_change_id", "citation_id")
    )
    for change_id, citation_id in rows.iterator(chunk_size=CHUNK_SIZE):
        if change_id not in refs:
            refs[change_id] = []
        refs[change_id].append({"id": citation_id})
    return refs
