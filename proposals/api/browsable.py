"""The browsable API's HTML pages: breadcrumbs that name only the endpoints a reader can open."""

from __future__ import annotations

from typing import Any

from django.urls import Resolver404, resolve
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request


class TrackerBrowsableAPIRenderer(BrowsableAPIRenderer):
    """The browsable API, with breadcrumbs from the API's root to the page.

    DRF builds breadcrumbs by resolving every prefix of the path; the catch-all views that answer
    a path without its slash or with no endpoint (`breadcrumb = False`) would otherwise appear as
    "Missing Slash" and "Not Found" crumbs.
    """

    def get_breadcrumbs(self, request: Request) -> list[tuple[str, str]]:
        crumbs = []
        for name, url in super().get_breadcrumbs(request):
            try:
                match = resolve(url.split("?")[0])
            except Resolver404:
                continue
            view_class: Any = getattr(match.func, "cls", None)
            if getattr(view_class, "breadcrumb", True):
                crumbs.append((name, url))
        return crumbs
