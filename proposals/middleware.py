"""HTTP guards that apply to every request: the site, the admin and the API alike.

Each class does one job, before any view runs, so that a whole class of bad requests is answered
the same way wherever it lands.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from proposals.api.parsers import FORBIDDEN_CHARACTER, describe_character
from proposals.api.throttling import (
    LoginAddressThrottle,
    LoginUsernameThrottle,
    SiteRateThrottle,
)
from proposals.languages import request_language

# In a query string or a path: the characters no JSON body may hold, and the C0 controls (a
# search box would echo them into a page where HTML forbids them). Tab, LF and CR stay allowed.
MALFORMED_IN_URL = re.compile(f"{FORBIDDEN_CHARACTER.pattern}|[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")

# How much of a refused body is read and thrown away, so that the client sees the answer instead
# of a connection reset; a larger body is left unread (the server then closes the connection).
DRAIN_LIMIT = 64 * 1024 * 1024


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request: HttpRequest, message: str, code: str) -> HttpResponse:
    """A 400: JSON on the API, plain text elsewhere (`message` in the request's language)."""
    if is_api_request(request):
        return JsonResponse({"detail": message, "code": code}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class RefuseMalformedURLMiddleware:
    """Answer 400 to a path or query string holding NUL, a control character or a non-character.

    Such values reach filters, lookups and admin changelists, where PostgreSQL refuses NUL with
    an error and pages would echo them: refusing them here covers every view at once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = MALFORMED_IN_URL.search(request.path)
        if found is None:
            for key, values in request.GET.lists():
                found = MALFORMED_IN_URL.search(key) or next(
                    filter(None, (MALFORMED_IN_URL.search(value) for value in values)), None
                )
                if found is not None:
                    break
        if found is not None:
            # Before LanguageMiddleware: the request's language is picked here.
            with translation.override(request_language(request)):
                character = describe_character(found.group())
                if MALFORMED_IN_URL.search(request.path):
                    message = _("The path holds %(character)s, which no parameter may contain.")
                else:
                    message = _(
                        "The query string holds %(character)s, which no parameter may contain."
                    )
                return bad_request(request, message % {"character": character}, "invalid_character")
        return self.get_response(request)


class DrainRefusedBodyMiddleware:
    """Read what is left of a request body the view refused, so the client reads the answer.

    A server that answers (413, say) and closes while the client is still sending makes the
    client see a broken pipe instead of the answer. WSGI servers drop a `Connection: close`
    header set by the application, so the body is drained instead, up to `DRAIN_LIMIT`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code >= 400:
            drain(request)
        return response


def drain(request: HttpRequest) -> None:
    """Discard the unread rest of the request body, if it is not larger than DRAIN_LIMIT."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    stream = getattr(request, "_stream", None)
    if not length or length > DRAIN_LIMIT or stream is None:
        return
    try:
        while stream.read(64 * 1024):
            pass
    except (OSError, ValueError):  # the client went away: nothing left to drain
        return


# What a lookup value the database cannot take raises while a changelist builds or runs its
# query: a year past 9999, a number too large for the column, a value of the wrong type.
BAD_LOOKUP_ERRORS = (ValueError, TypeError, OverflowError, ValidationError, DataError)


class AdminChangelistLookupMiddleware:
    """Treat a changelist filter value the database cannot take as an invalid filter.

    Django's admin redirects to `?e=1` (the list without filters) for lookups it recognises as
    wrong, but values such as `effective_date__year=99999999999` only fail when the query is
    compiled or run. This applies the same answer to every ModelAdmin's changelist, whatever its
    filters: a redirect, never a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        match = request.resolver_match
        if (
            not isinstance(exception, BAD_LOOKUP_ERRORS)
            or match is None
            or match.app_name != "admin"
            or not (match.url_name or "").endswith("_changelist")
            or request.method not in ("GET", "HEAD")
        ):
            return None
        if ERROR_FLAG in request.GET:
            return bad_request(request, _("These filters cannot be applied."), "invalid_filter")
        return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")


def too_many_requests(request: HttpRequest, wait: float | None) -> HttpResponse:
    """A 429 with Retry-After: JSON on the API, plain text elsewhere."""
    seconds = max(1, math.ceil(wait or 1))
    # Before LanguageMiddleware: the request's language is picked here.
    with translation.override(request_language(request)):
        message = ngettext(
            "Too many requests: retry in %(seconds)d second.",
            "Too many requests: retry in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
    if is_api_request(request):
        response: HttpResponse = JsonResponse({"detail": message, "code": "throttled"}, status=429)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response


class SiteThrottleMiddleware:
    """Throttle the public site, its feeds and the admin per client address (the API has its own).

    Login posts are throttled here too, before the view hashes the password: per address, and
    per username from any address (a slow-down: the budget refills within the minute, so no
    address can lock an editor out). django-axes then locks out an address after repeated
    failures, whatever usernames it tried.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_request(request):
            return self.get_response(request)
        throttles: list[Any] = [SiteRateThrottle()]
        if request.method == "POST" and request.path_info == reverse("admin:login"):
            throttles.append(LoginAddressThrottle())
            username = request.POST.get("username", "")
            if username:
                throttles.append(LoginUsernameThrottle(username))
        for throttle in throttles:
            if not throttle.allow_request(request, None):
                return too_many_requests(request, throttle.wait())
        return self.get_response(request)
