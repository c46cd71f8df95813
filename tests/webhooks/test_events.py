"""publish_event: which subscriptions get an event, and what its body says."""

from __future__ import annotations

import json

import pytest

from tests.factories import ProposalFactory, SourceFactory, cite
from tests.webhooks.conftest import move
from webhooks import services
from webhooks.events import EventType, publish_event
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db

HOOK = "http://127.0.0.1:9/hooks"


def delivered_to(webhook) -> list[str]:
    return [
        json.loads(body)["type"]
        for body in Delivery.objects.filter(webhook=webhook)
        .order_by("id")
        .values_list("event__body", flat=True)
    ]


def test_services_publish_their_events(editor):
    webhook = services.create_webhook(owner=editor, url=HOOK)
    proposal = ProposalFactory(slug="p")
    cite(proposal, SourceFactory(), role="evidence")
    move(proposal)

    assert delivered_to(webhook) == [
        "proposal.created",
        "citation.created",
        "status_change.created",
    ]
    bodies = [
        json.loads(body)
        for body in Delivery.objects.order_by("id").values_list("event__body", flat=True)
    ]
    assert bodies[0]["data"]["slug"] == "p"
    assert bodies[1]["data"]["proposal"] == "p"
    assert bodies[2]["data"]["to_status"] == "under_discussion"
    assert all({"type", "timestamp", "data"} == set(body) for body in bodies)


def test_only_the_chosen_event_types_are_delivered(editor, proposal):
    webhook = services.create_webhook(owner=editor, url=HOOK, events=["citation.created"])
    move(proposal)
    assert delivered_to(webhook) == []


@pytest.mark.parametrize(
    ("wanted", "delivered"),
    [
        ({"proposal": "academy-exchanges"}, True),
        ({"actor": "japan"}, True),  # an addressee
        ({"actor": "taiwan", "status": "under_discussion"}, True),  # the status after the change
        ({"status": "proposed"}, False),
        ({"category": "military_exchange"}, True),
        ({"category": "economic"}, False),
    ],
)
def test_filters_narrow_events_about_proposals(editor, proposal, wanted, delivered):
    webhook = services.create_webhook(
        owner=editor, url=HOOK, events=["status_change.created"], filter=wanted
    )
    move(proposal)
    assert bool(delivered_to(webhook)) is delivered


def test_source_events_reach_only_unfiltered_subscriptions(editor, proposal):
    everything = services.create_webhook(owner=editor, url=HOOK, events=["source.created"])
    filtered = services.create_webhook(
        owner=editor, url=HOOK, events=["source.created"], filter={"actor": "japan"}
    )
    publish_event(EventType.SOURCE_CREATED, SourceFactory(slug="new-source"))

    assert delivered_to(everything) == ["source.created"]
    assert delivered_to(filtered) == []


def test_inactive_subscriptions_get_nothing_and_cost_one_query(
    editor, proposal, django_assert_num_queries
):
    services.create_webhook(owner=editor, url=HOOK, active=False)
    change = proposal.history.get()
    with django_assert_num_queries(1):
        assert publish_event(EventType.STATUS_CHANGE_CREATED, change) is None
    assert not Delivery.objects.exists()


def test_an_unknown_event_type_is_a_programming_error(proposal):
    with pytest.raises(ValueError, match="Unknown event type"):
        publish_event("proposal.deleted", proposal)
