"""Serializers of /api/v1/webhooks/: input checked here for shape, by the services for meaning."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from proposals.api.serializers import StrictInputSerializer
from proposals.models import Category
from proposals.workflow import Status
from webhooks.models import URL_MAX_LENGTH, Attempt, Delivery, EventType, Webhook


def _moment(value: Any) -> str | None:
    return serializers.DateTimeField().to_representation(value) if value else None


class WebhookFilterSerializer(StrictInputSerializer):
    """Which proposals' events to deliver; each field given narrows them, empty means any."""

    proposal = serializers.SlugField(required=False, allow_blank=True, max_length=100)
    actor = serializers.SlugField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="An actor's slug: proposals it made or is addressed by.",
    )
    status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        allow_blank=True,
        help_text="The proposal's status after the change.",
    )
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)


class WebhookWriteSerializer(StrictInputSerializer):
    """A subscription as a client writes it."""

    url = serializers.URLField(
        max_length=URL_MAX_LENGTH,
        help_text="http:// or https://; addresses on loopback, private or link-local networks "
        "are refused.",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        allow_empty=False,
        max_length=len(EventType.values),
        required=False,
        help_text="Event types to deliver (all of them when omitted at creation).",
    )
    filter = WebhookFilterSerializer(
        required=False,
        help_text="Only events about proposals matching every field given (no source events).",
    )
    active = serializers.BooleanField(required=False)

    fixed_fields = {
        "secret": "The secret is made by the server and shown once, at creation.",
        "id": "Not writable.",
    }


class WebhookSerializer(serializers.Serializer):
    """A subscription as its owner reads it (the secret is never shown again)."""

    id = serializers.IntegerField()
    url = serializers.URLField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))
    filter = WebhookFilterSerializer()
    active = serializers.BooleanField()
    disabled_reason = serializers.CharField(
        help_text="Why the tracker turned it off (a 410 Gone from the receiver), or empty."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    deliveries_url = serializers.URLField()
    test_url = serializers.URLField(help_text="POST here to send a test event.")

    def to_representation(self, instance: Webhook) -> dict[str, Any]:
        request = self.context["request"]

        def url(name: str) -> str:
            return request.build_absolute_uri(reverse(name, kwargs={"pk": instance.pk}))

        return {
            "id": instance.pk,
            "url": instance.url,
            "events": list(instance.events),
            "filter": instance.filter,
            "active": instance.active,
            "disabled_reason": instance.disabled_reason,
            "created_at": _moment(instance.created_at),
            "updated_at": _moment(instance.updated_at),
            "deliveries_url": url("api:webhook-deliveries"),
            "test_url": url("api:webhook-test"),
        }


class WebhookCreatedSerializer(WebhookSerializer):
    """A new subscription, with its signing secret: shown this once only."""

    secret = serializers.CharField(
        help_text="`whsec_…`: verify each delivery's `webhook-signature` with it (Standard "
        "Webhooks). Store it now: it is never shown again."
    )

    def to_representation(self, instance: Webhook) -> dict[str, Any]:
        return {**super().to_representation(instance), "secret": instance.secret}


class AttemptSerializer(serializers.Serializer):
    """One HTTP attempt of a delivery."""

    number = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    duration_ms = serializers.IntegerField()
    status_code = serializers.IntegerField(allow_null=True, help_text="Null on network errors.")
    response_excerpt = serializers.CharField(help_text="The start of the receiver's answer.")
    error = serializers.CharField()
    outcome = serializers.ChoiceField(choices=Attempt.Outcome.choices)

    def to_representation(self, instance: Attempt) -> dict[str, Any]:
        return {
            "number": instance.number,
            "started_at": _moment(instance.started_at),
            "duration_ms": instance.duration_ms,
            "status_code": instance.status_code,
            "response_excerpt": instance.response_excerpt,
            "error": instance.error,
            "outcome": instance.outcome,
        }


class DeliverySerializer(serializers.Serializer):
    """An event sent (or on its way) to the subscription, with every attempt."""

    id = serializers.IntegerField()
    webhook_id = serializers.CharField(
        help_text="The `webhook-id` header: the same on every attempt, for deduplication."
    )
    event_type = serializers.CharField()
    status = serializers.ChoiceField(choices=Delivery.Status.choices)
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    last_status_code = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    attempts = AttemptSerializer(many=True)
    redeliver_url = serializers.URLField(help_text="POST here to send it again.")

    def to_representation(self, instance: Delivery) -> dict[str, Any]:
        attempt = AttemptSerializer()
        request = self.context["request"]
        redeliver = reverse(
            "api:webhook-redeliver",
            kwargs={"pk": instance.webhook_id, "delivery_id": instance.pk},
        )
        return {
            "id": instance.pk,
            "webhook_id": instance.event_id,
            "event_type": instance.event.type,
            "status": instance.status,
            "next_attempt_at": _moment(instance.next_attempt_at),
            "last_status_code": instance.last_status_code,
            "created_at": _moment(instance.created_at),
            "attempts": [attempt.to_representation(item) for item in instance.attempt_log.all()],
            "redeliver_url": request.build_absolute_uri(redeliver),
        }
