"""The webhooks admin: own subscriptions only, the secret shown once, attempts and redelivery."""

from __future__ import annotations

import pytest
from django.urls import reverse

from proposals import services as proposal_services
from webhooks import services
from webhooks.models import Attempt, Delivery, Webhook

pytestmark = pytest.mark.django_db

HOOK = "http://127.0.0.1:9/hooks"


@pytest.fixture
def other_editor(db):
    user, _ = proposal_services.ensure_editor(username="other-editor", password="x" * 16)
    return user


def test_an_editor_creates_a_webhook_and_sees_its_secret_once(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:webhooks_webhook_add"),
        {
            "url": HOOK,
            "events": ["status_change.created", "proposal.created"],
            "filter_proposal": "",
            "filter_actor": "",
            "filter_status": "agreed",
            "filter_category": "",
            "active": "on",
        },
    )
    assert response.status_code == 200, response.content
    webhook = Webhook.objects.get()
    assert (webhook.owner, webhook.events) == (
        editor,
        ["status_change.created", "proposal.created"],
    )
    assert webhook.filter == {"status": "agreed"}
    assert webhook.secret in response.content.decode()

    page = client.get(reverse("admin:webhooks_webhook_change", args=[webhook.pk]))
    assert page.status_code == 200
    assert webhook.secret not in page.content.decode()


def test_an_editor_changes_their_webhook_and_a_superuser_sees_every_one(
    client, editor, other_editor, django_user_model
):
    mine = services.create_webhook(owner=editor, url=HOOK + "/mine")
    services.create_webhook(owner=other_editor, url=HOOK + "/theirs")
    client.force_login(editor)
    response = client.post(
        reverse("admin:webhooks_webhook_change", args=[mine.pk]),
        {
            "url": HOOK + "/moved",
            "events": ["proposal.created"],
            "filter_proposal": "",
            "filter_actor": "",
            "filter_status": "",
            "filter_category": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mine.refresh_from_db()
    assert (mine.url, mine.events, mine.active) == (HOOK + "/moved", ["proposal.created"], False)
    root = django_user_model.objects.create_superuser("root", password="root-password-123")
    client.force_login(root)
    listing = client.get(reverse("admin:webhooks_webhook_changelist")).content.decode()
    assert "/moved" in listing and "/theirs" in listing


def test_the_admin_form_refuses_private_targets(client, editor, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    client.force_login(editor)
    response = client.post(
        reverse("admin:webhooks_webhook_add"),
        {"url": "http://169.254.169.254/latest/", "events": ["proposal.created"], "active": "on"},
    )
    assert response.status_code == 200
    assert "link-local" in response.content.decode()
    assert not Webhook.objects.exists()


def test_editors_see_only_their_own_webhooks_and_deliveries(client, editor, other_editor):
    theirs = services.create_webhook(owner=other_editor, url=HOOK + "/theirs")
    delivery = services.send_test_event(webhook=theirs)
    client.force_login(editor)

    listing = client.get(reverse("admin:webhooks_webhook_changelist")).content.decode()
    assert "/theirs" not in listing
    assert client.get(reverse("admin:webhooks_webhook_change", args=[theirs.pk])).status_code in (
        302,
        403,
        404,
    )
    deliveries = client.get(reverse("admin:webhooks_delivery_changelist")).content.decode()
    assert f"?webhook__id__exact={theirs.pk}" not in deliveries
    assert (
        client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk])).status_code != 200
    )


def test_the_delivery_page_shows_every_attempt_and_redelivers(client, editor):
    webhook = services.create_webhook(owner=editor, url=HOOK)
    delivery = services.send_test_event(webhook=webhook)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED, attempts=1, last_status_code=500
    )
    Attempt.objects.create(
        delivery=delivery,
        number=1,
        started_at=delivery.created_at,
        duration_ms=12,
        status_code=500,
        response_excerpt="upstream down",
        outcome=Attempt.Outcome.FAILED,
    )
    client.force_login(editor)

    page = client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    assert "upstream down" in page.content.decode()

    client.post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "redeliver", "_selected_action": [delivery.pk]},
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.round_start) == (Delivery.Status.PENDING, 2)
