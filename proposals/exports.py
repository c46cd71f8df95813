"""
The tables of the open data: each API list as flat rows, with columns from its serializer.

One export path: a table's columns are its API serializer's fields, in their order, flattened
(a list of actors becomes their slugs and, beside them, their names; a list of citations their
ids). The API's CSV pages, its complete downloads, the admin's export and the open-data zip all
read rows from here, and the data package's schema describes the same columns.

A complete export streams its main query and reads each relation (actors, evidence) once for
the whole export, so it costs the same few queries for ten rows or a hundred thousand.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from proposals import bulk, selectors
from proposals.api import serializers as api_serializers
from proposals.selectors.refs import CHUNK_SIZE

SLUG_SEPARATOR = ";"
ID_SEPARATOR = " "

_TYPES: tuple[tuple[type[serializers.Field], str], ...] = (
    (serializers.BooleanField, "boolean"),
    (serializers.IntegerField, "integer"),
    (serializers.FloatField, "number"),
    (serializers.DecimalField, "number"),
    (serializers.DateTimeField, "datetime"),
    (serializers.DateField, "date"),
    (serializers.JSONField, "object"),
    (serializers.DictField, "object"),
)

# What a column holds, where its serializer field has no help text.
_DESCRIPTIONS = {
    "id": "The row's identifier in the tracker.",
    "slug": "Stable, readable identifier.",
    "title": "Title.",
    "name": "Name.",
    "kind": "Kind.",
    "country": "Country.",
    "category": "Category of the proposal.",
    "summary": "Summary of the proposal, in the tracker's own words.",
    "proposed_on": "The day the proposal was made (the first day of its month or year when "
    "known only to that precision).",
    "proposed_precision": "How precisely proposed_on is known: day, month or year.",
    "status": "Current status in the workflow.",
    "status_since": "The date since which the current status holds.",
    "status_since_precision": "How precisely status_since is known: day, month or year.",
    "proposers": f"Slugs of the actors who made the proposal, separated by '{SLUG_SEPARATOR}'.",
    "proposers_names": "Names of the proposers, in the order of their slugs.",
    "addressees": f"Slugs of the actors who would act on it, separated by '{SLUG_SEPARATOR}'.",
    "addressees_names": "Names of the addressees, in the order of their slugs.",
    "url": "The row's address in the tracker's API.",
    "publisher": "Publisher of the source.",
    "author": "Author of the source.",
    "reference": "A cable's origin and serial, such as 05TAIPEI4550.",
    "published_on": "Publication date of the source.",
    "published_precision": "How precisely published_on is known: day, month or year.",
    "classification": "Classification marking the source carries, if any.",
    "seed_file": "The source's file name in the tracker's seeds.",
    "sha256": "SHA-256 of the source's text, in hexadecimal.",
    "source": "Slug of the source.",
    "source_title": "Title of the source.",
    "proposal": "Slug of the proposal.",
    "proposal_title": "Title of the proposal.",
    "quote": "The cited words, exactly as the source prints them.",
    "locator": "Where in the source a reader finds the quote (paragraph or section).",
    "role": "What the citation does: origin, evidence or context.",
    "to_status": "The status the change moves to.",
    "effective_date": "The day the change took effect.",
    "effective_precision": "How precisely effective_date is known: day, month or year.",
    "note": "Why the status changed.",
    "evidence": f"Ids of the citations supporting the change, separated by '{ID_SEPARATOR}'.",
    "recorded_at": "When the change was recorded in the tracker.",
    "recorded_by": "Username of the editor who recorded it; empty for imported history.",
}

# The bulk columns that a proposals download carries empty (slug and version are there already).
BULK_FILL_COLUMNS = tuple(name for name in bulk.BULK_COLUMNS if name not in ("slug", "version"))
_BULK_DESCRIPTIONS = {
    "to_status": "For a bulk update: the status to move to (empty: the row is left as it is).",
    "effective_date": "For a bulk update: the day the change took effect (YYYY-MM-DD).",
    "effective_precision": "For a bulk update: day (the default), month or year.",
    "note": "For a bulk update: why the status changes (required).",
    "evidence": "For a bulk update: ids of citations of this proposal, separated by spaces.",
}


@dataclass(frozen=True)
class Column:
    """A CSV column: a serializer field, or one part (slug, name, id) of a list field's items."""

    name: str
    key: str
    type: str = "string"
    description: str = ""
    part: str | None = None
    enum: tuple[str, ...] = ()
    required: bool = False

    def value(self, data: Mapping[str, Any]) -> Any:
        """The cell of this column in a serializer's representation `data`."""
        value = data.get(self.key)
        if self.part is None:
            if self.type in ("object", "array") and value is not None:
                return json.dumps(value, ensure_ascii=False, sort_keys=True)
            return value
        if value is None:
            return ""
        if self.part == "items":
            return ID_SEPARATOR.join(str(item) for item in value)
        separator = ID_SEPARATOR if self.part == "id" else SLUG_SEPARATOR
        return separator.join(str(item.get(self.part, "")) for item in value)

    def schema(self) -> dict[str, Any]:
        """The column as a Frictionless Table Schema field."""
        described: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
        }
        constraints: dict[str, Any] = {}
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.required:
            constraints["required"] = True
        if constraints:
            described["constraints"] = constraints
        return described


def _scalar_type(field_: serializers.Field) -> str:
    for kind, name in _TYPES:
        if isinstance(field_, kind):
            return name
    return "string"


def _description(name: str, field_: serializers.Field) -> str:
    text = str(field_.help_text or "") or _DESCRIPTIONS.get(name, "")
    return text or name.replace("_", " ").capitalize() + "."


def columns_of(serializer: serializers.Serializer) -> list[Column]:
    """The CSV columns of a serializer's fields, in their order."""
    columns: list[Column] = []
    for name, field_ in serializer.fields.items():
        if isinstance(field_, serializers.ListSerializer):
            child_fields = getattr(field_.child, "fields", {})
            if "slug" in child_fields:
                columns.append(
                    Column(name, name, description=_description(name, field_), part="slug")
                )
                if "name" in child_fields:
                    names = f"{name}_names"
                    columns.append(
                        Column(names, name, description=_DESCRIPTIONS.get(names, ""), part="name")
                    )
            elif "id" in child_fields:
                columns.append(
                    Column(name, name, description=_description(name, field_), part="id")
                )
            else:
                columns.append(Column(name, name, "array", _description(name, field_)))
        elif isinstance(field_, serializers.ListField):
            columns.append(Column(name, name, description=_description(name, field_), part="items"))
        elif isinstance(field_, serializers.Serializer):
            columns.append(Column(name, name, "object", _description(name, field_)))
        else:
            enum: tuple[str, ...] = ()
            if isinstance(field_, serializers.ChoiceField):
                enum = tuple(str(choice) for choice in field_.choices)
            columns.append(
                Column(
                    name,
                    name,
                    _scalar_type(field_),
                    _description(name, field_),
                    enum=enum,
                    required=name in ("id", "slug"),
                )
            )
    return columns


# --- Tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One exported list: its serializer, its complete queryset and its relations."""

    name: str
    title: str
    description: str
    serializer_class: type[serializers.Serializer]
    queryset: Callable[[], QuerySet]
    relations: Callable[[QuerySet], dict[str, Any]] = lambda queryset: {}
    fill_columns: tuple[str, ...] = field(default=())
    primary_key: str = "slug"
    api_list: str = ""
    foreign_keys: tuple[tuple[str, str, str], ...] = ()

    def columns(self, *, with_fill: bool = True) -> list[Column]:
        """The table's columns; `with_fill` adds the empty bulk columns a download carries."""
        columns = columns_of(self.serializer_class())
        taken = {column.name for column in columns}
        if with_fill:
            columns += [
                Column(name, name, description=_BULK_DESCRIPTIONS.get(name, ""))
                for name in self.fill_columns
                if name not in taken
            ]
        return columns

    def header(self, *, with_fill: bool = True) -> list[str]:
        return [column.name for column in self.columns(with_fill=with_fill)]

    def rows_of_data(
        self, items: Sequence[Mapping[str, Any]], *, with_fill: bool = True
    ) -> Iterator[list[Any]]:
        """Rows of already serialized items (a page of the API)."""
        columns = self.columns(with_fill=with_fill)
        for data in items:
            yield [column.value(data) for column in columns]

    def stream(
        self,
        queryset: QuerySet | None = None,
        *,
        context: Mapping[str, Any] | None = None,
        with_fill: bool = True,
    ) -> Iterator[list[Any]]:
        """Every row of `queryset` (by default the whole table), read in chunks.

        The relations are read first, once; the main query then streams without prefetches,
        so the number of queries does not grow with the number of rows.
        """
        columns = self.columns(with_fill=with_fill)
        for data in self.representations(queryset, context=context):
            yield [column.value(data) for column in columns]

    def representations(
        self, queryset: QuerySet | None = None, *, context: Mapping[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """What the API's serializer makes of every row of `queryset`, read as `stream` reads."""
        queryset = (self.queryset() if queryset is None else queryset).prefetch_related(None)
        serializer = self.serializer_class(context={**(context or {}), **self.relations(queryset)})
        for instance in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield serializer.to_representation(instance)


TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table(
            name="proposals",
            api_list="api:proposal-list",
            title="Proposals",
            description="Every proposal with its current status, proposers and addressees.",
            serializer_class=api_serializers.ProposalRowSerializer,
            queryset=selectors.proposal_rows,
            relations=lambda queryset: {"actor_refs": selectors.actor_refs(queryset)},
            fill_columns=BULK_FILL_COLUMNS,
        ),
        Table(
            name="changes",
            api_list="api:change-list",
            title="Status changes",
            description="The status history of every proposal; the first entry of each history "
            "is the proposal being made.",
            serializer_class=api_serializers.ChangeSerializer,
            queryset=selectors.changes,
            relations=lambda queryset: {"evidence_refs": selectors.evidence_ids_of(queryset)},
            primary_key="id",
            foreign_keys=(("proposal", "proposals", "slug"),),
        ),
        Table(
            name="history",
            title="A proposal's status changes",
            description="The status changes of one proposal, oldest first.",
            serializer_class=api_serializers.HistoryEntrySerializer,
            queryset=selectors.history_of,
            relations=lambda queryset: {"evidence_refs": selectors.evidence_ids_of(queryset)},
            primary_key="id",
        ),
        Table(
            name="citations",
            api_list="api:citation-list",
            title="Citations",
            description="Every cited passage: the proposal, the source and the exact words.",
            serializer_class=api_serializers.CitationSerializer,
            queryset=selectors.citation_rows,
            primary_key="id",
            foreign_keys=(("proposal", "proposals", "slug"), ("source", "sources", "slug")),
        ),
        Table(
            name="sources",
            api_list="api:source-list",
            title="Sources",
            description="The source documents (their texts are in texts/, one file per slug).",
            serializer_class=api_serializers.SourceSerializer,
            queryset=selectors.sources_without_text,
        ),
        Table(
            name="actors",
            api_list="api:actor-list",
            title="Actors",
            description="Governments, parties, legislatures, agencies, people and organisations.",
            serializer_class=api_serializers.ActorSerializer,
            queryset=selectors.actor_list,
        ),
    )
}

# The tables of the open-data zip (a proposal's history is part of the changes).
DATASET_TABLES = ("proposals", "changes", "citations", "sources", "actors")


def proposal_download_columns() -> list[str]:
    """The columns of the proposals download, which a bulk file may carry beside its own."""
    return TABLES["proposals"].header()
