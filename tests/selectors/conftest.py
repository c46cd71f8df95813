"""A small tracker with a known shape, for the selectors' tests: every selector's rows are
asserted against it, and its query count measured on it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from proposals import services
from proposals.models import Actor, Citation, Proposal, Source, StatusChange
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite


@dataclass
class Tracker:
    cable: Source
    article: Source
    taiwan: Actor
    japan: Actor
    dialogue: Proposal  # agreed 2010-06-01 on evidence from the cable; supported by Japan
    academies: Proposal  # proposed, in the group "statement" (ordinal 1); continues dialogue
    trade: Proposal  # rejected 2008-02-01, in the group "statement" (ordinal 2)
    origin: Citation  # dialogue's origin in the cable
    evidence: Citation  # dialogue's evidence in the cable
    context: Citation  # academies' context in the article


def move(proposal: Proposal, to_status: str, on: str, evidence=()) -> StatusChange:
    change = services.record_transition(
        proposal=proposal,
        to_status=to_status,
        note=f"Moved to {to_status}.",
        effective_date=datetime.date.fromisoformat(on),
        evidence=list(evidence),
        expected_version=Proposal.objects.get(pk=proposal.pk).version,
    )
    proposal.refresh_from_db()
    return change


@pytest.fixture
def tracker(db) -> Tracker:
    cable = SourceFactory(slug="cable", published_on=datetime.date(2005, 11, 10))
    article = SourceFactory(slug="article", published_on=datetime.date(2019, 3, 1))
    taiwan = ActorFactory(slug="taiwan", name="Taiwan")
    japan = ActorFactory(slug="japan", name="Japan")
    dialogue = ProposalFactory(
        slug="dialogue",
        title="Maritime security dialogue",
        proposed_on=datetime.date(2005, 11, 10),
        proposers=[taiwan],
        addressees=[japan],
    )
    academies = ProposalFactory(
        slug="academies",
        title="Exchanges between military academies",
        proposed_on=datetime.date(2006, 1, 5),
        group="statement",
        ordinal=1,
        proposers=[japan],
    )
    trade = ProposalFactory(
        slug="trade",
        title="Free trade agreement",
        proposed_on=datetime.date(2007, 5, 1),
        group="statement",
        ordinal=2,
    )
    origin = cite(dialogue, cable, "The two governments agreed to hold a dialogue")
    evidence = cite(dialogue, cable, "a point both sides welcomed", role=Citation.Role.EVIDENCE)
    context = cite(academies, article, "military academies", role=Citation.Role.CONTEXT)
    rejection = cite(trade, cable, "declined to discuss a free trade agreement", locator="¶3")
    move(dialogue, "under_discussion", "2008-01-15")
    move(dialogue, "agreed", "2010-06-01", [evidence])
    move(trade, "rejected", "2008-02-01", [rejection])
    services.add_relation(
        from_proposal=academies, to_proposal=dialogue, type="continues", note="Builds on it."
    )
    services.record_position(
        proposal=dialogue,
        actor=japan,
        stance="supports",
        note="Welcomed it.",
        effective_date=datetime.date(2009, 1, 1),
        evidence=[evidence],
    )
    return Tracker(
        cable, article, taiwan, japan, dialogue, academies, trade, origin, evidence, context
    )
