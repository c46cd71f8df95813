"""Each read costs a fixed number of queries, however many rows it shows."""

from __future__ import annotations

import datetime

import pytest

from proposals.models import Citation, Proposal
from tests.api.conftest import make_proposals, move
from tests.factories import SourceFactory, cite

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(params=[3, 30], ids=["3-proposals", "30-proposals"])
def proposals(request, db) -> list[Proposal]:
    return make_proposals(request.param, source=SourceFactory(slug="cable"))


def get_ok(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return response


# count, rows, proposers, addressees
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page_size": 500},
        {"as_of": "2005-12-31", "status": "proposed", "ordering": "-status_since"},
        {"source": "cable", "actor": "PROPOSER", "q": "proposal", "format": "csv"},
    ],
)
def test_proposal_list(anon, proposals, django_assert_num_queries, params):
    if params.get("actor") == "PROPOSER":
        params = {**params, "actor": proposals[0].proposers.first().slug}
    with django_assert_num_queries(4):
        response = get_ok(anon, f"{API}/proposals/", params)
    if params.get("format") == "csv":
        assert response.content.decode().count("\r\n") == len(proposals) + 1
    else:
        assert response.json()["count"] == len(proposals)


def test_proposal_detail(anon, proposals, django_assert_num_queries):
    # The proposal, its proposers, its addressees, its citations with their sources.
    slug = proposals[0].slug
    with django_assert_num_queries(4):
        get_ok(anon, f"{API}/proposals/{slug}/")


def test_proposal_detail_with_many_citations(anon, db, django_assert_num_queries):
    proposal = make_proposals(1)[0]
    source = SourceFactory()
    for quote in ("intelligence sharing", "urged closer", "free trade agreement"):
        cite(proposal, source, quote=quote)
    with django_assert_num_queries(4):
        data = get_ok(anon, f"{API}/proposals/{proposal.slug}/").json()
    assert len(data["citations"]) == 4


def test_history(anon, proposals, django_assert_num_queries):
    proposal = proposals[0]
    citation = Citation.objects.filter(proposal=proposal).first()
    # Three more changes, each with evidence.
    for day, status in ((2, "stalled"), (3, "in_progress"), (4, "implemented")):
        move(proposal, status, datetime.date(2006, 1, day), [citation])
    # The proposal, its changes with who recorded them, their evidence with its sources.
    with django_assert_num_queries(3):
        data = get_ok(anon, f"{API}/proposals/{proposal.slug}/history/").json()
    assert len(data) == 5


def test_changes(anon, proposals, django_assert_num_queries):
    # Count, changes with their proposals and recorders, evidence with sources.
    with django_assert_num_queries(3):
        data = get_ok(anon, f"{API}/changes/", {"page_size": 500}).json()
    assert data["count"] == 2 * len(proposals)


def test_citations(anon, proposals, django_assert_num_queries):
    with django_assert_num_queries(2):
        data = get_ok(anon, f"{API}/citations/", {"page_size": 500}).json()
    assert data["count"] == len(proposals)
    with django_assert_num_queries(1):
        get_ok(anon, f"{API}/citations/{data['results'][0]['id']}/")


def test_sources(anon, proposals, django_assert_num_queries):
    SourceFactory.create_batch(len(proposals))
    with django_assert_num_queries(2):
        get_ok(anon, f"{API}/sources/")
    # The source, and its revisions (without their texts).
    with django_assert_num_queries(2):
        get_ok(anon, f"{API}/sources/cable/")


def test_actors(anon, proposals, django_assert_num_queries):
    with django_assert_num_queries(2):
        get_ok(anon, f"{API}/actors/")
    actor = proposals[0].proposers.first()
    # The actor, what it proposed, what is addressed to it.
    with django_assert_num_queries(3):
        data = get_ok(anon, f"{API}/actors/{actor.slug}/").json()
    assert len(data["proposals_made"]) == len(proposals)


def test_statuses_need_no_query(anon, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        get_ok(anon, f"{API}/statuses/")
