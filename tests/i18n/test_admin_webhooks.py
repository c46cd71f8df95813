"""The webhooks admin and the citation list in the editor's language (ja), not in English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from webhooks import services

pytestmark = pytest.mark.django_db

HOOK = "http://127.0.0.1:9/hooks"


@pytest.fixture
def ja_client(editor_client, settings):
    # The test receiver is on the loopback, which webhooks refuse unless allowed.
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    return editor_client


def test_the_webhook_list_and_page_in_japanese(ja_client, editor):
    ja_client.force_login(editor)
    webhook = services.create_webhook(owner=editor, url=HOOK)
    listing = ja_client.get(reverse("admin:webhooks_webhook_changelist")).content.decode()
    assert "テストイベントを送信" in listing
    assert "Send a test event" not in listing
    assert ">イベント<" in listing or "イベント</a>" in listing
    page = ja_client.get(reverse("admin:webhooks_webhook_change", args=[webhook.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for english in ("Filter (each field", "Deliveries and every attempt", 'heading">Deliveries<'):
        assert english not in text
    assert "配信とすべての試行" in text
    assert "絞り込み（" in text
    assert 'fieldset-heading">配信<' in text
    # The models' own labels: the sidebar's "Deliveries" and the fields' labels.
    for english in (">Deliveries<", "Why disabled", "Events:"):
        assert english not in text
    assert "無効化の理由" in text
    assert "A citation was added" not in text
    assert "引用が追加された" in text


def test_the_new_secret_page_in_japanese(ja_client):
    response = ja_client.post(
        reverse("admin:webhooks_webhook_add"),
        {
            "url": HOOK,
            "events": ["proposal.created"],
            "filter_proposal": "",
            "filter_actor": "",
            "filter_status": "",
            "filter_category": "",
            "active": "on",
        },
    )
    assert response.status_code == 200, response.content
    text = response.content.decode()
    assert "Copy it now" not in text
    assert "再び表示されることはありません" in text
    assert "Webhook を作成しました" in text


def test_the_citation_list_columns_in_japanese(ja_client, corpus):
    text = ja_client.get(reverse("admin:proposals_citation_changelist")).content.decode()
    assert "column-citation_id" in text
    assert "Revision" not in text
    assert ">版<" in text or "版</a>" in text
    assert " revision " not in text
