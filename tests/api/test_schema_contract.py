"""The OpenAPI schema tells generated clients the truth: anonymous reads, bounds, enums, headers."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(anon) -> dict:
    return anon.get("/api/v1/schema/", {"format": "json"}).json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_read_may_be_anonymous(schema):
    for path, method, operation in operations(schema):
        if method == "get":
            assert {} in operation["security"], path


def test_writes_need_credentials(schema):
    transitions = schema["paths"]["/api/v1/proposals/{slug}/transitions/"]["post"]
    assert {} not in transitions["security"]


def test_the_token_scheme_is_token_not_bearer(schema):
    token = schema["components"]["securitySchemes"]["tokenAuth"]
    assert token == {**token, "type": "apiKey", "in": "header", "name": "Authorization"}
    assert "`Token`" in token["description"]
    assert all(
        s.get("scheme") != "bearer" for s in schema["components"]["securitySchemes"].values()
    )


def test_page_parameters_are_bounded(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/proposals/"]["get"]["parameters"]}
    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["page_size"]["schema"]["minimum"] == 1
    assert "500" in parameters["page_size"]["description"]
    ordering = parameters["ordering"]
    assert ordering["schema"]["type"] == "string"
    assert "comma-separated" in ordering["description"]


def test_to_status_is_the_status_enum(schema):
    to_status = schema["components"]["schemas"]["TransitionRequest"]["properties"]["to_status"]
    assert to_status["allOf"] == [{"$ref": "#/components/schemas/StatusEnum"}]


def test_error_bodies_and_headers_are_documented(schema):
    transitions = schema["paths"]["/api/v1/proposals/{slug}/transitions/"]["post"]["responses"]
    stale = transitions["412"]["content"]["application/json"]["schema"]
    assert "current_version" in stale["required"]
    assert "properties" in transitions["400"]["content"]["application/json"]["schema"]
    assert {"ETag", "Location"} <= set(transitions["201"]["headers"])
    assert "WWW-Authenticate" in transitions["401"]["headers"]
    assert "Retry-After" in transitions["429"]["headers"]
    assert "Retry-After" in transitions["503"]["headers"]
    listing = schema["paths"]["/api/v1/proposals/"]["get"]["responses"]["200"]["headers"]
    assert {"Link", "X-Total-Count"} <= set(listing)


def test_a_stale_if_match_answers_the_current_version(editor_api, world):
    url = "/api/v1/proposals/academy-exchanges/transitions/"
    body = {"to_status": "under_discussion", "note": "n", "effective_date": "2005-04-01"}
    for stale in ('"999"', 'W/"1"'):
        response = editor_api.post(url, body, format="json", HTTP_IF_MATCH=stale)
        assert response.status_code == 412
        assert response.json()["current_version"] == world.proposal.version
