"""An empty query parameter is the parameter left out, on every read of the API, as documented.

HTML forms send empty fields (`?since=&q=`); the schema says so with `allowEmptyValue` on every
optional query parameter, so that a client (or schemathesis) may rely on it. This holds each
GET operation of the schema to it, parameter by parameter.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

# What a path parameter names in the small world of tests/api/conftest.py.
EXISTING_SLUGS = {"proposals": "academy-exchanges", "sources": "cable-one", "actors": "taiwan"}


@pytest.fixture
def webhook_id(editor_api, settings) -> int:
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    response = editor_api.post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/hook", "events": ["status_change.created"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def concrete(path: str, world, webhook_id: int) -> str:
    """The path with its parameters naming objects that exist."""
    collection = path.split("/")[3]
    ids = {"citations": world.origin.pk, "webhooks": webhook_id}
    path = path.replace("{slug}", EXISTING_SLUGS.get(collection, "none"))
    return path.replace("{id}", str(ids.get(collection, 0)))


def reads(schema: dict) -> list[tuple[str, list[str]]]:
    """Each GET path with its optional query parameters."""
    found = []
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or re.search(r"\{(?!slug|id\})", path):
            continue
        names = [
            parameter["name"]
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "query" and not parameter.get("required")
        ]
        if names:
            found.append((path, names))
    return found


def test_every_optional_query_parameter_is_documented_as_possibly_empty(anon):
    schema = anon.get("/api/v1/schema/", {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required"):
                    assert parameter.get("allowEmptyValue") is True, (method, path, parameter)


def test_an_empty_parameter_reads_as_one_left_out(world, editor_api, webhook_id):
    schema = editor_api.get("/api/v1/schema/", {"format": "json"}).json()
    checked = 0
    for path, names in reads(schema):
        url = concrete(path, world, webhook_id)
        plain = editor_api.get(url)  # 404 for a source without an uploaded original
        for name in names:
            empty = editor_api.get(f"{url}?{name}=")
            assert (empty.status_code, empty.content) == (plain.status_code, plain.content), (
                f"{url}?{name}="
            )
            checked += 1
    # Dates (since, as_of), choices (status, format, lang), numbers (page) and text (q) alike.
    assert checked > 40


@pytest.mark.parametrize("name", ["since", "recorded_since"])
def test_an_empty_date_of_the_changes_is_no_filter_and_a_bad_one_is_refused(anon, world, name):
    everything = anon.get("/api/v1/changes/").json()
    assert anon.get(f"/api/v1/changes/?{name}=").json() == everything
    refused = anon.get(f"/api/v1/changes/?{name}=yesterday")
    assert refused.status_code == 400
    assert name in refused.json()


@pytest.mark.parametrize("value", ["fr", "AAA", "x-klingon"])
def test_a_language_the_tracker_does_not_ship_reads_english(anon, world, value):
    response = anon.get("/api/v1/statuses/", {"lang": value})
    assert response.status_code == 200
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("path", ["/api/v1/actors/", "/api/v1/sources/", "/api/v1/proposals/"])
@pytest.mark.parametrize("format", ["json", "csv"])
def test_a_download_other_than_0_or_1_is_refused_in_every_format(anon, world, path, format):
    response = anon.get(path, {"format": format, "download": "-773"})
    assert response.status_code == 400
    assert "download" in response.json()


@pytest.mark.parametrize("value", ["true", "yes", " 1", "2", "-773"])
def test_flags_take_the_documented_0_or_1_only(anon, editor_api, world, value):
    assert anon.get("/api/v1/actors/", {"download": value}).status_code == 400
    response = editor_api.post(f"/api/v1/transitions/bulk/?dry_run={value}", [], format="json")
    assert response.status_code == 400
    assert "dry_run" in response.json()


@pytest.mark.parametrize("format", ["json", "csv", "jsonld"])
def test_a_bad_download_is_refused_whichever_renderer_answers(anon, world, format):
    response = anon.get("/api/v1/citations/", {"format": format, "download": "g"})
    assert response.status_code == 400
    assert "download" in response.json()


def test_an_address_that_may_be_cleared_is_one_schema_taking_empty(anon):
    schema = anon.get("/api/v1/schema/", {"format": "json"}).json()
    fields = schema["components"]["schemas"]["PatchedSourceUpdateRequest"]["properties"]
    for name in ("document_url", "archived_url"):
        assert "oneOf" not in fields[name]
        assert re.fullmatch(fields[name]["pattern"], "")
        assert re.fullmatch(fields[name]["pattern"], "https://example.org/a")
        assert not re.fullmatch(fields[name]["pattern"], "ftp://example.org/")
