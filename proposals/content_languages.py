"""
Content in several languages: which translations a record lacks, and every translation of a field.

The columns come from django-modeltranslation (proposals/translation.py): `title_en`,
`title_ja`, `title_zh_hant`, ... Reading `title` gives the active language's value, or English
where it is empty.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery, Value
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


def in_language(translations: dict[str, str | None], language: str | None = None) -> str:
    """Return `translations` in the language (the active one), else English, else ""."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return translations.get(language) or translations.get(settings.LANGUAGE_CODE) or ""


def with_group_names(queryset: QuerySet) -> QuerySet:
    """Annotate proposals with their group's name in every language: `group_name_en`, ...

    Subqueries in the proposals' own query, so a page of proposals costs no query more.
    """
    return queryset.annotate(**_group_name_subqueries(tuple(language_codes())))


@functools.cache
def _group_name_subqueries(codes: tuple[str, ...]) -> dict[str, Subquery]:
    """The subqueries of `with_group_names`, built once per set of languages.

    Building them (three querysets through modeltranslation's manager) cost more than a
    millisecond of every list and detail request. An expression is never evaluated itself:
    `annotate()` resolves a copy of it into each query.
    """
    return {
        localized_field("group_name", code): Subquery(
            ProposalGroup.objects.filter(slug=OuterRef("group")).values(
                localized_field("name", code)
            )[:1]
        )
        for code in codes
    }


def group_name_translations(proposal: Any) -> dict[str, str | None] | None:
    """Return the name of `proposal`'s group in every language; None when it has no group.

    Reads the annotations of `with_group_names`; a proposal read without them costs a query.
    A group without a name reads its slug in English.
    """
    if not proposal.group:
        return None
    if hasattr(proposal, localized_field("group_name", settings.LANGUAGE_CODE)):
        names = {
            code: getattr(proposal, localized_field("group_name", code)) or None
            for code, _ in settings.LANGUAGES
        }
    else:
        group = ProposalGroup.objects.filter(slug=proposal.group).first()
        names = translations_of(group, "name") if group else dict.fromkeys(language_codes())
    names[settings.LANGUAGE_CODE] = names[settings.LANGUAGE_CODE] or proposal.group
    return names


def language_codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


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
