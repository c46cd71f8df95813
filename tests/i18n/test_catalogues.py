"""The interface catalogues: complete for every shipped language, and compiled as committed."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale

SHIPPED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
LOCALE_DIR = Path(settings.BASE_DIR) / "locale"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / to_locale(language) / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", SHIPPED)
def test_no_entry_is_empty_fuzzy_or_obsolete(language):
    po = catalogue(language)
    assert len(po) > 100, "the catalogue lost its entries"
    problems = [
        (entry.msgctxt, entry.msgid)
        for entry in po
        if entry.obsolete
        or "fuzzy" in entry.flags
        or not entry.translated()
        or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
    ]
    assert problems == []


@pytest.mark.parametrize("language", SHIPPED)
def test_placeholders_survive_translation(language):
    """A translation that drops or misspells %(name)s would raise or mislead at render time."""
    import re

    placeholder = re.compile(r"%\((\w+)\)[sdr]|%\((\w+)\)04X")
    for entry in catalogue(language):
        expected = sorted(m.group(0) for m in placeholder.finditer(entry.msgid))
        translations = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        for text in translations:
            assert sorted(m.group(0) for m in placeholder.finditer(text)) == expected, entry.msgid


@pytest.mark.parametrize("language", SHIPPED)
def test_compiled_catalogue_matches_its_source(language):
    """The committed .mo says exactly what the .po says: rerun compilemessages after editing."""
    po = catalogue(language)
    mo_path = LOCALE_DIR / to_locale(language) / "LC_MESSAGES" / "django.mo"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    expected: dict[object, str] = {}
    for entry in po.translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                expected[(key, int(index))] = text
        else:
            expected[key] = entry.msgstr
    actual = {key: value for key, value in compiled._catalog.items() if key != ""}
    assert actual == expected
