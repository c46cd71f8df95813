"""The webhook settings, with their defaults; read when used, never at import time."""

from __future__ import annotations

import datetime

from django.conf import settings

# The schedule Svix uses: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (seconds).
DEFAULT_RETRY_SCHEDULE = (0, 5, 300, 1_800, 7_200, 18_000, 36_000, 36_000)


def retry_schedule() -> tuple[float, ...]:
    """The delay before each attempt of a round: its length is the number of attempts."""
    return tuple(getattr(settings, "WEBHOOKS_RETRY_SCHEDULE", DEFAULT_RETRY_SCHEDULE))


def allow_private_targets() -> bool:
    """Whether targets on loopback, private and link-local addresses may be reached."""
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_TARGETS", False))


def timeout() -> float:
    """Seconds an attempt may take, connection and response together."""
    return float(getattr(settings, "WEBHOOKS_TIMEOUT", 5))


def response_limit() -> int:
    """Bytes of a receiver's response body that are read (the rest is never downloaded)."""
    return int(getattr(settings, "WEBHOOKS_RESPONSE_LIMIT", 4_096))


def stale_after() -> datetime.timedelta:
    """How long a delivery may stay pending past its time, or sending, before the sweep."""
    return datetime.timedelta(seconds=float(getattr(settings, "WEBHOOKS_STALE_AFTER", 300)))


def public_url() -> str:
    """The tracker's public address, for absolute links in payloads ("" for paths)."""
    return str(getattr(settings, "TRACKER_PUBLIC_URL", "")).rstrip("/")
