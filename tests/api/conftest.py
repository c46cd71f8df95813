"""Fixtures of the API tests: clients (anonymous, editor, non-editor) and a small corpus."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from proposals import services
from proposals.models import Actor, Citation, Proposal, Source
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite

EVIDENCE_QUOTE = "a point both sides welcomed"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Editors get passwords in their fixtures; a fast hasher keeps setup quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache: start every test with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def editor_api(editor_token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {editor_token}")
    return client


@pytest.fixture
def non_editor_api(staff_user) -> APIClient:
    client = APIClient()
    token = Token.objects.create(user=staff_user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@dataclass
class World:
    source: Source
    proposer: Actor
    addressee: Actor
    proposal: Proposal
    origin: Citation
    evidence: Citation


@pytest.fixture
def world(db) -> World:
    """One proposal with a proposer, an addressee, an origin and an evidence citation."""
    source = SourceFactory(slug="cable-one", title="Cable one")
    proposer = ActorFactory(slug="taiwan", name="Taiwan")
    addressee = ActorFactory(slug="japan", name="Japan")
    proposal = ProposalFactory(
        slug="academy-exchanges",
        title="Exchanges between military academies",
        proposers=[proposer],
        addressees=[addressee],
    )
    origin = cite(proposal, source)
    evidence = cite(proposal, source, quote=EVIDENCE_QUOTE, role="evidence", locator="¶2 end")
    proposal.refresh_from_db()
    return World(source, proposer, addressee, proposal, origin, evidence)


def move(proposal: Proposal, to_status: str, day: datetime.date, evidence=()) -> None:
    """Record a transition through the service, as any writer must."""
    proposal.refresh_from_db()
    services.record_transition(
        proposal=proposal,
        to_status=to_status,
        note=f"Moved to {to_status}.",
        effective_date=day,
        evidence=list(evidence),
        expected_version=proposal.version,
    )
    proposal.refresh_from_db()


def make_proposals(count: int, *, source: Source | None = None) -> list[Proposal]:
    """`count` proposals, each with two proposers, an addressee, a citation and two changes."""
    source = source or SourceFactory()
    actors = ActorFactory.create_batch(3)
    made = []
    for _ in range(count):
        proposal = ProposalFactory(proposers=actors[:2], addressees=actors[2:])
        citation = cite(proposal, source, role="evidence")
        move(proposal, "agreed", datetime.date(2006, 1, 1), [citation])
        made.append(proposal)
    return made
