"""GET and POST of /proposals/{slug}/related/ and /positions/, and the stance filters."""

from __future__ import annotations

import datetime

import pytest

from proposals.models import Position, Relation
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier(world):
    proposal = ProposalFactory(
        slug="earlier-call",
        title="An earlier call",
        proposed_on=datetime.date(2005, 1, 1),
        proposed_precision="year",
    )
    return proposal


def test_an_editor_relates_two_proposals_and_both_sides_see_it(editor_api, anon, world, earlier):
    response = editor_api.post(
        f"/api/v1/proposals/{world.proposal.slug}/related/",
        {
            "type": "continues",
            "proposal": earlier.slug,
            "note": "Takes up the earlier call.",
            "citation": world.origin.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["direction"] == "outgoing"
    assert response.json()["citation"]["proposal"] == world.proposal.slug

    seen_from_earlier = anon.get(f"/api/v1/proposals/{earlier.slug}/related/").json()
    assert [
        (item["type"], item["direction"], item["proposal"]["slug"]) for item in seen_from_earlier
    ] == [("continues", "incoming", world.proposal.slug)]


@pytest.mark.parametrize(
    "body",
    [
        {"type": "inspires", "proposal": "earlier-call", "note": "x"},
        {"type": "continues", "proposal": "no-such-proposal", "note": "x"},
        {"type": "continues", "proposal": "academy-exchanges", "note": "itself"},
        {"type": "continues", "proposal": "earlier-call", "note": ""},
        {"type": "continues", "proposal": "earlier-call"},
        {"type": "continues", "proposal": "earlier-call", "note": "x", "extra": 1},
    ],
)
def test_a_bad_relation_is_a_400_and_writes_nothing(editor_api, world, earlier, body):
    response = editor_api.post(
        f"/api/v1/proposals/{world.proposal.slug}/related/", body, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert not Relation.objects.exists()


def test_only_editors_write_relations_and_positions(anon, non_editor_api, world, earlier):
    for client, code in ((anon, 401), (non_editor_api, 403)):
        related = client.post(
            f"/api/v1/proposals/{world.proposal.slug}/related/",
            {"type": "continues", "proposal": earlier.slug, "note": "x"},
            format="json",
        )
        positions = client.post(
            f"/api/v1/proposals/{world.proposal.slug}/positions/",
            {
                "actor": world.proposer.slug,
                "stance": "supports",
                "effective_date": "2005-03-02",
                "note": "x",
                "evidence": [world.origin.pk],
            },
            format="json",
        )
        assert (related.status_code, positions.status_code) == (code, code)


def test_positions_supersede_and_filter_the_list(editor_api, anon, world):
    url = f"/api/v1/proposals/{world.proposal.slug}/positions/"
    body = {
        "actor": world.addressee.slug,
        "stance": "supports",
        "effective_date": "2005-03-02",
        "note": "Welcomed it.",
        "evidence": [world.evidence.pk],
    }
    assert editor_api.post(url, body, format="json").status_code == 201
    assert (
        anon.get("/api/v1/proposals/", {"supported_by": world.addressee.slug}).json()["count"] == 1
    )

    later = {**body, "stance": "opposes", "effective_date": "2005-06-01", "note": "Turned."}
    created = editor_api.post(url, later, format="json")
    assert created.status_code == 201
    assert created.json()["current"] is True

    positions = anon.get(url).json()
    assert [(item["stance"], item["current"]) for item in positions] == [
        ("supports", False),
        ("opposes", True),
    ]
    assert positions[1]["evidence"][0]["id"] == world.evidence.pk
    listed = anon.get("/api/v1/proposals/", {"supported_by": world.addressee.slug}).json()
    assert listed["count"] == 0
    opposed = anon.get("/api/v1/proposals/", {"opposed_by": world.addressee.slug}).json()
    assert [row["slug"] for row in opposed["results"]] == [world.proposal.slug]


@pytest.mark.parametrize(
    "change",
    [
        {"evidence": []},
        {"stance": "likes"},
        {"effective_date": "2004-01-01"},
        {"effective_qualifier": "perhaps"},
        {"actor": "nobody"},
        {"note": ""},
    ],
)
def test_a_bad_position_is_a_400_and_writes_nothing(editor_api, world, change):
    body = {
        "actor": world.addressee.slug,
        "stance": "supports",
        "effective_date": "2005-03-02",
        "note": "Welcomed it.",
        "evidence": [world.evidence.pk],
        **change,
    }
    response = editor_api.post(
        f"/api/v1/proposals/{world.proposal.slug}/positions/", body, format="json"
    )
    assert response.status_code == 400
    assert not Position.objects.exists()


def test_a_qualified_transition_reads_back_in_the_history(editor_api, anon, world):
    etag = anon.get(f"/api/v1/proposals/{world.proposal.slug}/")["ETag"]
    response = editor_api.post(
        f"/api/v1/proposals/{world.proposal.slug}/transitions/",
        {
            "to_status": "agreed",
            "note": "Agreed by then.",
            "effective_date": "2005-04-01",
            "effective_qualifier": "on_or_before",
            "evidence": [world.evidence.pk],
        },
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 201, response.json()
    history = anon.get(f"/api/v1/proposals/{world.proposal.slug}/history/").json()
    assert history[-1]["effective_qualifier"] == "on_or_before"
    row = anon.get("/api/v1/proposals/").json()["results"][0]
    assert row["proposed_qualifier"] == "exact"


def test_the_corpus_records_who_stands_where(anon, corpus):
    positions = anon.get("/api/v1/proposals/ldp-dpp-party-security-dialogue/positions/").json()
    stances = {item["actor"]["slug"]: item["stance"] for item in positions if item["current"]}
    assert stances["china-government"] == "opposes"
    assert stances["dpp"] == "supports"
    assert all(item["evidence"] for item in positions)
    related = anon.get("/api/v1/proposals/ldp-dpp-party-security-dialogue/related/").json()
    assert ("continues", "outgoing", "japan-taiwan-official-security-dialogue") in {
        (item["type"], item["direction"], item["proposal"]["slug"]) for item in related
    }
