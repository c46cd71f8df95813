"""
Health probes for load balancers and orchestrators: /healthz and /readyz.

`/healthz` answers 200 whenever the process can answer at all (liveness: restart it if not).
`/readyz` answers 200 only when the database, every configured cache and the task queue are
reachable, and 503 with JSON naming what failed otherwise (readiness: send it no traffic).

Both are answered by a middleware placed first, before host validation, the HTTPS redirect,
sessions and throttles: a probe comes from the balancer by address, over plain HTTP, and must
neither create state nor count against anyone's rate limit.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

LIVENESS_PATHS = frozenset({"/healthz", "/healthz/"})
READINESS_PATHS = frozenset({"/readyz", "/readyz/"})
PROBE_METHODS = ("GET", "HEAD")


def check_database() -> None:
    """Run a trivial query on every configured database."""
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def check_cache() -> None:
    """Write, read back and delete a key in every configured cache.

    A read alone would pass against a cache configured to swallow connection errors (it answers
    "no such key"): the value written must come back.
    """
    for alias in settings.CACHES:
        cache = caches[alias]
        key = f"readyz:{uuid.uuid4().hex}"
        cache.set(key, "ok", timeout=30)
        if cache.get(key) != "ok":
            raise ConnectionError(f"cache {alias!r} did not return the value just written")
        cache.delete(key)


def check_task_queue() -> None:
    """Reach the queue of every task backend: Redis for RQ, the task table for the database.

    Backends that keep no queue (run at once, or for tests) have nothing to reach.
    """
    import django_rq
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult
    from django_tasks_rq import RQBackend

    from tracker.tasks import task_backends

    for backend in task_backends.all():
        if isinstance(backend, RQBackend):
            for queue in sorted(backend.queues):
                django_rq.get_connection(queue).ping()
        elif isinstance(backend, DatabaseBackend):
            DBTaskResult.objects.exists()


READINESS_CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "tasks": check_task_queue,
}


def readiness() -> dict[str, str]:
    """Run every readiness check; map each name to "ok" or "unavailable"."""
    results = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception:
            # Any failure means "not ready", whatever raised it; the log keeps the details,
            # the public answer only the name.
            logger.warning("readiness check %r failed", name, exc_info=True)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    return results


def _probe_response(request: HttpRequest, body: dict, status: int) -> HttpResponse:
    if request.method not in PROBE_METHODS:
        response: HttpResponse = JsonResponse(
            {"detail": f'Method "{request.method}" not allowed.'}, status=405
        )
        response["Allow"] = ", ".join(PROBE_METHODS)
    else:
        response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before any other middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path in LIVENESS_PATHS:
            return _probe_response(request, {"status": "ok"}, 200)
        if path in READINESS_PATHS:
            if request.method not in PROBE_METHODS:
                return _probe_response(request, {}, 405)
            checks = readiness()
            failing = [name for name, result in checks.items() if result != "ok"]
            body = {"status": "unavailable" if failing else "ok", "checks": checks}
            if failing:
                body["failing"] = failing
            return _probe_response(request, body, 503 if failing else 200)
        return self.get_response(request)
