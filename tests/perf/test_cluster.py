"""The multi-node run's own checks: the webhook receiver's tally and the verdicts.

Starting nodes and workers takes a minute and both cores: `make cluster` does that. Here the
parts that decide pass or fail run on their own.
"""

from __future__ import annotations

import datetime
import json

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from standardwebhooks import Webhook

from bench import cluster

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def deliver(receiver: cluster.Receiver, message_id: str, kind: str, subject: int, secret=SECRET):
    body = json.dumps({"type": kind, "timestamp": "2026-01-01T00:00:00Z", "data": {"id": subject}})
    now = datetime.datetime.now(datetime.UTC)
    headers = {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, now, body),
        "content-type": "application/json",
    }
    response = requests.post(receiver.url, data=body.encode(), headers=headers, timeout=10)
    assert response.status_code == 204


def test_the_receiver_counts_each_event_once_and_checks_signatures():
    expected = {("status_change.created", 1), ("status_change.created", 2), ("citation.created", 9)}
    with cluster.Receiver(0) as receiver:
        receiver.secret = SECRET
        deliver(receiver, "msg_1", "status_change.created", 1)
        deliver(receiver, "msg_9", "citation.created", 9)
        assert not receiver.received(expected)
        deliver(receiver, "msg_2", "status_change.created", 2)
        assert receiver.received(expected)
        assert receiver.report(expected) == {
            "expected": 3,
            "delivered": 3,
            "delivered_once": 3,
            "missing": 0,
            "repeated_events": 0,
            "repeated_webhook_ids": 0,
            "unexpected": 0,
            "bad_signatures": 0,
        }

        deliver(receiver, "msg_2", "status_change.created", 2)  # a retry of a delivered attempt
        deliver(receiver, "msg_7", "citation.created", 7, secret="whsec_" + "A" * 32)
        report = receiver.report(expected)

    assert report["repeated_events"] == 1
    assert report["repeated_webhook_ids"] == 1
    assert report["unexpected"] == 1
    assert report["bad_signatures"] == 1


def verdicts(**changes) -> dict[str, bool]:
    phase = {"total": {"server_errors": 0}}
    report = {
        "one_node_two_workers": phase,
        "two_nodes_one_worker_each": phase,
        "lost_updates": {"missing": 0, "broken_histories": []},
        "races": {"one_winner_each": True},
        "anonymous_limit": {"shared": True},
        "webhooks": {"missing": 0, "repeated_events": 0, "bad_signatures": 0},
        "throughput_two_nodes_vs_one": 0.95,
    }
    report.update(changes)
    return cluster._passed(report)


def test_the_run_passes_only_when_every_check_holds():
    assert all(verdicts().values())
    assert not verdicts(throughput_two_nodes_vs_one=0.85)["two_nodes_at_least_90_percent"]
    assert not verdicts(anonymous_limit={"shared": False})["shared_anonymous_limit"]
    assert not verdicts(lost_updates={"missing": 1, "broken_histories": []})["no_lost_update"]
    repeated = {"missing": 0, "repeated_events": 2, "bad_signatures": 0}
    assert not verdicts(webhooks=repeated)["webhooks_once"]
    errors = {"total": {"server_errors": 3}}
    assert not verdicts(two_nodes_one_worker_each=errors)["no_5xx"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is SQLite's")
@pytest.mark.django_db
def test_the_cluster_run_needs_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("cluster", "--duration", "1")
