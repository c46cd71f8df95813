"""Background tasks of the webhooks: one attempt of one delivery per task."""

from __future__ import annotations

from tracker.tasks import task
from webhooks import sending


@task()
def deliver(delivery_id: int, attempt: int) -> str:
    """Make attempt number `attempt` of a delivery; a no-op if a worker already made it.

    A retry is a new task of this kind with `run_after` (the backends retry nothing by
    themselves); the sweep enqueues one again for deliveries left behind.
    """
    return sending.attempt(delivery_id=delivery_id, number=attempt)
