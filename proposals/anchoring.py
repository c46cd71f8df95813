"""
Finding a quote in a source text: normalisation, offsets and hash.

A quote is found by exact match first. Failing that, both texts are compared after folding
whitespace runs to one space and typographic quotes and dashes to their plain forms; nothing else
is tolerated. Offsets always index the stored source text, never a normalised copy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# Typographic characters that a copy-and-paste may turn into their plain forms, and back.
_FOLDED_CHARACTERS = {
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark, apostrophe
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",  # prime
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",  # horizontal bar
    "\u2212": "-",  # minus sign
}


@dataclass(frozen=True)
class Anchor:
    """Where a quote stands in a source text."""

    start: int
    end: int
    exact: bool


def quote_hash(quote: str) -> str:
    """Return the sha256 hex digest of a quote's UTF-8 bytes."""
    return hashlib.sha256(quote.encode("utf-8")).hexdigest()


def text_hash(text: str) -> str:
    """Return the sha256 hex digest of a source text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normalise(text: str) -> tuple[str, list[int]]:
    """
    Fold whitespace runs and typographic characters.

    Return the folded text and, for each of its characters, the index of the character of `text`
    it came from, so that a match in the folded text maps back to offsets in the original.
    """
    folded: list[str] = []
    origins: list[int] = []
    in_space = False
    for index, char in enumerate(text):
        if char.isspace():
            if not in_space:
                folded.append(" ")
                origins.append(index)
            in_space = True
            continue
        in_space = False
        folded.append(_FOLDED_CHARACTERS.get(char, char))
        origins.append(index)
    return "".join(folded), origins


def find_quote(text: str, quote: str) -> Anchor | None:
    """Return where `quote` stands in `text` (its first occurrence), or None if it is not there."""
    if not quote or not quote.strip():
        return None
    start = text.find(quote)
    if start != -1:
        return Anchor(start=start, end=start + len(quote), exact=True)

    folded_text, origins = _normalise(text)
    folded_quote, _ = _normalise(quote.strip())
    folded_start = folded_text.find(folded_quote)
    if folded_start == -1:
        return None
    folded_end = folded_start + len(folded_quote)
    start = origins[folded_start]
    # The last matched character maps back to one original character (a folded space to the
    # first of its run, which is fine: the quote ends on a non-space after stripping).
    end = origins[folded_end - 1] + 1
    return Anchor(start=start, end=end, exact=False)


def quote_matches(text: str, quote: str, start: int, end: int) -> bool:
    """Return whether `quote` is exactly the slice [start:end] of `text`."""
    return 0 <= start < end <= len(text) and text[start:end] == quote
