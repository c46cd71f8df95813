"""
A source text cut into segments at every citation boundary, for the source page.

Citations may overlap or nest, and HTML elements may not, so the text is split at every start and
end of a citation. Each segment is marked for the first-starting citation that covers it (the
longer one when two start together); every citation gets exactly one anchor `citation-<id>` where
it starts: the id of the segment's <mark> when the citation owns that segment, otherwise an empty
<a> just before it. Everything is escaped here, once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from proposals.site import links


@dataclass
class Segment:
    """A run of text between two boundaries, with the citations covering it."""

    text: str
    owner: Any = None  # the citation whose <mark> this is, or None for plain text
    owner_starts_here: bool = False  # then the <mark> carries the owner's anchor id
    covering: list[Any] = field(default_factory=list)
    anchors: list[Any] = field(default_factory=list)  # citations starting here, not owning it


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
        active = [i for i in active if bounds[i][1] > start] + here
        owner = active[0] if active else None
        segments.append(
            Segment(
                text=text[start:end],
                owner=None if owner is None else citations[owner],
                owner_starts_here=owner is not None and owner in here,
                covering=[citations[i] for i in active],
                anchors=[citations[i] for i in here if i != owner],
            )
        )
    trailing = [citations[i] for group in starting.values() for i in group]
    return segments, trailing


# The page may hold hundreds of passages: the markup is built with f-strings and the standard
# library's html.escape (what django.utils.html.escape calls), not one format_html per piece.


def _anchors_html(citations: Sequence[Any]) -> str:
    return "".join(
        f'<a id="citation-{escape(str(citation.pk))}" class="citation-anchor" '
        'aria-hidden="true"></a>'
        for citation in citations
    )


def _mark_html(segment: Segment, proposal_url: Callable[[str], str]) -> str:
    owner = segment.owner
    url = escape(proposal_url(owner.proposal.slug))
    pk = escape(str(owner.pk))
    anchor = f' id="citation-{pk}"' if segment.owner_starts_here else ""
    others = " ".join(str(c.pk) for c in segment.covering[1:])
    also = f' data-also="{escape(others)}"' if others else ""
    title = escape(f"Cited for: {owner.proposal.title}")
    return (
        f'<mark{anchor}{also} class="cited depth-{min(len(segment.covering), 3)}" '
        f'data-citation="{pk}"><a href="{url}" title="{title}">{escape(segment.text)}</a></mark>'
    )


def render_highlighted(text: str, citations: Iterable[Any]) -> SafeString:
    """Return the text as escaped HTML, each cited passage a <mark> linking to its proposal."""
    segments, trailing = segment_text(text, list(citations))
    parts: list[str] = []
    proposal_url = links.slug_url("site:proposal-detail")
    for segment in segments:
        parts.append(_anchors_html(segment.anchors))
        parts.append(
            escape(segment.text) if segment.owner is None else _mark_html(segment, proposal_url)
        )
    parts.append(_anchors_html(trailing))
    # Safe: every value in the parts above went through html.escape.
    return mark_safe("".join(parts))


def render_jump_list(citations: Iterable[Any]) -> SafeString:
    """Return a list item per citation linking to its passage and to its proposal."""
    proposal_url = links.slug_url("site:proposal-detail")
    items = (
        f'<li><a href="#citation-{escape(str(c.pk))}">{escape(c.locator)}</a> '
        f"({escape(str(c.get_role_display()).lower())}) for "
        f'<a href="{escape(proposal_url(c.proposal.slug))}">{escape(c.proposal.title)}</a></li>'
        for c in citations
    )
    # Safe: every value above went through html.escape.
    return mark_safe("".join(items))
