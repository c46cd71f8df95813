"""
Serializers of /api/v1/: strict input serializers, and lean output serializers.

Input serializers validate shape and types only (the rules live in proposals.workflow and the
services) and refuse fields they do not know, naming them. Output serializers declare their
fields for the OpenAPI schema but build their dicts directly in `to_representation`: nested
ModelSerializers cost several times as much per row, and these are read on every list page.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import dateparse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from proposals import selectors, validators, workflow
from proposals.content_languages import (
    group_name_translations,
    in_language,
    translations_of,
)
from proposals.dates import format_precise_date
from proposals.errors import ControlCharacter
from proposals.models import (
    LOCATOR_MAX_LENGTH,
    QUOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    URL_MAX_LENGTH,
    Actor,
    AnchorStatus,
    Category,
    Citation,
    CitationRole,
    Position,
    Proposal,
    Relation,
    Source,
    SourceKind,
    SourceRevision,
    StatusChange,
    language_tag_validator,
    validate_registered_language,
)
from proposals.routing import slug_url
from proposals.workflow import (
    NOTE_MAX_LENGTH,
    DateQualifier,
    Precision,
    RelationType,
    Stance,
    Status,
)

# Citation ids are 64-bit; a larger number could not even be looked up.
MAX_ID = 2**63 - 1
MAX_EVIDENCE = 100

_datetime_field = serializers.DateTimeField()


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: datetime.datetime | None) -> str | None:
    return _datetime_field.to_representation(value) if value is not None else None


class _UrlMixin:
    """Build absolute detail URLs by filling in a slug, reversing the route once per response."""

    context: dict[str, Any]
    url_name: str

    def detail_url(self, slug: str) -> str:
        key = f"_url_builder:{self.url_name}"
        build = self.context.get(key)
        if build is None:
            request = self.context.get("request")
            absolute = request.build_absolute_uri if request is not None else None
            build = self.context[key] = slug_url(self.url_name, absolute)
        return build(slug)


class OutputSerializer(serializers.Serializer):
    """A read-only serializer whose `to_representation` builds the dict itself."""

    def create(self, validated_data: Any) -> Any:  # pragma: no cover - output only
        raise NotImplementedError

    def update(self, instance: Any, validated_data: Any) -> Any:  # pragma: no cover
        raise NotImplementedError


# --- Languages and dates --------------------------------------------------------------------


class TranslationsSerializer(OutputSerializer):
    """A translated field in every shipped language, keyed by language code (null: missing)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        # Built per use from settings.LANGUAGES, so that a language added there appears here.
        return {
            code: serializers.CharField(
                allow_null=True, help_text=f"In {name}; null where not translated."
            )
            for code, name in settings.LANGUAGES
        }


def translations(help_text: str, **kwargs: Any) -> TranslationsSerializer:
    """The `<field>_i18n` object of a translated field."""
    return TranslationsSerializer(
        help_text=f"{help_text} in every language, whatever the request's language.", **kwargs
    )


def display_date(help_text: str, **kwargs: Any) -> serializers.CharField:
    """A `<date>_display` field: the date to its precision, in the request's language."""
    return serializers.CharField(
        help_text=f"{help_text}, to its precision and with its qualifier, in the request's "
        'language: "10 November 2005", "March 2005", "by 2005", "2005年3月".',
        **kwargs,
    )


def _display(value: datetime.date | None, precision: str, qualifier: str = "exact") -> str | None:
    if value is None:
        return None
    return format_precise_date(value, precision, qualifier=qualifier)


# --- Statuses -------------------------------------------------------------------------------


class StatusSerializer(OutputSerializer):
    code = serializers.ChoiceField(choices=Status.choices)
    label = serializers.CharField()
    description = serializers.CharField()
    next = serializers.ListField(child=serializers.ChoiceField(choices=Status.choices))
    requires_evidence = serializers.BooleanField()

    def to_representation(self, instance: Status) -> dict[str, Any]:
        return {
            "code": instance.value,
            "label": str(instance.label),
            "description": workflow.DESCRIPTIONS[instance],
            "next": workflow.allowed_next(instance),
            "requires_evidence": workflow.requires_evidence(instance),
        }


# --- Actors ---------------------------------------------------------------------------------


class ActorRefSerializer(OutputSerializer):
    """An actor named by a proposal or a position: its slug and name, in every language too."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    name_i18n = translations("The name")

    def to_representation(self, instance: Actor) -> dict[str, Any]:
        return _actor_ref(instance)


def _actor_ref(actor: Actor) -> dict[str, Any]:
    return {
        "slug": actor.slug,
        "name": actor.name,
        "name_i18n": translations_of(actor, "name"),
    }


def _actor_refs(actors: Any) -> list[dict[str, Any]]:
    return [_actor_ref(actor) for actor in actors.all()]


class ActorSerializer(_UrlMixin, OutputSerializer):
    url_name = "api:actor-detail"

    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Actor.Kind.choices)
    country = serializers.CharField()
    url = serializers.URLField()
    name_i18n = translations("The name")
    country_i18n = translations("The country")

    def to_representation(self, instance: Actor) -> dict[str, Any]:
        return {
            "slug": instance.slug,
            "name": instance.name,
            "kind": instance.kind,
            "country": instance.country,
            "url": self.detail_url(instance.slug),
            "name_i18n": translations_of(instance, "name"),
            "country_i18n": translations_of(instance, "country"),
        }


class ProposalRefSerializer(OutputSerializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_since = serializers.DateField()
    title_i18n = translations("The title")

    def to_representation(self, instance: Proposal) -> dict[str, Any]:
        return _proposal_ref(instance)


def _proposal_ref(proposal: Proposal) -> dict[str, Any]:
    return {
        "slug": proposal.slug,
        "title": proposal.title,
        "status": proposal.status,
        "status_since": _date(proposal.status_since),
        "title_i18n": translations_of(proposal, "title"),
    }


def _proposal_refs(proposals: Any) -> list[dict[str, Any]]:
    return [_proposal_ref(item) for item in proposals.all()]


class ActorDetailSerializer(ActorSerializer):
    proposals_made = ProposalRefSerializer(many=True)
    proposals_addressed = ProposalRefSerializer(many=True)

    def to_representation(self, instance: Actor) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["proposals_made"] = _proposal_refs(instance.proposals_made)
        data["proposals_addressed"] = _proposal_refs(instance.proposals_addressed)
        return data


# --- Sources --------------------------------------------------------------------------------


class SourceSerializer(_UrlMixin, OutputSerializer):
    url_name = "api:source-detail"

    slug = serializers.SlugField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    publisher = serializers.CharField()
    author = serializers.CharField()
    reference = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    published_precision = serializers.ChoiceField(choices=Precision.choices)
    classification = serializers.CharField()
    language = serializers.CharField(help_text="BCP 47 language tag, such as en, ja, zh-Hant.")
    document_url = serializers.CharField(help_text="Where the document is published; may be empty.")
    archived_url = serializers.CharField(help_text="An archived copy; may be empty.")
    retrieved_on = serializers.DateField(allow_null=True)
    seed_file = serializers.CharField()
    sha256 = serializers.CharField(help_text="The sha256 of the current text's UTF-8 bytes.")
    revision = serializers.IntegerField(help_text="The number of the current text's revision.")
    url = serializers.URLField()
    published_on_display = display_date("The publication date", allow_null=True)

    def to_representation(self, instance: Source) -> dict[str, Any]:
        return {
            "slug": instance.slug,
            "title": instance.title,
            "kind": instance.kind,
            "publisher": instance.publisher,
            "author": instance.author,
            "reference": instance.reference,
            "published_on": _date(instance.published_on),
            "published_precision": instance.published_precision,
            "classification": instance.classification,
            "language": instance.language,
            "document_url": instance.document_url,
            "archived_url": instance.archived_url,
            "retrieved_on": _date(instance.retrieved_on),
            "seed_file": instance.seed_file,
            "sha256": instance.sha256,
            "revision": instance.revision,
            "url": self.detail_url(instance.slug),
            "published_on_display": _display(instance.published_on, instance.published_precision),
        }


class SourceCreatedSerializer(SourceSerializer):
    """A source just brought in: its fields, with the length of its text."""

    length = serializers.IntegerField(help_text="The text's length in Unicode code points.")

    def to_representation(self, instance: Source) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["length"] = len(instance.text)
        return data


class RevisionSerializer(OutputSerializer):
    """One text of a source, without the text itself."""

    number = serializers.IntegerField()
    sha256 = serializers.CharField()
    length = serializers.IntegerField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    citations_relocated = serializers.IntegerField(
        help_text="Citations this correction moved to new offsets."
    )
    citations_unresolved = serializers.IntegerField(
        help_text="Citations it left ambiguous or orphaned on their earlier revision."
    )
    original_name = serializers.CharField(help_text="The uploaded file's name; empty if pasted.")

    def to_representation(self, instance: SourceRevision) -> dict[str, Any]:
        return {
            "number": instance.number,
            "sha256": instance.sha256,
            "length": instance.length,
            "note": instance.note,
            "created_at": _datetime(instance.created_at),
            "citations_relocated": instance.citations_relocated,
            "citations_unresolved": instance.citations_unresolved,
            "original_name": instance.original_name,
        }


class SourceDetailSerializer(SourceCreatedSerializer):
    text = serializers.CharField(help_text="The document's content: its current revision.")
    revisions = RevisionSerializer(many=True, help_text="Oldest first.")

    def to_representation(self, instance: Source) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["text"] = instance.text
        revision = RevisionSerializer()
        data["revisions"] = [revision.to_representation(item) for item in instance.revisions.all()]
        return data


class OutcomeSerializer(OutputSerializer):
    id = serializers.IntegerField(help_text="The citation's id.")
    outcome = serializers.ChoiceField(choices=AnchorStatus.choices)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {"id": instance.id, "outcome": str(instance.outcome)}


class RevisionResultSerializer(OutputSerializer):
    """What a revision did (201) or would do (200, dry run) to each citation of the source."""

    revision = serializers.IntegerField(help_text="The new revision's number.")
    dry_run = serializers.BooleanField()
    citations = OutcomeSerializer(many=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        outcome = OutcomeSerializer()
        return {
            "revision": instance.revision,
            "dry_run": not instance.applied,
            "citations": [outcome.to_representation(item) for item in instance.citations],
        }


# --- Citations ------------------------------------------------------------------------------


class QuoteSelectorSerializer(OutputSerializer):
    exact = serializers.CharField(help_text="The quote.")
    prefix = serializers.CharField(help_text="Up to 32 code points of the text before it.")
    suffix = serializers.CharField(help_text="Up to 32 code points of the text after it.")


class PositionSelectorSerializer(OutputSerializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()


class SelectorsSerializer(OutputSerializer):
    """W3C Web Annotation selectors: TextQuoteSelector and TextPositionSelector."""

    quote = QuoteSelectorSerializer()
    position = PositionSelectorSerializer(help_text="Code points of the citation's revision.")


def selectors_of(citation: Citation) -> dict[str, dict[str, Any]]:
    return {
        "quote": {"exact": citation.quote, "prefix": citation.prefix, "suffix": citation.suffix},
        "position": {"start": citation.start, "end": citation.end},
    }


class ProposalCitationSerializer(OutputSerializer):
    """A citation as its proposal shows it."""

    id = serializers.IntegerField()
    source = serializers.SlugField(help_text="The source's slug.")
    source_title = serializers.CharField()
    quote = serializers.CharField()
    locator = serializers.CharField()
    role = serializers.ChoiceField(choices=CitationRole.choices)
    start = serializers.IntegerField(
        help_text="Offset of the quote in the text of its revision, in Unicode code points."
    )
    end = serializers.IntegerField()
    selectors = SelectorsSerializer()
    revision = serializers.IntegerField(help_text="The revision of the source's text it indexes.")
    anchor_status = serializers.ChoiceField(
        choices=AnchorStatus.choices,
        help_text="`ambiguous` or `orphaned`: the source's latest revision no longer holds the "
        "quote once; the citation stays on its revision.",
    )
    verified = serializers.BooleanField(
        help_text="Whether its revision's text at [start:end] is exactly the quote."
    )

    def to_representation(self, instance: Citation) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "source": instance.source.slug,
            "source_title": instance.source.title,
            "quote": instance.quote,
            "locator": instance.locator,
            "role": instance.role,
            "start": instance.start,
            "end": instance.end,
            "selectors": selectors_of(instance),
            "revision": instance.revision.number,
            "anchor_status": instance.anchor_status,
            "verified": bool(instance.verified),
        }


class CitationSerializer(ProposalCitationSerializer):
    """A citation on its own: with the proposal it belongs to."""

    proposal = serializers.SlugField(help_text="The proposal's slug.")
    proposal_title = serializers.CharField()
    proposal_title_i18n = translations("The proposal's title")

    def to_representation(self, instance: Citation) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["proposal"] = instance.proposal.slug
        data["proposal_title"] = instance.proposal.title
        data["proposal_title_i18n"] = translations_of(instance.proposal, "title")
        return data


class EvidenceSerializer(OutputSerializer):
    """A citation supporting a status change."""

    id = serializers.IntegerField()
    quote = serializers.CharField()
    locator = serializers.CharField()
    source = serializers.SlugField(help_text="The source's slug.")

    def to_representation(self, instance: Citation) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "quote": instance.quote,
            "locator": instance.locator,
            "source": instance.source.slug,
        }


# --- Status changes -------------------------------------------------------------------------


class HistoryEntrySerializer(OutputSerializer):
    """One status change of a proposal, with its evidence."""

    id = serializers.IntegerField()
    from_status = serializers.ChoiceField(
        choices=Status.choices, allow_null=True, help_text="Null for the first entry."
    )
    to_status = serializers.ChoiceField(choices=Status.choices)
    effective_date = serializers.DateField()
    effective_precision = serializers.ChoiceField(choices=Precision.choices)
    effective_qualifier = serializers.ChoiceField(
        choices=DateQualifier.choices,
        help_text="exact, or on_or_before (the change stood by that day), or about.",
    )
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    recorded_by = serializers.CharField(
        allow_null=True,
        help_text="Who recorded it: the editor's username for signed-in clients, a display name "
        '(the editor\'s full name, or "Editor") for anonymous readers, since usernames are '
        "login names; null for imported history.",
    )
    evidence = EvidenceSerializer(many=True)
    effective_date_display = display_date("The effective date")

    def recorder_name(self, user: Any) -> str | None:
        """The editor's username for signed-in readers; a display name for anyone else."""
        if user is None:
            return None
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            return user.get_username()
        return user.get_full_name().strip() or "Editor"

    def to_representation(self, instance: StatusChange) -> dict[str, Any]:
        evidence = EvidenceSerializer()
        return {
            "id": instance.pk,
            "from_status": instance.from_status or None,
            "to_status": instance.to_status,
            "effective_date": _date(instance.effective_date),
            "effective_precision": instance.effective_precision,
            "effective_qualifier": instance.effective_qualifier,
            "note": instance.note,
            "recorded_at": _datetime(instance.recorded_at),
            "recorded_by": self.recorder_name(instance.recorded_by),
            "evidence": self.evidence_of(instance, evidence),
            "effective_date_display": _display(
                instance.effective_date,
                instance.effective_precision,
                instance.effective_qualifier,
            ),
        }

    def evidence_of(
        self, instance: StatusChange, evidence: EvidenceSerializer
    ) -> list[dict[str, Any]]:
        """The change's evidence: from the context's `evidence_refs` map if any, else prefetched.

        A complete export reads the evidence of every change in one query and passes it here.
        """
        refs = self.context.get("evidence_refs")
        if refs is not None:
            return refs[instance.pk]
        return [evidence.to_representation(item) for item in instance.evidence.all()]


class ChangeSerializer(HistoryEntrySerializer):
    """A status change among those of every proposal: with its proposal."""

    proposal = serializers.SlugField(help_text="The proposal's slug.")
    proposal_title = serializers.CharField()
    proposal_title_i18n = translations("The proposal's title")

    def to_representation(self, instance: StatusChange) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["proposal"] = instance.proposal.slug
        data["proposal_title"] = instance.proposal.title
        data["proposal_title_i18n"] = translations_of(instance.proposal, "title")
        return data


# --- Proposals ------------------------------------------------------------------------------


class ProposalRowSerializer(_UrlMixin, OutputSerializer):
    """A proposal in a list: the status shown is the one its selector annotates (current, or
    with `as_of`/`recorded_as_of` the status, date and precision as of that day)."""

    url_name = "api:proposal-detail"

    slug = serializers.SlugField()
    title = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    group = serializers.CharField(help_text="Proposals made together; empty if none.")
    ordinal = serializers.IntegerField(allow_null=True)
    proposed_on = serializers.DateField()
    proposed_precision = serializers.ChoiceField(choices=Precision.choices)
    proposed_qualifier = serializers.ChoiceField(
        choices=DateQualifier.choices,
        help_text="exact, or on_or_before (the proposal stood by that day), or about.",
    )
    status = serializers.ChoiceField(choices=Status.choices)
    status_since = serializers.DateField()
    status_since_precision = serializers.ChoiceField(choices=Precision.choices)
    version = serializers.IntegerField(help_text="Incremented by every write: the ETag.")
    proposers = ActorRefSerializer(many=True)
    addressees = ActorRefSerializer(many=True)
    url = serializers.URLField()
    title_i18n = translations("The title")
    group_name = serializers.CharField(
        help_text="The group's name in the request's language (English where untranslated); "
        "empty if none."
    )
    group_name_i18n = translations("The group's name", allow_null=True)
    proposed_on_display = display_date("The date it was proposed")
    status_since_display = display_date("The date since which the status holds")

    def to_representation(self, instance: Proposal) -> dict[str, Any]:
        # The status shown (current, or as of the day asked), as the selectors annotate it.
        group_names = group_name_translations(instance)
        return {
            "slug": instance.slug,
            "title": instance.title,
            "category": instance.category,
            "group": instance.group,
            "ordinal": instance.ordinal,
            "proposed_on": _date(instance.proposed_on),
            "proposed_precision": instance.proposed_precision,
            "proposed_qualifier": instance.proposed_qualifier,
            "status": instance.shown_status,
            "status_since": _date(instance.shown_since),
            "status_since_precision": instance.shown_precision,
            "version": instance.version,
            **self.actors_of(instance),
            "url": self.detail_url(instance.slug),
            "title_i18n": translations_of(instance, "title"),
            "group_name": in_language(group_names) if group_names else "",
            "group_name_i18n": group_names,
            "proposed_on_display": _display(
                instance.proposed_on, instance.proposed_precision, instance.proposed_qualifier
            ),
            "status_since_display": _display(instance.shown_since, instance.shown_precision),
        }

    def actors_of(self, instance: Proposal) -> dict[str, list[dict[str, Any]]]:
        """The proposal's actors: from the context's `actor_refs` map if any, else prefetched."""
        refs = self.context.get("actor_refs")
        if refs is not None:
            return refs[instance.pk]
        return {
            "proposers": _actor_refs(instance.proposers),
            "addressees": _actor_refs(instance.addressees),
        }


class ProposalDetailSerializer(ProposalRowSerializer):
    """A proposal with its summary, citations and the statuses it may move to."""

    summary = serializers.CharField()
    summary_i18n = translations("The summary")
    next_statuses = serializers.ListField(
        child=serializers.ChoiceField(choices=Status.choices),
        help_text="The statuses a transition may move it to now.",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    citations = ProposalCitationSerializer(many=True)

    def to_representation(self, instance: Proposal) -> dict[str, Any]:
        data = super().to_representation(instance)
        citation = ProposalCitationSerializer()
        data.update(
            summary=instance.summary,
            summary_i18n=translations_of(instance, "summary"),
            next_statuses=workflow.allowed_next(instance.status),
            created_at=_datetime(instance.created_at),
            updated_at=_datetime(instance.updated_at),
            citations=[citation.to_representation(item) for item in instance.citations.all()],
        )
        return data


# --- Input ----------------------------------------------------------------------------------


def _json_type(field: serializers.Field) -> tuple[type | tuple[type, ...], str] | None:
    """The JSON type the schema gives `field`, as (Python types, its name), where DRF would also
    take another: `0` for a text, `"1"` for a number, `1` for a boolean, `{}` for a list."""
    if isinstance(field, (serializers.ManyRelatedField, serializers.ListField)):
        return list, "a list (a JSON array)"
    if isinstance(field, serializers.MultipleChoiceField):
        return list, "a list (a JSON array)"
    if isinstance(field, serializers.BooleanField):
        return bool, "true or false"
    if isinstance(field, (serializers.IntegerField, serializers.PrimaryKeyRelatedField)):
        return int, "a whole number"
    if isinstance(field, serializers.ChoiceField) and not all(
        isinstance(key, str) for key in field.choices
    ):
        return None
    if isinstance(
        field,
        (
            serializers.CharField,
            serializers.ChoiceField,
            serializers.SlugRelatedField,
            serializers.DateField,
            serializers.DateTimeField,
        ),
    ):
        return str, "text (a JSON string)"
    return None


def json_type_error(field: serializers.Field, value: Any) -> str | None:
    """The message for a JSON `value` of another type than the schema gives `field`, or None."""
    expected = _json_type(field)
    if expected is None or value is None:  # null: the field's own rules answer
        return None
    types, name = expected
    if not isinstance(value, types) or (types is int and isinstance(value, bool)):
        return f"Expected {name}."
    if types is list:
        child = getattr(field, "child_relation", None) or getattr(field, "child", None)
        if child is not None:
            problems = [json_type_error(child, item) for item in value]
            first = next((problem for problem in problems if problem), None)
            if first:
                return f"Each item: {first}"
    return None


class StrictInputSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not know, naming each one, and JSON
    values of another type than the schema gives (DRF would turn `0` into "0").

    `fixed_fields` maps fields a client may know (they appear in the output) but not write here
    to the message explaining why.
    """

    fixed_fields: Mapping[str, str] = {}

    def fixed_field_message(self, name: str) -> str:
        return self.fixed_fields[name]

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            accepted = ", ".join(self.fields)
            errors = {
                str(name): [
                    self.fixed_field_message(name)
                    if name in self.fixed_fields
                    else _("Unknown field. Accepted fields: %(accepted)s.") % {"accepted": accepted}
                ]
                for name in data
                if name not in self.fields
            }
            if errors:
                raise serializers.ValidationError(errors)
        if isinstance(data, Mapping) and not hasattr(data, "getlist"):  # JSON, not a form
            wrong_type = {
                name: [message]
                for name, field in self.fields.items()
                if name in data and (message := json_type_error(field, data[name])) is not None
            }
            if wrong_type:
                raise serializers.ValidationError(wrong_type)
            for name, value in data.items():
                character = validators.forbidden_character(value)
                if character is not None and name in self.fields:
                    # As the services refuse it, but before If-Match is weighed: a 400, not 412.
                    raise ControlCharacter(name, character)
        return super().to_internal_value(data)

    def create(self, validated_data: Any) -> Any:  # pragma: no cover - services write
        raise NotImplementedError

    def update(self, instance: Any, validated_data: Any) -> Any:  # pragma: no cover
        raise NotImplementedError


@extend_schema_field(
    {
        "anyOf": [
            {"type": "string", "format": "date-time"},
            {"type": "string", "format": "date"},
        ]
    }
)
class MomentField(serializers.Field):
    """An ISO 8601 date-time, or a date meaning its midnight; without an offset, UTC.

    Returned as an aware datetime in UTC, so that a moment near the ends of the calendar that
    has no UTC equivalent is refused here rather than failing in the database.
    """

    default_error_messages = {
        "invalid": "Expected an ISO 8601 date-time (such as 2024-05-01T12:00:00Z) or a date "
        "(YYYY-MM-DD)."
    }

    def to_internal_value(self, data: Any) -> datetime.datetime:
        moment = self.parse(data) if isinstance(data, str) and len(data) <= 64 else None
        if moment is None:
            self.fail("invalid")
        return moment

    @staticmethod
    def parse(text: str) -> datetime.datetime | None:
        """Return the moment `text` names, in UTC, or None if it names none."""
        text = text.strip()
        try:
            day = dateparse.parse_date(text)
            if day is not None:
                return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
            moment = dateparse.parse_datetime(text)
            if moment is None:
                return None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=datetime.UTC)
            return moment.astimezone(datetime.UTC)
        except (ValueError, OverflowError):
            return None

    def to_representation(self, value: datetime.datetime) -> str:  # pragma: no cover
        return value.isoformat()


def _actor_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="slug",
        queryset=selectors.actor_list(),
        many=True,
        required=False,
        help_text="Actor slugs.",
    )


class ProposalWriteFields(StrictInputSerializer):
    """The fields an editor writes on a proposal."""

    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    summary = serializers.CharField(max_length=NOTE_MAX_LENGTH)
    category = serializers.ChoiceField(choices=Category.choices)
    group = serializers.SlugField(
        max_length=100, required=False, allow_blank=True, help_text="Empty if none."
    )
    ordinal = serializers.IntegerField(
        min_value=1,
        max_value=32767,
        required=False,
        allow_null=True,
        help_text="The proposal's place in its group, from 1; null without a group.",
    )
    proposers = _actor_field()
    addressees = _actor_field()


class ProposalCreateSerializer(ProposalWriteFields):
    """The body of POST /proposals/: the new proposal starts as `proposed` on `proposed_on`."""

    slug = serializers.SlugField(max_length=100)
    proposed_on = serializers.DateField()
    proposed_precision = serializers.ChoiceField(choices=Precision.choices, default=Precision.DAY)
    proposed_qualifier = serializers.ChoiceField(
        choices=DateQualifier.choices, default=DateQualifier.EXACT
    )
    fixed_fields = {
        "status": "A new proposal starts as 'proposed'; later statuses are recorded through "
        "POST /api/v1/proposals/{slug}/transitions/.",
        "status_since": "Set by the server from proposed_on.",
        "version": "Set by the server.",
    }


class ProposalUpdateSerializer(ProposalWriteFields):
    """The body of PATCH /proposals/{slug}/: descriptive fields and actors only."""

    fixed_fields = {
        "status": "The status is not writable here: record a status change with POST {url}.",
        "status_since": "Not writable: a status and its date change only through POST {url}.",
        "status_since_precision": "Not writable: a status and its date change only through "
        "POST {url}.",
        "version": "Not writable: the server increments it; send the ETag in If-Match. Status "
        "changes go through POST {url}.",
        "slug": "Not writable: a proposal's slug is fixed. Status changes go through POST {url}.",
        "proposed_on": "Not writable: the first entry of the history carries it. Status changes "
        "go through POST {url}.",
        "proposed_precision": "Not writable: the first entry of the history carries it. Status "
        "changes go through POST {url}.",
    }

    def fixed_field_message(self, name: str) -> str:
        url = self.context.get("transitions_url", "/api/v1/proposals/{slug}/transitions/")
        return self.fixed_fields[name].format(url=url)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                _("Nothing to change: send at least one of %(fields)s.")
                % {"fields": ", ".join(self.fields)}
            )
        return attrs


class TransitionSerializer(StrictInputSerializer):
    """The body of POST /proposals/{slug}/transitions/. The workflow checks the rest."""

    to_status = serializers.CharField(
        max_length=50, help_text=f"One of: {', '.join(Status.values)}."
    )
    note = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"Why: required, at most {NOTE_MAX_LENGTH} characters.",
    )
    effective_date = serializers.DateField(
        help_text="Not in the future, nor before the proposal or its current status."
    )
    effective_precision = serializers.ChoiceField(choices=Precision.choices, default=Precision.DAY)
    effective_qualifier = serializers.ChoiceField(
        choices=DateQualifier.choices,
        default=DateQualifier.EXACT,
        help_text="exact; on_or_before when the source shows the change stood by that day; about.",
    )
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=MAX_EVIDENCE,
        required=False,
        default=list,
        help_text="Ids of citations of this proposal; required for "
        f"{', '.join(sorted(workflow.EVIDENCE_REQUIRED))}.",
    )


class CitationCreateSerializer(StrictInputSerializer):
    """The body of POST /citations/: the server finds the quote in the source."""

    proposal = serializers.SlugRelatedField(
        slug_field="slug", queryset=selectors.bare_proposals(), help_text="The proposal's slug."
    )
    source = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=selectors.sources_with_text(),
        help_text="The source's slug.",
    )
    quote = serializers.CharField(
        max_length=QUOTE_MAX_LENGTH, help_text="Verbatim from the source's text."
    )
    locator = serializers.CharField(
        max_length=LOCATOR_MAX_LENGTH, help_text="Paragraph or section, as a reader finds it."
    )
    role = serializers.ChoiceField(choices=CitationRole.choices, default=CitationRole.ORIGIN)
    prefix = serializers.CharField(
        max_length=LOCATOR_MAX_LENGTH,
        required=False,
        trim_whitespace=False,
        help_text="The words just before the quote: picks one occurrence of a repeated quote.",
    )
    suffix = serializers.CharField(
        max_length=LOCATOR_MAX_LENGTH,
        required=False,
        trim_whitespace=False,
        help_text="The words just after the quote: picks one occurrence of a repeated quote.",
    )
    start = serializers.IntegerField(
        min_value=0,
        max_value=MAX_ID,
        required=False,
        help_text="Where the quote starts (code points): picks one of the `positions` that a "
        "400 for a repeated quote lists.",
    )


def _url_field(help_text: str) -> serializers.URLField:
    return serializers.URLField(
        max_length=URL_MAX_LENGTH, required=False, allow_blank=True, help_text=help_text
    )


class SourceFields(StrictInputSerializer):
    """The descriptive fields of a source an editor writes."""

    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True)
    author = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    published_precision = serializers.ChoiceField(choices=Precision.choices, required=False)
    classification = serializers.CharField(max_length=50, required=False, allow_blank=True)
    language = serializers.CharField(
        max_length=35,
        required=False,
        validators=[language_tag_validator, validate_registered_language],
        help_text="BCP 47 language tag, such as en, ja or zh-Hant (en if not given).",
    )
    document_url = _url_field("Where the document is published: http or https only.")
    archived_url = _url_field("An archived copy of the document: http or https only.")
    retrieved_on = serializers.DateField(
        required=False, allow_null=True, help_text="The day the document was read at its address."
    )

    def validate_document_url(self, value: str) -> str:
        return _web_url(value)

    def validate_archived_url(self, value: str) -> str:
        return _web_url(value)


def _web_url(value: str) -> str:
    if value and not value.lower().startswith(("http://", "https://")):
        raise serializers.ValidationError(_("Give an http:// or https:// address."))
    return value


class SourceCreateSerializer(SourceFields):
    """The body of POST /sources/: the descriptive fields and the text, or a file."""

    slug = serializers.SlugField(
        max_length=100, required=False, help_text="Made from the title when not given."
    )
    text = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="The document's text, pasted (or send `file` instead, as multipart).",
    )
    file = serializers.FileField(
        required=False,
        allow_empty_file=True,
        help_text="The document as a .txt (UTF-8, or another declared or detectable encoding), "
        ".html (the article's text is extracted) or .pdf (its text layer) file, at most 20 MB.",
    )
    fixed_fields = {
        "sha256": "Computed by the server from the text.",
        "revision": "Set by the server: a new source is revision 1.",
        "seed_file": "Only the corpus import sets it.",
        "url": "The API link of the source; give the document's address as document_url.",
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("text" in attrs) == ("file" in attrs):
            raise serializers.ValidationError(
                {"text": [_("Give the document's text as `text`, or upload it as `file`: one.")]}
            )
        return attrs


class SourceUpdateSerializer(SourceFields):
    """The body of PATCH /sources/{slug}/: descriptive fields only."""

    fixed_fields = {
        "text": "A source's text changes only through POST /api/v1/sources/{slug}/revisions/.",
        "file": "A source's text changes only through POST /api/v1/sources/{slug}/revisions/.",
        "slug": "Not writable: a source's slug is fixed.",
        "sha256": "Computed by the server from the text.",
        "revision": "Set by the server when a revision is made.",
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                _("Nothing to change: send at least one of %(fields)s.")
                % {"fields": ", ".join(self.fields)}
            )
        return attrs


class RevisionCreateSerializer(StrictInputSerializer):
    """The body of POST /sources/{slug}/revisions/: the corrected text (or file) and why."""

    text = serializers.CharField(
        required=False, trim_whitespace=False, help_text="The corrected text, whole."
    )
    file = serializers.FileField(
        required=False, allow_empty_file=True, help_text="Or the corrected document's file."
    )
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, help_text="What the correction changes, and why."
    )
    dry_run = serializers.BooleanField(
        default=False,
        help_text="true: answer 200 with each citation's outcome and change nothing.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("text" in attrs) == ("file" in attrs):
            raise serializers.ValidationError(
                {"text": [_("Give the corrected text as `text`, or upload it as `file`: one.")]}
            )
        return attrs


# --- Relations and positions ----------------------------------------------------------------


class RelatedCitationSerializer(EvidenceSerializer):
    """The citation whose words make a link between two proposals."""

    proposal = serializers.SlugField(help_text="The slug of the proposal it cites for.")

    def to_representation(self, instance: Citation) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["proposal"] = self.context["proposal_slugs"][instance.proposal_id]
        return data


class RelationSerializer(OutputSerializer):
    """A link seen from one proposal: `outgoing` reads "this proposal <type> the other"."""

    id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=RelationType.choices)
    direction = serializers.ChoiceField(
        choices=[("outgoing", "outgoing"), ("incoming", "incoming")],
        help_text="outgoing: this proposal <type> `proposal`; incoming: `proposal` <type> this.",
    )
    proposal = ProposalRefSerializer()
    note = serializers.CharField()
    citation = RelatedCitationSerializer(allow_null=True)

    def to_representation(self, instance: Relation) -> dict[str, Any]:
        outgoing = instance.from_proposal_id == self.context["proposal_id"]
        other = instance.to_proposal if outgoing else instance.from_proposal
        slugs = {
            instance.from_proposal_id: instance.from_proposal.slug,
            instance.to_proposal_id: instance.to_proposal.slug,
        }
        citation = None
        if instance.citation is not None:
            citation = RelatedCitationSerializer(
                context={"proposal_slugs": slugs}
            ).to_representation(instance.citation)
        return {
            "id": instance.pk,
            "type": instance.type,
            "direction": "outgoing" if outgoing else "incoming",
            "proposal": _proposal_ref(other),
            "note": instance.note,
            "citation": citation,
        }


class RelationCreateSerializer(StrictInputSerializer):
    """The body of POST /proposals/{slug}/related/: "this proposal <type> <proposal>"."""

    type = serializers.ChoiceField(choices=RelationType.choices)
    proposal = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=selectors.bare_proposals(),
        help_text="The other proposal's slug.",
    )
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, help_text="Why they are related.")
    citation = serializers.PrimaryKeyRelatedField(
        queryset=selectors.citations_with_sources(),
        required=False,
        allow_null=True,
        help_text="Optional: the id of a citation of either proposal whose words make the link.",
    )


class PositionSerializer(OutputSerializer):
    """An actor's stance on a proposal; `current` is true for each actor's latest one."""

    id = serializers.IntegerField()
    actor = ActorRefSerializer()
    stance = serializers.ChoiceField(choices=Stance.choices)
    effective_date = serializers.DateField()
    effective_precision = serializers.ChoiceField(choices=Precision.choices)
    effective_qualifier = serializers.ChoiceField(choices=DateQualifier.choices)
    note = serializers.CharField()
    evidence = EvidenceSerializer(many=True)
    current = serializers.BooleanField(help_text="The actor's latest position on the proposal.")
    recorded_at = serializers.DateTimeField()
    effective_date_display = display_date("The date it was taken")

    def to_representation(self, instance: Position) -> dict[str, Any]:
        evidence = EvidenceSerializer()
        return {
            "id": instance.pk,
            "actor": _actor_ref(instance.actor),
            "stance": instance.stance,
            "effective_date": _date(instance.effective_date),
            "effective_precision": instance.effective_precision,
            "effective_qualifier": instance.effective_qualifier,
            "note": instance.note,
            "evidence": [evidence.to_representation(item) for item in instance.evidence.all()],
            "current": instance.pk in self.context.get("current_ids", ()),
            "recorded_at": _datetime(instance.recorded_at),
            "effective_date_display": _display(
                instance.effective_date,
                instance.effective_precision,
                instance.effective_qualifier,
            ),
        }


class PositionCreateSerializer(StrictInputSerializer):
    """The body of POST /proposals/{slug}/positions/; it supersedes the actor's earlier one."""

    actor = serializers.SlugRelatedField(
        slug_field="slug", queryset=selectors.actor_list(), help_text="The actor's slug."
    )
    stance = serializers.ChoiceField(choices=Stance.choices)
    effective_date = serializers.DateField(
        help_text="Not in the future, nor before the proposal or the actor's previous position."
    )
    effective_precision = serializers.ChoiceField(choices=Precision.choices, default=Precision.DAY)
    effective_qualifier = serializers.ChoiceField(
        choices=DateQualifier.choices, default=DateQualifier.EXACT
    )
    note = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="Why: required."
    )
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=MAX_EVIDENCE,
        help_text="Ids of citations of this proposal whose words state the position.",
    )
