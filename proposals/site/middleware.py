"""Middleware of the public site."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware


class HTMLGZipMiddleware(GZipMiddleware):
    """Compress HTML pages for clients that accept gzip; leave every other response alone.

    Pages are most of the bytes a reader downloads (a long source is hundreds of kilobytes of
    text). API responses are left as they are: some carry secrets shown once (tokens, webhook
    secrets) beside what the client sent, the pattern compression side channels (BREACH) need;
    Django masks its CSRF token on every page for the same reason. Static files come
    precompressed from whitenoise.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
