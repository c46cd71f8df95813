"""/api/v1/webhooks/: subscriptions of their owner only, the secret once, refused targets."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.webhooks.conftest import token_client
from webhooks.models import Webhook

pytestmark = pytest.mark.django_db

HOOK = "http://127.0.0.1:9/hooks"


@pytest.fixture
def other_api(django_user_model) -> APIClient:
    return token_client(django_user_model.objects.create_user("other", password="x" * 12))


def test_create_returns_the_secret_once(editor_api):
    created = editor_api.post(
        "/api/v1/webhooks/",
        {"url": HOOK, "events": ["status_change.created", "citation.created"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == ["status_change.created", "citation.created"]
    assert body["active"] is True
    assert body["filter"] == {}

    read = editor_api.get(f"/api/v1/webhooks/{body['id']}/").json()
    listed = editor_api.get("/api/v1/webhooks/").json()["results"]
    assert "secret" not in read
    assert [item["id"] for item in listed] == [body["id"]]
    assert "secret" not in listed[0]


def test_every_event_type_when_none_is_named(editor_api):
    body = editor_api.post("/api/v1/webhooks/", {"url": HOOK}, format="json").json()
    assert body["events"] == [
        "status_change.created",
        "citation.created",
        "proposal.created",
        "source.created",
        "source.revised",
    ]


def test_each_user_sees_and_manages_only_their_own(editor_api, other_api):
    mine = editor_api.post("/api/v1/webhooks/", {"url": HOOK}, format="json").json()["id"]

    assert other_api.get("/api/v1/webhooks/").json()["results"] == []
    for method in ("get", "patch", "delete"):
        response = getattr(other_api, method)(f"/api/v1/webhooks/{mine}/", {}, format="json")
        assert response.status_code == 404, method
    assert other_api.get(f"/api/v1/webhooks/{mine}/deliveries/").status_code == 404
    assert other_api.post(f"/api/v1/webhooks/{mine}/test/").status_code == 404
    assert Webhook.objects.filter(pk=mine).exists()


def test_anonymous_clients_are_refused(client):
    assert client.get("/api/v1/webhooks/").status_code == 401
    response = client.post("/api/v1/webhooks/", {"url": HOOK}, content_type="application/json")
    assert response.status_code == 401


def test_patch_changes_url_events_filter_and_active(editor_api, proposal):
    hook = editor_api.post("/api/v1/webhooks/", {"url": HOOK}, format="json").json()
    response = editor_api.patch(
        f"/api/v1/webhooks/{hook['id']}/",
        {
            "url": "http://127.0.0.1:9/other",
            "events": ["proposal.created"],
            "filter": {"actor": "taiwan", "status": "agreed"},
            "active": False,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["url"] == "http://127.0.0.1:9/other"
    assert body["events"] == ["proposal.created"]
    assert body["filter"] == {"actor": "taiwan", "status": "agreed"}
    assert body["active"] is False
    assert "secret" not in body


def test_delete_removes_the_subscription(editor_api):
    hook = editor_api.post("/api/v1/webhooks/", {"url": HOOK}, format="json").json()
    assert editor_api.delete(f"/api/v1/webhooks/{hook['id']}/").status_code == 204
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://127.0.0.1/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "http://user:pw@127.0.0.1/x"}, "url"),
        ({"url": HOOK, "events": ["proposal.deleted"]}, "events"),
        ({"url": HOOK, "events": []}, "events"),
        ({"url": HOOK, "filter": {"proposal": "no-such-proposal"}}, "filter"),
        ({"url": HOOK, "filter": {"status": "finished"}}, "filter"),
        ({"url": HOOK, "filter": {"colour": "red"}}, "filter"),
        ({"url": HOOK, "secret": "whsec_mine"}, "secret"),
    ],
)
def test_invalid_subscriptions_are_400_naming_the_field(editor_api, body, field):
    response = editor_api.post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hooks",
        "http://localhost:8000/hooks",
        "http://10.1.2.3/hooks",
        "http://192.168.0.10/hooks",
        "http://172.16.5.4/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hooks",
        "http://[::ffff:127.0.0.1]/hooks",
        "http://[fd00:ec2::254]/hooks",
        "http://100.64.0.1/hooks",
        "http://0.0.0.0/hooks",
    ],
)
def test_private_targets_are_refused_by_default(editor_api, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    response = editor_api.post("/api/v1/webhooks/", {"url": url}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "target_not_allowed"
    assert not Webhook.objects.exists()


def test_deliveries_list_is_paginated_and_empty_at_first(editor_api):
    hook = editor_api.post("/api/v1/webhooks/", {"url": HOOK}, format="json").json()
    body = editor_api.get(hook["deliveries_url"]).json()
    assert body["count"] == 0
    assert body["results"] == []


def test_the_test_action_refuses_an_inactive_subscription(editor_api):
    hook = editor_api.post(
        "/api/v1/webhooks/", {"url": HOOK, "active": False}, format="json"
    ).json()
    response = editor_api.post(hook["test_url"])
    assert response.status_code == 400
    assert response.json()["code"] == "subscription_inactive"
