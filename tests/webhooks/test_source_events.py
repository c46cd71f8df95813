"""source.created, source.revised and citation.created: published by the services that write
them, inside their transaction, and delivered signed by a worker to a real receiver."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from standardwebhooks import Webhook as StandardWebhook

from proposals import sources
from proposals.models import Source
from tests.factories import ProposalFactory
from tests.webhooks.conftest import EVIDENCE_QUOTE, run_worker
from webhooks import services
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db(transaction=True)

NEW_TEXT = "A new report. Both ministers agreed to meet again in spring, the communique said."


def subscribe_by_api(editor_api, receiver, events: list[str]) -> str:
    created = editor_api.post(
        "/api/v1/webhooks/", {"url": receiver.url, "events": events}, format="json"
    )
    assert created.status_code == 201, created.content
    return created.json()["secret"]


def received_payloads(receiver, secret: str) -> list[dict]:
    return [
        StandardWebhook(secret).verify(request.body, request.headers)
        for request in receiver.requests
    ]


def test_a_source_brought_in_through_the_api_reaches_the_receiver_signed(editor_api, receiver):
    secret = subscribe_by_api(editor_api, receiver, ["source.created"])
    response = editor_api.post(
        "/api/v1/sources/",
        {"title": "A new report", "kind": "news_report", "text": NEW_TEXT},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert receiver.requests == []  # the worker sends, not the request
    run_worker()

    [payload] = received_payloads(receiver, secret)
    assert payload["type"] == "source.created"
    assert payload["data"]["slug"] == response.json()["slug"]
    assert payload["data"]["sha256"] == response.json()["sha256"]
    assert payload["data"]["revision"] == 1
    assert "text" not in payload["data"]  # the text is read from the API, not pushed


def test_a_revision_reaches_the_receiver_with_each_citations_outcome(
    editor_api, proposal, receiver
):
    secret = subscribe_by_api(editor_api, receiver, ["source.revised", "source.created"])
    source = Source.objects.get(slug="cable-one")
    citation = proposal.citations.get()
    response = editor_api.post(
        f"/api/v1/sources/{source.slug}/revisions/",
        {"text": "A preface added. " + source.text, "note": "The preface was missing."},
        format="json",
        HTTP_IF_MATCH=f'"{source.version}"',
    )
    assert response.status_code == 201, response.content
    run_worker()

    [payload] = received_payloads(receiver, secret)
    assert payload["type"] == "source.revised"
    assert payload["data"]["slug"] == "cable-one"
    assert payload["data"]["revision"] == 2
    assert payload["data"]["citations"] == [{"id": citation.pk, "outcome": "relocated"}]
    assert payload["data"]["citations"] == response.json()["citations"]


def test_a_dry_run_or_a_refused_revision_publishes_nothing(editor, editor_api, proposal):
    services.create_webhook(owner=editor, url="http://127.0.0.1:9/hooks")
    source = Source.objects.get(slug="cable-one")
    url = f"/api/v1/sources/{source.slug}/revisions/"
    body = {"text": "A preface added. " + source.text, "note": "Preface."}
    dry = editor_api.post(url, {**body, "dry_run": True}, format="json", HTTP_IF_MATCH='"1"')
    assert dry.status_code == 200, dry.content
    stale = editor_api.post(url, body, format="json", HTTP_IF_MATCH='"99"')
    assert stale.status_code == 412
    same = editor_api.post(
        url, {"text": source.text, "note": "No change."}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert same.status_code == 400
    assert not Event.objects.filter(type__startswith="source.").exists()
    assert not Delivery.objects.exists()


def test_a_rolled_back_source_sends_nothing(editor, receiver):
    services.create_webhook(owner=editor, url=receiver.url, events=["source.created"])
    with pytest.raises(RuntimeError), transaction.atomic():
        sources.create_source(title="Never kept", kind="article", text=NEW_TEXT, user=editor)
        raise RuntimeError("the caller's transaction fails after the write")
    run_worker()
    assert receiver.requests == []
    assert not Event.objects.exists()
    assert not Source.objects.filter(title="Never kept").exists()


def test_a_citation_through_the_api_reaches_the_receiver_signed(editor_api, proposal, receiver):
    secret = subscribe_by_api(editor_api, receiver, ["citation.created"])
    response = editor_api.post(
        "/api/v1/citations/",
        {
            "proposal": proposal.slug,
            "source": "cable-one",
            "quote": "Officials proposed exchanges between military academies",
            "locator": "¶1",
            "role": "context",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    run_worker()

    [payload] = received_payloads(receiver, secret)
    assert payload["type"] == "citation.created"
    assert payload["data"]["id"] == response.json()["id"]
    assert payload["data"]["proposal"] == proposal.slug
    assert payload["data"]["quote"] == response.json()["quote"]


def test_filtered_subscriptions_get_citations_of_their_proposals_but_no_source_events(
    editor, editor_api, proposal
):
    mine = services.create_webhook(
        owner=editor,
        url="http://127.0.0.1:9/hooks",
        events=["citation.created", "source.created"],
        filter={"proposal": proposal.slug},
    )
    ProposalFactory(slug="another-proposal")
    other = services.create_webhook(
        owner=editor,
        url="http://127.0.0.1:9/hooks",
        events=["citation.created"],
        filter={"proposal": "another-proposal"},
    )
    sources.create_source(title="A new report", kind="article", text=NEW_TEXT, user=editor)
    citation = editor_api.post(
        "/api/v1/citations/",
        {
            "proposal": proposal.slug,
            "source": "cable-one",
            "quote": EVIDENCE_QUOTE,
            "locator": "¶2",
            "role": "context",
        },
        format="json",
    )
    assert citation.status_code == 201, citation.content
    types = [
        json.loads(body)["type"]
        for body in Delivery.objects.filter(webhook=mine).values_list("event__body", flat=True)
    ]
    assert types == ["citation.created"]
    assert not Delivery.objects.filter(webhook=other).exists()
