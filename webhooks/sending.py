"""
One attempt of a delivery: claim it, sign and POST it, log the attempt, schedule the next.

Racing workers (two tasks for the same attempt: a sweep's and the original) never send twice:
an attempt starts with a conditional UPDATE that only one of them can win. A worker that dies
while sending leaves the delivery "sending"; the sweep puts it back, and the attempt is repeated
with the same `webhook-id`: delivery is at least once, and receivers deduplicate by that id.
"""

from __future__ import annotations

import datetime
import re
import time

from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook as StandardWebhook

from webhooks import conf, targets
from webhooks.models import EXCERPT_MAX_LENGTH, Attempt, Delivery, DeliveryStatus, Webhook

# What a stored excerpt may not hold: C0 controls but tab and line breaks, and non-characters.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufdd0-\ufdef\ufffe\uffff]")
# Worth another try later: the receiver is overloaded, down or rate-limiting.
RETRY_STATUSES = frozenset({408, 425, 429})


def sign(secret: str, message_id: str, moment: datetime.datetime, body: str) -> dict[str, str]:
    """The Standard Webhooks headers of `body`, signed with `secret` at `moment`."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": StandardWebhook(secret).sign(message_id, moment, body),
    }


def attempt(*, delivery_id: int, number: int) -> str:
    """Make attempt `number` of the delivery; return what happened, in a word."""
    delivery = Delivery.objects.select_related("webhook", "event").filter(pk=delivery_id).first()
    if delivery is None:
        return "gone"  # its subscription was deleted meanwhile
    if not delivery.webhook.active:
        cancelled = Delivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, attempts=number - 1
        ).update(status=DeliveryStatus.CANCELLED, next_attempt_at=None, updated_at=timezone.now())
        return "cancelled" if cancelled else "skipped"
    if not _claim(delivery_id, number):
        return "skipped"  # another worker made (or is making) this attempt
    delivery.refresh_from_db(fields=["round_start"])
    return _send(delivery, number)


def _claim(delivery_id: int, number: int) -> bool:
    """Take attempt `number` for this worker: only one of several racing workers wins.

    The condition is on the delivery's own columns only, so that PostgreSQL re-checks all of
    it on the row a concurrent winner just updated.
    """
    now = timezone.now()
    return bool(
        Delivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, attempts=number - 1
        ).update(status=DeliveryStatus.SENDING, attempts=number, claimed_at=now, updated_at=now)
    )


def _send(delivery: Delivery, number: int) -> str:
    webhook, event = delivery.webhook, delivery.event
    started_at = timezone.now()
    headers = sign(webhook.secret, event.id, started_at, event.body)
    clock = time.monotonic()
    status_code: int | None = None
    excerpt = error = ""
    try:
        response = targets.post(webhook.url, event.body.encode(), headers)
    except targets.TargetRefused as refused:
        outcome, error = Attempt.Outcome.REFUSED, str(refused)
    except targets.TargetUnreachable as unreachable:
        outcome, error = Attempt.Outcome.RETRY, str(unreachable)
    else:
        status_code = response.status
        excerpt = excerpt_of(response.body)
        if 200 <= status_code < 300:
            outcome = Attempt.Outcome.SUCCEEDED
        elif status_code == 410:
            outcome = Attempt.Outcome.GONE
        elif status_code >= 500 or status_code in RETRY_STATUSES:
            outcome, error = Attempt.Outcome.RETRY, f"The receiver answered {status_code}."
        else:
            outcome, error = Attempt.Outcome.FAILED, f"The receiver answered {status_code}."
    duration_ms = round((time.monotonic() - clock) * 1000)
    next_at = _next_attempt_at(delivery, number) if outcome == Attempt.Outcome.RETRY else None
    if outcome == Attempt.Outcome.RETRY and next_at is None:
        outcome = Attempt.Outcome.FAILED
    _record(
        delivery,
        Attempt(
            delivery=delivery,
            number=number,
            started_at=started_at,
            duration_ms=duration_ms,
            status_code=status_code,
            response_excerpt=excerpt,
            error=error[:300],
            outcome=outcome,
        ),
        next_at,
    )
    return str(outcome)


def _next_attempt_at(delivery: Delivery, number: int) -> datetime.datetime | None:
    """When the attempt after `number` is due, or None when the round's schedule is spent."""
    schedule = conf.retry_schedule()
    position = number - delivery.round_start + 1  # 1 for the first attempt of the round
    if position >= len(schedule):
        return None
    return timezone.now() + datetime.timedelta(seconds=schedule[position])


def _record(delivery: Delivery, log: Attempt, next_at: datetime.datetime | None) -> None:
    """Log the attempt and move the delivery on, in one transaction with the next task."""
    from tracker.tasks import enqueue_on_commit
    from webhooks.tasks import deliver

    status = {
        Attempt.Outcome.SUCCEEDED: DeliveryStatus.SUCCEEDED,
        Attempt.Outcome.RETRY: DeliveryStatus.PENDING,
    }.get(log.outcome, DeliveryStatus.FAILED)
    now = timezone.now()
    with transaction.atomic():
        log.save()
        owned = Delivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.SENDING, attempts=log.number
        ).update(
            status=status,
            next_attempt_at=next_at,
            claimed_at=None,
            last_status_code=log.status_code,
            updated_at=now,
        )
        if owned and next_at is not None:
            enqueue_on_commit(deliver, delivery.pk, log.number + 1, run_after=next_at)
        if log.outcome == Attempt.Outcome.GONE:
            Webhook.objects.filter(pk=delivery.webhook_id).update(
                active=False,
                disabled_reason=f"The receiver answered 410 Gone on {now:%Y-%m-%d %H:%M} UTC.",
                updated_at=now,
            )


def excerpt_of(body: bytes) -> str:
    """The start of a response body as text that any database and page can hold."""
    text = body.decode("utf-8", errors="replace")
    return _UNPRINTABLE.sub("\ufffd", text)[:EXCERPT_MAX_LENGTH]
