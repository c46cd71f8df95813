"""factory_boy factories; proposals, citations and changes are made through the services."""

from __future__ import annotations

import datetime

import factory

from proposals import services
from proposals.models import Actor, Category, Citation, Proposal, Source

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
