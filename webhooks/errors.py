"""Domain errors of the webhooks, mapped to HTTP by the API's one exception handler."""

from __future__ import annotations

from proposals.errors import DomainError


class TargetNotAllowed(DomainError):
    code = "target_not_allowed"
    field = "url"


class InvalidSubscription(DomainError):
    code = "invalid_subscription"


class DeliveryInProgress(DomainError):
    code = "delivery_in_progress"

    def __init__(self) -> None:
        super().__init__(
            "This delivery is still pending or being sent; redeliver it once it has finished."
        )


class SubscriptionInactive(DomainError):
    code = "subscription_inactive"
    field = "active"

    def __init__(self) -> None:
        super().__init__("The subscription is inactive: set active to true first.")
