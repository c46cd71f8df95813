"""A JSON value of another type than the schema says is a 400, on every write.

DRF would quietly turn `0` into "0" for a text field, `"1"` into 1 for a number, `1` into true
for a boolean and take `{}` for an empty list; schemathesis found `"summary": 0` and
`"addressees": {}` accepted. The class: every field type of every input serializer.
"""

from __future__ import annotations

import pytest

from proposals.models import Source
from tests.factories import database_state

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "slug": "new-proposal",
    "title": "A new proposal",
    "summary": "What it proposes.",
    "category": "economic",
    "proposed_on": "2005-01-01",
}


def cases(world) -> list[tuple[str, str, dict, str]]:
    """(method, URL, body, the field holding a value of the wrong type)."""
    proposal, source = world.proposal.slug, world.source.slug
    citation = {
        "proposal": proposal,
        "source": source,
        "quote": "a point both sides welcomed",
        "locator": "¶2",
        "role": "context",
    }
    transition = {"to_status": "withdrawn", "note": "Dropped.", "effective_date": "2006-01-01"}
    return [
        ("post", "/api/v1/proposals/", {**PROPOSAL, "summary": 0}, "summary"),
        ("post", "/api/v1/proposals/", {**PROPOSAL, "title": 1.5}, "title"),
        ("post", "/api/v1/proposals/", {**PROPOSAL, "slug": 7}, "slug"),
        ("post", "/api/v1/proposals/", {**PROPOSAL, "category": 0}, "category"),
        ("post", "/api/v1/proposals/", {**PROPOSAL, "proposers": [0]}, "proposers"),
        ("patch", f"/api/v1/proposals/{proposal}/", {"summary": 0}, "summary"),
        ("post", f"/api/v1/proposals/{proposal}/transitions/", {**transition, "note": 0}, "note"),
        (
            "post",
            f"/api/v1/proposals/{proposal}/transitions/",
            {**transition, "to_status": 1},
            "to_status",
        ),
        ("post", "/api/v1/citations/", {**citation, "quote": 0}, "quote"),
        ("post", "/api/v1/citations/", {**citation, "proposal": 0}, "proposal"),
        ("post", "/api/v1/sources/", {"title": 0, "kind": "article", "text": "Words."}, "title"),
        ("patch", f"/api/v1/sources/{source}/", {"publisher": 0}, "publisher"),
        ("post", "/api/v1/webhooks/", {"url": "https://example.org/", "events": [1]}, "events"),
        ("post", "/api/v1/proposals/", {**PROPOSAL, "addressees": {}}, "addressees"),
        ("patch", f"/api/v1/proposals/{proposal}/", {"proposers": "taiwan"}, "proposers"),
        ("post", "/api/v1/proposals/", {**PROPOSAL, "ordinal": "1", "group": "g"}, "ordinal"),
        ("post", "/api/v1/proposals/", {**PROPOSAL, "proposed_on": 20050101}, "proposed_on"),
        (
            "post",
            f"/api/v1/proposals/{proposal}/transitions/",
            {**transition, "evidence": ["1"]},
            "evidence",
        ),
        (
            "post",
            f"/api/v1/proposals/{proposal}/transitions/",
            {**transition, "evidence": {}},
            "evidence",
        ),
        (
            "post",
            f"/api/v1/sources/{source}/revisions/",
            {"text": "Other words.", "note": "Fix.", "dry_run": 1},
            "dry_run",
        ),
        ("post", "/api/v1/webhooks/", {"url": "https://example.org/", "active": "true"}, "active"),
    ]


def test_a_number_where_text_goes_is_refused_naming_the_field(editor_api, world):
    versions = {
        "proposals": world.proposal.version,
        "sources": Source.objects.get(pk=world.source.pk).version,
    }
    for method, url, body, field in cases(world):
        before = database_state()
        etag = f'"{versions.get(url.split("/")[3], 1)}"'
        response = getattr(editor_api, method)(url, body, format="json", HTTP_IF_MATCH=etag)
        assert response.status_code == 400, (url, body, response.content)
        assert field in response.json(), (url, response.json())
        assert database_state() == before, url


def test_a_number_in_a_nested_filter_is_refused(editor_api, world):
    response = editor_api.post(
        "/api/v1/webhooks/",
        {"url": "https://example.org/", "filter": {"status": 0}},
        format="json",
    )
    assert response.status_code == 400
    assert "status" in response.json()["filter"]


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ({"version": "abc"}, "version"),
        ({"version": 0}, "version"),
        ({"effective_date": "1/2/2006"}, "effective_date"),
        ({"effective_precision": "weekly"}, "effective_precision"),
        ({"note": 7}, "note"),
        ({"evidence": "12 abc"}, "evidence"),
    ],
)
def test_a_skipped_bulk_row_still_has_cells_of_the_right_type(editor_api, world, cells, problem):
    row = {"slug": world.proposal.slug, "version": world.proposal.version, **cells}
    before = database_state()
    response = editor_api.post("/api/v1/transitions/bulk/", [row], format="json")
    assert response.status_code == 400, response.content
    [result] = response.json()["rows"]
    assert any(message.startswith(problem) for message in result["errors"]), result
    assert database_state() == before


def test_a_skipped_bulk_row_as_downloaded_is_ok(editor_api, world):
    row = {"slug": world.proposal.slug, "version": world.proposal.version, "to_status": ""}
    response = editor_api.post("/api/v1/transitions/bulk/", [row, {"slug": "x"}], format="json")
    assert response.status_code == 201, response.content
    assert [result["ok"] for result in response.json()["rows"]] == [True, True]


@pytest.mark.parametrize("text", ["\u000f", "\ufffe", "a\u0007b"])
def test_a_forbidden_character_is_a_400_even_with_a_stale_if_match(editor_api, world, text):
    before = database_state()
    for url, field in (
        (f"/api/v1/sources/{world.source.slug}/", "classification"),
        (f"/api/v1/proposals/{world.proposal.slug}/", "summary"),
    ):
        response = editor_api.patch(url, {field: text}, format="json", HTTP_IF_MATCH='"999"')
        assert response.status_code == 400, (url, response.content)
        assert field in response.json()
    assert database_state() == before
