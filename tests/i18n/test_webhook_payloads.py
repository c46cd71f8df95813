"""A webhook's body is the same for every subscriber: built in the default language, whatever
language the editor who made the change reads, with every translation in its `_i18n` objects."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from proposals import services
from proposals.models import Proposal
from tests.factories import ProposalFactory
from webhooks import services as webhook_services
from webhooks.models import Event

pytestmark = pytest.mark.django_db


def test_an_event_made_in_a_japanese_request_is_sent_in_english(editor, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    # The database task backend: the delivery stays queued, nothing is sent.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    webhook_services.create_webhook(owner=editor, url="http://127.0.0.1:9/hook")
    proposal = ProposalFactory(slug="made-in-japanese", title="Made in a Japanese admin")
    Proposal.objects.filter(pk=proposal.pk).update(title_ja="日本語の題名")
    with translation.override("ja"):
        proposal.refresh_from_db()
        services.record_transition(
            proposal=proposal,
            to_status="under_discussion",
            note="Discussed.",
            effective_date=proposal.proposed_on,
            expected_version=proposal.version,
        )
    body = json.loads(Event.objects.get(type="status_change.created").body)
    data = body["data"]
    assert data["proposal_title"] == "Made in a Japanese admin"
    assert data["proposal_title_i18n"]["ja"] == "日本語の題名"
    assert data["effective_date_display"] == "2 March 2005"
