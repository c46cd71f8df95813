"""W3C selectors: choosing one occurrence of a repeated quote, and re-anchoring on a new text."""

from __future__ import annotations

import pytest

from proposals import anchoring
from proposals.anchoring import Outcome

TEXT = (
    "Taiwan and Japan met in May. Officials of Taiwan and Japan agreed on drills. "
    "Later, Taiwan and Japan signed a memorandum."
)


def test_normalise_text_gives_nfc_line_feeds_and_no_bom():
    assert anchoring.normalise_text("\ufeffA\r\nB\rC\u0065\u0301") == "A\nB\nC\u00e9"


def test_context_is_at_most_32_code_points_each_side():
    text = "x" * 50 + "QUOTE" + "y" * 50
    prefix, suffix = anchoring.context_of(text, 50, 55)
    assert (prefix, suffix) == ("x" * 32, "y" * 32)
    assert anchoring.context_of("QUOTE tail", 0, 5) == ("", " tail")


def test_positions_count_code_points_not_bytes_or_utf16_units():
    text = "😀 Ünïcode then the words"
    anchor = anchoring.locate(text, "the words")
    assert (anchor.start, anchor.end) == (text.index("the words"), len(text))
    assert anchor.start == 15


def test_a_quote_found_once_needs_nothing_else():
    anchor = anchoring.locate(TEXT, "signed a memorandum")
    assert TEXT[anchor.start : anchor.end] == "signed a memorandum"


def test_a_repeated_quote_is_ambiguous_with_every_position():
    with pytest.raises(anchoring.AmbiguousQuote) as ambiguous:
        anchoring.locate(TEXT, "Taiwan and Japan")
    starts = [start for start, _ in ambiguous.value.positions]
    assert starts == [0, 42, 84]
    assert all(end - start == len("Taiwan and Japan") for start, end in ambiguous.value.positions)


@pytest.mark.parametrize(
    ("given", "start"),
    [
        ({"prefix": "Officials of "}, 42),
        ({"suffix": " signed"}, 84),
        ({"start": 0}, 0),
        ({"prefix": "Later, ", "suffix": " signed a"}, 84),
    ],
)
def test_prefix_suffix_or_start_pick_one(given, start):
    anchor = anchoring.locate(TEXT, "Taiwan and Japan", **given)
    assert anchor.start == start


def test_a_selector_that_matches_none_or_several_is_still_ambiguous():
    with pytest.raises(anchoring.AmbiguousQuote) as none:
        anchoring.locate(TEXT, "Taiwan and Japan", prefix="nowhere ")
    assert none.value.narrowed
    with pytest.raises(anchoring.AmbiguousQuote):
        anchoring.locate(TEXT, "Taiwan and Japan", suffix=" ")


def test_reanchor_exact_when_the_words_stay_in_place():
    result = anchoring.reanchor(
        TEXT + " More.", quote="signed a memorandum", prefix="", suffix="", start=101
    )
    assert result == anchoring.Reanchored(Outcome.EXACT, 101, 120)


def test_reanchor_relocated_when_found_once_elsewhere():
    new = "A new first sentence. " + TEXT
    result = anchoring.reanchor(new, quote="signed a memorandum", prefix="x", suffix="y", start=101)
    assert result.outcome == Outcome.RELOCATED
    assert new[result.start : result.end] == "signed a memorandum"


def test_reanchor_uses_the_context_to_choose_among_repeats():
    start = 42
    prefix, suffix = anchoring.context_of(TEXT, start, start + 16)
    new = "Preface. " + TEXT
    result = anchoring.reanchor(
        new, quote="Taiwan and Japan", prefix=prefix, suffix=suffix, start=start
    )
    assert result.outcome == Outcome.RELOCATED
    assert result.start == start + len("Preface. ")


def test_reanchor_ambiguous_when_the_context_cannot_choose():
    new = "Taiwan and Japan. Taiwan and Japan."
    result = anchoring.reanchor(new, quote="Taiwan and Japan", prefix="zzz", suffix="qqq", start=50)
    assert result == anchoring.Reanchored(Outcome.AMBIGUOUS)


def test_reanchor_orphaned_when_the_words_changed_even_slightly():
    # No fuzzy matching: one changed letter, or typographic quotes, orphan the citation.
    new = TEXT.replace("signed a memorandum", "signed a memorandun")
    result = anchoring.reanchor(new, quote="signed a memorandum", prefix="", suffix="", start=101)
    assert result == anchoring.Reanchored(Outcome.ORPHANED)
