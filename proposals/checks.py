"""System checks: a consistent workflow table, and state that every node shares."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from proposals import workflow


@checks.register()
def check_transition_table(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every status has a row, and every row names only known statuses."""
    problems: list[checks.CheckMessage] = []
    known = set(workflow.Status.values)
    for status in workflow.Status:
        if status not in workflow.TRANSITIONS:
            problems.append(
                checks.Error(
                    f"Status {status.value!r} has no row in the transition table.",
                    hint="Add it to proposals.workflow.TRANSITIONS (an empty tuple if final).",
                    id="proposals.E001",
                )
            )
        if status not in workflow.DESCRIPTIONS:
            problems.append(
                checks.Error(
                    f"Status {status.value!r} has no description.",
                    hint="Add it to proposals.workflow.DESCRIPTIONS.",
                    id="proposals.E002",
                )
            )
    for source, targets in workflow.TRANSITIONS.items():
        for target in targets:
            if target not in known:
                problems.append(
                    checks.Error(
                        f"The transition {str(source)!r} -> {str(target)!r} names an unknown "
                        "status.",
                        hint="Use only members of proposals.workflow.Status.",
                        id="proposals.E003",
                    )
                )
    if workflow.INITIAL_STATUS not in known:
        problems.append(checks.Error("The initial status is unknown.", id="proposals.E004"))
    return problems


PER_PROCESS_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)
CACHED_SESSION_ENGINES = frozenset(
    {
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    }
)


@checks.register(checks.Tags.caches, deploy=True)
def check_sessions_are_shared(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Sessions kept in a cache need a cache that every process shares."""
    if settings.SESSION_ENGINE not in CACHED_SESSION_ENGINES:
        return []
    alias = settings.SESSION_CACHE_ALIAS
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Error(
            f"Sessions are kept in the cache {alias!r}, which lives in one process: a login on "
            "one worker or node is unknown to the others.",
            hint="Set REDIS_URL for a shared cache, or DJANGO_SESSIONS=db.",
            id="proposals.E101",
        )
    ]
