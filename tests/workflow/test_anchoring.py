"""Finding quotes in source texts."""

from __future__ import annotations

import pytest

from proposals import anchoring

TEXT = "The minister said: “We should talk.”\nThen  the   parties — all of them — agreed.\n"


def test_exact_match_gives_offsets_into_the_text():
    anchor = anchoring.find_quote(TEXT, "We should talk.")
    assert anchor is not None and anchor.exact
    assert TEXT[anchor.start : anchor.end] == "We should talk."


def test_whitespace_differences_are_tolerated():
    anchor = anchoring.find_quote(TEXT, "Then the parties")
    assert anchor is not None and not anchor.exact
    assert TEXT[anchor.start : anchor.end] == "Then  the   parties"


def test_line_breaks_fold_like_spaces():
    anchor = anchoring.find_quote(TEXT, "talk.” Then")
    assert anchor is not None
    assert TEXT[anchor.start : anchor.end] == "talk.”\nThen"


def test_typographic_quotes_and_dashes_are_tolerated():
    anchor = anchoring.find_quote(
        TEXT, 'said: "We should talk." Then the parties - all of them - agreed.'
    )
    assert anchor is not None and not anchor.exact
    assert TEXT[anchor.start : anchor.end] == (
        "said: “We should talk.”\nThen  the   parties — all of them — agreed."
    )


def test_surrounding_whitespace_of_a_quote_is_ignored():
    anchor = anchoring.find_quote(TEXT, "  all of them\n")
    assert anchor is not None
    assert TEXT[anchor.start : anchor.end] == "all of them"


@pytest.mark.parametrize(
    "quote",
    [
        "We should talk!",  # punctuation differs
        "we should talk.",  # case differs
        "The minister says",  # a word differs
        "",
        "   ",
    ],
)
def test_anything_else_is_not_found(quote):
    assert anchoring.find_quote(TEXT, quote) is None


def test_first_occurrence_is_used():
    text = "again and again"
    anchor = anchoring.find_quote(text, "again")
    assert (anchor.start, anchor.end) == (0, 5)


def test_quote_matches_checks_bounds_and_content():
    assert anchoring.quote_matches(TEXT, "We", 20, 22)
    assert not anchoring.quote_matches(TEXT, "We", 21, 23)
    assert not anchoring.quote_matches(TEXT, "We", -1, 1)
    assert not anchoring.quote_matches(TEXT, "x", len(TEXT), len(TEXT) + 1)


def test_hashes_are_sha256_of_utf8():
    assert anchoring.text_hash("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert anchoring.quote_hash("“") == anchoring.text_hash("“") != anchoring.text_hash('"')
