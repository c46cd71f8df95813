"""
Content in several languages: which translations a record lacks, and every translation of a field.

The columns come from django-modeltranslation (proposals/translation.py): `title_en`,
`title_ja`, `title_zh_hant`, ... Reading `title` gives the active language's value, or English
where it is empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from proposals.models import ProposalGroup


def localized_field(field: str, language: str) -> str:
    """Return the column holding `field` in `language`: ("title", "zh-hant") -> "title_zh_hant"."""
    return build_localized_fieldname(field, language)


def translations_of(instance: Any, field: str) -> dict[str, str | None]:
    """Return `field` of `instance` in every language, keyed by language code (None if empty)."""
    return {
        code: getattr(instance, localized_field(field, code), None) or None
        for code, _ in settings.LANGUAGES
    }


def untranslated_fields(
    instance: Any, fields: Iterable[str], language: str | None = None
) -> list[str]:
    """Return those of `fields` that `instance` shows in English for want of a translation."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return []
    return [
        field
        for field in fields
        if not getattr(instance, localized_field(field, language), None)
        and getattr(instance, localized_field(field, settings.LANGUAGE_CODE), None)
    ]


def group_names() -> dict[str, str]:
    """Return every group's name in the active language (English where untranslated), by slug."""
    return {group.slug: group.name for group in ProposalGroup.objects.only(*_group_fields())}


def _group_fields() -> list[str]:
    return ["slug"] + [localized_field("name", code) for code, _ in settings.LANGUAGES]


def in_every_language(*paths: str) -> list[str]:
    """Return the columns of `paths` in every language: proposal__title -> proposal__title_en..."""
    return [localized_field(path, code) for path in paths for code, _ in settings.LANGUAGES]


def localized(path: str, language: str | None = None) -> Coalesce | F:
    """An expression reading `path` (a translated field, across relations) in the language.

    For a query that names a translated field of a related model, such as `proposal__title`
    in `values_list()`, which django-modeltranslation does not rewrite: the active language's
    column, or the English one where it is empty.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    english = F(localized_field(path, settings.LANGUAGE_CODE))
    if language == settings.LANGUAGE_CODE or language not in dict(settings.LANGUAGES):
        return english
    return Coalesce(
        NullIf(F(localized_field(path, language)), Value("")), english, output_field=CharField()
    )
