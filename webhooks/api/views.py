"""
Views of /api/v1/webhooks/: each authenticated user manages only their own subscriptions.

Thin: input through the serializers, writes through webhooks.services, reads through
webhooks.selectors; domain errors become JSON in the API's one exception handler.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from proposals.api.schema import ErrorSerializer, error_responses
from proposals.api.views import APIViewSetMixin
from webhooks import selectors, services
from webhooks.api import serializers as webhook_serializers
from webhooks.models import Webhook

OWN = (401, 404, 429)
IN_PROGRESS = {
    (409, "application/json"): OpenApiResponse(
        ErrorSerializer, "The delivery is still pending or being sent."
    )
}
DELIVERY_ID = OpenApiParameter(
    "delivery_id", int, OpenApiParameter.PATH, description="The delivery's id."
)


@extend_schema_view(
    list=extend_schema(
        summary="Your webhook subscriptions",
        responses={
            200: webhook_serializers.WebhookSerializer(many=True),
            **error_responses(400, *OWN),
        },
    ),
    create=extend_schema(
        summary="Subscribe a URL to events",
        description="The response carries the signing `secret` (`whsec_…`): it is shown this "
        "once only. Deliveries follow Standard Webhooks (`webhook-id`, `webhook-timestamp`, "
        "`webhook-signature` headers; a JSON body with `type`, `timestamp` and `data`).",
        request=webhook_serializers.WebhookWriteSerializer,
        responses={
            201: webhook_serializers.WebhookCreatedSerializer,
            **error_responses(400, 401, 413, 415, 429),
        },
    ),
    retrieve=extend_schema(
        summary="One of your subscriptions",
        responses={200: webhook_serializers.WebhookSerializer, **error_responses(*OWN)},
    ),
    partial_update=extend_schema(
        summary="Change a subscription's url, events, filter or active flag",
        description="Setting `active` to true again clears `disabled_reason`.",
        request=webhook_serializers.WebhookWriteSerializer,
        responses={
            200: webhook_serializers.WebhookSerializer,
            **error_responses(400, *OWN, 413, 415),
        },
    ),
    destroy=extend_schema(
        summary="Delete a subscription, its deliveries and their log",
        responses={204: None, **error_responses(*OWN)},
    ),
    deliveries=extend_schema(
        summary="A subscription's deliveries, newest first, with every attempt",
        responses={
            200: webhook_serializers.DeliverySerializer(many=True),
            **error_responses(400, *OWN),
        },
    ),
    test=extend_schema(
        summary="Send a test event (`webhook.test`) to the subscription",
        request=None,
        responses={202: webhook_serializers.DeliverySerializer, **error_responses(400, *OWN)},
    ),
    redeliver=extend_schema(
        summary="Send a finished delivery again (same `webhook-id`, a new retry schedule)",
        request=None,
        parameters=[DELIVERY_ID],
        responses={
            202: webhook_serializers.DeliverySerializer,
            **error_responses(400, *OWN),
            **IN_PROGRESS,
        },
    ),
)
class WebhookViewSet(
    APIViewSetMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Webhook subscriptions of the authenticated user."""

    permission_classes = [IsAuthenticated]
    lookup_field = "pk"
    lookup_value_regex = r"[0-9]{1,18}"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Webhook]:
        return selectors.webhooks_of(self.request.user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action in ("create", "partial_update"):
            return webhook_serializers.WebhookWriteSerializer
        if self.action in ("deliveries", "test", "redeliver"):
            return webhook_serializers.DeliverySerializer
        return webhook_serializers.WebhookSerializer

    def _render(self, webhook: Webhook, serializer_class: type, **kwargs: Any) -> Response:
        data = serializer_class(webhook, context=self.get_serializer_context()).data
        return Response(data, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        webhook = services.create_webhook(owner=request.user, **serializer.validated_data)
        return self._render(
            webhook, webhook_serializers.WebhookCreatedSerializer, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        webhook = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        webhook = services.update_webhook(webhook=webhook, data=serializer.validated_data)
        return self._render(webhook, webhook_serializers.WebhookSerializer)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    def perform_destroy(self, instance: Webhook) -> None:
        services.delete_webhook(webhook=instance)

    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        webhook = self.get_object()
        page = self.paginate_queryset(selectors.deliveries_of(webhook))
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    @action(detail=True, methods=["post"])
    def test(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        delivery = services.send_test_event(webhook=self.get_object())
        return self._delivery_response(delivery.webhook_id, delivery.pk)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]{1,18})/redeliver",
    )
    def redeliver(self, request: Request, *args: Any, delivery_id: str, **kwargs: Any) -> Response:
        webhook = self.get_object()
        delivery = get_object_or_404(selectors.deliveries_of(webhook), pk=int(delivery_id))
        services.redeliver(delivery=delivery)
        return self._delivery_response(webhook.pk, delivery.pk)

    def _delivery_response(self, webhook_id: int, delivery_id: int) -> Response:
        delivery = selectors.deliveries_of(webhook_id).get(pk=delivery_id)
        data = self.get_serializer(delivery).data
        return Response(data, status=status.HTTP_202_ACCEPTED)
