"""Building many URLs of one route that differ only by slug, reversing the route once."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

SLUG_PLACEHOLDER = "__slug__"


def slug_url(view_name: str, absolute: Callable[[str], str] | None = None) -> Callable[[str], str]:
    """Return a function giving the URL of `view_name` for a slug.

    Pages and API lists show hundreds of links; reversing each costs more than the query that
    fetched them. `absolute`, such as `request.build_absolute_uri`, turns the path into a URL.
    """
    pattern = reverse(view_name, kwargs={"slug": SLUG_PLACEHOLDER})
    if absolute is not None:
        pattern = absolute(pattern)
    head, _, tail = pattern.rpartition(SLUG_PLACEHOLDER)
    return lambda slug: f"{head}{slug}{tail}"
