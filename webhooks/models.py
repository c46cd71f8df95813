"""Subscriptions, the events published for them (the outbox) and every delivery attempt."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import Category
from proposals.workflow import Status

URL_MAX_LENGTH = 2_000
# What an attempt keeps of the receiver's answer, in characters.
EXCERPT_MAX_LENGTH = 1_000


class EventType(models.TextChoices):
    """What a subscription can ask to be told about."""

    STATUS_CHANGE_CREATED = "status_change.created", _("A status change was recorded")
    CITATION_CREATED = "citation.created", _("A citation was added")
    PROPOSAL_CREATED = "proposal.created", _("A proposal was created")
    SOURCE_CREATED = "source.created", _("A source was added")
    SOURCE_REVISED = "source.revised", _("A source's text was revised")


# Sent by "send test event" whatever the subscription's event types; never published.
TEST_EVENT = "webhook.test"


def new_message_id() -> str:
    """A Standard Webhooks message id: the `webhook-id` header, the same on every attempt."""
    return f"msg_{uuid.uuid4().hex}"


class Webhook(models.Model):
    """A subscription: where to POST which events, signed with its secret."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("owner"),
    )
    url = models.URLField(
        _("URL"),
        max_length=URL_MAX_LENGTH,
        help_text=_("Where deliveries are POSTed (http or https)."),
    )
    events = models.JSONField(
        _("events"),
        default=list,
        help_text=_("The event types to deliver, such as status_change.created."),
    )
    # The filter: each non-empty field narrows the events about proposals to those matching it.
    filter_proposal = models.SlugField(
        _("proposal"),
        max_length=100,
        blank=True,
        help_text=_("Only events about this proposal (its slug)."),
    )
    filter_actor = models.SlugField(
        _("actor"),
        max_length=100,
        blank=True,
        help_text=_("Only events about proposals with this actor (slug) as proposer or addressee."),
    )
    filter_status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text=_("Only events about proposals in this status (after the change)."),
    )
    filter_category = models.CharField(
        _("category"),
        max_length=40,
        choices=Category.choices,
        blank=True,
        help_text=_("Only events about proposals of this category."),
    )
    active = models.BooleanField(_("active"), default=True)
    # Kept readable: every delivery is signed with it. Shown to the owner once, at creation.
    secret = models.CharField(max_length=100, editable=False)
    disabled_reason = models.CharField(
        _("why disabled"),
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("Why the tracker turned the subscription off (such as a 410 Gone)."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        indexes = [models.Index(fields=["owner", "active"], name="webhook_owner_idx")]

    def __str__(self) -> str:
        return self.url

    @property
    def filter(self) -> dict[str, str]:
        """The non-empty filter fields, by their API names."""
        values = {
            "proposal": self.filter_proposal,
            "actor": self.filter_actor,
            "status": self.filter_status,
            "category": self.filter_category,
        }
        return {name: value for name, value in values.items() if value}


class Event(models.Model):
    """One published event: its message id and the exact JSON body every attempt sends."""

    id = models.CharField(primary_key=True, max_length=40, default=new_message_id, editable=False)
    type = models.CharField(max_length=40)
    body = models.TextField(help_text="The JSON body, byte for byte as signed and sent.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled (subscription inactive)")


class Delivery(models.Model):
    """An event on its way to one subscription: the outbox row, written with the change."""

    Status = DeliveryStatus

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(
        _("attempts"), default=0, help_text=_("Attempts started so far.")
    )
    # The attempt that began the current retry schedule: 1, or the first of a redelivery.
    round_start = models.PositiveIntegerField(default=1)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker began the current attempt."
    )
    last_status_code = models.PositiveSmallIntegerField(
        _("last status code"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event"], name="delivery_once_per_webhook"),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
        ]
        indexes = [
            # The sweep: deliveries left pending or sending too long.
            models.Index(fields=["status", "next_attempt_at"], name="delivery_sweep_idx"),
            models.Index(fields=["webhook", "-created_at"], name="delivery_webhook_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} to webhook {self.webhook_id}"


class AttemptOutcome(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded (2xx)")
    RETRY = "retry", _("Failed, will retry")
    FAILED = "failed", _("Failed, no retry left")
    GONE = "gone", _("410 Gone: subscription disabled")
    REFUSED = "refused", _("Refused: the target is not allowed")


class Attempt(models.Model):
    """One HTTP attempt of a delivery, as its owner sees it in the admin and the API."""

    Outcome = AttemptOutcome

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField(_("number"))
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_excerpt = models.TextField(_("response excerpt"), blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AttemptOutcome.choices)

    class Meta:
        ordering = ["delivery", "number", "id"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [models.Index(fields=["delivery", "number"], name="attempt_delivery_idx")]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery}"
