"""
Publishing events: the one function services call to tell subscribers about a change.

    from webhooks.events import EventType, publish_event

    @transaction.atomic
    def record_transition(...):
        ...
        change = StatusChange.objects.create(...)
        publish_event(EventType.STATUS_CHANGE_CREATED, change)
        return change

Call it explicitly from the service that makes the change, inside its transaction, after the
change is written (never from a signal: bulk writes skip those). It writes the event and one
delivery row per matching subscription in that same transaction (an outbox) and enqueues their
first attempt, so a rolled-back change sends nothing and a committed one is never lost. With no
matching subscription it costs one query.

Each event type has a payload builder in webhooks/payloads.py that renders the subject with the
API's serializer; a new event type adds a member to `EventType` and a builder there.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from proposals.models import Proposal
from webhooks.models import TEST_EVENT, Delivery, Event, EventType, Webhook

__all__ = ["EventType", "publish_event"]


def publish_event(event_type: str, subject: Any, **extra: Any) -> Event | None:
    """Record `event_type` about `subject` for every active subscription that wants it.

    `subject` is the instance the event is about: a StatusChange, Citation, Proposal or Source.
    `extra` is added to the data of events that take it (source.revised: `revision`,
    `citations`). Returns the event, or None when no subscription matched.
    """
    if event_type not in EventType.values:
        raise ValueError(f"Unknown event type {event_type!r}; add it to EventType first.")
    candidates = [
        webhook
        for webhook in Webhook.objects.filter(active=True).order_by("id")
        if event_type in webhook.events
    ]
    if not candidates:
        return None
    # The caller's transaction (no savepoint: its failure must undo the event too); a caller
    # outside any transaction still gets the event and its deliveries written together.
    with transaction.atomic(savepoint=False):
        from webhooks import payloads

        payload = payloads.build(event_type, subject, extra)
        facts = _facts(payload.proposal, candidates)
        targets = [webhook for webhook in candidates if _matches(webhook, facts)]
        if not targets:
            return None
        event = _create_event(event_type, payload.data)
        _deliver(event, targets)
        return event


def send_test(webhook: Webhook) -> Delivery:
    """Create a `webhook.test` event for `webhook` alone and enqueue it (see services)."""
    data = {"webhook": webhook.pk, "message": "A test event from the proposal tracker."}
    with transaction.atomic(savepoint=False):
        event = _create_event(TEST_EVENT, data)
        return _deliver(event, [webhook])[0]


def _create_event(event_type: str, data: dict[str, Any]) -> Event:
    now = timezone.now()
    # ASCII JSON: whatever characters the data holds, the body encodes to the same bytes.
    body = json.dumps(
        {"type": event_type, "timestamp": now.isoformat(), "data": data},
        cls=DjangoJSONEncoder,
        separators=(",", ":"),
    )
    return Event.objects.create(type=event_type, body=body, created_at=now)


def _deliver(event: Event, webhooks: list[Webhook]) -> list[Delivery]:
    from tracker.tasks import enqueue_on_commit
    from webhooks.tasks import deliver

    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(webhook=webhook, event=event, next_attempt_at=now, created_at=now)
            for webhook in webhooks
        ]
    )
    for delivery in deliveries:
        enqueue_on_commit(deliver, delivery.pk, 1)
    return deliveries


def _facts(proposal: Proposal | None, candidates: list[Webhook]) -> dict[str, Any] | None:
    """What the filters compare: the proposal's slug, status, category and actors' slugs."""
    if proposal is None:
        return None
    facts: dict[str, Any] = {
        "proposal": proposal.slug,
        "status": proposal.status,
        "category": proposal.category,
        "actors": set(),
    }
    if any(webhook.filter_actor for webhook in candidates):
        # Only when a filter asks: two small queries.
        facts["actors"] = set(proposal.proposers.values_list("slug", flat=True)) | set(
            proposal.addressees.values_list("slug", flat=True)
        )
    return facts


def _matches(webhook: Webhook, facts: dict[str, Any] | None) -> bool:
    """Whether `webhook`'s filter lets an event with these facts through.

    A subscription without a filter gets every event of its types; one with a filter only gets
    events about proposals that match every field of it (so no source events).
    """
    wanted = webhook.filter
    if not wanted:
        return True
    if facts is None:
        return False
    for name, value in wanted.items():
        if name == "actor":
            if value not in facts["actors"]:
                return False
        elif facts[name] != value:
            return False
    return True
