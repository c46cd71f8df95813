"""The domain: sources, actors, proposals, their citations and their status history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import langcodes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from proposals import chain
from proposals import triggers as db_triggers
from proposals.validators import validate_plain_text
from proposals.workflow import (
    NOTE_MAX_LENGTH,
    DateQualifier,
    Precision,
    RelationType,
    Stance,
    Status,
)

TITLE_MAX_LENGTH = 300
QUOTE_MAX_LENGTH = 2_000
LOCATOR_MAX_LENGTH = 200
# The TextQuoteSelector's context: at most this many code points on each side of the quote.
SELECTOR_CONTEXT_LENGTH = 32
URL_MAX_LENGTH = 2_000

# A BCP 47 language tag, checked for shape (RFC 5646 section 2.1): such as en, ja, zh-Hant,
# pt-BR, es-419 or sr-Latn-RS.
language_tag_validator = RegexValidator(
    r"\A[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z",
    "Give a BCP 47 language tag, such as en, ja, zh-Hant or pt-BR.",
    code="invalid_language",
)


def validate_registered_language(value: str) -> None:
    """Refuse a tag of the right shape whose subtags are not in the IANA registry ("xq",
    "jqrqmwhg"): pages name the text's language in `lang`, which must be a real one."""
    if value and not langcodes.tag_is_valid(value):
        raise ValidationError(
            _("%(tag)s is not a registered language tag; give one such as en, ja or zh-Hant.")
            % {"tag": value},
            code="invalid_language",
        )


web_url_validator = URLValidator(
    schemes=["http", "https"], message="Give an http:// or https:// address."
)


def now_to_the_millisecond() -> datetime.datetime:
    """The current time, truncated to the millisecond.

    Django's JSON serializer writes milliseconds only; keeping no more than that makes a
    dumpdata backup restore to exactly the same timestamps.
    """
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class SourceKind(models.TextChoices):
    DIPLOMATIC_CABLE = "diplomatic_cable", _("Diplomatic cable")
    ARTICLE = "article", _("Article")
    ANALYSIS = "analysis", _("Analysis")
    NEWS_REPORT = "news_report", _("News report")


class ActorKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    PARTY = "party", _("Political party")
    LEGISLATURE = "legislature", _("Legislature")
    AGENCY = "agency", _("Agency")
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Category(models.TextChoices):
    SECURITY_DIALOGUE = "security_dialogue", _("Security dialogue")
    MILITARY_EXCHANGE = "military_exchange", _("Military exchange and training")
    INTELLIGENCE = "intelligence", _("Intelligence sharing")
    MARITIME_SECURITY = "maritime_security", _("Maritime security and coast guards")
    DISASTER_RELIEF = "disaster_relief", _("Humanitarian assistance and disaster relief")
    ECONOMIC = "economic", _("Economy and trade")
    DIPLOMATIC = "diplomatic", _("Diplomatic relations")
    PARLIAMENTARY = "parliamentary", _("Parliamentary and party exchange")
    INTERNATIONAL_PARTICIPATION = (
        "international_participation",
        _("International participation"),
    )
    TECHNOLOGY = "technology", _("Technology and cyber")
    LEGAL_FRAMEWORK = "legal_framework", _("Legal framework")
    POLICY_COORDINATION = "policy_coordination", _("Policy coordination")


class AnchorStatus(models.TextChoices):
    """How a citation stands on the text it is anchored on, after the latest revision."""

    # "Exact" is also a date qualifier: the context keeps the two apart.
    EXACT = "exact", pgettext_lazy("anchor status", "Exact")
    RELOCATED = "relocated", pgettext_lazy("anchor status", "Relocated")
    AMBIGUOUS = "ambiguous", pgettext_lazy("anchor status", "Ambiguous")
    ORPHANED = "orphaned", pgettext_lazy("anchor status", "Orphaned")


class CitationRole(models.TextChoices):
    ORIGIN = "origin", _("Origin")
    EVIDENCE = "evidence", _("Evidence")
    CONTEXT = "context", _("Context")


class Source(models.Model):
    Kind = SourceKind

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(
        _("title"), max_length=TITLE_MAX_LENGTH, validators=[validate_plain_text]
    )
    kind = models.CharField(_("kind"), max_length=30, choices=SourceKind.choices)
    publisher = models.CharField(
        _("publisher"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    author = models.CharField(
        _("author"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("A cable's origin and serial, such as 05TAIPEI4550."),
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_precision = models.CharField(
        _("published precision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    classification = models.CharField(
        _("classification"), max_length=50, blank=True, validators=[validate_plain_text]
    )
    seed_file = models.CharField(
        _("seed file"), max_length=200, blank=True, help_text=_("The file's name under seeds/.")
    )
    language = models.CharField(
        _("language"),
        max_length=35,
        default="en",
        validators=[language_tag_validator, validate_registered_language],
        help_text=_("The text's language as a BCP 47 tag, such as en, ja or zh-Hant."),
    )
    document_url = models.URLField(
        _("document URL"),
        max_length=URL_MAX_LENGTH,
        blank=True,
        default="",
        validators=[web_url_validator],
        help_text=_("Where the document is published (http or https)."),
    )
    archived_url = models.URLField(
        _("archived URL"),
        max_length=URL_MAX_LENGTH,
        blank=True,
        default="",
        validators=[web_url_validator],
        help_text=_("An archived copy of the document (http or https)."),
    )
    retrieved_on = models.DateField(
        _("retrieved on"),
        null=True,
        blank=True,
        help_text=_("The day the document was read at its address."),
    )
    # The latest revision's text and hash, kept on the row for fast reads: a correction goes
    # through services.revise_source, which writes a new SourceRevision and these together.
    text = models.TextField(_("text"), help_text=_("The document's content, exactly."))
    sha256 = models.CharField(_("sha256"), max_length=64, editable=False)
    revision = models.PositiveIntegerField(
        _("revision"),
        default=1,
        editable=False,
        help_text=_("The number of the revision the text is."),
    )
    # Incremented by every write to the source (details or text): the ETag of its detail.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    created_at = models.DateTimeField(
        default=now_to_the_millisecond, editable=False, verbose_name=_("created at")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("created by"),
        related_name="sources_created",
        help_text=_("Empty for the sources of the corpus."),
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["published_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(published_precision__in=Precision.values),
                name="source_precision_valid",
            ),
        ]
        triggers = db_triggers.source_kept()
        indexes = [models.Index(fields=["sha256"], name="source_sha256_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("site:source-detail", kwargs={"slug": self.slug})


class AppendOnlyRow:
    """A model whose rows are written once: saving an existing row or deleting one is refused.

    Each model names its refusals (`edit_refusal`, `delete_refusal`) in words its users know.
    """

    edit_refusal = "This record is append-only."
    delete_refusal = "This record is append-only: it cannot be deleted."
    _state: Any

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise AppendOnlyError(self.edit_refusal)
        super().save(*args, **kwargs)  # type: ignore[misc]

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(self.delete_refusal)


class ChainedRow(AppendOnlyRow):
    """An append-only row of a proposal's record, sealed into the proposal's hash chain.

    `chain_fields` (attribute names) and the evidence are what the hash covers (proposals.chain).
    """

    chain_kind = ""
    chain_fields: tuple[str, ...] = ()
    chain_sha256: str
    proposal_id: int

    def chain_digest(self, evidence: Iterable[int], previous: str) -> str:
        """The hash this row has after `previous`, with `evidence` (citation ids)."""
        content = {name: getattr(self, name) for name in self.chain_fields}
        return chain.digest(self.chain_kind, content, evidence, previous)

    def save(self, *args, evidence_ids: Iterable[int] = (), **kwargs):  # type: ignore[no-untyped-def]
        """Insert the row sealed after the latest row of its proposal.

        `evidence_ids` are the citations the caller links to the row in the same transaction.
        The caller holds the proposal's row lock, so the latest row cannot change meanwhile.
        """
        if self._state.adding:
            previous = (
                type(self)
                ._default_manager.filter(proposal_id=self.proposal_id)  # type: ignore[attr-defined]
                .order_by("-pk")
                .values_list("chain_sha256", flat=True)
                .first()
            )
            self.chain_sha256 = self.chain_digest(evidence_ids, previous or chain.GENESIS)
        super().save(*args, **kwargs)


class SourceRevision(AppendOnlyRow, models.Model):
    """One text of a source: the first as brought in, then each correction. Never changed."""

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, verbose_name=_("source"), related_name="revisions"
    )
    number = models.PositiveIntegerField(
        _("number"), help_text=_("1 for the text first brought in.")
    )
    text = models.TextField(_("text"))
    sha256 = models.CharField(max_length=64, verbose_name=_("sha256"))
    note = models.TextField(
        _("note"),
        blank=True,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH), validate_plain_text],
        help_text=_("What the correction changed, and why."),
    )
    original_file = models.FileField(
        _("original file"),
        upload_to="sources/%Y/%m/",
        blank=True,
        max_length=300,
        help_text=_("The file the text was extracted from, as uploaded; shown to editors only."),
    )
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    # How the citations fared when this revision was applied (0 for the first revision).
    citations_relocated = models.PositiveIntegerField(_("citations relocated"), default=0)
    citations_unresolved = models.PositiveIntegerField(
        _("citations unresolved"),
        default=0,
        help_text=_("Citations left on their revision: ambiguous or orphaned."),
    )
    created_at = models.DateTimeField(_("created at"), default=now_to_the_millisecond)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("created by"),
        related_name="source_revisions",
    )

    class Meta:
        ordering = ["source", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "number"], name="source_revision_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="source_revision_number_positive"
            ),
        ]
        indexes = [models.Index(fields=["sha256"], name="source_revision_sha256_idx")]
        triggers = db_triggers.revision_kept()

    def __str__(self) -> str:
        return f"{self.source.slug} revision {self.number}"

    edit_refusal = "A revision's text is kept as it was: add a new revision."
    delete_refusal = "Revisions are kept: they cannot be deleted."


class SourceEdit(models.Model):
    """One edit of a source's descriptive fields: what changed, from what, by whom."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, verbose_name=_("source"), related_name="edits"
    )
    changes = models.JSONField(_("changes"), help_text=_('{"field": [old, new], ...} as text.'))
    edited_at = models.DateTimeField(_("edited at"), default=now_to_the_millisecond)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("edited by"),
        related_name="source_edits",
    )

    class Meta:
        ordering = ["source", "edited_at", "id"]

    def __str__(self) -> str:
        return f"{self.source.slug}: {', '.join(sorted(self.changes))}"


class Actor(models.Model):
    Kind = ActorKind

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    kind = models.CharField(_("kind"), max_length=20, choices=ActorKind.choices)
    country = models.CharField(
        _("country"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    aliases = models.CharField(
        _("aliases"),
        max_length=500,
        blank=True,
        validators=[validate_plain_text],
        help_text=_(
            "Other names and abbreviations, in any language and script, separated by semicolons."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ActorKind.values), name="actor_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("site:actor-detail", kwargs={"slug": self.slug})

    def alias_list(self) -> list[str]:
        """Return the aliases, in the order given."""
        return [alias.strip() for alias in self.aliases.split(";") if alias.strip()]

    def other_names(self) -> list[str]:
        """Return the aliases other than the name shown in the active language."""
        return [alias for alias in self.alias_list() if alias != self.name]


class ProposalGroup(models.Model):
    """The name of a group of proposals made together, such as the measures of one statement.

    Proposals name their group by its slug (Proposal.group); this table gives it a name in each
    language.
    """

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(
        _("name"), max_length=TITLE_MAX_LENGTH, validators=[validate_plain_text]
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("group of proposals")
        verbose_name_plural = _("groups of proposals")

    def __str__(self) -> str:
        return self.name


class Proposal(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(
        _("title"), max_length=TITLE_MAX_LENGTH, unique=True, validators=[validate_plain_text]
    )
    summary = models.TextField(
        _("summary"), validators=[MaxLengthValidator(NOTE_MAX_LENGTH), validate_plain_text]
    )
    # Why the proposal is kept apart from its neighbours, how its date was read, what was split
    # or merged: the editors' reasoning, which the public pages and the API never show.
    editor_notes = models.TextField(
        _("editors' notes"),
        blank=True,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH), validate_plain_text],
        help_text=_("For editors only: never shown on the public site nor in the API."),
    )
    category = models.CharField(_("category"), max_length=40, choices=Category.choices)
    group = models.SlugField(
        _("group"),
        max_length=100,
        blank=True,
        help_text=_("Proposals made together, such as one statement."),
    )
    ordinal = models.PositiveSmallIntegerField(
        _("ordinal"),
        null=True,
        blank=True,
        help_text=_("The proposal's place in its group, from 1."),
    )
    proposed_on = models.DateField(_("proposed on"))
    proposed_precision = models.CharField(
        _("proposed precision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    proposed_qualifier = models.CharField(
        _("proposed qualifier"),
        max_length=12,
        choices=DateQualifier.choices,
        default=DateQualifier.EXACT,
        help_text=_("Exact, or on or before the date (the text shows it stood by then), or about."),
    )
    proposers = models.ManyToManyField(
        Actor, verbose_name=_("proposers"), related_name="proposals_made", blank=True
    )
    addressees = models.ManyToManyField(
        Actor, verbose_name=_("addressees"), related_name="proposals_addressed", blank=True
    )
    # Derived from the history by the transition service, kept on the row for fast reads.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED, editable=False
    )
    status_since = models.DateField(editable=False, verbose_name=_("status since"))
    status_since_precision = models.CharField(
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        editable=False,
        verbose_name=_("precision of the status date"),
    )
    status_since_qualifier = models.CharField(
        max_length=12,
        choices=DateQualifier.choices,
        default=DateQualifier.EXACT,
        editable=False,
        verbose_name=_("qualifier of the status date"),
    )
    # Incremented by every write to the proposal or its citations: the ETag of its detail.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    created_at = models.DateTimeField(
        default=now_to_the_millisecond, editable=False, verbose_name=_("created at")
    )
    updated_at = models.DateTimeField(
        default=now_to_the_millisecond, editable=False, verbose_name=_("updated at")
    )

    class Meta:
        ordering = ["group", "ordinal", "proposed_on", "slug"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        permissions = [("change_proposal_status", "Can change the status of a proposal")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=Category.values), name="proposal_category_valid"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(group="", ordinal__isnull=True)
                    | (~models.Q(group="") & models.Q(ordinal__isnull=False, ordinal__gte=1))
                ),
                name="proposal_ordinal_with_group",
                violation_error_code="ordinal_with_group",
                violation_error_message="A proposal in a group needs an ordinal of 1 or more, "
                "and one without a group has none.",
            ),
            models.UniqueConstraint(
                fields=["group", "ordinal"],
                condition=~models.Q(group=""),
                name="proposal_unique_group_ordinal",
                violation_error_code="ordinal_taken",
                violation_error_message="Another proposal of this group already has this ordinal.",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="proposal_version_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(proposed_qualifier__in=DateQualifier.values),
                name="proposal_qualifier_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "proposed_on"], name="proposal_status_idx"),
            models.Index(fields=["category", "proposed_on"], name="proposal_category_idx"),
            # The natural order (Meta.ordering): a page of the list reads the index, no sort.
            models.Index(
                fields=["group", "ordinal", "proposed_on", "slug"], name="proposal_order_idx"
            ),
            models.Index(fields=["proposed_on"], name="proposal_proposed_on_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("site:proposal-detail", kwargs={"slug": self.slug})


class Citation(models.Model):
    Role = CitationRole
    AnchorStatus = AnchorStatus

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="citations"
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations"
    )
    quote = models.TextField(
        _("quote"),
        validators=[MaxLengthValidator(QUOTE_MAX_LENGTH), validate_plain_text],
        help_text=_("Verbatim from the source; stored as the source's own characters."),
    )
    locator = models.CharField(
        _("locator"),
        max_length=LOCATOR_MAX_LENGTH,
        validators=[validate_plain_text],
        help_text=_("Paragraph or section, as a reader finds it."),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=CitationRole.choices, default=CitationRole.ORIGIN
    )
    # Computed by the anchoring code, never typed in: the W3C TextPositionSelector (start, end:
    # code points of the revision's text) and TextQuoteSelector (the quote, prefix, suffix).
    revision = models.ForeignKey(
        SourceRevision,
        on_delete=models.PROTECT,
        related_name="citations",
        editable=False,
        help_text=_("The revision of the source's text the offsets index."),
        verbose_name=_("revision"),
    )
    # Quotes stay in the language of their source: they are evidence. A translation is shown
    # beside the quote, marked as such, never in its place.
    translation = models.TextField(
        _("translation"),
        blank=True,
        validators=[MaxLengthValidator(QUOTE_MAX_LENGTH * 2), validate_plain_text],
        help_text=_("Optional: the quote in another language, shown beside the original."),
    )
    translation_language = models.CharField(
        _("language of the translation"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
    )
    # Computed by the anchoring code, never typed in.
    start = models.PositiveIntegerField(_("start"), editable=False)
    end = models.PositiveIntegerField(_("end"), editable=False)
    prefix = models.CharField(
        max_length=SELECTOR_CONTEXT_LENGTH,
        blank=True,
        default="",
        editable=False,
        verbose_name=_("prefix"),
    )
    suffix = models.CharField(
        max_length=SELECTOR_CONTEXT_LENGTH,
        blank=True,
        default="",
        editable=False,
        verbose_name=_("suffix"),
    )
    quote_sha256 = models.CharField(
        max_length=64, editable=False, verbose_name=_("sha256 of the quote")
    )
    anchor_status = models.CharField(
        _("anchor status"),
        max_length=10,
        choices=AnchorStatus.choices,
        default=AnchorStatus.EXACT,
        editable=False,
        help_text=_("Ambiguous or orphaned: the latest revision no longer holds the quote once."),
    )
    created_at = models.DateTimeField(
        default=now_to_the_millisecond, editable=False, verbose_name=_("created at")
    )

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["proposal", "source", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="citation_offsets_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=CitationRole.values), name="citation_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(anchor_status__in=AnchorStatus.values),
                name="citation_anchor_status_valid",
            ),
            models.UniqueConstraint(
                fields=["proposal", "source", "revision", "start", "end", "role"],
                name="citation_unique_passage_role",
            ),
        ]
        indexes = [
            models.Index(fields=["source", "start"], name="citation_source_idx"),
            models.Index(fields=["anchor_status"], name="citation_anchor_status_idx"),
            models.Index(fields=["proposal", "role"], name="citation_proposal_role_idx"),
        ]
        triggers = [db_triggers.evidence_words_fixed(), db_triggers.no_truncate()]

    def __str__(self) -> str:
        return f"{self.source.slug} [{self.start}:{self.end}] for {self.proposal.slug}"

    def get_absolute_url(self) -> str:
        return f"{self.source.get_absolute_url()}#citation-{self.pk}"


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset whose rows may be created and read, never updated or deleted in bulk."""

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Status changes are append-only: correct one with a new change.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Status changes are append-only: they cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Status changes are append-only: correct one with a new change.")

    # What cascades use.
    def _raw_delete(self, using):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Status changes are append-only: they cannot be deleted.")


class AppendOnlyError(Exception):
    """Raised on any attempt to edit or delete a history row."""


class StatusChange(ChainedRow, models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="history", verbose_name=_("proposal")
    )
    from_status = models.CharField(
        _("from status"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text=_("Empty for the first entry."),
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=Status.choices)
    effective_date = models.DateField(verbose_name=_("effective date"))
    effective_precision = models.CharField(
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        verbose_name=_("precision of the date"),
    )
    effective_qualifier = models.CharField(
        max_length=12,
        choices=DateQualifier.choices,
        default=DateQualifier.EXACT,
        verbose_name=_("qualifier of the date"),
    )
    note = models.TextField(
        _("note"), validators=[MaxLengthValidator(NOTE_MAX_LENGTH), validate_plain_text]
    )
    evidence = models.ManyToManyField(
        Citation,
        through="StatusChangeEvidence",
        related_name="supported_changes",
        blank=True,
        verbose_name=_("evidence"),
    )
    recorded_at = models.DateTimeField(
        default=now_to_the_millisecond, verbose_name=_("recorded at")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_changes",
        verbose_name=_("recorded by"),
    )
    chain_sha256 = models.CharField(
        max_length=64,
        editable=False,
        help_text=_("sha256 of this change, its evidence and the previous change of its proposal."),
        verbose_name=_("hash chain"),
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["proposal", "effective_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_status__in=Status.values), name="change_to_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(from_status="") | models.Q(from_status__in=Status.values),
                name="change_from_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_qualifier__in=DateQualifier.values),
                name="change_qualifier_valid",
            ),
        ]
        indexes = [
            # The as-of lookup: latest change of a proposal on or before a day (a backward scan).
            # It carries what the status shown as of a day reads, so that lookup never visits
            # the table: the history is append-only, its pages stay all-visible once vacuumed,
            # and a page of the as-of list costs index pages only. SQLite ignores `include`.
            models.Index(
                fields=["proposal", "effective_date", "id"],
                include=["to_status", "effective_precision", "effective_qualifier"],
                name="change_as_of_idx",
            ),
            models.Index(fields=["effective_date", "id"], name="change_effective_idx"),
            # The feeds: newest recorded first.
            models.Index(fields=["recorded_at", "id"], name="change_recorded_idx"),
        ]
        triggers = db_triggers.append_only()

    def __str__(self) -> str:
        return f"{self.proposal.slug}: {self.from_status or '-'} -> {self.to_status}"

    edit_refusal = "Status changes are append-only: correct one with a new change."
    delete_refusal = "Status changes are append-only: they cannot be deleted."
    chain_kind = "status_change"
    chain_fields = (
        "proposal_id",
        "from_status",
        "to_status",
        "effective_date",
        "effective_precision",
        "effective_qualifier",
        "note",
        "recorded_at",
        "recorded_by_id",
    )


class StatusChangeEvidence(AppendOnlyRow, models.Model):
    """The citations that support a status change; a citation so used cannot be deleted."""

    status_change = models.ForeignKey(
        StatusChange, on_delete=models.PROTECT, verbose_name=_("status change")
    )
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, verbose_name=_("citation"))

    # Part of the history: `change.evidence.remove()`, `.clear()` and `.set()` are refused too.
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["status_change", "citation"], name="change_evidence_unique"
            )
        ]
        triggers = db_triggers.append_only()

    def __str__(self) -> str:
        return f"citation {self.citation_id} supports change {self.status_change_id}"

    edit_refusal = "The evidence of a status change cannot be edited."
    delete_refusal = "The evidence of a status change cannot be deleted."


class Relation(models.Model):
    """A typed link between two proposals: `from_proposal` continues, is part of ... `to_proposal`.

    Where a source itself makes the link, `citation` (of either proposal) shows the words.
    """

    Type = RelationType

    from_proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("from proposal"),
        on_delete=models.CASCADE,
        related_name="relations_out",
    )
    to_proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("to proposal"),
        on_delete=models.CASCADE,
        related_name="relations_in",
    )
    type = models.CharField(_("type"), max_length=20, choices=RelationType.choices)
    note = models.TextField(
        _("note"), validators=[MaxLengthValidator(NOTE_MAX_LENGTH), validate_plain_text]
    )
    citation = models.ForeignKey(
        Citation,
        verbose_name=_("citation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relations",
    )
    created_at = models.DateTimeField(
        default=now_to_the_millisecond, editable=False, verbose_name=_("created at")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        ordering = ["from_proposal", "type", "to_proposal"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type__in=RelationType.values), name="relation_type_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_proposal=models.F("to_proposal")),
                name="relation_not_to_itself",
                violation_error_message="A proposal cannot be related to itself.",
            ),
            models.UniqueConstraint(
                fields=["from_proposal", "to_proposal", "type"],
                name="relation_unique",
                violation_error_message="These proposals are already related this way.",
            ),
        ]
        indexes = [models.Index(fields=["to_proposal", "type"], name="relation_to_idx")]

    def __str__(self) -> str:
        return f"{self.from_proposal_id} {self.type} {self.to_proposal_id}"


class Position(ChainedRow, models.Model):
    """An actor's stance on a proposal from a day on; append-only, a new one supersedes it."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="positions", verbose_name=_("proposal")
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="positions"
    )
    stance = models.CharField(_("stance"), max_length=12, choices=Stance.choices)
    effective_date = models.DateField(verbose_name=_("effective date"))
    effective_precision = models.CharField(
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        verbose_name=_("precision of the date"),
    )
    effective_qualifier = models.CharField(
        max_length=12,
        choices=DateQualifier.choices,
        default=DateQualifier.EXACT,
        verbose_name=_("qualifier of the date"),
    )
    note = models.TextField(
        _("note"), validators=[MaxLengthValidator(NOTE_MAX_LENGTH), validate_plain_text]
    )
    evidence = models.ManyToManyField(
        Citation,
        through="PositionEvidence",
        related_name="supported_positions",
        verbose_name=_("evidence"),
    )
    recorded_at = models.DateTimeField(
        default=now_to_the_millisecond, verbose_name=_("recorded at")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions_recorded",
        verbose_name=_("recorded by"),
    )
    chain_sha256 = models.CharField(
        max_length=64,
        editable=False,
        help_text=_("sha256 of this position, its evidence and the previous one of its proposal."),
        verbose_name=_("hash chain"),
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["proposal", "actor", "effective_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stance__in=Stance.values), name="position_stance_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_qualifier__in=DateQualifier.values),
                name="position_qualifier_valid",
            ),
        ]
        indexes = [
            # The latest stance of each actor on a proposal, and an actor's stances.
            models.Index(
                fields=["proposal", "actor", "effective_date", "id"], name="position_latest_idx"
            ),
            models.Index(fields=["actor", "stance"], name="position_actor_idx"),
        ]
        triggers = db_triggers.append_only()

    def __str__(self) -> str:
        return f"{self.actor_id} {self.stance} {self.proposal_id}"

    edit_refusal = "Positions are append-only: record a new position instead."
    delete_refusal = "Positions are append-only: they cannot be deleted."
    chain_kind = "position"
    chain_fields = (
        "proposal_id",
        "actor_id",
        "stance",
        "effective_date",
        "effective_precision",
        "effective_qualifier",
        "note",
        "recorded_at",
        "recorded_by_id",
    )


class PositionEvidence(AppendOnlyRow, models.Model):
    """The citations whose words state a position; part of the append-only record."""

    position = models.ForeignKey(Position, on_delete=models.PROTECT, verbose_name=_("position"))
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, verbose_name=_("citation"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["position", "citation"], name="position_evidence_unique"
            )
        ]
        triggers = db_triggers.append_only()

    def __str__(self) -> str:
        return f"citation {self.citation_id} supports position {self.position_id}"

    edit_refusal = "The evidence of a position cannot be edited."
    delete_refusal = "The evidence of a position cannot be deleted."
