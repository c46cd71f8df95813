"""DRF's anonymous and user throttles, reading their rates from the settings at each request.

DRF's own classes copy `DEFAULT_THROTTLE_RATES` once, at import, so a changed setting (a test's
`settings` fixture, say) would never reach them.
"""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings


class CurrentRatesMixin:
    scope: str

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(CurrentRatesMixin, throttling.AnonRateThrottle):
    """Throttle anonymous clients by address."""


class UserRateThrottle(CurrentRatesMixin, throttling.UserRateThrottle):
    """Throttle signed-in clients by user."""
