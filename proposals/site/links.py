"""Links and small HTML pieces that pages show by the thousand, built without the template engine.

A page such as the board or a long source shows thousands of links; reversing a URL and
rendering a template fragment for each costs more than the query that fetched them.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from html import escape

from django.utils.dateformat import format as format_date
from django.utils.translation import get_language

# How a date known to the day, the month or the year reads, and its machine-readable form.
DATE_FORMATS = {
    "day": ("j F Y", "Y-m-d"),
    "month": ("F Y", "Y-m"),
    "year": ("Y", "Y"),
}


# How a date's qualifier reads before the date: "by 10 November 2005", "about 2005".
QUALIFIER_PREFIXES = {"exact": "", "on_or_before": "by ", "about": "about "}


def precise_date(
    value: datetime.date | None, precision: str = "day", qualifier: str = "exact"
) -> str:
    """Format `value` to its precision and qualifier: "10 November 2005", "by November 2005"."""
    if not value:
        return ""
    return QUALIFIER_PREFIXES.get(qualifier, "") + _format(value, precision, get_language())[0]


def time_html(value: datetime.date | None, precision: str = "day", qualifier: str = "exact") -> str:
    """Return a <time> element whose datetime attribute has the same precision as its text.

    A qualifier ("by", "about") stands before the element: the machine form is the date itself.
    """
    if not value:
        return "unknown date"
    human, machine = _format(value, precision, get_language())
    prefix = QUALIFIER_PREFIXES.get(qualifier, "")
    return f'{prefix}<time datetime="{machine}">{escape(human)}</time>'


@lru_cache(maxsize=16_384)
def _format(value: datetime.date, precision: str, language: str | None) -> tuple[str, str]:
    # Pages repeat the same few thousand dates; the language is part of the key because month
    # names are translated.
    human, machine = DATE_FORMATS.get(precision, DATE_FORMATS["day"])
    return format_date(value, human), format_date(value, machine)
