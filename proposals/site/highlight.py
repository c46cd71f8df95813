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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


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
    bounds = {citation.pk: _bounds(citation, length) for citation in citations}
    ordered = sorted(citations, key=lambda c: (bounds[c.pk][0], -bounds[c.pk][1], c.pk))
    cuts = sorted({0, length, *(cut for pair in bounds.values() for cut in pair)})
    starting: dict[int, list[Any]] = {}
    for citation in ordered:
        starting.setdefault(bounds[citation.pk][0], []).append(citation)

    segments: list[Segment] = []
    for start, end in itertools.pairwise(cuts):
        covering = [c for c in ordered if bounds[c.pk][0] <= start and end <= bounds[c.pk][1]]
        owner = covering[0] if covering else None
        here = starting.pop(start, [])
        owner_starts_here = owner is not None and owner in here
        segments.append(
            Segment(
                text=text[start:end],
                owner=owner,
                owner_starts_here=owner_starts_here,
                covering=covering,
                anchors=[c for c in here if c is not owner],
            )
        )
    trailing = [citation for group in starting.values() for citation in group]
    return segments, trailing


def _anchors_html(citations: Sequence[Any]) -> SafeString:
    return format_html_join(
        "",
        '<a id="citation-{}" class="citation-anchor" aria-hidden="true"></a>',
        ((citation.pk,) for citation in citations),
    )


def _mark_html(segment: Segment) -> SafeString:
    owner = segment.owner
    others = " ".join(str(c.pk) for c in segment.covering[1:])
    return format_html(
        '<mark{}{} class="cited depth-{}" data-citation="{}"><a href="{}" title="{}">{}</a></mark>',
        format_html(' id="citation-{}"', owner.pk) if segment.owner_starts_here else "",
        format_html(' data-also="{}"', others) if others else "",
        min(len(segment.covering), 3),
        owner.pk,
        owner.proposal.get_absolute_url(),
        f"Cited for: {owner.proposal.title}",
        segment.text,
    )


def render_highlighted(text: str, citations: Iterable[Any]) -> SafeString:
    """Return the text as escaped HTML, each cited passage a <mark> linking to its proposal."""
    segments, trailing = segment_text(text, list(citations))
    parts: list[str] = []
    for segment in segments:
        parts.append(_anchors_html(segment.anchors))
        parts.append(
            format_html("{}", segment.text) if segment.owner is None else _mark_html(segment)
        )
    parts.append(_anchors_html(trailing))
    # Safe: every part above was built by format_html, which escapes its arguments.
    return mark_safe("".join(parts))
