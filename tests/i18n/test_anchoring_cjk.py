"""Quotes from Japanese and Chinese sources anchor like any other, full-width forms and all."""

from __future__ import annotations

import pytest

from proposals import services
from proposals.anchoring import find_quote
from tests.factories import ProposalFactory, SourceFactory

JAPANESE = (
    "自由民主党（自民党）と民主進歩党（民進党）は，2021年8月27日、\n"
    "初の「2+2」安全保障対話をオンラインで開催した。\n"
    "両党は、今後も定期的に協議を行うことで合意した～その詳細は未定である。"
)
CHINESE = (
    "民主進步黨與自由民主黨於二〇二一年八月二十七日舉行首次「2+2」安全對話，雙方同意定期召開。"
)


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        # Typed with ASCII parentheses and comma instead of the full-width ones.
        ("自由民主党(自民党)と民主進歩党(民進党)は,2021年8月27日", None),
        # A line break of the source is not in the quote.
        ("2021年8月27日、初の「2+2」安全保障対話", None),
        # Spaces a PDF extraction put between the characters.
        ("初 の 「2+2」 安全保障 対話 を オンライン で 開催 した", None),
        # The wave dash and the full-width tilde are the same character to a reader.
        ("合意した〜その詳細", None),
    ],
)
def test_japanese_quotes_anchor_despite_full_width_and_spacing(quote, expected):
    anchor = find_quote(JAPANESE, quote)
    assert anchor is not None, quote
    assert not anchor.exact
    stored = JAPANESE[anchor.start : anchor.end]
    assert stored.replace("\n", "")[:2] == quote.replace(" ", "")[:2]
    assert stored[-1] == quote.replace(" ", "")[-1] or stored[-1] in "）、～"


def test_the_stored_quote_is_the_source_s_own_characters():
    anchor = find_quote(JAPANESE, "自由民主党(自民党)と民主進歩党(民進党)は,")
    assert JAPANESE[anchor.start : anchor.end] == "自由民主党（自民党）と民主進歩党（民進党）は，"


def test_other_words_are_still_refused():
    assert find_quote(JAPANESE, "自由民主党（自民党）と公明党") is None
    # An ideographic comma or full stop is not a comma: only full-width twins of ASCII fold.
    assert find_quote(JAPANESE, "2021年8月27日,初の") is None
    assert find_quote(JAPANESE, "2021年8月27日。初の") is None


def test_a_chinese_quote_with_ascii_punctuation_is_cited(db):
    source = SourceFactory(text=CHINESE)
    proposal = ProposalFactory()
    citation = services.add_citation(
        proposal=proposal,
        source=source,
        quote="舉行首次「2+2」安全對話,雙方同意定期召開",
        locator="第1段",
        role="origin",
    )
    assert citation.quote == "舉行首次「2+2」安全對話，雙方同意定期召開"
    assert CHINESE[citation.start : citation.end] == citation.quote
