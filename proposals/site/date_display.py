"""Dates as pages show them: to their precision and qualifier, as text or as a <time> element.

Built without the template engine: the board or a long history shows them by the hundred, and
a template fragment for each would cost more than the query that fetched them.
"""

from __future__ import annotations

import datetime
from html import escape

from django.utils.translation import gettext

from proposals.dates import format_precise_date, machine_date, qualify


def precise_date(
    value: datetime.date | None, precision: str = "day", qualifier: str = "exact"
) -> str:
    """Format `value` to its precision and qualifier: "10 November 2005", "by November 2005"."""
    return format_precise_date(value, precision, qualifier=qualifier)


def time_html(value: datetime.date | None, precision: str = "day", qualifier: str = "exact") -> str:
    """Return a <time> element whose datetime attribute has the same precision as its text.

    A qualifier ("by", "about") stands before the element: the machine form is the date itself.
    """
    if not value:
        return escape(gettext("unknown date"))
    element = (
        f'<time datetime="{machine_date(value, precision)}">'
        f"{escape(format_precise_date(value, precision))}</time>"
    )
    return qualify(element, qualifier, html=True)
