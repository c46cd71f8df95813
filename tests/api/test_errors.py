"""Bad input of any kind is a JSON 4xx, never a 500 nor an HTML page; throttles answer 429."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from proposals.models import Proposal

pytestmark = pytest.mark.django_db

API = "/api/v1"
DETAIL = f"{API}/proposals/academy-exchanges/"
TRANSITIONS = f"{DETAIL}transitions/"


def post_raw(client: APIClient, url: str, body: bytes, content_type="application/json", **extra):
    return client.generic("POST", url, body, content_type=content_type, **extra)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe\x00garbage",  # not UTF-8
        '{"title": "caf\u00e9"}'.encode("latin-1"),  # Latin-1, not UTF-8
        b"[" * 100_000 + b"]" * 100_000,  # nested far too deep for the parser
        b"NaN",
    ],
)
def test_malformed_bodies_are_400(editor_api, world, body):
    response = post_raw(editor_api, f"{API}/proposals/", body)
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize("body", [b"", b"[]", b'"a string"', b"42", b"null"])
def test_bodies_that_are_not_objects_are_400(editor_api, world, body):
    response = post_raw(editor_api, f"{API}/proposals/", body)
    assert response.status_code == 400
    assert response.json()


def test_a_body_over_the_limit_is_a_json_413(editor_api, world):
    body = json.dumps({"slug": "big", "summary": "x" * 3_000_000}).encode()
    response = post_raw(editor_api, f"{API}/proposals/", body)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "too large" in response.json()["detail"]
    assert not Proposal.objects.filter(slug="big").exists()


def test_a_session_client_over_the_limit_gets_a_json_413_too(editor, world):
    # With a session, the CSRF check reads the body before the view does.
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    client.get(DETAIL, HTTP_ACCEPT="text/html")  # the browsable API sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    body = json.dumps({"summary": "x" * 3_000_000}).encode()
    response = post_raw(client, f"{API}/proposals/", body, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_body_that_is_not_json_is_415(editor_api, world):
    response = post_raw(
        editor_api, f"{API}/proposals/", b"title=x", "application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert "detail" in response.json()


def test_null_characters_are_refused(editor_api, world):
    body = {"to_status": "under_discussion", "note": "a\u0000b", "effective_date": "2005-04-01"}
    etag = editor_api.get(DETAIL)["ETag"]
    response = editor_api.post(TRANSITIONS, body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert "note" in response.json()
    assert editor_api.get(f"{API}/proposals/", {"q": "a\u0000b"}).status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page_size": "-1"},
        {"page_size": "0"},
        {"page_size": "lots"},
        {"status": "finished"},
        {"category": "weather"},
        {"as_of": "2005-02-30"},
    ],
)
def test_bad_list_parameters_are_400(anon, world, params):
    response = anon.get(f"{API}/proposals/", params)
    assert response.status_code == 400
    assert set(params) & set(response.json())


@pytest.mark.parametrize("page", ["99", "0", "99999999999999999999999"])
def test_a_page_out_of_range_is_404(anon, world, page):
    response = anon.get(f"{API}/proposals/", {"page": page})
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing/",
        "/api/v1/proposals/a.b/",
        "/api/v1/proposals/academy-exchanges/whatever/",
        "/api/v1/citations/12x/",
    ],
)
def test_unknown_api_paths_are_json_404(anon, world, path):
    response = anon.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


SLASHLESS = [
    ("post", f"{API}/proposals", f"{API}/proposals/"),
    ("post", f"{API}/proposals/academy-exchanges/transitions", TRANSITIONS),
    ("patch", f"{API}/proposals/academy-exchanges", DETAIL),
    ("put", f"{API}/proposals/academy-exchanges", DETAIL),
    ("delete", f"{API}/proposals/academy-exchanges", DETAIL),
    ("post", f"{API}/citations", f"{API}/citations/"),
    ("get", f"{API}/proposals/academy-exchanges/history", f"{DETAIL}history/"),
]


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "no-debug"])
@pytest.mark.parametrize(("method", "path", "slashed"), SLASHLESS)
def test_a_path_without_its_slash_is_a_json_308_to_the_slashed_one(
    editor_api, world, settings, debug, method, path, slashed
):
    """Not APPEND_SLASH's HTML 301 (a POST turned GET) nor, with DEBUG, its RuntimeError."""
    settings.DEBUG = debug
    before = (Proposal.objects.count(), world.proposal.version)
    body = None if method == "get" else {"title": "x"}
    response = getattr(editor_api, method)(path, body, format="json")
    assert response.status_code == 308
    assert response["Content-Type"] == "application/json"
    assert response["Location"] == f"http://testserver{slashed}"
    data = response.json()
    assert data["url"] == f"http://testserver{slashed}"
    assert data["code"] == "trailing_slash"
    assert method.upper() in data["detail"]
    world.proposal.refresh_from_db()
    assert (Proposal.objects.count(), world.proposal.version) == before


def test_the_slashed_address_keeps_the_query(anon, world):
    response = anon.get(f"{API}/proposals", {"format": "csv", "page": "2"})
    assert response.status_code == 308
    assert response["Location"] == "http://testserver/api/v1/proposals/?format=csv&page=2"


@pytest.mark.parametrize("path", [f"{API}/nothing", f"{API}/proposals/a.b", f"{API}/x%0A"])
def test_a_slashless_path_of_no_endpoint_is_a_json_404(editor_api, world, settings, path):
    settings.DEBUG = True
    response = editor_api.post(path, {}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_an_unknown_format_is_404(anon, world):
    assert anon.get(f"{API}/proposals/", {"format": "xml"}).status_code == 404


def test_anonymous_reads_are_throttled(anon, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "1000/minute"},
    }
    statuses = [anon.get(f"{API}/statuses/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = anon.get(f"{DETAIL}")
    assert response.status_code == 429
    assert "Retry-After" in response
    assert "throttled" in response.json()["detail"].lower()


def test_anonymous_writes_are_throttled(anon, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "1000/minute"},
    }
    codes = [anon.post(f"{API}/proposals/", {}, format="json").status_code for _ in range(3)]
    assert codes == [401, 401, 429]


def test_guessed_tokens_are_throttled(world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "1000/minute"},
    }
    client = APIClient()
    codes = []
    for guess in ("aaaa", "bbbb", "cccc"):
        client.credentials(HTTP_AUTHORIZATION=f"Token {guess}")
        codes.append(client.post(f"{API}/proposals/", {}, format="json").status_code)
    assert codes == [401, 401, 429]


def test_editors_have_their_own_budget(editor_api, anon, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "5/minute"},
    }
    assert anon.get(f"{API}/statuses/").status_code == 200
    assert anon.get(f"{API}/statuses/").status_code == 429
    assert [editor_api.get(f"{API}/statuses/").status_code for _ in range(3)] == [200] * 3


@pytest.mark.parametrize("ordering", [",,,,", ",title", "-title,,", ","])
def test_empty_ordering_items_are_ignored(ordering):
    response = APIClient().get("/api/v1/proposals/", {"ordering": ordering})
    assert response.status_code == 200
