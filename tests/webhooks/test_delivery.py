"""Deliveries end to end: the API records a change, a worker POSTs it to a real receiver."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook as StandardWebhook

from tests.webhooks.conftest import move, run_worker
from webhooks import services
from webhooks.models import Attempt, Delivery, Webhook

pytestmark = pytest.mark.django_db(transaction=True)


def subscribe(editor, receiver, **fields) -> Webhook:
    return services.create_webhook(owner=editor, url=receiver.url, **fields)


def test_a_status_change_through_the_api_reaches_the_receiver_signed(
    editor, editor_api, proposal, receiver
):
    created = editor_api.post(
        "/api/v1/webhooks/",
        {"url": receiver.url, "events": ["status_change.created"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]

    response = editor_api.post(
        f"/api/v1/proposals/{proposal.slug}/transitions/",
        {
            "to_status": "under_discussion",
            "note": "Raised at the next dialogue.",
            "effective_date": "2006-01-01",
            "evidence": [],
        },
        format="json",
        HTTP_IF_MATCH=f'"{proposal.version}"',
    )
    assert response.status_code == 201, response.content
    assert receiver.requests == []  # nothing is sent by the request itself: the worker sends

    run_worker()

    [received] = receiver.requests
    payload = StandardWebhook(secret).verify(received.body, received.headers)
    assert payload["type"] == "status_change.created"
    assert payload["data"]["proposal"] == proposal.slug
    assert payload["data"]["to_status"] == "under_discussion"
    assert payload["data"]["id"] == response.json()["id"]
    assert received.headers["webhook-id"].startswith("msg_")
    assert received.headers["Content-Type"] == "application/json"
    [delivery] = Delivery.objects.all()
    assert delivery.status == Delivery.Status.SUCCEEDED


def test_500_500_200_makes_three_attempts_all_logged(editor, editor_api, proposal, receiver):
    webhook = subscribe(editor, receiver, events=["status_change.created"])
    receiver.answer(500, 500, 200)

    move(proposal)
    run_worker()

    assert len(receiver.requests) == 3
    # The same message on every attempt: receivers deduplicate by webhook-id.
    assert len({request.headers["webhook-id"] for request in receiver.requests}) == 1
    assert len({request.body for request in receiver.requests}) == 1
    for request in receiver.requests:
        StandardWebhook(webhook.secret).verify(request.body, request.headers)

    listed = editor_api.get(f"/api/v1/webhooks/{webhook.pk}/deliveries/").json()
    [delivery] = listed["results"]
    assert delivery["status"] == "succeeded"
    assert delivery["webhook_id"] == receiver.requests[0].headers["webhook-id"]
    assert [(a["number"], a["status_code"], a["outcome"]) for a in delivery["attempts"]] == [
        (1, 500, "retry"),
        (2, 500, "retry"),
        (3, 200, "succeeded"),
    ]
    assert all(attempt["duration_ms"] >= 0 for attempt in delivery["attempts"])
    assert delivery["attempts"][2]["response_excerpt"] == "ok"


def test_retries_stop_when_the_schedule_is_spent(editor, proposal, receiver):
    subscribe(editor, receiver, events=["status_change.created"])
    receiver.answer(503, 503, 503, 503)

    move(proposal)
    run_worker()

    assert len(receiver.requests) == 3  # the test schedule has three attempts
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert list(delivery.attempt_log.values_list("outcome", flat=True)) == [
        "retry",
        "retry",
        "failed",
    ]


def test_each_retry_is_a_new_task_run_after_the_schedule(editor, proposal, receiver, settings):
    from django_tasks_db.models import DBTaskResult

    settings.WEBHOOKS_RETRY_SCHEDULE = [0, 300]
    subscribe(editor, receiver, events=["status_change.created"])
    receiver.answer(500)

    move(proposal)
    before = timezone.now()
    run_worker()

    assert len(receiver.requests) == 1  # the retry waits five minutes
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"] == [delivery.pk, 2]
    assert retry.run_after >= before + datetime.timedelta(seconds=299)
    assert delivery.next_attempt_at == retry.run_after


def test_a_rolled_back_transaction_delivers_nothing(editor, proposal, receiver):
    from django_tasks_db.models import DBTaskResult

    subscribe(editor, receiver, events=["status_change.created"])

    with pytest.raises(RuntimeError), transaction.atomic():
        move(proposal)
        assert Delivery.objects.count() == 1  # written inside the change's transaction
        raise RuntimeError("the change fails after the event was published")

    run_worker()
    assert receiver.requests == []
    assert Delivery.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_410_gone_disables_the_subscription(editor, proposal, receiver):
    webhook = subscribe(editor, receiver, events=["status_change.created"])
    receiver.answer(410)

    move(proposal)
    run_worker()
    move(proposal, "agreed")
    run_worker()

    assert len(receiver.requests) == 1
    webhook.refresh_from_db()
    assert not webhook.active
    assert "410" in webhook.disabled_reason
    assert Attempt.objects.get().outcome == Attempt.Outcome.GONE


def test_client_errors_are_not_retried_and_redirects_not_followed(editor, proposal, receiver):
    subscribe(editor, receiver, events=["status_change.created"])
    receiver.answer(302, headers={"Location": receiver.url + "/elsewhere"})

    move(proposal)
    run_worker()

    [request] = receiver.requests  # the Location was never requested
    assert request.path == "/hooks"
    attempt = Attempt.objects.get()
    assert (attempt.status_code, attempt.outcome) == (302, Attempt.Outcome.FAILED)


def test_redeliver_sends_again_with_the_same_webhook_id(editor, editor_api, proposal, receiver):
    webhook = subscribe(editor, receiver, events=["status_change.created"])
    move(proposal)
    run_worker()
    delivery = Delivery.objects.get()

    response = editor_api.post(f"/api/v1/webhooks/{webhook.pk}/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 202, response.content
    again = editor_api.post(f"/api/v1/webhooks/{webhook.pk}/deliveries/{delivery.pk}/redeliver/")
    assert again.status_code == 409  # still queued
    run_worker()

    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SUCCEEDED, 2)


def test_the_test_action_sends_a_signed_test_event(editor, editor_api, receiver):
    webhook = subscribe(editor, receiver, events=["source.created"])

    response = editor_api.post(f"/api/v1/webhooks/{webhook.pk}/test/")
    assert response.status_code == 202, response.content
    assert response.json()["event_type"] == "webhook.test"
    run_worker()

    [request] = receiver.requests
    payload = StandardWebhook(webhook.secret).verify(request.body, request.headers)
    assert payload["type"] == "webhook.test"
    assert payload["data"]["webhook"] == webhook.pk


def test_the_sweep_repeats_an_attempt_whose_worker_died(editor, proposal, receiver):
    from django_tasks_db.models import DBTaskResult

    subscribe(editor, receiver, events=["status_change.created"])
    move(proposal)
    # A worker claimed the first attempt, then died: its task is gone, the claim stays.
    DBTaskResult.objects.all().delete()
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Delivery.objects.update(status=Delivery.Status.SENDING, attempts=1, claimed_at=long_ago)

    assert services.sweep_deliveries() == {"sending": 1, "pending": 0}
    assert services.sweep_deliveries() == {"sending": 0, "pending": 0}
    run_worker()

    assert len(receiver.requests) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SUCCEEDED, 1)


def test_the_sweep_requeues_a_delivery_whose_task_was_lost(editor, proposal, receiver):
    from django_tasks_db.models import DBTaskResult

    subscribe(editor, receiver, events=["status_change.created"])
    move(proposal)
    DBTaskResult.objects.all().delete()  # say the queue lived in a Redis that lost it
    Delivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(hours=1))

    assert services.sweep_deliveries() == {"sending": 0, "pending": 1}
    run_worker()

    assert len(receiver.requests) == 1


def test_a_duplicate_task_never_sends_an_attempt_twice(editor, proposal, receiver):
    from tracker.tasks import enqueue_on_commit
    from webhooks.tasks import deliver

    subscribe(editor, receiver, events=["status_change.created"])
    move(proposal)
    delivery = Delivery.objects.get()
    enqueue_on_commit(deliver, delivery.pk, 1)  # the same attempt, queued a second time

    run_worker()

    assert len(receiver.requests) == 1
    assert Attempt.objects.count() == 1
