"""The reads of the webhooks app: each owner sees only their own subscriptions and deliveries."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from webhooks.models import Attempt, Delivery, Webhook


def webhooks_of(user: Any) -> QuerySet[Webhook]:
    """The subscriptions `user` owns, newest first (none for an anonymous user)."""
    if not getattr(user, "is_authenticated", False):
        return Webhook.objects.none()
    return Webhook.objects.filter(owner=user)


def webhooks_visible_to(user: Any) -> QuerySet[Webhook]:
    """The subscriptions `user` owns (all of them for a superuser), with their owners: the
    admin's list and the rows an editor may change there."""
    queryset = Webhook.objects.select_related("owner")
    if getattr(user, "is_superuser", False):
        return queryset
    return queryset.filter(owner=user)


def deliveries_of(webhook: Webhook | int) -> QuerySet[Delivery]:
    """A subscription's deliveries, newest first, with their event type and every attempt.

    The event's body (the payload) stays in the database: lists show its type and id only.
    """
    return (
        Delivery.objects.filter(webhook=webhook)
        .select_related("event")
        .defer("event__body")
        .prefetch_related(
            Prefetch("attempt_log", queryset=Attempt.objects.order_by("number", "id"))
        )
        .order_by("-created_at", "-id")
    )


def deliveries_visible_to(user: Any) -> QuerySet[Delivery]:
    """Every delivery of `user`'s subscriptions (all of them for a superuser): the admin's list."""
    queryset = Delivery.objects.select_related("event", "webhook").defer("event__body")
    if getattr(user, "is_superuser", False):
        return queryset
    return queryset.filter(webhook__owner=user)


def failed_deliveries_visible_to(user: Any) -> QuerySet[Delivery]:
    """The deliveries of `user`'s subscriptions that failed for good, newest first."""
    return (
        deliveries_visible_to(user)
        .filter(status=Delivery.Status.FAILED)
        .select_related("webhook")
        .order_by("-updated_at", "-id")
    )
