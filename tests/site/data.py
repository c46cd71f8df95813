"""Test data for the site, built through the services as every writer must."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from proposals import services
from proposals.models import Actor, Category, Citation, Proposal, Source
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite

MEASURES_GROUP = "2019-japan-us-taiwan-statement"

DEMO_TEXT = (
    "1. (C) Summary: The three governments agreed to hold a trilateral security dialogue.\n\n"
    "2. (C) Officials proposed exchanges between military academies, and urged closer\n"
    "intelligence sharing between the coast guards of each side.\n\n"
    "3. (C) The parties announced that the dialogue had begun, and that a first joint\n"
    "disaster relief exercise would follow.\n\n"
    "4. (C) The other side declined to discuss a free trade agreement.\n\n"
    "5. (C) Participants called for observer status at the World Health Assembly and for\n"
    "regular consultations among legislators of the three parliaments.\n"
)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@dataclass
class SiteData:
    """What build_site_data made, by name."""

    sources: dict[str, Source] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    citations: dict[str, Citation] = field(default_factory=dict)


def move(proposal: Proposal, to_status: str, on: str, note: str, evidence=(), precision="day"):
    """Record a transition at a known date through the service; `proposal` then reads as stored."""
    change = services.record_transition(
        proposal=proposal,
        to_status=to_status,
        note=note,
        effective_date=day(on),
        effective_precision=precision,
        evidence=list(evidence),
        expected_version=proposal.version,
    )
    proposal.refresh_from_db()
    return change


def build_site_data() -> SiteData:
    """A small tracker with a known history.

    - dialogue: proposed 2005-11-10, under discussion 2010-01-15, agreed 2015-06-01 (evidence).
    - academies: proposed November 2005 (month precision), never moved.
    - trade: proposed 2012 (year precision), rejected 2013-02-01 (evidence).
    - measures 1-6 of the 2019 statement, proposed 2019-05-01, some moved.
    """
    data = SiteData()
    cable = SourceFactory(
        slug="taipei-cable",
        title="Taiwan continues efforts to promote cooperation",
        reference="05TAIPEI4550",
        classification="Confidential",
        text=DEMO_TEXT,
    )
    article = SourceFactory(
        slug="policy-article",
        title="Closer Japan-Taiwan ties",
        kind=Source.Kind.ARTICLE,
        publisher="A policy journal",
        author="A. Writer",
        reference="",
        published_on=day("2019-01-01"),
        published_precision="year",
        text=DEMO_TEXT,
    )
    data.sources = {"cable": cable, "article": article}
    taiwan = ActorFactory(slug="taiwan", name="Government of Taiwan", country="Taiwan")
    japan = ActorFactory(slug="japan", name="Government of Japan", country="Japan")
    usa = ActorFactory(slug="usa", name="Government of the United States", country="USA")
    data.actors = {"taiwan": taiwan, "japan": japan, "usa": usa}

    dialogue = ProposalFactory(
        slug="trilateral-dialogue",
        title="Hold a trilateral security dialogue",
        summary="Taiwan, Japan and the US meet regularly on security.",
        category=Category.SECURITY_DIALOGUE,
        proposed_on=day("2005-11-10"),
        proposers=[taiwan],
        addressees=[japan, usa],
    )
    origin = cite(dialogue, cable, "agreed to hold a trilateral security dialogue", locator="¶1")
    evidence = cite(
        dialogue,
        cable,
        "The parties announced that the dialogue had begun",
        locator="¶3",
        role=Citation.Role.EVIDENCE,
    )
    move(dialogue, "under_discussion", "2010-01-15", "Talks started.")
    move(dialogue, "agreed", "2015-06-01", "Announced by all three.", [evidence])

    academies = ProposalFactory(
        slug="academy-exchanges",
        title="Exchanges between military academies",
        summary="Cadets and teachers visit each other's academies.",
        category=Category.MILITARY_EXCHANGE,
        proposed_on=day("2005-11-01"),
        proposed_precision="month",
        proposers=[taiwan],
        addressees=[japan],
    )
    # Overlaps the dialogue's ¶2-¶3 region and nests another citation inside it.
    academies_origin = cite(
        academies,
        cable,
        "Officials proposed exchanges between military academies",
        locator="¶2",
    )
    nested = cite(
        academies,
        cable,
        "exchanges between military academies",
        locator="¶2",
        role=Citation.Role.CONTEXT,
    )

    trade = ProposalFactory(
        slug="free-trade-agreement",
        title="Negotiate a free trade agreement",
        summary="A trade agreement between Taiwan and Japan.",
        category=Category.ECONOMIC,
        proposed_on=day("2012-01-01"),
        proposed_precision="year",
        proposers=[taiwan],
        addressees=[japan],
    )
    refusal = cite(
        trade,
        article,
        "The other side declined to discuss a free trade agreement.",
        locator="¶4",
        role=Citation.Role.EVIDENCE,
    )
    move(trade, "rejected", "2013-02-01", "Refused by the other side.", [refusal])

    titles = [
        "Trilateral coast guard cooperation",
        "Joint disaster relief exercises",
        "Observer status at the World Health Assembly",
        "Regular consultations among legislators",
        "Intelligence sharing among the three",
        "A trilateral technology forum",
    ]
    categories = [
        Category.MARITIME_SECURITY,
        Category.DISASTER_RELIEF,
        Category.INTERNATIONAL_PARTICIPATION,
        Category.PARLIAMENTARY,
        Category.INTELLIGENCE,
        Category.TECHNOLOGY,
    ]
    measures = []
    for ordinal, (title, category) in enumerate(zip(titles, categories, strict=True), start=1):
        measures.append(
            ProposalFactory(
                slug=f"measure-{ordinal}",
                title=title,
                summary=f"Measure {ordinal} of the 2019 statement.",
                category=category,
                group=MEASURES_GROUP,
                ordinal=ordinal,
                proposed_on=day("2019-05-01"),
                proposers=[taiwan, japan, usa],
                addressees=[taiwan, japan, usa],
            )
        )
    relief_evidence = cite(
        measures[1],
        article,
        "a first joint\ndisaster relief exercise would follow",
        locator="¶3",
        role=Citation.Role.EVIDENCE,
    )
    cite(measures[2], article, "observer status at the World Health Assembly", locator="¶5")
    move(measures[0], "under_discussion", "2019-09-01", "Discussed at a forum.")
    move(measures[1], "agreed", "2020-03-01", "Agreed for next year.", [relief_evidence])
    move(measures[3], "under_discussion", "2020-01-01", "Talks began.", precision="month")
    move(measures[3], "stalled", "2021-01-01", "No meeting since.", precision="year")

    data.proposals = {
        "dialogue": dialogue,
        "academies": academies,
        "trade": trade,
        **{f"measure-{p.ordinal}": p for p in measures},
    }
    data.citations = {
        "origin": origin,
        "evidence": evidence,
        "academies_origin": academies_origin,
        "nested": nested,
        "refusal": refusal,
        "relief_evidence": relief_evidence,
    }
    return data


def add_bulk_proposals(count: int, source: Source | None = None) -> list[Proposal]:
    """`count` more proposals, each with actors, two citations and a two-step history."""
    source = source or SourceFactory()
    actor = ActorFactory()
    made = []
    for index in range(count):
        proposal = ProposalFactory(
            title=f"Bulk proposal {index:03d}",
            category=Category.DIPLOMATIC,
            proposers=[actor],
            addressees=[actor],
        )
        cite(proposal, source)
        evidence = cite(
            proposal,
            source,
            "The other side declined to discuss a free trade agreement.",
            role=Citation.Role.EVIDENCE,
        )
        move(proposal, "rejected", "2006-01-01", "Refused.", [evidence])
        made.append(proposal)
    return made
