"""
Dates shown with only the precision their source gives, in the reader's language.

A date known to the day, the month or the year is stored as the first day of its period with its
precision; it is shown as "27 August 2021", "August 2021" or "2021" in English, and as
"2021年8月27日", "2021年8月" or "2021年" in Japanese and Traditional Chinese. The site, the admin
and the API's display fields all format dates here.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django.utils import translation
from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.translation import pgettext_lazy

# Django date-format strings by language and precision; a language missing here reads English.
HUMAN_FORMATS: dict[str, dict[str, str]] = {
    "en": {"day": "j F Y", "month": "F Y", "year": "Y"},
    "ja": {"day": "Y年n月j日", "month": "Y年n月", "year": "Y年"},
    "zh-hant": {"day": "Y年n月j日", "month": "Y年n月", "year": "Y年"},
}
# How a date's qualifier reads around it (`exact` adds nothing).
QUALIFIER_PATTERNS = {
    "on_or_before": pgettext_lazy("date qualifier", "by %(date)s"),
    "about": pgettext_lazy("date qualifier", "about %(date)s"),
}
# The machine-readable form (a <time> element's datetime attribute) keeps the same precision.
MACHINE_FORMATS = {"day": "Y-m-d", "month": "Y-m", "year": "Y"}


def format_precise_date(
    value: datetime.date | None,
    precision: str = "day",
    language: str | None = None,
    *,
    qualifier: str = "exact",
) -> str:
    """Return `value` to its precision in `language` (the active one by default); "" for None.

    A qualifier reads around the date: "by August 2021", "2021年8月以前", "約2021年".
    """
    if value is None:
        return ""
    language = language or translation.get_language() or "en"
    human = _human(value, precision, language)
    if qualifier in ("", "exact"):
        return human
    with translation.override(language):
        return qualify(human, qualifier)


def qualify(date: str, qualifier: str, *, html: bool = False) -> str:
    """Put `date` (text, or with `html` an escaped <time> element) in its qualifier's words."""
    pattern = QUALIFIER_PATTERNS.get(qualifier)
    if pattern is None:
        return date
    text = str(pattern)
    return (escape(text) if html else text) % {"date": date}


@lru_cache(maxsize=16_384)
def machine_date(value: datetime.date, precision: str = "day") -> str:
    """Return `value` as ISO 8601 to its precision: "2021-08-27", "2021-08" or "2021"."""
    return format_date(value, MACHINE_FORMATS.get(precision, MACHINE_FORMATS["day"]))


@lru_cache(maxsize=16_384)
def _human(value: datetime.date, precision: str, language: str) -> str:
    # Pages repeat the same few thousand dates; month names depend on the language, so it is
    # part of the key.
    formats = HUMAN_FORMATS.get(language) or HUMAN_FORMATS["en"]
    pattern = formats.get(precision, formats["day"])
    with translation.override(language):
        return format_date(value, pattern)
