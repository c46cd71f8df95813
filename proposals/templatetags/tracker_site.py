"""Template helpers of the public site: dates shown with only the precision their source gives."""

from __future__ import annotations

import datetime

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# How a date known to the day, the month or the year reads, and its machine-readable form.
_FORMATS = {
    "day": ("j F Y", "Y-m-d"),
    "month": ("F Y", "Y-m"),
    "year": ("Y", "Y"),
}


@register.filter
def precise_date(value: datetime.date | None, precision: str = "day") -> str:
    """Format `value` to its precision: "10 November 2005", "November 2005" or "2005"."""
    if not value:
        return ""
    human, _ = _FORMATS.get(precision, _FORMATS["day"])
    return format_date(value, human)


@register.simple_tag
def time_tag(value: datetime.date | None, precision: str = "day") -> SafeString | str:
    """Render `value` as a <time> element whose datetime attribute has the same precision."""
    if not value:
        return "unknown date"
    human, machine = _FORMATS.get(precision, _FORMATS["day"])
    return format_html(
        '<time datetime="{}">{}</time>', format_date(value, machine), format_date(value, human)
    )


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
