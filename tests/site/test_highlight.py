"""Cutting a source text at citation boundaries: overlaps, nesting, ties, corrupt offsets."""

from __future__ import annotations

import html as html_lib
import random
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from proposals.site.highlight import render_highlighted, segment_text

TEXT = "0123456789abcdefghij"


def citation(pk: int, start: int, end: int):
    proposal = SimpleNamespace(title=f"Proposal {pk}", slug=f"p{pk}")
    return SimpleNamespace(pk=pk, start=start, end=end, proposal=proposal)


def pieces(text, citations):
    """Each segment as (text, covering pks outermost first, starting pks, empty anchors' pks)."""
    segments, trailing = segment_text(text, citations)
    return [
        (
            s.text,
            [c.pk for c in s.covering],
            [c.pk for c in s.starting],
            [a.pk for a in s.anchors],
        )
        for s in segments
    ], [c.pk for c in trailing]


class Tree(HTMLParser):
    """Checks the markup balances, and notes each element's tag, attributes and open ancestors."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.elements: list[tuple[str, dict, list[tuple[str, dict]]]] = []
        self.texts: list[tuple[str, list[tuple[str, dict]]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs, list(self.stack)))
        self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1][0] == tag, f"</{tag}> closes <{self.stack[-1][0]}>"
        self.stack.pop()

    def handle_data(self, data):
        self.texts.append((data, list(self.stack)))


def parse(html: str) -> Tree:
    tree = Tree()
    tree.feed(html)
    tree.close()
    assert not tree.stack, f"unclosed: {tree.stack}"
    return tree


def check(text: str, citations, empty=()) -> Tree:
    """The contract: exact text back, well-formed, each id once, on a <mark> unless `empty`."""
    html = str(render_highlighted(text, citations))
    tree = parse(html)
    assert html_lib.unescape(re.sub(r"<[^>]+>", "", html)) == text
    assert "".join(data for data, _ in tree.texts) == text
    empty_pks = {c.pk for c in empty}
    for c in citations:
        with_id = [
            (tag, attrs) for tag, attrs, _ in tree.elements if attrs.get("id") == f"citation-{c.pk}"
        ]
        assert len(with_id) == 1, c.pk
        tag, attrs = with_id[0]
        if c.pk in empty_pks:
            assert tag == "a" and attrs["class"] == "citation-anchor", c.pk
        else:
            assert tag == "mark" and attrs["data-citation"] == str(c.pk), c.pk
            assert "cited" in attrs["class"].split()
    # Every mark is a citation's, every depth class is the mark's nesting depth (capped at 3).
    for tag, attrs, ancestors in tree.elements:
        if tag == "mark":
            depth = 1 + sum(1 for t, _ in ancestors if t == "mark")
            assert f"depth-{min(depth, 3)}" in attrs["class"].split()
    # Every piece of cited text is inside one link, the innermost mark's citation's proposal.
    for _data, ancestors in tree.texts:
        marks = [a for t, a in ancestors if t == "mark"]
        links = [a for t, a in ancestors if t == "a"]
        if marks:
            assert len(links) == 1 and ancestors[-1][0] == "a"
            assert links[0]["href"] == f"/proposals/p{marks[-1]['data-citation']}/"
            assert links[0]["title"] == f"Cited for: Proposal {marks[-1]['data-citation']}"
        else:
            assert not links
    return tree


def mark_of(tree: Tree, pk: int) -> tuple[dict, list]:
    """The <mark> carrying citation `pk`'s id, and the marks around it (outermost first)."""
    for tag, attrs, ancestors in tree.elements:
        if tag == "mark" and attrs.get("id") == f"citation-{pk}":
            return attrs, [a["data-citation"] for t, a in ancestors if t == "mark"]
    raise AssertionError(pk)


def texts_in(tree: Tree, pk: int) -> str:
    """All the text inside a mark of citation `pk`."""
    return "".join(
        data
        for data, ancestors in tree.texts
        if any(t == "mark" and a["data-citation"] == str(pk) for t, a in ancestors)
    )


def test_no_citations():
    assert pieces(TEXT, []) == ([(TEXT, [], [], [])], [])
    assert str(render_highlighted("a < b & c", [])) == "a &lt; b &amp; c"


def test_disjoint():
    one, two = citation(1, 2, 4), citation(2, 10, 12)
    assert pieces(TEXT, [two, one])[0] == [
        ("01", [], [], []),
        ("23", [1], [1], []),
        ("456789", [], [], []),
        ("ab", [2], [2], []),
        ("cdefghij", [], [], []),
    ]
    tree = check(TEXT, [one, two])
    assert texts_in(tree, 1) == "23" and texts_in(tree, 2) == "ab"
    html = str(render_highlighted(TEXT, [one, two]))
    assert html == (
        '01<mark id="citation-1" class="cited depth-1" data-citation="1">'
        '<a href="/proposals/p1/" title="Cited for: Proposal 1">23</a></mark>456789'
        '<mark id="citation-2" class="cited depth-1" data-citation="2">'
        '<a href="/proposals/p2/" title="Cited for: Proposal 2">ab</a></mark>cdefghij'
    )


def test_overlapping_each_gets_its_own_mark():
    one, two = citation(1, 2, 8), citation(2, 5, 12)
    segments, _ = pieces(TEXT, [one, two])
    assert segments == [
        ("01", [], [], []),
        ("234", [1], [1], []),
        ("567", [1, 2], [2], []),  # covered by both: 2 starts here, nested in 1's mark
        ("89ab", [2], [], []),
        ("cdefghij", [], [], []),
    ]
    tree = check(TEXT, [one, two])
    assert mark_of(tree, 2) == (
        {"id": "citation-2", "class": "cited depth-2", "data-citation": "2"},
        ["1"],
    )
    assert texts_in(tree, 1) == "234567" and texts_in(tree, 2) == "56789ab"
    html = str(render_highlighted(TEXT, [one, two]))
    # The overlap links to the later, more specific citation.
    assert (
        '<mark class="cited depth-1" data-citation="1">'
        '<mark id="citation-2" class="cited depth-2" data-citation="2">'
        '<a href="/proposals/p2/" title="Cited for: Proposal 2">567</a></mark></mark>'
    ) in html
    assert "citation-anchor" not in html


def test_nested_and_same_start():
    outer, inner, same = citation(1, 2, 12), citation(2, 4, 6), citation(3, 2, 5)
    segments, _ = pieces(TEXT, [inner, same, outer])
    # At the same start, the longer one is outside.
    assert segments[1] == ("23", [1, 3], [1, 3], [])
    assert segments[2] == ("4", [1, 3, 2], [2], [])
    assert [s[1] for s in segments] == [[], [1, 3], [1, 3, 2], [1, 2], [1], []]
    tree = check(TEXT, [inner, same, outer])
    assert mark_of(tree, 1)[1] == []
    assert mark_of(tree, 3)[1] == ["1"]
    assert mark_of(tree, 2) == (
        {"id": "citation-2", "class": "cited depth-3", "data-citation": "2"},
        ["1", "3"],
    )
    assert texts_in(tree, 1) == "23456789ab"
    assert texts_in(tree, 2) == "45"
    assert texts_in(tree, 3) == "234"
    # "4" is inside all three: it links to the innermost, the nested citation's proposal.
    html = str(render_highlighted(TEXT, [inner, same, outer]))
    assert (
        '<a href="/proposals/p2/" title="Cited for: Proposal 2">4</a></mark></mark></mark>' in html
    )


def test_nested_deeper_than_three_caps_the_depth_class():
    nest = [citation(pk, pk, 20 - pk) for pk in range(1, 6)]
    tree = check(TEXT, nest)
    assert mark_of(tree, 5) == (
        {"id": "citation-5", "class": "cited depth-3", "data-citation": "5"},
        ["1", "2", "3", "4"],
    )


def test_identical_offsets():
    one, two = citation(5, 3, 7), citation(4, 3, 7)
    segments, _ = pieces(TEXT, [one, two])
    assert segments[1] == ("3456", [4, 5], [4, 5], [])  # ties go by pk
    tree = check(TEXT, [one, two])
    assert mark_of(tree, 4)[1] == [] and mark_of(tree, 5)[1] == ["4"]
    assert texts_in(tree, 4) == texts_in(tree, 5) == "3456"


def test_same_start_and_same_end():
    long, short_start, short_end = citation(1, 0, 10), citation(2, 0, 4), citation(3, 6, 10)
    tree = check(TEXT, [short_end, long, short_start])
    assert texts_in(tree, 1) == "0123456789"
    assert texts_in(tree, 2) == "0123"
    assert texts_in(tree, 3) == "6789"
    assert mark_of(tree, 2)[1] == ["1"] and mark_of(tree, 3)[1] == ["1"]


def test_corrupt_offsets_are_clipped_and_still_anchored():
    past, empty, wide = citation(1, 50, 60), citation(2, 3, 3), citation(3, -5, 100)
    segments, trailing = pieces(TEXT, [past, empty, wide])
    assert trailing == [1]
    assert segments == [("012", [3], [3], []), ("3456789abcdefghij", [3], [], [2])]
    tree = check(TEXT, [past, empty, wide], empty=[past, empty])
    assert texts_in(tree, 3) == TEXT


def test_an_empty_citation_alone_marks_nothing():
    empty, reversed_ = citation(1, 5, 5), citation(2, 8, 2)
    segments, _ = pieces(TEXT, [empty, reversed_])
    assert all(not covering for _, covering, _, _ in segments)
    check(TEXT, [empty, reversed_], empty=[empty, reversed_])
    assert "<mark" not in str(render_highlighted(TEXT, [empty, reversed_]))


def test_empty_text():
    one = citation(1, 0, 3)
    assert pieces("", [one]) == ([], [1])
    check("", [one], empty=[one])


def test_everything_is_escaped():
    text = 'say <b>"hi"</b> & <script>x</script>'
    c = citation(1, 4, 17)
    c.proposal.title = '"><script>'
    html = str(render_highlighted(text, [c]))
    assert "<script" not in html and "<b>" not in html
    assert 'title="Cited for: &quot;&gt;&lt;script&gt;"' in html
    assert "&lt;b&gt;&quot;hi&quot;&lt;/b&gt;" in html


@pytest.mark.parametrize("seed", range(20))
def test_random_citations_keep_text_and_each_get_a_mark(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice("ab <>&\n") for _ in range(60))
    citations = []
    for pk in range(1, rng.randint(1, 12)):
        start = rng.randint(0, 59)
        citations.append(citation(pk, start, rng.randint(start + 1, 60)))
    tree = check(text, citations)
    # Each citation's marks hold exactly its passage, and it starts at its own mark.
    for c in citations:
        assert texts_in(tree, c.pk) == text[c.start : c.end], c.pk
