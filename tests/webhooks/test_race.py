"""Racing workers on PostgreSQL: every attempt is sent once, however many tasks name it."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from tests.webhooks.conftest import move, run_worker
from tracker.tasks import enqueue_on_commit
from webhooks import services
from webhooks.models import Attempt, Delivery
from webhooks.tasks import deliver

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUBSCRIPTIONS = 6
COPIES = 3  # the original task and two more for the same attempt, as sweeps could queue them


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Racing workers need PostgreSQL (SQLite lets one writer at a time, so they cannot "
            "race): DATABASE_URL=postgres://postgres@127.0.0.1:5432/test "
            "DJANGO_TEST_DATABASE_NAME=test_NAME"
        )


def test_racing_workers_send_each_attempt_once(editor, proposal, receiver):
    for number in range(SUBSCRIPTIONS):
        services.create_webhook(
            owner=editor, url=f"{receiver.url}/{number}", events=["status_change.created"]
        )
    receiver.first_per_path = 500  # every first attempt fails, every retry succeeds
    move(proposal)
    for delivery in Delivery.objects.all():
        for _ in range(COPIES - 1):
            enqueue_on_commit(deliver, delivery.pk, 1)

    start = threading.Barrier(3)

    def work(name: str) -> None:
        try:
            start.wait()
            run_worker(name)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    run_worker("drain")  # whatever a worker that stopped early left for later

    sent = Counter(request.path for request in receiver.requests)
    assert sent == {f"/hooks/{number}": 2 for number in range(SUBSCRIPTIONS)}
    for delivery in Delivery.objects.all():
        assert delivery.status == Delivery.Status.SUCCEEDED
        numbers = list(delivery.attempt_log.values_list("number", flat=True))
        assert numbers == [1, 2]
    assert Attempt.objects.count() == 2 * SUBSCRIPTIONS
