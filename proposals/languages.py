"""
The languages of the tracker and how a request picks one.

The public site carries its language in the path (`/ja/...`, `/zh-hant/...`, English
unprefixed), as Django's `i18n_patterns` do. Django's `LocaleMiddleware` pins every unprefixed
path to English once prefixed patterns are used; that is right for the site, but the admin
follows the editor's language (the choice remembered in the language cookie, then the browser's
Accept-Language) and the API negotiates its own (`?lang=`, then Accept-Language), so that the
same URL serves each client in its language and says so in `Vary` and `Content-Language`.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The query parameter by which an API client names the language it wants.
API_LANGUAGE_PARAMETER = "lang"
API_PREFIX = "/api/"
ADMIN_PREFIX = "/admin/"


def language_codes() -> list[str]:
    """Return the codes of the shipped languages, the default first."""
    return [code for code, _ in settings.LANGUAGES]


def supported_language(code: str | None) -> str | None:
    """Return the shipped language `code` names (any case, `_` or `-`), or None."""
    if not code:
        return None
    wanted = code.strip().lower().replace("_", "-")
    for known in language_codes():
        if wanted == known:
            return known
    # zh-TW and zh-HK read Traditional Chinese; ja-JP reads Japanese.
    try:
        return translation.get_supported_language_variant(wanted)
    except LookupError:
        return None


def negotiated_language(request: HttpRequest, *, query: bool) -> str:
    """Return the language a request asks for, without looking at its path.

    With `query`, `?lang=` comes first (the API); otherwise the language cookie (the choice made
    with the switcher). Then Accept-Language, then the default.
    """
    if query:
        chosen = supported_language(request.GET.get(API_LANGUAGE_PARAMETER))
        if chosen:
            return chosen
    else:
        chosen = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if chosen:
            return chosen
    accept = request.headers.get("Accept-Language", "")
    for code, _quality in translation.trans_real.parse_accept_lang_header(accept):
        if code == "*":
            break
        chosen = supported_language(code)
        if chosen:
            return chosen
    return settings.LANGUAGE_CODE


def request_language(request: HttpRequest) -> str:
    """Return the language a request is answered in, as LanguageMiddleware would choose it.

    For answers given before that middleware runs (a refused URL, a throttled client, a database
    outage): the language active then is whatever the thread's previous request left.
    """
    path = request.path_info
    if path.startswith(API_PREFIX):
        return negotiated_language(request, query=True)
    if path.startswith(ADMIN_PREFIX):
        return negotiated_language(request, query=False)
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def translated_path(path: str, language: str) -> str | None:
    """Return `path` (a page of the site in the active language) in `language`, or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    with translation.override(language):
        try:
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return None


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware for the site; the admin and the API negotiate their own."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        if path.startswith(API_PREFIX):
            language = negotiated_language(request, query=True)
        elif path.startswith(ADMIN_PREFIX):
            language = negotiated_language(request, query=False)
        else:
            super().process_request(request)
            return self._remembered_language_redirect(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        path = request.path_info
        if path.startswith((API_PREFIX, ADMIN_PREFIX)):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        if not translation.get_language_from_path(path):
            # An unprefixed page redirects a visitor whose cookie names another language.
            patch_vary_headers(response, ("Cookie",))
        return super().process_response(request, response)

    def _remembered_language_redirect(self, request: HttpRequest) -> HttpResponse | None:
        """Send a visitor who chose another language to this page in that language.

        Only for an unprefixed (English) page read with GET, when the language cookie names
        another shipped language: the switcher sets it, and it is the choice remembered.
        """
        if request.method not in ("GET", "HEAD"):
            return None
        remembered = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if remembered in (None, settings.LANGUAGE_CODE):
            return None
        if translation.get_language_from_path(request.path_info):
            return None
        target = translated_path(request.path_info, remembered)
        if target is None or target == request.path_info:
            return None
        query = request.META.get("QUERY_STRING", "")
        response = HttpResponseRedirect(f"{target}?{query}" if query else target)
        patch_vary_headers(response, ("Cookie",))
        return response
