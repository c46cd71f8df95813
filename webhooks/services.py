"""
Every write of the webhooks app: subscriptions, test events, redeliveries and the sweep.

The API, the admin and the management commands call these; events themselves are published by
the services of the other apps through webhooks.events.publish_event.
"""

from __future__ import annotations

import base64
import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from proposals.models import Actor, Category, Proposal
from proposals.workflow import Status
from webhooks import conf, errors, events, targets
from webhooks.models import Delivery, DeliveryStatus, EventType, Webhook

FILTER_FIELDS = ("proposal", "actor", "status", "category")


def new_secret() -> str:
    """A Standard Webhooks signing secret: `whsec_` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _check_url(url: str) -> str:
    url = url.strip()
    try:
        targets.check_url(url)
    except targets.TargetRefused as refused:
        raise errors.TargetNotAllowed(str(refused)) from None
    return url


def _check_events(event_types: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(event_types))
    unknown = [name for name in chosen if name not in EventType.values]
    if unknown:
        raise errors.InvalidSubscription(
            f"Unknown event types: {', '.join(map(repr, unknown))}; known: "
            f"{', '.join(EventType.values)}.",
            field="events",
        )
    if not chosen:
        raise errors.InvalidSubscription("Choose at least one event type.", field="events")
    return chosen


def _filter_fields(wanted: dict[str, Any]) -> dict[str, str]:
    """Check a filter (`{proposal, actor, status, category}`) and return it as model fields."""
    unknown = sorted(set(wanted) - set(FILTER_FIELDS))
    if unknown:
        raise errors.InvalidSubscription(
            f"Unknown filter fields: {', '.join(unknown)}; use {', '.join(FILTER_FIELDS)}.",
            field="filter",
        )
    values = {name: str(wanted.get(name) or "").strip() for name in FILTER_FIELDS}
    checks = {
        "proposal": lambda v: Proposal.objects.filter(slug=v).exists(),
        "actor": lambda v: Actor.objects.filter(slug=v).exists(),
        "status": lambda v: v in Status.values,
        "category": lambda v: v in Category.values,
    }
    for name, value in values.items():
        if value and not checks[name](value):
            raise errors.InvalidSubscription(
                f"The filter's {name} {value!r} is not one the tracker knows.", field="filter"
            )
    return {f"filter_{name}": value for name, value in values.items()}


def check_subscription(
    *, url: str, events: Iterable[str], filter: dict[str, Any] | None
) -> dict[str, Any]:
    """Check a subscription's url, events and filter; return them as the model's fields.

    The check-only twin of create_webhook, for forms that report errors before saving.
    """
    return {
        "url": _check_url(url),
        "events": _check_events(events),
        **_filter_fields(filter or {}),
    }


def _save(webhook: Webhook) -> None:
    try:
        webhook.full_clean(exclude=["owner", "secret"])
    except ValidationError as invalid:
        first, messages = next(iter(invalid.message_dict.items()))
        raise errors.InvalidSubscription(" ".join(messages), field=first) from None
    webhook.save()


@transaction.atomic
def create_webhook(
    *,
    owner: Any,
    url: str,
    events: Iterable[str] = tuple(EventType.values),
    filter: dict[str, Any] | None = None,
    active: bool = True,
) -> Webhook:
    """Subscribe `owner` to `events` at `url`; the new secret is on the returned instance."""
    webhook = Webhook(
        owner=owner,
        active=active,
        secret=new_secret(),
        **check_subscription(url=url, events=events, filter=filter),
    )
    _save(webhook)
    return webhook


@transaction.atomic
def update_webhook(*, webhook: Webhook, data: dict[str, Any]) -> Webhook:
    """Change a subscription's url, events, filter or active flag (never its secret)."""
    unknown = set(data) - {"url", "events", "filter", "active"}
    if unknown:
        raise errors.InvalidSubscription(
            f"These fields cannot be changed: {', '.join(sorted(unknown))}.",
            field=sorted(unknown)[0],
        )
    if "url" in data:
        webhook.url = _check_url(data["url"])
    if "events" in data:
        webhook.events = _check_events(data["events"])
    if "filter" in data:
        for name, value in _filter_fields(data["filter"] or {}).items():
            setattr(webhook, name, value)
    if "active" in data:
        webhook.active = bool(data["active"])
        if webhook.active:
            webhook.disabled_reason = ""
    webhook.updated_at = timezone.now()
    _save(webhook)
    return webhook


@transaction.atomic
def delete_webhook(*, webhook: Webhook) -> None:
    """Delete a subscription with its deliveries and their log; queued attempts become no-ops."""
    webhook.delete()


def send_test_event(*, webhook: Webhook) -> Delivery:
    """Queue a `webhook.test` event for this subscription alone, whatever its event types."""
    if not webhook.active:
        raise errors.SubscriptionInactive()
    return events.send_test(webhook)


@transaction.atomic
def redeliver(*, delivery: Delivery) -> Delivery:
    """Send a finished delivery again, with the same webhook-id, on a new retry schedule."""
    if not Webhook.objects.filter(pk=delivery.webhook_id, active=True).exists():
        raise errors.SubscriptionInactive()
    now = timezone.now()
    finished = (DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED)
    reopened = Delivery.objects.filter(
        pk=delivery.pk, status__in=finished, attempts=delivery.attempts
    ).update(
        status=DeliveryStatus.PENDING,
        round_start=F("attempts") + 1,
        next_attempt_at=now,
        updated_at=now,
    )
    if not reopened:
        raise errors.DeliveryInProgress()
    delivery.refresh_from_db()
    _enqueue(delivery, delivery.attempts + 1)
    return delivery


def _enqueue(delivery: Delivery, number: int) -> None:
    from tracker.tasks import enqueue_on_commit
    from webhooks.tasks import deliver

    enqueue_on_commit(deliver, delivery.pk, number)


def sweep_deliveries(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Enqueue again the deliveries left behind; return how many of each kind.

    `sending` for longer than `WEBHOOKS_STALE_AFTER`: the worker died during the attempt, which
    is repeated (same webhook-id). `pending` that long past its time: its task was lost (a
    queue outside the database, or a crash between commit and enqueue). Each is requeued in its
    own transaction with a conditional update, so a sweep racing a worker or another sweep
    cannot send an attempt twice.
    """
    now = now or timezone.now()
    cutoff = now - conf.stale_after()
    counts = {"sending": 0, "pending": 0}
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=cutoff)
    for pk, attempts, claimed_at in stuck.values_list("pk", "attempts", "claimed_at"):
        with transaction.atomic():
            reset = Delivery.objects.filter(
                pk=pk, status=DeliveryStatus.SENDING, attempts=attempts, claimed_at=claimed_at
            ).update(
                status=DeliveryStatus.PENDING,
                attempts=attempts - 1,
                claimed_at=None,
                next_attempt_at=now,
                updated_at=now,
            )
            if reset:
                _enqueue(Delivery(pk=pk), attempts)
                counts["sending"] += 1
    late = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lt=cutoff)
    for pk, attempts in late.values_list("pk", "attempts"):
        with transaction.atomic():
            touched = Delivery.objects.filter(
                pk=pk, status=DeliveryStatus.PENDING, attempts=attempts
            ).update(next_attempt_at=now, updated_at=now)
            if touched:
                _enqueue(Delivery(pk=pk), attempts + 1)
                counts["pending"] += 1
    return counts
