"""
Importing the corpus: sources, actors, proposals, citations and histories from corpus.toml.

Everything goes through the services, so the offsets of every quote are computed by the
anchoring code and every status change passes the workflow's checks. `make fixtures` runs this on
a throw-away database and dumps the result into fixtures/*.json.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

from proposals import errors, services
from proposals.corpus_translations import TranslationError, apply_translations
from proposals.models import Actor, Citation, Proposal, Source


@dataclass
class ImportReport:
    sources: int = 0
    actors: int = 0
    proposals: int = 0
    citations: int = 0
    changes: int = 0
    positions: int = 0
    relations: int = 0
    translations: int = 0


class CorpusError(Exception):
    """The corpus file cannot be imported; the message says where and why."""


def load_corpus_file(path: Path) -> dict[str, Any]:
    """Parse the corpus TOML file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{path}: {exc}") from exc


def as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _import_sources(entries: list[dict[str, Any]], seeds_dir: Path) -> dict[str, Source]:
    sources = {}
    for entry in entries:
        entry = dict(entry)
        seed_path = seeds_dir / entry["seed_file"]
        text = seed_path.read_bytes().decode("utf-8")
        published_on = entry.pop("published_on", None)
        source = services.source_from_text(
            text=text,
            published_on=as_date(published_on) if published_on else None,
            **entry,
        )
        sources[source.slug] = source
    return sources


def _import_actors(entries: list[dict[str, Any]]) -> dict[str, Actor]:
    actors = {}
    for entry in entries:
        actor = Actor(**entry)
        actor.full_clean()
        actor.save()
        actors[actor.slug] = actor
    return actors


def _import_proposal(
    entry: dict[str, Any],
    sources: dict[str, Source],
    actors: dict[str, Actor],
    report: ImportReport,
) -> dict[str, Citation]:
    slug = entry["slug"]

    def actors_named(key: str) -> list[Actor]:
        missing = [name for name in entry.get(key, []) if name not in actors]
        if missing:
            raise CorpusError(f"proposal {slug}: unknown {key}: {', '.join(missing)}")
        return [actors[name] for name in entry.get(key, [])]

    proposal = services.create_proposal(
        slug=slug,
        title=entry["title"],
        summary=entry["summary"],
        editor_notes=entry.get("editor_notes", ""),
        category=entry["category"],
        group=entry.get("group", ""),
        ordinal=entry.get("ordinal"),
        proposed_on=as_date(entry["proposed_on"]),
        proposed_precision=entry.get("proposed_precision", "day"),
        proposed_qualifier=entry.get("proposed_qualifier", "exact"),
        proposers=actors_named("proposers"),
        addressees=actors_named("addressees"),
        note=entry.get("note", "Proposed, as the origin citation reports."),
    )
    citations: dict[str, Citation] = {}
    for cited in entry.get("citations", []):
        if cited["source"] not in sources:
            raise CorpusError(f"proposal {slug}: unknown source {cited['source']}")
        try:
            citations[cited["key"]] = services.add_citation(
                proposal=proposal,
                source=sources[cited["source"]],
                quote=cited["quote"],
                locator=cited["locator"],
                role=cited.get("role", "origin"),
            )
        except errors.DomainError as exc:
            raise CorpusError(f"proposal {slug}, citation {cited['key']}: {exc}") from exc
    report.citations += len(citations)
    for change in entry.get("changes", []):
        missing = [key for key in change.get("evidence", []) if key not in citations]
        if missing:
            raise CorpusError(f"proposal {slug}: unknown evidence keys {', '.join(missing)}")
        try:
            services.record_transition(
                proposal=proposal,
                to_status=change["to_status"],
                note=change["note"],
                effective_date=as_date(change["effective_on"]),
                effective_precision=change.get("effective_precision", "day"),
                effective_qualifier=change.get("effective_qualifier", "exact"),
                evidence=[citations[key] for key in change.get("evidence", [])],
                expected_version=None,
            )
        except errors.DomainError as exc:
            raise CorpusError(f"proposal {slug}, change to {change['to_status']}: {exc}") from exc
        report.changes += 1
    for position in entry.get("positions", []):
        missing = [key for key in position.get("evidence", []) if key not in citations]
        if missing or position["actor"] not in actors:
            raise CorpusError(
                f"proposal {slug}: position of {position['actor']}: unknown actor or evidence "
                f"keys {', '.join(missing)}"
            )
        try:
            services.record_position(
                proposal=proposal,
                actor=actors[position["actor"]],
                stance=position["stance"],
                note=position["note"],
                effective_date=as_date(position["effective_on"]),
                effective_precision=position.get("effective_precision", "day"),
                effective_qualifier=position.get("effective_qualifier", "exact"),
                evidence=[citations[key] for key in position["evidence"]],
            )
        except errors.DomainError as exc:
            raise CorpusError(f"proposal {slug}, position of {position['actor']}: {exc}") from exc
        report.positions += 1
    report.proposals += 1
    return citations


def _import_relations(
    entries: list[dict[str, Any]], citations: dict[str, dict[str, Citation]], report: ImportReport
) -> None:
    proposals = Proposal.objects.in_bulk(field_name="slug")
    for entry in entries:
        label = f"relation {entry['from']} {entry['type']} {entry['to']}"
        if entry["from"] not in proposals or entry["to"] not in proposals:
            raise CorpusError(f"{label}: unknown proposal")
        cited = entry.get("citation")
        citation = None
        if cited is not None:
            try:
                citation = citations[cited["proposal"]][cited["key"]]
            except KeyError:
                raise CorpusError(f"{label}: unknown citation {cited}") from None
        try:
            services.add_relation(
                from_proposal=proposals[entry["from"]],
                to_proposal=proposals[entry["to"]],
                type=entry["type"],
                note=entry["note"],
                citation=citation,
            )
        except errors.DomainError as exc:
            raise CorpusError(f"{label}: {exc}") from exc
        report.relations += 1


def import_corpus(data: dict[str, Any], *, seeds_dir: Path) -> ImportReport:
    """Import a parsed corpus into an empty database; all or nothing.

    The corpus's own texts are English: they go to the English columns whatever language is
    active (assigning `title` writes the active language's column), its translations to theirs.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _import_corpus(data, seeds_dir=seeds_dir)


@transaction.atomic
def _import_corpus(data: dict[str, Any], *, seeds_dir: Path) -> ImportReport:
    if Proposal.objects.exists() or Source.objects.exists():
        raise CorpusError(
            "The database already holds sources or proposals; import into an empty one."
        )
    report = ImportReport()
    sources = _import_sources(data.get("sources", []), seeds_dir)
    report.sources = len(sources)
    actors = _import_actors(data.get("actors", []))
    report.actors = len(actors)
    citations = {
        entry["slug"]: _import_proposal(entry, sources, actors, report)
        for entry in data.get("proposals", [])
    }
    _import_relations(data.get("relations", []), citations, report)
    try:
        report.translations = apply_translations(data.get("translations", {}))
    except TranslationError as exc:
        raise CorpusError(str(exc)) from exc
    return report
