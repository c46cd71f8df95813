"""
Applying the corpus's translations: the trailing `[translations]` section of corpus.toml.

The proposal blocks of the corpus hold the English text; translations live apart, at the end of
the file, keyed by slug:

    [translations.proposals."<slug>"]   title_ja, summary_ja, title_zh_hant, summary_zh_hant
    [translations.actors."<slug>"]      name_ja, name_zh_hant, aliases
    [translations.groups."<slug>"]      name (English), name_ja, name_zh_hant
    [translations.countries."<English name>"]   ja, zh_hant

A translation for a slug the corpus does not hold, or a key that is not one of these, fails the
import loudly: a stale translation must be noticed, not silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from modeltranslation.utils import build_localized_fieldname

from proposals import errors, services
from proposals.models import Actor, Proposal


class TranslationError(Exception):
    """A translation of the corpus names something that is not there; the message says what."""


def _other_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _columns(*fields: str) -> set[str]:
    return {
        build_localized_fieldname(field, code) for field in fields for code in _other_languages()
    }


def _check_keys(label: str, entry: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise TranslationError(
            f"{label}: unknown keys {', '.join(unknown)} (known: {', '.join(sorted(allowed))})"
        )


def _each(
    table: dict[str, Any], kind: str, known: set[str], apply: Callable[[str, dict], None]
) -> int:
    stale = sorted(set(table) - known)
    if stale:
        raise TranslationError(
            f"translations.{kind}: no {kind} with the slug {', '.join(stale)} in the corpus; "
            "remove or rename these translations"
        )
    for slug, entry in table.items():
        apply(slug, entry)
    return len(table)


def apply_translations(data: dict[str, Any]) -> int:
    """Write every translation of `data` (the parsed `[translations]` table); return how many."""
    unknown_tables = sorted(set(data) - {"proposals", "actors", "groups", "countries"})
    if unknown_tables:
        raise TranslationError(f"translations: unknown tables {', '.join(unknown_tables)}")
    count = 0
    count += _apply_groups(data.get("groups", {}))
    count += _apply_countries(data.get("countries", {}))
    count += _apply_actors(data.get("actors", {}))
    count += _apply_proposals(data.get("proposals", {}))
    return count


def _apply_proposals(table: dict[str, Any]) -> int:
    proposals = {proposal.slug: proposal for proposal in Proposal.objects.all()}
    allowed = _columns("title", "summary")

    def apply(slug: str, entry: dict[str, Any]) -> None:
        label = f'translations.proposals."{slug}"'
        _check_keys(label, entry, allowed)
        proposal = proposals[slug]
        try:
            services.update_proposal(proposal=proposal, expected_version=proposal.version, **entry)
        except errors.DomainError as exc:
            raise TranslationError(f"{label}: {exc}") from exc

    return _each(table, "proposals", set(proposals), apply)


def _apply_actors(table: dict[str, Any]) -> int:
    actors = {actor.slug: actor for actor in Actor.objects.all()}
    allowed = _columns("name") | {"aliases"}

    def apply(slug: str, entry: dict[str, Any]) -> None:
        label = f'translations.actors."{slug}"'
        _check_keys(label, entry, allowed)
        actor = actors[slug]
        for name, value in entry.items():
            setattr(actor, name, value)
        try:
            services.save_actor(actor=actor)
        except errors.DomainError as exc:
            raise TranslationError(f"{label}: {exc}") from exc

    return _each(table, "actors", set(actors), apply)


def _apply_countries(table: dict[str, Any]) -> int:
    """Country names are translated once and given to every actor of that country."""
    by_country: dict[str, list[Actor]] = {}
    for actor in Actor.objects.all():
        if actor.country_en:
            by_country.setdefault(actor.country_en, []).append(actor)
    allowed = {code.replace("-", "_") for code in _other_languages()}

    def apply(country: str, entry: dict[str, Any]) -> None:
        _check_keys(f'translations.countries."{country}"', entry, allowed)
        for actor in by_country[country]:
            for code in _other_languages():
                value = entry.get(code.replace("-", "_"))
                if value:
                    setattr(actor, build_localized_fieldname("country", code), value)
            services.save_actor(actor=actor)

    return _each(table, "countries", set(by_country), apply)


def _apply_groups(table: dict[str, Any]) -> int:
    groups = set(Proposal.objects.exclude(group="").values_list("group", flat=True))
    allowed = {"name"} | _columns("name")

    def apply(slug: str, entry: dict[str, Any]) -> None:
        label = f'translations.groups."{slug}"'
        _check_keys(label, entry, allowed)
        if not entry.get("name"):
            raise TranslationError(f"{label}: the English name is required")
        try:
            services.save_proposal_group(
                slug=slug,
                name=entry["name"],
                translations={key: value for key, value in entry.items() if key != "name"},
            )
        except errors.DomainError as exc:
            raise TranslationError(f"{label}: {exc}") from exc

    return _each(table, "groups", groups, apply)
