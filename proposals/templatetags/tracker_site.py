"""Template helpers of the public site: dates to their precision, languages, query strings."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from proposals import content_languages
from proposals.dates import format_precise_date
from proposals.languages import translated_path
from proposals.site import date_display

register = template.Library()


@register.filter
def precise_date(value: datetime.date | None, precision: str = "day") -> str:
    """Format `value` to its precision in the active language: "10 November 2005", "2005年11月"."""
    return format_precise_date(value, precision)


@register.simple_tag
def time_tag(
    value: datetime.date | None, precision: str = "day", qualifier: str = "exact"
) -> SafeString:
    """Render `value` as a <time> element of the same precision, after "by" or "about"."""
    # Safe: date_display.time_html escapes the formatted date, the machine form is digits and the
    # prefix comes from a fixed table.
    return mark_safe(date_display.time_html(value, precision, qualifier))


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


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """The current page in every language: code, native name, path, absolute URL, current.

    The switcher posts each path as the page to return to; hreflang alternates use the absolute
    URLs. A page the resolver cannot name again (a 404) links to each language's home.
    """
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    query = request.META.get("QUERY_STRING", "")
    result = []
    for code, name in settings.LANGUAGES:
        path = translated_path(request.path_info, code)
        if path is None:
            with translation.override(code):
                path = reverse("site:home")
        elif query:
            path = f"{path}?{query}"
        result.append(
            {
                "code": code,
                "name": name,
                "url": path,
                "absolute_url": request.build_absolute_uri(path),
                "current": code == current,
            }
        )
    return result


@register.simple_tag
def fallback_notice(instance: Any, *fields: str) -> SafeString:
    """Say so when `fields` of `instance` show English because the active language lacks them."""
    missing = content_languages.untranslated_fields(instance, fields)
    if not missing:
        return mark_safe("")
    return format_html(
        '<div class="notice fallback-notice" role="note"><p>{}</p></div>',
        gettext(
            "This page has not been translated into your language yet; "
            "the parts missing are shown in English."
        ),
    )


@register.simple_tag(takes_context=True)
def group_name(context: template.Context, slug: str) -> str:
    """Return the name of the group `slug` in the active language (its slug when it has none)."""
    cache = context.render_context.get("group_names")
    if cache is None:
        cache = context.render_context["group_names"] = content_languages.group_names()
    return cache.get(slug) or slug


@register.simple_tag
def corpus_summary(total: int, totals: dict[str, int]) -> str:
    """The home page's lede: how many proposals, sources, citations, actors and changes."""
    return gettext(
        "%(proposals)s drawn from %(sources)s, backed by %(citations)s and put forward by or to "
        "%(actors)s; %(changes)s recorded since they were proposed."
    ) % {
        "proposals": ngettext("%(count)d proposal", "%(count)d proposals", total)
        % {"count": total},
        "sources": ngettext("%(count)d source", "%(count)d sources", totals["sources"])
        % {"count": totals["sources"]},
        "citations": ngettext(
            "%(count)d verbatim citation", "%(count)d verbatim citations", totals["citations"]
        )
        % {"count": totals["citations"]},
        "actors": ngettext("%(count)d actor", "%(count)d actors", totals["actors"])
        % {"count": totals["actors"]},
        "changes": ngettext(
            "%(count)d status change", "%(count)d status changes", totals["changes"]
        )
        % {"count": totals["changes"]},
    }
