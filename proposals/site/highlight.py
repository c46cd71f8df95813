"""
A source text cut into segments at every citation boundary, for the source page.

Citations may overlap or nest, and HTML elements may not overlap, so the text is split at every
start and end of a citation: each segment is then wholly covered by each citation covering it, and
gets one <mark> per covering citation, nested outermost first (the earlier start, then the longer).
The mark of the segment where a citation starts carries its anchor id `citation-<id>`, so every
citation has its own highlighted, linkable mark; inside the innermost mark, the text links to the
proposal of the innermost (most specific) citation. A citation with corrupt offsets that covers no
text gets an empty <a> anchor instead, so its id still exists once. Everything is escaped here,
once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from proposals.routing import slug_url

MAX_DEPTH = 3  # depth classes go up to depth-3: deeper marks look the same


@dataclass
class Segment:
    """A run of text between two boundaries, with the citations covering it."""

    text: str
    covering: list[Any] = field(default_factory=list)  # outermost first: one <mark> each
    starting: list[Any] = field(default_factory=list)  # of `covering`, those starting here
    anchors: list[Any] = field(default_factory=list)  # empty citations starting here


def _bounds(citation: Any, length: int) -> tuple[int, int]:
    """The citation's offsets clipped to the text, so corrupt offsets never break the page."""
    start = min(max(0, citation.start), length)
    return start, min(max(start, citation.end), length)


def segment_text(text: str, citations: Iterable[Any]) -> tuple[list[Segment], list[Any]]:
    """Cut `text` at the citations' boundaries.

    Return the segments in order, and the citations that start at the very end of the text (only
    possible with corrupt offsets), whose anchors go after the last segment.
    """
    citations = list(citations)
    length = len(text)
    # Keyed by position in `citations`: cheaper than asking each model instance for its pk.
    bounds = [_bounds(citation, length) for citation in citations]
    ordered = sorted(
        range(len(citations)), key=lambda i: (bounds[i][0], -bounds[i][1], citations[i].pk)
    )
    cuts = sorted({0, length, *(cut for pair in bounds for cut in pair)})
    starting: dict[int, list[int]] = {}
    for index in ordered:
        starting.setdefault(bounds[index][0], []).append(index)

    segments: list[Segment] = []
    # A sweep: `active` holds the citations begun and not yet ended, in `ordered` order (those
    # starting later come later), so each segment looks at a few citations, not at all of them.
    # Every end is a cut, so a citation still open at a segment's start covers all of it.
    active: list[int] = []
    for start, end in itertools.pairwise(cuts):
        here = starting.pop(start, [])
        opening = [i for i in here if bounds[i][1] > start]
        active = [i for i in active if bounds[i][1] > start] + opening
        segments.append(
            Segment(
                text=text[start:end],
                covering=[citations[i] for i in active],
                starting=[citations[i] for i in opening],
                anchors=[citations[i] for i in here if bounds[i][1] <= start],
            )
        )
    trailing = [citations[i] for group in starting.values() for i in group]
    return segments, trailing


# The page may hold hundreds of passages: the markup is built with f-strings and the standard
# library's html.escape (what django.utils.html.escape calls), not one format_html per piece.


def _anchors_html(citations: Iterable[Any]) -> str:
    return "".join(
        f'<a id="citation-{escape(str(citation.pk))}" class="citation-anchor" '
        'aria-hidden="true"></a>'
        for citation in citations
    )


def render_highlighted(text: str, citations: Iterable[Any]) -> SafeString:
    """Return the text as escaped HTML, each cited passage a <mark id="citation-<id>">.

    Nested and overlapping passages give nested marks; the text links to the proposal of the
    innermost citation covering it.
    """
    citations = list(citations)
    segments, trailing = segment_text(text, citations)
    proposal_url = slug_url("site:proposal-detail")
    cited_for = gettext("Cited for: %(title)s")
    # Per citation, once (keyed by identity, as the same instance appears in every segment it
    # covers): its escaped pk, and the opening of its link when some text links to it.
    pks = {id(c): escape(str(c.pk)) for c in citations}
    link_open: dict[int, str] = {}

    def link_of(citation: Any) -> str:
        html = link_open.get(id(citation))
        if html is None:
            proposal = citation.proposal
            html = link_open[id(citation)] = (
                f'<a href="{escape(proposal_url(proposal.slug))}" '
                f'title="{escape(cited_for % {"title": proposal.title})}">'
            )
        return html

    parts: list[str] = []
    for segment in segments:
        if segment.anchors:
            parts.append(_anchors_html(segment.anchors))
        covering = segment.covering
        if not covering:
            parts.append(escape(segment.text))
            continue
        starting = {id(c) for c in segment.starting}
        for depth, citation in enumerate(covering, start=1):
            pk = pks[id(citation)]
            anchor = f' id="citation-{pk}"' if id(citation) in starting else ""
            parts.append(
                f'<mark{anchor} class="cited depth-{min(depth, MAX_DEPTH)}" data-citation="{pk}">'
            )
        parts.append(f"{link_of(covering[-1])}{escape(segment.text)}</a>")
        parts.append("</mark>" * len(covering))
    if trailing:
        parts.append(_anchors_html(trailing))
    # Safe: every value in the parts above went through html.escape.
    return mark_safe("".join(parts))


def render_jump_list(citations: Iterable[Any], language: str = "en") -> SafeString:
    """Return a list item per citation linking to its passage and to its proposal."""
    proposal_url = slug_url("site:proposal-detail")
    # The locator is in the language of the source; the rest of the line in the reader's.
    line = escape(gettext("%(passage)s (%(role)s) for %(proposal)s"))
    items = (
        "<li>"
        + line
        % {
            "passage": f'<a href="#citation-{escape(str(c.pk))}" lang="{language}">'
            f"{escape(c.locator)}</a>",
            "role": escape(str(c.get_role_display()).lower()),
            "proposal": f'<a href="{escape(proposal_url(c.proposal.slug))}">'
            f"{escape(c.proposal.title)}</a>",
        }
        + "</li>"
        for c in citations
    )
    # Safe: every value above went through html.escape.
    return mark_safe("".join(items))
