"""Template helpers of the public site: dates shown with only the precision their source gives."""

from __future__ import annotations

import datetime

from django import template
from django.utils.safestring import SafeString, mark_safe

from proposals.site import links

register = template.Library()


@register.filter
def precise_date(value: datetime.date | None, precision: str = "day") -> str:
    """Format `value` to its precision: "10 November 2005", "November 2005" or "2005"."""
    return links.precise_date(value, precision)


@register.simple_tag
def time_tag(
    value: datetime.date | None, precision: str = "day", qualifier: str = "exact"
) -> SafeString:
    """Render `value` as a <time> element of the same precision, after "by" or "about"."""
    # Safe: links.time_html escapes the formatted date, the machine form is digits and the
    # prefix comes from a fixed table.
    return mark_safe(links.time_html(value, precision, qualifier))


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """Return the current query string with `changes` applied; a None or "" value drops a key."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping: dict, key: str) -> object:
    """`mapping[key]`, or 0 when absent: for tables of counts."""
    return mapping.get(key, 0)


@register.filter(is_safe=True)
def normalize_space(value: str) -> str:
    """Collapse runs of whitespace to one space and trim: for attribute values built by blocks."""
    return " ".join(str(value).split())
