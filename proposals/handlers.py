"""The project's 500 handler: a database outage is a 503 to retry, and the API answers JSON.

Django calls `handler500` for any exception left unhandled, in a view or in a middleware (the
session saved after the view, a throttle reading the cache table), so this one place covers them
all. It runs inside the `except` block that caught the exception, where `sys.exc_info()` names it.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

from proposals.languages import request_language

# What a lost or refused database connection raises (connection refused, server gone, too many
# clients, SQLite's "database is locked"): all of them pass, so the client should retry.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def retry_after() -> str:
    """Seconds a client should wait before retrying after a 503, as a header value."""
    return str(getattr(settings, "DATABASE_RETRY_AFTER", 30))


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """A 503 with Retry-After: JSON on the API, a plain page (no database needed) elsewhere."""
    with translation.override(request_language(request)):
        if is_api_request(request):
            response: HttpResponse = JsonResponse(
                {
                    "detail": _(
                        "The database is unavailable for a moment: retry after the number of "
                        "seconds in Retry-After."
                    ),
                    "code": "service_unavailable",
                },
                status=503,
            )
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Content-Language"] = translation.get_language()
    response["Retry-After"] = retry_after()
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer an unhandled exception: 503 when the database is unavailable, else a 500."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    if is_api_request(request):
        with translation.override(request_language(request)):
            return JsonResponse({"detail": _("Server error."), "code": "server_error"}, status=500)
    return defaults.server_error(request)
