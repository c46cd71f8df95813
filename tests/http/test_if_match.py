"""If-Match on every write that takes one: missing 428, malformed 400, stale or weak 412.

A malformed value (not a list of this API's ETags) is the client's mistake and stays wrong
however often it reloads: 400, not the 412 that tells it to reload and retry.
"""

from __future__ import annotations

import pytest

from proposals.models import Proposal, Source
from tests.factories import database_state

pytestmark = pytest.mark.django_db

MALFORMED = ["{}", '"abc"', "seven", '"7", junk', '"7",,"8"', "W/", '"7"; q=1', "\u00e9"]


def writes(world) -> dict[str, tuple[str, str, dict]]:
    """Each write with an If-Match: (method, URL, a body it accepts)."""
    proposal, source = world.proposal.slug, world.source.slug
    return {
        "proposal": ("patch", f"/api/v1/proposals/{proposal}/", {"summary": "Changed."}),
        "transition": (
            "post",
            f"/api/v1/proposals/{proposal}/transitions/",
            {"to_status": "withdrawn", "note": "Dropped.", "effective_date": "2006-01-01"},
        ),
        "source": ("patch", f"/api/v1/sources/{source}/", {"publisher": "Another"}),
        "revision": (
            "post",
            f"/api/v1/sources/{source}/revisions/",
            {"text": world.source.text + " Corrected.", "note": "A correction."},
        ),
        "citation": (
            "post",
            "/api/v1/citations/",
            {
                "proposal": proposal,
                "source": source,
                "quote": "a point both sides welcomed",
                "locator": "¶2",
                "role": "context",
            },
        ),
    }


@pytest.mark.parametrize("write", ["proposal", "transition", "source", "revision", "citation"])
@pytest.mark.parametrize("value", MALFORMED)
def test_a_malformed_if_match_is_a_400_and_writes_nothing(editor_api, world, write, value):
    method, url, body = writes(world)[write]
    before = database_state()
    response = getattr(editor_api, method)(url, body, format="json", HTTP_IF_MATCH=value)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "malformed_if_match"
    assert '"7"' in response.json()["detail"]
    assert database_state() == before


@pytest.mark.parametrize("write", ["proposal", "transition", "source", "revision", "citation"])
def test_a_weak_or_stale_tag_is_a_412(editor_api, world, write):
    method, url, body = writes(world)[write]
    before = database_state()
    for value in ['W/"1"', '"999"', '"999-ja"']:
        response = getattr(editor_api, method)(url, body, format="json", HTTP_IF_MATCH=value)
        assert response.status_code == 412, (value, response.content)
    assert database_state() == before


@pytest.mark.parametrize("write", ["proposal", "transition", "source", "revision", "citation"])
def test_the_current_tag_among_others_is_taken(editor_api, world, write):
    method, url, body = writes(world)[write]
    current = (Source if write in ("source", "revision") else Proposal).objects.get(
        slug=world.source.slug if write in ("source", "revision") else world.proposal.slug
    )
    value = f'"999", "{current.version}-ja"'
    response = getattr(editor_api, method)(url, body, format="json", HTTP_IF_MATCH=value)
    assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize("write", ["proposal", "transition", "source", "revision"])
def test_a_malformed_body_is_a_400_whatever_the_if_match(editor_api, world, write):
    method, url, _body = writes(world)[write]
    for value in [None, 'W/"1"', '"999"']:
        headers = {} if value is None else {"HTTP_IF_MATCH": value}
        response = getattr(editor_api, method)(
            url, b"\x00", content_type="application/json", **headers
        )
        assert response.status_code == 400, (value, response.content)


def test_an_unknown_status_is_a_400_naming_the_allowed_ones_whatever_the_if_match(
    editor_api, world
):
    _method, url, body = writes(world)["transition"]
    for value in ['"999"', 'W/"1"', f'"{world.proposal.version}"']:
        response = editor_api.post(
            url, {**body, "to_status": "AAA"}, format="json", HTTP_IF_MATCH=value
        )
        assert response.status_code == 400, (value, response.content)
        assert "under_discussion" in response.json()["allowed"]
