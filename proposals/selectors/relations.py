"""Relations between proposals (lineages) and actors' positions on them."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from proposals import genealogy
from proposals.models import Actor, Citation, Position, Proposal, Relation, StatusChange
from proposals.workflow import RelationType, Status


def relations() -> QuerySet[Relation]:
    """Relations with both proposals and the citation's source (no text), in their natural
    order: the editors' inlines narrow them to a proposal."""
    return Relation.objects.select_related(
        "from_proposal", "to_proposal", "citation__source"
    ).defer("citation__source__text")


def relations_of(proposal: Proposal) -> QuerySet[Relation]:
    """Relations from or to `proposal`, with both proposals and the citation's source (no text)."""
    return (
        relations()
        .filter(Q(from_proposal=proposal) | Q(to_proposal=proposal))
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


def positions() -> QuerySet[Position]:
    """Positions oldest first, with their actors, who recorded them and their evidence (no
    source texts): the editors' inline narrows them to a proposal."""
    return (
        Position.objects.select_related("actor", "recorded_by")
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


def positions_of(proposal: Proposal) -> QuerySet[Position]:
    """A proposal's positions, oldest first, with their actors and evidence (no source texts)."""
    return positions().filter(proposal=proposal)


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
