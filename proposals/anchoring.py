"""
Finding a quote in a source text: normalisation, offsets, selectors and hash.

A quote is found by exact match first. Failing that, both texts are compared after folding
whitespace runs to one space and typographic quotes and dashes to their plain forms; nothing else
is tolerated. Offsets always index the stored source text, never a normalised copy, and count
Unicode code points (Python's string indexes), as the W3C TextPositionSelector does.

A quote found more than once is chosen by the W3C TextQuoteSelector's `prefix` and `suffix` (the
text just before and after it) or by its start; failing that it is ambiguous, never the first
one silently. Re-anchoring a citation on a corrected text (`reanchor`) matches its words exactly:
a quote whose words changed is orphaned, never matched fuzzily.
"""

from __future__ import annotations

import enum
import hashlib
import unicodedata
from dataclasses import dataclass

# The TextQuoteSelector's context: at most this many code points on each side of the quote.
CONTEXT_LENGTH = 32

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


class AmbiguousQuote(Exception):
    """The quote occurs more than once and nothing given picks one occurrence."""

    def __init__(self, positions: list[tuple[int, int]], *, narrowed: bool) -> None:
        super().__init__(f"The quote occurs {len(positions)} times.")
        self.positions = positions
        # Whether prefix, suffix or start were given and still left several (or none).
        self.narrowed = narrowed


class Outcome(enum.StrEnum):
    """How a citation fares on a corrected text."""

    EXACT = "exact"
    RELOCATED = "relocated"
    AMBIGUOUS = "ambiguous"
    ORPHANED = "orphaned"


@dataclass(frozen=True)
class Reanchored:
    """A citation's outcome on a new text and, unless ambiguous or orphaned, its new place."""

    outcome: Outcome
    start: int | None = None
    end: int | None = None


def normalise_text(text: str) -> str:
    """Return `text` as a source stores it: Unicode NFC, `\n` line ends, no byte order mark."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    """Return the TextQuoteSelector's prefix and suffix of [start:end] in `text`."""
    return text[max(0, start - CONTEXT_LENGTH) : start], text[end : end + CONTEXT_LENGTH]


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
        folded.append(_fold_character(char))
        origins.append(index)
    return _drop_spaces_beside_wide_characters(folded, origins)


def _fold_character(char: str) -> str:
    """Fold a full-width form to its ASCII twin (，-> ,  （-> ( ), then typographic characters."""
    if "\uff01" <= char <= "\uff5e":
        char = chr(ord(char) - 0xFEE0)
    elif char == "\u301c":  # wave dash, which Japanese encodings confuse with the full-width tilde
        char = "~"
    return _FOLDED_CHARACTERS.get(char, char)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _drop_spaces_beside_wide_characters(
    folded: list[str], origins: list[int]
) -> tuple[str, list[int]]:
    """Drop a folded space next to a CJK character: Japanese and Chinese put none between words,
    while line breaks of a copied or extracted text leave one anywhere."""
    kept_chars: list[str] = []
    kept_origins: list[int] = []
    last = len(folded) - 1
    for position, (char, origin) in enumerate(zip(folded, origins, strict=True)):
        if char == " " and (
            (position > 0 and _is_wide(folded[position - 1]))
            or (position < last and _is_wide(folded[position + 1]))
        ):
            continue
        kept_chars.append(char)
        kept_origins.append(origin)
    return "".join(kept_chars), kept_origins


def _exact_starts(text: str, quote: str) -> list[int]:
    """Every index where `quote` starts in `text`, overlapping occurrences included."""
    starts = []
    index = text.find(quote)
    while index != -1:
        starts.append(index)
        index = text.find(quote, index + 1)
    return starts


def find_all(text: str, quote: str) -> list[Anchor]:
    """Return every occurrence of `quote` in `text`: exact ones, or failing those folded ones."""
    if not quote or not quote.strip():
        return []
    starts = _exact_starts(text, quote)
    if starts:
        return [Anchor(start=start, end=start + len(quote), exact=True) for start in starts]

    folded_text, origins = _normalise(text)
    folded_quote, _ = _normalise(quote.strip())
    anchors = []
    for folded_start in _exact_starts(folded_text, folded_quote):
        folded_end = folded_start + len(folded_quote)
        # The last matched character maps back to one original character (a folded space to
        # the first of its run, which is fine: the quote ends on a non-space after stripping).
        anchors.append(
            Anchor(start=origins[folded_start], end=origins[folded_end - 1] + 1, exact=False)
        )
    return anchors


def find_quote(text: str, quote: str) -> Anchor | None:
    """Return where `quote` stands in `text` (its first occurrence), or None if it is not there."""
    anchors = find_all(text, quote)
    return anchors[0] if anchors else None


def _fold(text: str) -> str:
    return _normalise(text)[0]


def _fits(
    text: str, anchor: Anchor, prefix: str | None, suffix: str | None, start: int | None
) -> bool:
    """Whether an occurrence agrees with the given prefix, suffix and start (folded compare)."""
    if start is not None and anchor.start != start:
        return False
    if prefix and not _fold(text[: anchor.start]).endswith(_fold(prefix)):
        return False
    return not (suffix and not _fold(text[anchor.end :]).startswith(_fold(suffix)))


def locate(
    text: str,
    quote: str,
    *,
    prefix: str | None = None,
    suffix: str | None = None,
    start: int | None = None,
) -> Anchor | None:
    """Return the one occurrence of `quote` that `prefix`, `suffix` and `start` select.

    None when the quote is not in the text; AmbiguousQuote when it occurs more than once and
    what was given selects not exactly one occurrence (its `positions` are all occurrences).
    """
    anchors = find_all(text, quote)
    if not anchors:
        return None
    if len(anchors) == 1 and prefix is None and suffix is None and start is None:
        return anchors[0]
    chosen = [anchor for anchor in anchors if _fits(text, anchor, prefix, suffix, start)]
    if len(chosen) == 1:
        return chosen[0]
    narrowed = bool(prefix or suffix or start is not None)
    raise AmbiguousQuote([(anchor.start, anchor.end) for anchor in anchors], narrowed=narrowed)


def reanchor(text: str, *, quote: str, prefix: str, suffix: str, start: int) -> Reanchored:
    """Anchor a citation's words on a corrected `text`, exactly, with its selectors' help.

    `exact` when the quote still stands at `start`; `relocated` when it occurs once elsewhere,
    or several times and the context picks one (both sides matching, else one side only);
    `ambiguous` when the context cannot pick; `orphaned` when the words are gone.
    """
    end = start + len(quote)
    if text[start:end] == quote:
        return Reanchored(Outcome.EXACT, start, end)
    starts = _exact_starts(text, quote)
    if not starts:
        return Reanchored(Outcome.ORPHANED)
    if len(starts) > 1:
        # An empty prefix was taken at the very start of the text, an empty suffix at its end.
        def before(at: int) -> bool:
            return text[:at].endswith(prefix) if prefix else at == 0

        def after(at: int) -> bool:
            end = at + len(quote)
            return text[end:].startswith(suffix) if suffix else end == len(text)

        both = [at for at in starts if before(at) and after(at)]
        one_side = [at for at in starts if before(at) or after(at)]
        starts = both if both else one_side
        if len(starts) != 1:
            return Reanchored(Outcome.AMBIGUOUS)
    return Reanchored(Outcome.RELOCATED, starts[0], starts[0] + len(quote))


def quote_matches(text: str, quote: str, start: int, end: int) -> bool:
    """Return whether `quote` is exactly the slice [start:end] of `text`."""
    return 0 <= start < end <= len(text) and text[start:end] == quote
