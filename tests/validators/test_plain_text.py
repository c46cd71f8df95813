"""The plain-text validator: which characters no text written by a person may hold."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from proposals import validators

# Every Unicode non-character: U+FDD0..U+FDEF and the last two code points of each of 17 planes.
NON_CHARACTERS = [chr(code) for code in range(0xFDD0, 0xFDF0)] + [
    chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF)
]
CONTROLS = [chr(code) for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]]
C1_AND_DEL = [chr(code) for code in range(0x7F, 0xA0)]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]


def test_there_are_66_non_characters():
    assert len(set(NON_CHARACTERS)) == 66


@pytest.mark.parametrize("character", CONTROLS + C1_AND_DEL + SURROGATES + NON_CHARACTERS)
def test_each_forbidden_character_is_refused_wherever_it_stands(character):
    for text in (character, f"before{character}", f"{character}after", f"a {character} b"):
        assert validators.forbidden_character(text) == character
        with pytest.raises(ValidationError) as caught:
            validators.validate_plain_text(text)
        assert caught.value.code == "forbidden_character"
        assert f"U+{ord(character):04X}" in caught.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "Tabs\tand\nline\r\nbreaks",
        "Typographic “quotes” — dashes… and ¶2",
        "日本語と中文の文",
        "Emoji 🛰 and the last private-use character \U0010fffd",
        "\ufdcf and \ufdf0 stand just outside the non-character block",
        "\ufffd the replacement character",
        "",
    ],
)
def test_ordinary_text_passes(text):
    assert validators.forbidden_character(text) is None
    validators.validate_plain_text(text)


@pytest.mark.parametrize(
    ("character", "kind"),
    [
        ("\x07", "control character"),
        ("\x85", "control character"),
        ("\ud800", "lone surrogate"),
        ("\ufffe", "Unicode non-character"),
        ("\U0010ffff", "Unicode non-character"),
    ],
)
def test_messages_name_the_kind_of_character(character, kind):
    assert validators.describe(character) == f"the {kind} U+{ord(character):04X}"


def test_non_strings_are_not_its_concern():
    assert validators.forbidden_character(None) is None
    validators.validate_plain_text(3)
