"""System checks of the webhooks: settings that must not reach production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from webhooks import conf


@checks.register(checks.Tags.security, deploy=True)
def check_private_targets(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Webhooks reaching private addresses are for development and tests only."""
    if conf.allow_private_targets() and not settings.DEBUG:
        return [
            checks.Warning(
                "Webhooks may reach loopback and private addresses "
                "(DJANGO_WEBHOOKS_ALLOW_PRIVATE_TARGETS is on).",
                hint="Turn it off in production: any user with a token could make the server "
                "send requests into its own network.",
                id="webhooks.W001",
            )
        ]
    return []


@checks.register()
def check_retry_schedule(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The retry schedule is a non-empty list of non-negative delays."""
    schedule = conf.retry_schedule()
    if not schedule or any(not isinstance(d, int | float) or d < 0 for d in schedule):
        return [
            checks.Error(
                f"WEBHOOKS_RETRY_SCHEDULE is {schedule!r}.",
                hint="Give one delay in seconds (0 or more) per attempt, such as 0,5,300.",
                id="webhooks.E001",
            )
        ]
    return []
