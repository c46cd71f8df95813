"""Cutting a source text at citation boundaries: overlaps, nesting, ties, corrupt offsets."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from proposals.site.highlight import render_highlighted, segment_text

TEXT = "0123456789abcdefghij"


def citation(pk: int, start: int, end: int):
    proposal = SimpleNamespace(title=f"Proposal {pk}", slug=f"p{pk}")
    return SimpleNamespace(pk=pk, start=start, end=end, proposal=proposal)


def pieces(text, citations):
    segments, trailing = segment_text(text, citations)
    return [
        (s.text, s.owner and s.owner.pk, [a.pk for a in s.anchors], s.owner_starts_here)
        for s in segments
    ], [c.pk for c in trailing]


def anchors_once(html: str, citations) -> None:
    for c in citations:
        assert len(re.findall(rf'id="citation-{c.pk}"', html)) == 1, c.pk


def test_no_citations():
    assert pieces(TEXT, []) == ([(TEXT, None, [], False)], [])
    assert str(render_highlighted("a < b & c", [])) == "a &lt; b &amp; c"


def test_disjoint():
    one, two = citation(1, 2, 4), citation(2, 10, 12)
    assert pieces(TEXT, [two, one])[0] == [
        ("01", None, [], False),
        ("23", 1, [], True),
        ("456789", None, [], False),
        ("ab", 2, [], True),
        ("cdefghij", None, [], False),
    ]


def test_overlapping_the_first_starting_owns_the_overlap():
    one, two = citation(1, 2, 8), citation(2, 5, 12)
    segments, _ = pieces(TEXT, [one, two])
    assert segments == [
        ("01", None, [], False),
        ("234", 1, [], True),
        ("567", 1, [2], False),  # covered by both: the first-starting owns; 2 gets an anchor
        ("89ab", 2, [], False),
        ("cdefghij", None, [], False),
    ]
    html = str(render_highlighted(TEXT, [one, two]))
    anchors_once(html, [one, two])
    assert '<a id="citation-2" class="citation-anchor" aria-hidden="true"></a><mark' in html
    assert 'data-also="2"' in html


def test_nested_and_same_start():
    outer, inner, same = citation(1, 2, 12), citation(2, 4, 6), citation(3, 2, 5)
    segments, _ = pieces(TEXT, [inner, same, outer])
    # At the same start, the longer one owns; the shorter gets an anchor there.
    assert segments[1] == ("23", 1, [3], True)
    assert [s[1] for s in segments] == [None, 1, 1, 1, 1, None]
    html = str(render_highlighted(TEXT, [inner, same, outer]))
    anchors_once(html, [outer, inner, same])
    assert "depth-3" in html  # "4" is inside all three
    # Text survives intact, in order.
    assert re.sub(r"<[^>]+>", "", html) == TEXT


def test_identical_offsets():
    one, two = citation(5, 3, 7), citation(4, 3, 7)
    segments, _ = pieces(TEXT, [one, two])
    assert segments[1] == ("3456", 4, [5], True)
    anchors_once(str(render_highlighted(TEXT, [one, two])), [one, two])


def test_corrupt_offsets_are_clipped_and_still_anchored():
    past, empty, wide = citation(1, 50, 60), citation(2, 3, 3), citation(3, -5, 100)
    _, trailing = pieces(TEXT, [past, empty, wide])
    assert trailing == [1]
    html = str(render_highlighted(TEXT, [past, empty, wide]))
    anchors_once(html, [past, empty, wide])
    assert re.sub(r"<[^>]+>", "", html) == TEXT


def test_everything_is_escaped():
    text = 'say <b>"hi"</b> & <script>x</script>'
    c = citation(1, 4, 17)
    c.proposal.title = '"><script>'
    html = str(render_highlighted(text, [c]))
    assert "<script" not in html and "<b>" not in html
    assert 'title="Cited for: &quot;&gt;&lt;script&gt;"' in html
    assert "&lt;b&gt;&quot;hi&quot;&lt;/b&gt;" in html


@pytest.mark.parametrize("seed", range(20))
def test_random_citations_keep_text_and_anchors(seed):
    import random

    rng = random.Random(seed)
    text = "".join(rng.choice("ab <>&\n") for _ in range(60))
    citations = []
    for pk in range(1, rng.randint(1, 12)):
        start = rng.randint(0, 59)
        citations.append(citation(pk, start, rng.randint(start + 1, 60)))
    html = str(render_highlighted(text, citations))
    anchors_once(html, citations)
    import html as html_lib

    assert html_lib.unescape(re.sub(r"<[^>]+>", "", html)) == text
    # Marks never nest.
    assert "<mark" not in "".join(re.findall(r"<mark[^>]*>(.*?)</mark>", html))
