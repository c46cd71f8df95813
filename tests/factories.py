"""factory_boy factories; proposals, citations and changes are made through the services."""

from __future__ import annotations

import datetime

import factory
from django.urls import reverse

from proposals import services
from proposals.models import (
    Actor,
    Category,
    Citation,
    Position,
    Proposal,
    Relation,
    Source,
    SourceRevision,
    StatusChange,
)

SAMPLE_TEXT = (
    "1. (C) Summary: The two governments agreed to hold a dialogue on maritime security.\n\n"
    "2. (C) Officials proposed exchanges between military academies, and urged closer\n"
    "intelligence sharing. The “coast guard” of each side should cooperate in disaster relief —\n"
    "a point both sides welcomed.\n\n"
    "3. (C) The other side declined to discuss a free trade agreement.\n"
)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source document {n}")
    kind = Source.Kind.DIPLOMATIC_CABLE
    publisher = "Embassy"
    reference = factory.Sequence(lambda n: f"05TEST{n}")
    published_on = datetime.date(2005, 11, 10)
    text = SAMPLE_TEXT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Create the source with its text as revision 1, as the services do."""
        kwargs.pop("sha256", None)
        return services.source_from_text(**kwargs)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    slug = factory.Sequence(lambda n: f"actor-{n}")
    name = factory.Sequence(lambda n: f"Actor {n}")
    kind = Actor.Kind.GOVERNMENT
    country = "Taiwan"


class ProposalFactory(factory.Factory):
    """Builds proposals through services.create_proposal, as every writer must."""

    class Meta:
        model = Proposal

    slug = factory.Sequence(lambda n: f"proposal-{n}")
    title = factory.Sequence(lambda n: f"Proposal number {n}")
    summary = "A proposal made for a test."
    category = Category.SECURITY_DIALOGUE
    proposed_on = datetime.date(2005, 3, 2)
    proposed_precision = "day"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_proposal(**kwargs)


def cite(
    proposal: Proposal, source: Source | None = None, quote: str | None = None, **kwargs
) -> Citation:
    """Cite a passage of the sample text for `proposal` through the service.

    The service leaves `proposal` as it was given; the test's instance is brought to the version
    the service wrote, as the test reading it next expects.
    """
    source = source or SourceFactory()
    citation = services.add_citation(
        proposal=proposal,
        source=source,
        quote=quote or "Officials proposed exchanges between military academies",
        locator=kwargs.pop("locator", "¶2"),
        role=kwargs.pop("role", Citation.Role.ORIGIN),
        **kwargs,
    )
    proposal.version = citation.proposal.version
    return citation


# --- What a refused write must leave as it was ---------------------------------------------


def database_state() -> dict[str, list]:
    """Everything a write through the product could change, to compare before and after.

    A refused write leaves it equal; an accepted one changes it (at least a version or a count).
    """
    from webhooks.models import Webhook

    return {
        "proposals": list(
            Proposal.objects.order_by("pk").values_list(
                "pk", "slug", "title_en", "summary_en", "status", "status_since", "version"
            )
        ),
        "citations": list(
            Citation.objects.order_by("pk").values_list(
                "pk", "quote", "locator", "role", "start", "end", "revision_id", "anchor_status"
            )
        ),
        "changes": list(StatusChange.objects.order_by("pk").values_list("pk", "to_status", "note")),
        "sources": list(
            Source.objects.order_by("pk").values_list(
                "pk", "slug", "title", "publisher", "sha256", "revision", "version"
            )
        ),
        "revisions": list(
            SourceRevision.objects.order_by("pk").values_list("pk", "source_id", "number", "sha256")
        ),
        "actors": list(Actor.objects.order_by("pk").values_list("pk", "slug", "name_en")),
        "positions": list(Position.objects.order_by("pk").values_list("pk", "stance")),
        "relations": list(Relation.objects.order_by("pk").values_list("pk", "type", "note")),
        "webhooks": list(Webhook.objects.order_by("pk").values_list("pk", "url", "active")),
    }


# --- Admin form bodies ----------------------------------------------------------------------


def change_status_url(proposal: Proposal) -> str:
    return reverse("admin:proposals_proposal_change_status", args=[proposal.pk])


def post_change(client, proposal: Proposal, **overrides):  # type: ignore[no-untyped-def]
    """Post the admin's change-status form: to "agreed" with the proposal's one citation."""
    data = {
        "to_status": "agreed",
        "effective_date": "2005-11-12",
        "effective_precision": "day",
        "note": "Both sides agreed, as the cable reports.",
        "evidence": [proposal.citations.get().pk],
        "version": proposal.version,
    }
    data.update(overrides)
    return client.post(change_status_url(proposal), data)


def source_form_data(source: Source, **overrides) -> dict:
    """The admin's source details form as it comes filled in, read at the source's version."""
    data = {
        name: "" if value is None else value
        for name, value in ((name, getattr(source, name)) for name in services.SOURCE_DETAIL_FIELDS)
    }
    data |= {
        "published_on": source.published_on.isoformat() if source.published_on else "",
        "retrieved_on": source.retrieved_on.isoformat() if source.retrieved_on else "",
        "expected_version": source.version,
        # The management forms of the read-only inlines (revisions, edits), as the page sends them.
        "edits-TOTAL_FORMS": "0",
        "edits-INITIAL_FORMS": "0",
    }
    revisions = list(source.revisions.order_by("number").values_list("pk", flat=True))
    data |= {"revisions-TOTAL_FORMS": len(revisions), "revisions-INITIAL_FORMS": len(revisions)}
    for index, pk in enumerate(revisions):
        data |= {f"revisions-{index}-id": pk, f"revisions-{index}-source": source.pk}
    data.update(overrides)
    return data


def proposal_form_data(proposal: Proposal, **overrides) -> dict:
    """The admin's proposal form as it comes filled in, with the proposal's one citation."""
    citation = proposal.citations.get()
    data = {
        "title_en": proposal.title_en,
        "summary_en": proposal.summary_en,
        "category": proposal.category,
        "group": proposal.group,
        "ordinal": proposal.ordinal or "",
        "expected_version": proposal.version,
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-0-id": citation.pk,
        "citations-0-proposal": proposal.pk,
        "citations-0-source": citation.source_id,
        "citations-0-role": citation.role,
        "citations-0-locator": citation.locator,
        "citations-0-quote": citation.quote,
        "history-TOTAL_FORMS": "1",
        "history-INITIAL_FORMS": "1",
        "relations_out-TOTAL_FORMS": "0",
        "relations_out-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data
