"""Any malformed value anywhere in a JSON body is a JSON 400, refused before any field sees it."""

from __future__ import annotations

import json

import pytest

from proposals.models import Citation, Proposal, StatusChange

pytestmark = pytest.mark.django_db

API = "/api/v1"
DETAIL = f"{API}/proposals/academy-exchanges/"

# NUL, lone surrogates (high and low), and non-characters of the BMP, of Arabic Presentation
# Forms-A and of the last plane.
BAD_CHARACTERS = ["\x00", "\ud800", "\udfff", "\ufffe", "\uffff", "\ufdd0", "\U0010ffff"]

NEW_PROPOSAL = {
    "slug": "joint-drills",
    "title": "Joint disaster relief drills",
    "summary": "Hold joint drills.",
    "category": "disaster_relief",
    "proposed_on": "2019-04-01",
}
TRANSITION = {
    "to_status": "under_discussion",
    "note": "Talks began.",
    "effective_date": "2005-04-01",
}
CITATION = {
    "proposal": "academy-exchanges",
    "source": "cable-one",
    "quote": "urged closer",
    "locator": "p2",
    "role": "context",
}


def spoil(body: dict, where: str, bad: str) -> dict:
    """Put `bad` into `body` at `where`: a key, a nested value, a slug or a choice value."""
    body = json.loads(json.dumps(body))
    if where == "key":
        body[f"ti{bad}tle"] = "x"
    elif where == "nested-key":
        body["proposers"] = [{f"s{bad}": 1}]
    elif where.startswith("list:"):
        body[where[5:]] = ["cable-one", f"a{bad}b"]
    else:
        body[where] = f"a{bad}b"
    return body


CASES = (
    [
        ("POST", f"{API}/proposals/", NEW_PROPOSAL, where)
        for where in ("key", "nested-key", "title", "category", "slug", "list:proposers", "group")
    ]
    + [
        ("PATCH", DETAIL, {"title": "Renamed"}, where)
        for where in ("key", "title", "list:addressees", "category")
    ]
    + [
        ("POST", f"{DETAIL}transitions/", TRANSITION, where)
        for where in ("key", "to_status", "note", "effective_date", "list:evidence")
    ]
    + [
        ("POST", f"{API}/citations/", CITATION, where)
        for where in ("key", "proposal", "source", "role", "quote", "locator")
    ]
)


def counts() -> tuple[int, int, int]:
    return Proposal.objects.count(), Citation.objects.count(), StatusChange.objects.count()


@pytest.mark.parametrize("bad", BAD_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize(("method", "url", "body", "where"), CASES, ids=lambda v: str(v)[:40])
def test_bad_characters_anywhere_are_a_json_400(editor_api, world, method, url, body, where, bad):
    before = counts()
    raw = json.dumps(spoil(body, where, bad)).encode()  # escapes: \u0000, \ud800, ...
    etag = editor_api.get(DETAIL)["ETag"]
    response = editor_api.generic(
        method, url, raw, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["code"] == "invalid_character"
    assert f"U+{ord(bad):04X}" in data["detail"]
    assert counts() == before


def test_the_error_names_the_field_when_it_can(editor_api, world):
    raw = json.dumps({**TRANSITION, "note": "a\ud83db"}).encode()
    etag = editor_api.get(DETAIL)["ETag"]
    response = editor_api.generic(
        "POST", f"{DETAIL}transitions/", raw, content_type="application/json", HTTP_IF_MATCH=etag
    )
    data = response.json()
    assert data["path"] == "$.note"
    assert "note" in data


def test_a_bad_key_is_escaped_in_the_answer(editor_api, world):
    raw = json.dumps({**NEW_PROPOSAL, "x\ud800": [{"y": ["z\x00"]}]}).encode()
    response = editor_api.generic("POST", f"{API}/proposals/", raw, content_type="application/json")
    assert response.status_code == 400
    assert "\\ud800" in response.json()["path"]


@pytest.mark.parametrize("number", [b"1e400", b"-1e999"])
def test_numbers_beyond_a_float_are_refused(editor_api, world, number):
    raw = b'{"to_status": "agreed", "note": "n", "effective_date": "2005-04-01", "evidence": [%s]}'
    etag = editor_api.get(DETAIL)["ETag"]
    response = editor_api.generic(
        "POST",
        f"{DETAIL}transitions/",
        raw % number,
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_body_of_many_unknown_keys_gets_a_short_answer(editor_api, world):
    body = dict(NEW_PROPOSAL)
    body.update({f"k{i}": 1 for i in range(140_000)})
    raw = json.dumps(body, separators=(",", ":")).encode()  # under the 2.5 MB limit
    response = editor_api.generic("POST", f"{API}/proposals/", raw, content_type="application/json")
    assert response.status_code == 400
    assert len(response.content) < 10_000
    data = response.json()
    assert data["errors_left_off"] == 140_000 - 20
    assert "left out" in data["detail"]


def test_a_long_list_of_bad_items_gets_a_short_answer(editor_api, world):
    body = {**TRANSITION, "evidence": ["x"] * 50_000}
    etag = editor_api.get(DETAIL)["ETag"]
    response = editor_api.generic(
        "POST",
        f"{DETAIL}transitions/",
        json.dumps(body).encode(),
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 400
    assert len(response.content) < 10_000
