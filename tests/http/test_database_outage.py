"""A database outage is a 503 with Retry-After (JSON on the API); a committed change stays a 201."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from rest_framework.test import APIClient

from proposals.models import StatusChange

pytestmark = pytest.mark.django_db

DETAIL = "/api/v1/proposals/academy-exchanges/"


@pytest.fixture
def database_down(monkeypatch):
    """Every new cursor fails as when the server is gone."""

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused: the server is not running")

    def down() -> None:
        monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)

    return down


@pytest.mark.parametrize(
    "url", [DETAIL, "/api/v1/proposals/", "/api/v1/changes/", "/api/v1/sources/"]
)
def test_api_clients_get_json_503(world, database_down, url):
    client = APIClient(raise_request_exception=False)
    database_down()
    response = client.get(url)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "service_unavailable"
    assert int(response["Retry-After"]) > 0


def test_api_writes_with_a_token_get_json_503(world, editor_token, database_down):
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {editor_token}")
    database_down()
    response = client.post("/api/v1/proposals/", {"slug": "x"}, format="json")
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


@pytest.mark.parametrize("url", ["/", "/proposals/", "/proposals/academy-exchanges/", "/admin/"])
def test_the_site_gets_a_plain_503_page(world, editor, database_down, url):
    client = Client(raise_request_exception=False)
    client.force_login(editor)  # the admin reads the session from the database
    database_down()
    response = client.get(url)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"Unavailable for a moment" in response.content
    assert "Retry-After" in response


def test_other_errors_stay_500s_in_json_on_the_api(world, monkeypatch):
    from proposals.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.StatusViewSet, "list", broken)
    response = APIClient(raise_request_exception=False).get("/api/v1/statuses/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


def test_a_committed_change_is_a_201_even_if_every_read_after_it_fails(
    editor_api, world, monkeypatch
):
    """The answer is built from what was written: no read runs after the commit."""
    from proposals import services

    record = services.record_transition
    reads_after_commit: list[str] = []

    def record_then_break_reads(**kwargs):
        change = record(**kwargs)

        def refuse(self, *args, **kwargs):
            reads_after_commit.append("cursor")
            raise OperationalError("the server closed the connection")

        monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
        return change

    monkeypatch.setattr(services, "record_transition", record_then_break_reads)
    etag = editor_api.get(DETAIL)["ETag"]
    body = {
        "to_status": "agreed",
        "note": "Both sides agreed.",
        "effective_date": "2005-06-01",
        "evidence": [world.evidence.pk],
    }
    response = editor_api.post(f"{DETAIL}transitions/", body, format="json", HTTP_IF_MATCH=etag)
    monkeypatch.undo()
    assert response.status_code == 201, response.content
    assert not reads_after_commit
    data = response.json()
    assert data["to_status"] == "agreed"
    assert [item["id"] for item in data["evidence"]] == [world.evidence.pk]
    assert data["evidence"][0]["quote"] == world.evidence.quote
    assert response["ETag"] == f'"{world.proposal.version + 1}"'
    assert StatusChange.objects.filter(proposal=world.proposal, to_status="agreed").exists()
