"""Views of the public, read-only site: each reads through a selector and renders a template."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html import escape
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import apnumber
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from proposals import genealogy, selectors, workflow
from proposals.models import Citation, Proposal, SourceKind, StatusChange
from proposals.routing import slug_url
from proposals.site import charts
from proposals.site.date_display import precise_date, time_html
from proposals.site.forms import BoardForm, ProposalFilterForm
from proposals.site.highlight import render_highlighted, render_jump_list

PAGE_SIZE = 25
RECENT_CHANGES = 8
# The six measures of the 2019 Japan-US-Taiwan statement, shown as one row on the home page.
MEASURES_GROUP = "2019-japan-us-taiwan-statement"


# How a count of sources of each kind reads in the home page's introduction.
SOURCE_KIND_NOUNS = {
    SourceKind.DIPLOMATIC_CABLE: ("US diplomatic cable", "US diplomatic cables"),
    SourceKind.ARTICLE: ("article", "articles"),
    SourceKind.ANALYSIS: ("analysis", "analyses"),
    SourceKind.NEWS_REPORT: ("news report", "news reports"),
}


def _sources_listed(kinds: list[selectors.SourceKindSummary]) -> str:
    """The sources as a list for languages other than English: "外交公電（2件、2005年）、…"."""
    items = []
    for kind in kinds:
        label = SourceKind(kind.kind).label if kind.kind in SourceKind.values else kind.kind
        if kind.first_year is None:
            years = ""
        elif kind.first_year == kind.last_year:
            years = str(kind.first_year)
        else:
            years = f"{kind.first_year}\u2013{kind.last_year}"
        items.append(
            (
                pgettext("source kind, count, years", "%(kind)s (%(count)d, %(years)s)")
                if years
                else pgettext("source kind and count", "%(kind)s (%(count)d)")
            )
            % {"kind": label, "count": kind.count, "years": years}
        )
    return pgettext("list separator", ", ").join(items)


def describe_sources(kinds: list[selectors.SourceKindSummary]) -> str:
    """The sources in words: "two US diplomatic cables of 2005, an article of 2019 and ..."."""
    if get_language() != settings.LANGUAGE_CODE:
        return _sources_listed(kinds)
    phrases = []
    for kind in kinds:
        singular, plural = SOURCE_KIND_NOUNS.get(kind.kind, (kind.kind, kind.kind))
        if kind.count == 1:
            noun = f"{'an' if singular[0] in 'aeiou' else 'a'} {singular}"
        else:
            noun = f"{apnumber(kind.count)} {plural}"
        if kind.first_year is None:
            phrases.append(noun)
        elif kind.first_year == kind.last_year:
            phrases.append(f"{noun} of {kind.first_year}")
        else:
            phrases.append(f"{noun} of {kind.first_year}\u2013{kind.last_year}")
    if len(phrases) <= 1:
        return "".join(phrases)
    return f"{', '.join(phrases[:-1])} and {phrases[-1]}"


def home(request: HttpRequest) -> HttpResponse:
    """What the tracker is about, counts per status then and now, and the latest changes."""
    counts = selectors.status_counts()
    largest = max(counts.values(), default=0) or 1
    chart = [
        {
            "status": status,
            "count": counts.get(status, 0),
            "percent": round(100 * counts.get(status, 0) / largest),
        }
        for status in workflow.Status
    ]
    first, last = selectors.proposal_period()
    months = selectors.status_counts_by_month()
    context = {
        "chart": chart,
        "total": sum(counts.values()),
        "totals": selectors.totals(),
        "first_year": first.year if first else None,
        "last_year": last.year if last else None,
        "sources_in_words": describe_sources(selectors.source_kinds()),
        "measures": list(selectors.proposals_in_group(MEASURES_GROUP)),
        "measures_group": MEASURES_GROUP,
        "changes": selectors.changes(after_proposal=True, evidence=False)[:RECENT_CHANGES],
        "over_time": charts.status_chart(months, title_id="home-chart"),
        "over_time_rows": charts.changed_months(months),
        "statuses": list(workflow.Status),
    }
    return render(request, "proposals/site/home.html", context)


def proposal_list(request: HttpRequest) -> HttpResponse:
    """Proposals filtered, sorted and paginated by the query string, which can be shared."""
    form = ProposalFilterForm(request.GET)
    queryset = selectors.filter_proposals(
        selectors.proposal_cards(with_proposers=True), **form.filters()
    )
    queryset = selectors.order_proposals(queryset, form.ordering())
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "problems": form.problems(),
        "page": page,
        "filtered": bool(form.filters()),
        # The changes feed takes the list's filters, under the list's own query names.
        "feed_query": urlencode(
            sorted(
                ("q" if name == "text" else name, value) for name, value in form.filters().items()
            )
        ),
    }
    return render(request, "proposals/site/proposal_list.html", context)


@dataclass(eq=False)  # one per passage: compared and hashed by identity
class Quote:
    """A passage a proposal cites, shown once however many citations (roles) point at it."""

    number: int
    citations: list[Citation]
    uses: list[tuple[str, str]] = field(default_factory=list)  # (label, link in the page)

    @property
    def anchor(self) -> str:
        return f"quote-{self.number}"

    @property
    def first(self) -> Citation:
        return self.citations[0]

    @property
    def is_origin(self) -> bool:
        return any(c.role == Citation.Role.ORIGIN for c in self.citations)

    @property
    def roles(self) -> list[str]:
        return list(dict.fromkeys(str(c.get_role_display()) for c in self.citations))

    @property
    def locators(self) -> list[str]:
        return list(dict.fromkeys(c.locator for c in self.citations))


ROLE_ORDER = {Citation.Role.ORIGIN: 0, Citation.Role.EVIDENCE: 1, Citation.Role.CONTEXT: 2}


def quotes_of(citations: list[Citation], history: list[StatusChange]) -> dict[int, Quote]:
    """Group the citations by passage (source and offsets) and say where each passage is used.

    Return each citation's quote, by citation id; quotes are numbered origin first, then in
    the order of the sources.
    """
    by_passage: dict[tuple[int, int, int], list[Citation]] = {}
    for citation in citations:
        by_passage.setdefault((citation.source_id, citation.start, citation.end), []).append(
            citation
        )
    groups = sorted(
        by_passage.values(),
        key=lambda group: min(ROLE_ORDER.get(c.role, 3) for c in group),
    )
    quote_of: dict[int, Quote] = {}
    for number, group in enumerate(groups, start=1):
        quote = Quote(number, sorted(group, key=lambda c: ROLE_ORDER.get(c.role, 3)))
        for citation in group:
            quote_of[citation.pk] = quote
    for change in history:
        for citation in change.evidence.all():
            quote = quote_of.get(citation.pk)
            if quote is None:
                continue
            label = _("evidence for %(status)s on %(date)s") % {
                "status": change.get_to_status_display().lower(),
                "date": precise_date(change.effective_date, change.effective_precision),
            }
            quote.uses.append((label, f"#change-{change.pk}"))
    for quote in quote_of.values():
        if not quote.uses and any(c.role == Citation.Role.CONTEXT for c in quote.citations):
            quote.uses.append((_("context"), ""))
    return quote_of


def proposal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A proposal, its status over time, and each passage it cites once, however often used."""
    proposal = get_object_or_404(selectors.proposal_page(), slug=slug)
    citations = list(proposal.citations.all())
    history = list(selectors.history_of(proposal))
    quote_of = quotes_of(citations, history)
    quotes = sorted(set(quote_of.values()), key=lambda quote: quote.number)
    timeline = [
        (change, list(dict.fromkeys(quote_of[c.pk] for c in change.evidence.all())))
        for change in history
    ]
    stretches = charts.stretches(history, timezone.localdate())
    context = {
        "proposal": proposal,
        "origins": [q for q in quotes if q.is_origin],
        "quotes": quotes,
        "timeline": timeline,
        "stretches": stretches,
        "time_strip": charts.time_strip(stretches),
        **connections_of(proposal),
    }
    return render(request, "proposals/site/proposal_detail.html", context)


def connections_of(proposal: Proposal) -> dict[str, Any]:
    """The proposal's lineage (with the years between its steps), relations and positions."""
    lineage = selectors.lineage_of(proposal)
    previous: Proposal | None = None
    for item in lineage:
        item.gap_years = None
        if previous is not None:
            item.gap_years = genealogy.years_between(
                previous.proposed_on,
                item.proposed_on,
                previous.proposed_precision,
                item.proposed_precision,
            )
        previous = item
    relations = []
    for relation in selectors.relations_of(proposal):
        outgoing = relation.from_proposal_id == proposal.pk
        relations.append(
            {
                "outgoing": outgoing,
                "label": relation.get_type_display().lower(),
                "other": relation.to_proposal if outgoing else relation.from_proposal,
                "note": relation.note,
                "citation": relation.citation,
            }
        )
    return {
        "lineage": lineage,
        "adoption": selectors.adoption_of(proposal, lineage),
        "relations": relations,
        "positions": selectors.current_positions(list(selectors.positions_of(proposal))),
    }


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A source's metadata and full text, each cited passage highlighted and linkable."""
    source = get_object_or_404(selectors.sources_with_text(), slug=slug)
    citations = selectors.passages_of(source)
    context = {
        "source": source,
        "citations": citations,
        "correction": selectors.latest_correction(source),
        "highlighted": render_highlighted(source.text, citations),
        "jump_list": render_jump_list(citations, getattr(source, "language", "") or "en"),
    }
    return render(request, "proposals/site/source_detail.html", context)


def source_list(request: HttpRequest) -> HttpResponse:
    """Every source, with how much of it is cited."""
    sources = selectors.sources_with_counts()
    return render(request, "proposals/site/source_list.html", {"sources": sources})


def actor_list(request: HttpRequest) -> HttpResponse:
    """Every actor, with how many proposals it made and is addressed by."""
    actors = selectors.actors_with_counts()
    return render(request, "proposals/site/actor_list.html", {"actors": actors})


def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """What an actor proposed and what is addressed to it."""
    actor = get_object_or_404(selectors.actor_with_proposals(), slug=slug)
    positions = list(selectors.positions_of_actor(actor))
    latest: set[int] = set()
    seen: set[int] = set()
    for position in positions:  # newest first: the first of each proposal is current
        if position.proposal_id not in seen:
            seen.add(position.proposal_id)
            latest.add(position.pk)
        position.current = position.pk in latest
    context = {"actor": actor, "positions": positions}
    return render(request, "proposals/site/actor_detail.html", context)


# A column shows this many cards, and the rest behind a "show all" control, so that every
# column's head stays on the first screen and no column runs thousands of pixels down.
BOARD_VISIBLE_CARDS = 8


class BoardColumn(NamedTuple):
    status: workflow.Status
    count: int
    cards: SafeString  # the first BOARD_VISIBLE_CARDS cards
    more: SafeString  # the others, behind "show all"


def board_columns(
    day: datetime.date, recorded_as_of: datetime.date | None = None
) -> tuple[list[BoardColumn], int]:
    """Each status with its count and its cards as HTML, for every proposal made by `day`.

    The board shows every proposal, thousands of them at scale; its cards are built here in
    one pass rather than through a template loop.
    """
    proposal_url = slug_url("site:proposal-detail")
    since_html = escape(_("since %(since)s"))
    cards: dict[str, list[str]] = {status: [] for status in workflow.Status}
    rows = selectors.board(day, recorded_as_of=recorded_as_of).values_list(
        "slug", "title", "shown_status", "shown_since", "shown_precision"
    )
    for slug, title, status, date, precision in rows:
        cards[status].append(
            f'<li class="board-card" data-slug="{escape(slug)}">'
            f'<a href="{escape(proposal_url(slug))}">{escape(title)}</a> '
            f'<small class="muted">{since_html % {"since": time_html(date, precision)}}'
            "</small></li>"
        )
    columns = [
        # Safe: every value in the cards went through html.escape.
        BoardColumn(
            status,
            len(cards[status]),
            mark_safe("".join(cards[status][:BOARD_VISIBLE_CARDS])),
            mark_safe("".join(cards[status][BOARD_VISIBLE_CARDS:])),
        )
        for status in workflow.Status
    ]
    return columns, sum(column.count for column in columns)


def board(request: HttpRequest) -> HttpResponse:
    """Every proposal in the column of its status on the chosen day, as known now or then."""
    asked = any(key in request.GET for key in ("as_of", "recorded_as_of"))
    question = BoardForm(request.GET if asked else None).question()
    columns, total = board_columns(question.day, question.recorded_as_of)
    months = selectors.status_counts_by_month(
        until=question.day, recorded_as_of=question.recorded_as_of
    )
    context = {
        "form": BoardForm(
            initial={"as_of": question.day, "recorded_as_of": question.recorded_as_of}
        ),
        "day": question.day,
        "recorded_as_of": question.recorded_as_of,
        "problems": question.problems,
        "columns": columns,
        "total": total,
        "citable_url": request.build_absolute_uri(f"{request.path}?{urlencode(question.query())}"),
        "chart": charts.status_chart(months, title_id="board-chart"),
        "chart_rows": charts.changed_months(months),
        "statuses": list(workflow.Status),
    }
    return render(request, "proposals/site/board.html", context)
