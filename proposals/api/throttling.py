"""Throttles of the API and the site, keyed on the client address of proposals.clients.

DRF's own classes copy `DEFAULT_THROTTLE_RATES` once, at import, so a changed setting (a test's
`settings` fixture, say) would never reach them; these read the rates at each request. Their
counters live in the `default` cache, which the settings make a shared one (the database cache
table, or Redis), so every worker counts against the same budget.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from rest_framework import throttling
from rest_framework.settings import api_settings

from proposals.clients import client_address


class CurrentRatesMixin:
    scope: str

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request: HttpRequest) -> str:
        """The client's address, trusting X-Forwarded-For only behind configured proxies."""
        return client_address(request)


class AnonRateThrottle(CurrentRatesMixin, throttling.AnonRateThrottle):
    """Throttle anonymous clients by address."""


class UserRateThrottle(CurrentRatesMixin, throttling.UserRateThrottle):
    """Throttle signed-in clients by user; anonymous ones are AnonRateThrottle's alone.

    DRF's own class falls back to the address for an anonymous request, which then paid for
    two counters (two reads and two writes of the shared cache) where the tighter anonymous
    budget is the only one that can refuse it.
    """

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class FailedAuthenticationThrottle(CurrentRatesMixin, throttling.SimpleRateThrottle):
    """Count refused credentials (a guessed token) per address, on a tighter budget."""

    scope = "failed_auth"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SiteRateThrottle(CurrentRatesMixin, throttling.SimpleRateThrottle):
    """A generous budget per address for the public pages and feeds."""

    scope = "site"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginAddressThrottle(SiteRateThrottle):
    """Login attempts per address, counted before the password is hashed."""

    scope = "login"


class LoginUsernameThrottle(SiteRateThrottle):
    """Login attempts per username from any address: a slow-down, never a lockout."""

    scope = "login_username"

    def __init__(self, username: str) -> None:
        super().__init__()
        self.username = username

    def get_cache_key(self, request: Any, view: Any) -> str:
        name = self.username.strip().lower().encode("utf-8", "replace")
        ident = hashlib.sha256(name).hexdigest()  # any username, as a safe, short cache key
        return self.cache_format % {"scope": self.scope, "ident": ident}
