"""
The characters no text written by a person may hold, checked on every model field users write.

Refused: C0 control characters but tab, line feed and carriage return (invisible on every page,
and XML, the Atom feed, cannot carry them at all; NUL also breaks PostgreSQL), DEL and the C1
controls, lone surrogates (no UTF-8 encoding exists for them: a page or a JSON export holding one
fails), and the 66 Unicode non-characters (U+FDD0..U+FDEF and the last two code points of every
plane, U+FFFE, U+FFFF, U+1FFFE ... U+10FFFF), which the standard reserves for a program's
internal use and which no exchanged text should carry.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

_NON_CHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _NON_CHARACTERS + "]"
)


def kind_of(character: str) -> str:
    """Name the kind of a forbidden character, for messages."""
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        return "lone surrogate"
    if code <= 0x1F or 0x7F <= code <= 0x9F:
        return "control character"
    return "Unicode non-character"


def forbidden_character(value: Any) -> str | None:
    """The first forbidden character of `value` (a string), or None if it holds none."""
    if not isinstance(value, str):
        return None
    match = FORBIDDEN_CHARACTERS.search(value)
    return match.group() if match else None


def describe(character: str) -> str:
    """'the control character U+0007': the character named by kind and code point."""
    return f"the {kind_of(character)} U+{ord(character):04X}"


@deconstructible
class PlainTextValidator:
    """Refuse a value holding a forbidden character; tabs and line breaks are allowed."""

    code = "forbidden_character"

    def __call__(self, value: Any) -> None:
        character = forbidden_character(value)
        if character is not None:
            raise ValidationError(
                "This text contains %(character)s; only tabs and line breaks are allowed.",
                code=self.code,
                params={"character": describe(character)},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainTextValidator)

    def __hash__(self) -> int:
        return hash(type(self))


validate_plain_text = PlainTextValidator()
