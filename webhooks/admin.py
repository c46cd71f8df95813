"""
The admin of webhooks: each editor sees and manages only their own subscriptions.

Writes go through webhooks.services; the form checks input with the services' check-only twin
and shows domain errors as form errors. The secret is shown once, on the page after creation.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from proposals.errors import DomainError
from webhooks import selectors, services
from webhooks.models import URL_MAX_LENGTH, Attempt, Delivery, EventType, Webhook

FILTER_FIELDS = ("filter_proposal", "filter_actor", "filter_status", "filter_category")


class OwnRowsMixin:
    """Rows of the requesting user only (a superuser sees all)."""

    def owner_of(self, obj: Any) -> Any:
        raise NotImplementedError

    def _own(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or request.user.is_superuser or self.owner_of(obj) == request.user.pk

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._own(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._own(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._own(request, obj)  # type: ignore[misc]


class WebhookForm(forms.ModelForm):
    # Declared here, so the labels are given here too (the model's are not used).
    url = forms.URLField(label=_("URL"), max_length=URL_MAX_LENGTH, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ["url", "events", *FILTER_FIELDS, "active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        wanted = {name.removeprefix("filter_"): cleaned.get(name, "") for name in FILTER_FIELDS}
        try:
            cleaned.update(
                services.check_subscription(
                    url=cleaned["url"], events=cleaned["events"], filter=wanted
                )
            )
        except DomainError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)
        return cleaned


@admin.register(Webhook)
class WebhookAdmin(OwnRowsMixin, admin.ModelAdmin):
    form = WebhookForm
    list_display = ["url", "owner", "event_list", "active", "disabled_reason", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["disabled_reason", "deliveries_link", "created_at", "updated_at"]
    actions = ["send_test_event"]
    fieldsets = [
        (None, {"fields": ["url", "events", "active", "disabled_reason"]}),
        (
            _("Filter (each field given narrows the events about proposals)"),
            {"fields": FILTER_FIELDS},
        ),
        (_("Deliveries"), {"fields": ["deliveries_link", "created_at", "updated_at"]}),
    ]

    def owner_of(self, obj: Webhook) -> Any:
        return obj.owner_id

    def get_queryset(self, request: HttpRequest) -> QuerySet[Webhook]:
        return selectors.webhooks_visible_to(request.user)

    @admin.display(description=_("events"))
    def event_list(self, obj: Webhook) -> str:
        return ", ".join(obj.events)

    @admin.display(description=_("deliveries"))
    def deliveries_link(self, obj: Webhook) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:webhooks_delivery_changelist") + f"?webhook__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Deliveries and every attempt"))

    def save_model(self, request: HttpRequest, obj: Webhook, form: Any, change: bool) -> None:
        data = form.cleaned_data
        wanted = {name.removeprefix("filter_"): data.get(name, "") for name in FILTER_FIELDS}
        if change:
            # As stored: the form has already written what was typed onto `obj`.
            stored = selectors.webhooks_visible_to(request.user).get(pk=obj.pk)
            services.update_webhook(
                webhook=stored,
                data={
                    "url": data["url"],
                    "events": data["events"],
                    "filter": wanted,
                    "active": data["active"],
                },
            )
            return
        created = services.create_webhook(
            owner=request.user,
            url=data["url"],
            events=data["events"],
            filter=wanted,
            active=data["active"],
        )
        obj.pk, obj.secret = created.pk, created.secret

    def response_add(
        self, request: HttpRequest, obj: Webhook, post_url_continue: str | None = None
    ) -> HttpResponse:
        """Show the new secret on a page of its own, once (never in a message cookie)."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "webhook": obj,
            "title": gettext("Webhook created: copy its secret"),
            "change_url": reverse("admin:webhooks_webhook_change", args=[obj.pk]),
        }
        return TemplateResponse(request, "admin/webhooks/webhook/secret.html", context)

    def delete_model(self, request: HttpRequest, obj: Webhook) -> None:
        services.delete_webhook(webhook=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Webhook]) -> None:
        for webhook in queryset:
            services.delete_webhook(webhook=webhook)

    @admin.action(description=_("Send a test event"), permissions=["change"])
    def send_test_event(self, request: HttpRequest, queryset: QuerySet[Webhook]) -> None:
        for webhook in queryset:
            try:
                services.send_test_event(webhook=webhook)
            except DomainError as error:
                self.message_user(request, f"{webhook.url}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("A test event is on its way to %(url)s.") % {"url": webhook.url},
                )


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = [
        "number",
        "started_at",
        "duration_ms",
        "status_code",
        "outcome",
        "error",
        "response_excerpt",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Attempts are part of their delivery: whoever may see the delivery sees its log.
        return request.user.has_perm("webhooks.view_delivery")


@admin.register(Delivery)
class DeliveryAdmin(OwnRowsMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "webhook",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status"]
    readonly_fields = [
        "webhook",
        "event_id",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "created_at",
        "payload",
    ]
    fields = readonly_fields
    inlines = [AttemptInline]
    actions = ["redeliver"]

    def owner_of(self, obj: Delivery) -> Any:
        return obj.webhook.owner_id

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        return selectors.deliveries_visible_to(request.user)

    def lookup_allowed(self, lookup: str, value: str, request: Any = None) -> bool:
        # The link from a webhook's page; the queryset is already limited to the user's rows.
        return lookup == "webhook__id__exact" or super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="webhook-id")
    def event_id(self, obj: Delivery) -> str:
        return obj.event_id

    @admin.display(description=_("event type"))
    def event_type(self, obj: Delivery) -> str:
        return obj.event.type

    @admin.display(description=_("payload"))
    def payload(self, obj: Delivery) -> str:
        return format_html("<pre>{}</pre>", obj.event.body)

    @admin.action(description=_("Redeliver (same webhook-id)"), permissions=["change"])
    def redeliver(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        for delivery in queryset:
            try:
                services.redeliver(delivery=delivery)
            except DomainError as error:
                self.message_user(
                    request,
                    gettext("Delivery %(id)s: %(error)s")
                    % {"id": delivery.pk, "error": error.message},
                    "error",
                )
            else:
                self.message_user(
                    request, gettext("Delivery %(id)s is queued again.") % {"id": delivery.pk}
                )
