"""
The Django admin for editors.

Every write goes through proposals.services; domain errors become admin messages in
ProposalAdmin.changeform_view and in the change-status view, nowhere else.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from proposals import anchoring, errors, selectors, services, sources, workflow
from proposals.admin_spreadsheets import ProposalSpreadsheetMixin
from proposals.content_languages import localized_field
from proposals.models import (
    Actor,
    Citation,
    Proposal,
    ProposalGroup,
    Source,
    SourceEdit,
    SourceRevision,
    StatusChange,
)
from proposals.roles import is_editor
from proposals.site import date_display
from webhooks import selectors as webhook_selectors


def in_every_language(*fields: str) -> list[str]:
    """Return the translated columns of `fields`: title -> title_en, title_ja, title_zh_hant."""
    return [localized_field(field, code) for field in fields for code, _name in settings.LANGUAGES]


# The title and the summary, each in every language on one row, English first.
TRANSLATED_ROWS = [tuple(in_every_language("title")), tuple(in_every_language("summary"))]


class TranslationsSideBySideMixin:
    """Show the translations of a field on one row of the form, English first.

    The columns come from django-modeltranslation; an editor translates a title while reading
    the English beside it.
    """

    translated_fields: tuple[str, ...] = ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fields = list(super().get_fields(request, obj))  # type: ignore[misc]
        for field in self.translated_fields:
            row = tuple(in_every_language(field))
            if row[0] in fields:
                position = fields.index(row[0])
                fields = [name for name in fields if name not in row]
                fields.insert(position, row)
        return fields


class ReadOnlyAdminMixin:
    """Rows shown but never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EditorsWriteMixin:
    """Writes need an editor, whatever model permissions a staff member was given.

    The API and the change-status page ask the same question (proposals.roles.is_editor).
    """

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_editor(request.user) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_editor(request.user) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_editor(request.user) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class SourceFilter(admin.SimpleListFilter):
    """Filter by cited source, listing sources by title without loading their texts."""

    title = _("source")
    parameter_name = "source"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(selectors.sources_without_text().order_by("title").values_list("slug", "title"))

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        if self.value() is None:
            return queryset
        if queryset.model is Citation:
            return queryset.filter(source__slug=self.value())
        # An EXISTS keeps one row per proposal, so the changelist needs no DISTINCT.
        cited = Citation.objects.filter(proposal=OuterRef("pk"), source__slug=self.value())
        return queryset.filter(Exists(cited))


def shown_date(value: Any, precision: str = "day", qualifier: str = "exact") -> str:
    """A date as precise as it is known: "10 November 2005", "November 2005", "2005"."""
    return date_display.precise_date(value, precision, qualifier) or "-"


class GroupFilter(admin.SimpleListFilter):
    """Filter by group, with proposals made on their own as a named choice (not an empty link)."""

    title = "group"
    parameter_name = "group"
    NONE = "-"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        groups = [(group, group) for group in selectors.proposal_groups()]
        return [*groups, (self.NONE, "No group")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(group="" if value == self.NONE else value)


def _url_field(label: str, help_text: str) -> forms.URLField:
    return forms.URLField(
        label=label,
        max_length=2_000,
        required=False,
        assume_scheme="https",
        help_text=help_text,
        widget=forms.URLInput(attrs={"size": 80}),
    )


class SourceDetailsForm(forms.ModelForm):
    """A source's descriptive fields; its text is shown, never edited here."""

    document_url = _url_field("Document URL", "Where the document is published (http or https).")
    archived_url = _url_field("Archived URL", "An archived copy of the document (http or https).")

    class Meta:
        model = Source
        fields = list(services.SOURCE_DETAIL_FIELDS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        refuse_control_characters(self, *services.SOURCE_TEXT_FIELDS)
        return cleaned


def upload_of(uploaded: Any) -> sources.Upload | None:
    """An uploaded file of a form as the services take it (read whole; they cap its size)."""
    if not uploaded:
        return None
    return sources.Upload(
        name=uploaded.name,
        content=uploaded.read(sources.UPLOAD_MAX_BYTES + 1),
        content_type=getattr(uploaded, "content_type", None),
    )


def add_source_error(form: forms.BaseForm, exc: errors.DomainError, default: str) -> None:
    """Show a service's refusal on the field it concerns (or on `default`)."""
    field = exc.field if exc.field in form.fields else default
    form.add_error(field, exc.message)


class SourceAddForm(SourceDetailsForm):
    """A new source: its details, and its text pasted or read from an uploaded file."""

    slug = forms.SlugField(
        max_length=100, required=False, help_text="Made from the title when left empty."
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
        required=False,
        strip=False,
        help_text="Paste the document's text, or upload its file below.",
    )
    file = forms.FileField(
        required=False,
        help_text="A .txt, .html (the article is extracted) or .pdf (its text layer) file, "
        "at most 20 MB. The file is kept for editors.",
    )

    class Meta(SourceDetailsForm.Meta):
        fields = ["slug", *services.SOURCE_DETAIL_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        text, upload = cleaned.get("text") or None, upload_of(cleaned.get("file"))
        try:
            # The service's checks, without writing: text or file, extraction, duplicates.
            normalised = sources.text_of(text=text, upload=upload)
            holder = sources.holder_of(anchoring.text_hash(normalised))
            if holder is not None:
                raise errors.DuplicateSource(holder)
        except errors.DomainError as exc:
            add_source_error(self, exc, "file" if upload else "text")
        self.upload = upload
        return cleaned

    def _post_clean(self) -> None:
        # The model is checked by the service (its text is not a field of this form).
        pass


class RevisionForm(forms.Form):
    """A corrected text (or file) for a source, previewed before it is applied."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16, "cols": 90}),
        required=False,
        strip=False,
        help_text="The whole corrected text (it replaces the current one).",
    )
    file = forms.FileField(required=False, help_text="Or the corrected document's file.")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 90}),
        max_length=workflow.NOTE_MAX_LENGTH,
        help_text="What the correction changes, and why.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SourceRevisionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SourceRevision
    fields = [
        "number",
        "created_at",
        "created_by",
        "note",
        "citations_relocated",
        "citations_unresolved",
        "original",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Revisions of the text (a correction adds one: use “Correct the text”)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[SourceRevision]:
        return selectors.revisions_for_editing()

    @admin.display(description="Uploaded file")
    def original(self, revision: SourceRevision) -> str:
        if not revision.original_file:
            return "—"
        url = reverse("admin:proposals_source_original", args=[revision.source_id, revision.number])
        return format_html('<a href="{}">{}</a>', url, revision.original_name or "download")


class SourceEditInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SourceEdit
    fields = ["edited_at", "edited_by", "changes"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Edits of the details"


@admin.register(Source)
class SourceAdmin(EditorsWriteMixin, admin.ModelAdmin):
    """Sources: editors bring new ones in, edit their details (each edit recorded) and correct
    their texts through revisions, all through proposals.sources."""

    form = SourceDetailsForm
    add_form = SourceAddForm
    list_display = [
        "title",
        "kind",
        "reference",
        "published",
        "revision",
        "seed_file",
    ]
    list_filter = ["kind", "language"]
    search_fields = ["title", "slug", "reference", "author", "publisher"]
    readonly_fields = ["slug", "revision", "sha256", "seed_file", "correct_text_link", "text"]
    inlines = [SourceRevisionInline, SourceEditInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        # The changelist never shows the text: leave it in the database.
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            return selectors.sources_without_text()
        return super().get_queryset(request)

    @admin.display(description="Published", ordering="published_on")
    def published(self, source: Source) -> str:
        return shown_date(source.published_on, source.published_precision)

    def get_form(
        self, request: HttpRequest, obj: Source | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Source | None = None) -> list[str]:
        if obj is None:
            return ["slug", *services.SOURCE_DETAIL_FIELDS, "text", "file"]
        return [
            "slug",
            *services.SOURCE_DETAIL_FIELDS,
            "revision",
            "sha256",
            "seed_file",
            "correct_text_link",
            "text",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Source | None = None) -> list[str]:
        return [] if obj is None else self.readonly_fields

    def get_inlines(self, request: HttpRequest, obj: Source | None = None) -> list:
        return [] if obj is None else self.inlines

    def get_prepopulated_fields(self, request: HttpRequest, obj: Source | None = None) -> dict:
        return {"slug": ["title"]} if obj is None else {}

    @admin.display(description="Text")
    def correct_text_link(self, source: Source) -> str:
        if source.pk is None:
            return ""
        url = reverse("admin:proposals_source_revise", args=[source.pk])
        return format_html('<a class="button" href="{}">Correct the text</a>', url)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except errors.DomainError as exc:
            # Raised inside the admin's transaction, which has rolled back: nothing was saved.
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(
        self, request: HttpRequest, obj: Source, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            services.save_source_details(source=obj, user=request.user)
            return
        details = {name: form.cleaned_data[name] for name in services.SOURCE_DETAIL_FIELDS}
        details = {name: value for name, value in details.items() if value not in (None, "")}
        upload = getattr(form, "upload", None)
        created = sources.create_source(
            slug=form.cleaned_data.get("slug") or None,
            text=None if upload else form.cleaned_data["text"],
            upload=upload,
            user=request.user,
            **details,
        )
        # The admin logs the addition and redirects with the saved object's key.
        obj.pk, obj.slug = created.pk, created.slug
        obj._state.adding = False
        obj._state.db = created._state.db

    def has_delete_permission(self, request: HttpRequest, obj: Source | None = None) -> bool:
        return False

    # The revision page and the original files -------------------------------

    def get_urls(self) -> list:
        urls = super().get_urls()
        own = [
            path(
                "<path:object_id>/revise/",
                self.admin_site.admin_view(self.revise_view),
                name="proposals_source_revise",
            ),
            path(
                "<path:object_id>/original/<int:number>/",
                self.admin_site.admin_view(self.original_view),
                name="proposals_source_original",
            ),
        ]
        return own + urls

    def _source_or_404(self, request: HttpRequest, object_id: str) -> Source:
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404("No such source.")
        return source

    def original_view(self, request: HttpRequest, object_id: str, number: int) -> HttpResponse:
        """The uploaded file of a revision, for editors only."""
        if not is_editor(request.user):
            raise PermissionDenied
        source = self._source_or_404(request, object_id)
        revision = selectors.revisions_without_text().filter(source=source, number=number).first()
        if revision is None or not revision.original_file:
            raise Http404("This revision has no uploaded file.")
        return FileResponse(
            revision.original_file.open("rb"),
            as_attachment=True,
            filename=revision.original_name or None,
        )

    def revise_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Correct a source's text: preview each citation's outcome, then apply."""
        if not is_editor(request.user):
            raise PermissionDenied
        source = self._source_or_404(request, object_id)
        result = None
        if request.method == "POST":
            form = RevisionForm(request.POST, request.FILES)
            if form.is_valid():
                dry_run = "apply" not in request.POST
                try:
                    result = sources.revise_source(
                        source=source,
                        note=form.cleaned_data["note"],
                        text=form.cleaned_data["text"] or None,
                        upload=upload_of(form.cleaned_data["file"]),
                        dry_run=dry_run,
                        expected_version=form.cleaned_data["version"],
                        user=request.user,
                    )
                except errors.DomainError as exc:
                    add_source_error(form, exc, "text")
                else:
                    if not dry_run:
                        self.log_change(request, source, f"Revision {result.revision}.")
                        self.message_user(
                            request,
                            f"Revision {result.revision} applied: "
                            f"{result.count(anchoring.Outcome.EXACT)} exact, "
                            f"{result.count(anchoring.Outcome.RELOCATED)} relocated, "
                            f"{result.count(anchoring.Outcome.AMBIGUOUS)} ambiguous, "
                            f"{result.count(anchoring.Outcome.ORPHANED)} orphaned.",
                            messages.SUCCESS,
                        )
                        return HttpResponseRedirect(
                            reverse("admin:proposals_source_change", args=[source.pk])
                        )
        else:
            form = RevisionForm(initial={"text": source.text, "version": source.version})
        outcomes = []
        if result is not None:
            cited = {
                citation.pk: citation
                for citation in Citation.objects.filter(source=source).select_related("proposal")
            }
            outcomes = [(cited[item.id], str(item.outcome)) for item in result.citations]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Correct the text of “{source.title}”",
            "opts": self.model._meta,
            "original": source,
            "source": source,
            "form": form,
            "outcomes": outcomes,
            "previewed": result is not None,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/proposals/source/revise.html", context)


class ActorAdminForm(forms.ModelForm):
    class Meta:
        model = Actor
        fields = [
            "slug",
            *in_every_language("name"),
            "aliases",
            "kind",
            *in_every_language("country"),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        refuse_control_characters(self, *in_every_language("name", "country"), "aliases")
        return cleaned


@admin.register(Actor)
class ActorAdmin(TranslationsSideBySideMixin, EditorsWriteMixin, admin.ModelAdmin):
    """Actors; a rename shows on every proposal naming the actor, so it goes through a service."""

    form = ActorAdminForm
    translated_fields = ("name", "country")
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["slug", "aliases", *in_every_language("name")]
    prepopulated_fields = {"slug": ["name_en"]}

    def save_model(
        self, request: HttpRequest, obj: Actor, form: forms.ModelForm, change: bool
    ) -> None:
        services.save_actor(actor=obj)


@admin.register(ProposalGroup)
class ProposalGroupAdmin(TranslationsSideBySideMixin, EditorsWriteMixin, admin.ModelAdmin):
    """The names of the groups proposals belong to, in each language."""

    translated_fields = ("name",)
    fields = ["slug", *in_every_language("name")]
    list_display = ["slug", "name"]
    search_fields = ["slug", *in_every_language("name")]

    def save_model(
        self, request: HttpRequest, obj: ProposalGroup, form: forms.ModelForm, change: bool
    ) -> None:
        data = form.cleaned_data
        group = services.save_proposal_group(
            slug=data["slug"],
            name=data[localized_field("name", settings.LANGUAGE_CODE)],
            translations={
                column: data.get(column) or ""
                for column in in_every_language("name")
                if not column.endswith(f"_{settings.LANGUAGE_CODE}")
            },
        )
        obj.pk = group.pk
        obj._state.adding = False


def refuse_control_characters(form: forms.BaseForm, *names: str) -> None:
    """Add the services' refusal of control characters as an error of the field concerned."""
    for name in names:
        try:
            services.check_plain_text(**{name: form.cleaned_data.get(name)})
        except errors.ControlCharacter as exc:
            form.add_error(name, exc.message)


class CitationInlineForm(forms.ModelForm):
    occurrence_start = forms.IntegerField(
        min_value=0,
        required=False,
        label="Start of the occurrence",
        help_text="Only for a quote that occurs more than once: the start of the one you mean, "
        "among those the error lists.",
    )

    class Meta:
        model = Citation
        fields = ["source", "role", "locator", "quote"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        refuse_control_characters(self, "quote", "locator")
        source, quote = cleaned.get("source"), cleaned.get("quote")
        if source is None or not quote:
            return cleaned
        start = cleaned.get("occurrence_start")
        # Read by save_formset, which hands it to the service.
        self.instance.occurrence_start = start
        try:
            anchor = anchoring.locate(source.text, quote, start=start)
        except anchoring.AmbiguousQuote as exc:
            message = errors.AmbiguousQuote(exc.positions, narrowed=exc.narrowed).message
            starts = ", ".join(str(begin) for begin, _ in exc.positions[:20])
            self.add_error("quote", f"{message} Starts: {starts}.")
            return cleaned
        if anchor is None:
            self.add_error("quote", errors.QuoteNotInSource(source.slug).message)
        elif self.instance.proposal_id is not None:
            same = Citation.objects.filter(
                proposal_id=self.instance.proposal_id,
                source=source,
                start=anchor.start,
                end=anchor.end,
                role=cleaned.get("role"),
            ).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("quote", errors.AlreadyCited().message)
        return cleaned


class CitationInline(EditorsWriteMixin, admin.StackedInline):
    model = Citation
    form = CitationInlineForm
    extra = 0
    fields = [
        "source",
        "role",
        "locator",
        "quote",
        "occurrence_start",
        "start",
        "end",
        "anchor_status",
        "verified",
    ]
    readonly_fields = ["start", "end", "anchor_status", "verified"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Citation]:
        return selectors.citations_for_editing()

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "source":
            # Every form of the inline lists every source: titles, not texts.
            kwargs["queryset"] = selectors.sources_without_text()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(boolean=True, description=_("Verified"))
    def verified(self, citation: Citation) -> bool | None:
        if citation.pk is None:
            return None
        # Against the revision it is anchored on (compared in the database, so the text stays
        # there): an orphaned citation still reads true.
        return citation.verified


class StatusChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StatusChange
    # The short columns first and the note last, so that a long note never pushes the dates and
    # statuses out of view.
    fields = ["effective", "from_status", "to_status", "evidence_list", "recorded_by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Status history (append-only: use “Change status” to add to it)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[StatusChange]:
        return selectors.history_of()

    @admin.display(description=_("Effective"))
    def effective(self, change: StatusChange) -> str:
        return shown_date(
            change.effective_date,
            change.effective_precision,
            getattr(change, "effective_qualifier", "exact"),
        )

    @admin.display(description=_("Evidence"))
    def evidence_list(self, change: StatusChange) -> str:
        return ", ".join(f"#{citation.pk} {citation.locator}" for citation in change.evidence.all())


class ProposalAdminForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Proposal
        fields = [
            "slug",
            *in_every_language("title", "summary"),
            "editor_notes",
            "category",
            "group",
            "ordinal",
            "proposed_on",
            "proposed_precision",
            "proposers",
            "addressees",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        refuse_control_characters(
            self, "slug", *in_every_language("title", "summary"), "editor_notes", "group"
        )
        return cleaned


class ChangeStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    effective_date = forms.DateField(
        label=_("Effective date"),
        help_text=_("For a date known only to the month or year, give its first day."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    effective_precision = forms.ChoiceField(
        label=_("Precision of the date"),
        choices=workflow.Precision.choices,
        initial=workflow.Precision.DAY,
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        # The workflow's own rule reports a missing note (see clean), beside every other problem.
        required=False,
        max_length=workflow.NOTE_MAX_LENGTH,
        label=_("Note"),
        help_text=_("Why the status changes: required."),
    )
    evidence = forms.ModelMultipleChoiceField(
        queryset=Citation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Evidence"),
        help_text=_("Required for agreed, in progress, implemented and rejected."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (code, workflow.Status(code).label) for code in workflow.allowed_next(proposal.status)
        ]
        self.fields["evidence"].queryset = selectors.citations_with_sources().filter(
            proposal=proposal
        )
        self.fields["evidence"].label_from_instance = lambda citation: (
            f"{citation.source.title}, {citation.locator} ({citation.get_role_display()}): "
            f"“{citation.quote[:160]}{'…' if len(citation.quote) > 160 else ''}”"
        )
        self.fields["version"].initial = proposal.version
        self.fields["effective_date"].initial = timezone.localdate()
        self.proposal = proposal

    def clean(self) -> dict[str, Any]:
        """Report every rule the change breaks at once, each beside its field, in words."""
        cleaned = super().clean()
        proposal = self.proposal
        evidence = cleaned.get("evidence")
        problems = workflow.change_problems(
            from_status=proposal.status,
            to_status=cleaned.get("to_status"),
            note=cleaned.get("note"),
            effective_date=cleaned.get("effective_date"),
            effective_precision=cleaned.get("effective_precision"),
            proposed_on=proposal.proposed_on,
            previous_date=proposal.status_since,
            evidence_proposal_ids=[c.proposal_id for c in evidence or ()],
            proposal_id=proposal.pk,
            today=timezone.localdate(),
        )
        for problem in problems:
            if problem.field in self.errors:
                continue  # the field could not read the value: already reported there
            add_domain_error(self, problem)
        return cleaned

    def posted_version(self) -> int | None:
        """The version the posted form was read at; None if absent or not a number."""
        try:
            return int(self.data.get("version", ""))
        except (TypeError, ValueError):
            return None


def add_domain_error(form: forms.BaseForm, exc: errors.DomainError) -> None:
    """Show a domain error beside its field, or above the form when it names none of them."""
    field = exc.field if exc.field in form.fields else None
    try:
        form.add_error(field, exc.message)
    except (ValueError, ValidationError):
        form.add_error(None, exc.message)


class AttentionForm(forms.Form):
    """How long without movement makes a proposal need attention."""

    months = forms.IntegerField(
        label=_("No movement for more than (months)"), min_value=1, max_value=600, initial=12
    )

    def chosen_months(self) -> int:
        """The number asked for, or the default (12) when absent or unreadable."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["months"]
        return self.fields["months"].initial


def status_change_message(change: StatusChange) -> str:
    """The admin log's message for `change`: "Changed status from Proposed to Agreed."."""
    return (
        f"Changed status from {workflow.Status(change.from_status).label} to "
        f"{workflow.Status(change.to_status).label} (effective {change.effective_date})."
    )


@admin.register(Proposal)
class ProposalAdmin(
    ProposalSpreadsheetMixin, TranslationsSideBySideMixin, EditorsWriteMixin, admin.ModelAdmin
):
    form = ProposalAdminForm
    translated_fields = ("title", "summary")
    change_form_template = "admin/proposals/proposal/change_form.html"
    # Adds "Needs attention" to the list's tools (import-export's buttons extend it).
    change_list_template = "admin/proposals/proposal/change_list.html"
    list_display = [
        "title",
        "status",
        "since",
        "category",
        "group",
        "ordinal",
        "proposed",
    ]
    list_filter = [
        "status",
        "category",
        GroupFilter,
        SourceFilter,
    ]
    search_fields = ["slug", *in_every_language("title", "summary")]
    readonly_fields = ["current_status", "version"]
    filter_horizontal = ["proposers", "addressees"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [CitationInline, StatusChangeInline]
    list_per_page = 50

    def get_readonly_fields(self, request: HttpRequest, obj: Proposal | None = None) -> list[str]:
        fields = list(self.readonly_fields)
        if obj is not None:
            # The first entry of the append-only history carries these.
            fields += ["slug", "proposed"]
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Proposal | None = None) -> list:
        """The form's rows; the hidden version travels in the form's top (see change_form.html),
        so that no label points at it."""
        if obj is None:
            dated = [("proposed_on", "proposed_precision")]
            if "proposed_qualifier" in self.form.base_fields:
                dated = [("proposed_on", "proposed_precision", "proposed_qualifier")]
            fields = ["slug", *TRANSLATED_ROWS, "editor_notes", "category"]
            fields += [("group", "ordinal"), *dated]
        else:
            fields = ["current_status", "slug", *TRANSLATED_ROWS, "editor_notes", "category"]
            fields += [("group", "ordinal"), "proposed"]
        return [(None, {"fields": [*fields, "proposers", "addressees"]})]

    @admin.display(description="Since", ordering="status_since")
    def since(self, proposal: Proposal) -> str:
        return shown_date(
            proposal.status_since,
            proposal.status_since_precision,
            getattr(proposal, "status_since_qualifier", "exact"),
        )

    @admin.display(description="Proposed", ordering="proposed_on")
    def proposed(self, proposal: Proposal) -> str:
        return shown_date(
            proposal.proposed_on,
            proposal.proposed_precision,
            getattr(proposal, "proposed_qualifier", "exact"),
        )

    @admin.display(description="Status")
    def current_status(self, proposal: Proposal) -> str:
        if proposal.pk is None:
            return "-"
        url = reverse("admin:proposals_proposal_change_status", args=[proposal.pk])
        return format_html(
            '<strong>{}</strong> since {} (version {}) <a class="button" href="{}">Change '
            "status…</a>",
            proposal.get_status_display(),
            self.since(proposal),
            proposal.version,
            url,
        )

    def get_prepopulated_fields(self, request: HttpRequest, obj: Proposal | None = None) -> dict:
        return {} if obj is not None else self.prepopulated_fields

    def has_delete_permission(self, request: HttpRequest, obj: Proposal | None = None) -> bool:
        # A proposal with a history is part of the record; it can be withdrawn, not erased.
        return False

    # Writes -----------------------------------------------------------------

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except errors.DomainError as exc:
            # Raised inside the admin's transaction, which has rolled back: nothing was saved.
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(
        self, request: HttpRequest, obj: Proposal, form: forms.ModelForm, change: bool
    ) -> None:
        data = form.cleaned_data
        if not change:
            created = services.create_proposal(
                slug=data["slug"],
                title=data["title_en"],
                summary=data["summary_en"],
                editor_notes=data.get("editor_notes") or "",
                translations={
                    name: data[name]
                    for name in in_every_language("title", "summary")
                    if not name.endswith(f"_{settings.LANGUAGE_CODE}") and data.get(name)
                },
                category=data["category"],
                group=data.get("group") or "",
                ordinal=data.get("ordinal"),
                proposed_on=data["proposed_on"],
                proposed_precision=data["proposed_precision"],
                proposers=data.get("proposers") or [],
                addressees=data.get("addressees") or [],
                user=request.user,
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            obj._state.adding = False
            return
        expected = data.get("expected_version")
        if expected is None:
            raise errors.StaleVersion(expected=0, current=obj.version)
        editable = services.EDITABLE_PROPOSAL_FIELDS | {"proposers", "addressees"}
        changed = {name: data[name] for name in form.changed_data if name in editable}
        updated = services.update_proposal(
            proposal=obj, expected_version=expected, data=changed, user=request.user
        )
        obj.version = updated.version

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool
    ) -> None:
        # Proposers and addressees were written by the service; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool
    ) -> None:
        # Nothing is saved here; this fills the formset's new, changed and deleted objects.
        formset.save(commit=False)
        if formset.model is not Citation:
            return
        proposal = form.instance
        for citation in formset.deleted_objects:
            services.delete_citation(citation=citation)
        for citation, changed_fields in formset.changed_objects:
            services.update_citation(
                citation=citation,
                quote=citation.quote if "quote" in changed_fields else None,
                locator=citation.locator,
                role=citation.role,
                source=citation.source if "source" in changed_fields else None,
                start=getattr(citation, "occurrence_start", None),
            )
        for citation in formset.new_objects:
            services.add_citation(
                proposal=proposal,
                source=citation.source,
                quote=citation.quote,
                locator=citation.locator,
                role=citation.role,
                start=getattr(citation, "occurrence_start", None),
            )

    # The change-status page ---------------------------------------------------

    def get_urls(self) -> list:
        urls = super().get_urls()
        custom = [
            path(
                "attention/",
                self.admin_site.admin_view(self.attention_view),
                name="proposals_proposal_attention",
            ),
            path(
                "<path:object_id>/change-status/",
                self.admin_site.admin_view(self.change_status_view),
                name="proposals_proposal_change_status",
            ),
        ]
        return custom + urls

    def attention_view(self, request: HttpRequest) -> HttpResponse:
        """What an editor should look at: proposals that have not moved for a while, passages
        whose anchoring needs a look, deliveries that failed."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = AttentionForm(request.GET or None)
        months = form.chosen_months()
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Needs attention"),
            "opts": self.model._meta,
            "form": form,
            "months": months,
            "since": shown_date(selectors.months_before(today, months)),
            "stale": [
                (proposal, self.since(proposal))
                for proposal in selectors.proposals_without_movement(months=months, today=today)
            ],
            "citations": list(selectors.citations_needing_a_look()),
            # Only the editor's own subscriptions (every one for a superuser), as in their list.
            "deliveries": list(webhook_selectors.failed_deliveries_visible_to(request.user)[:100]),
        }
        return TemplateResponse(request, "admin/proposals/proposal/attention.html", context)

    def change_status_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not is_editor(request.user):
            raise PermissionDenied(gettext("Only editors may change the status of a proposal."))
        proposal = self.get_object(request, unquote(object_id))
        if proposal is None:
            raise Http404(gettext("No proposal with that id."))
        form = ChangeStatusForm(request.POST or None, proposal=proposal)
        if request.method == "POST":
            try:
                # A form read before another change is stale, whatever it now holds: its
                # choices were those of the status it showed.
                posted = form.posted_version()
                if posted is not None and posted != proposal.version:
                    raise errors.StaleVersion(expected=posted, current=proposal.version)
                if form.is_valid():
                    data = form.cleaned_data
                    with transaction.atomic():
                        change = services.record_transition(
                            proposal=proposal,
                            to_status=data["to_status"],
                            note=data["note"],
                            effective_date=data["effective_date"],
                            effective_precision=data["effective_precision"],
                            evidence=list(data["evidence"]),
                            user=request.user,
                            expected_version=data["version"],
                        )
                        # The admin's audit trail, written with the change or not at all.
                        self.log_change(request, proposal, status_change_message(change))
                    self.message_user(
                        request,
                        gettext("“%(title)s” is now %(status)s.")
                        % {
                            "title": proposal.title,
                            "status": str(workflow.Status(proposal.status).label).lower(),
                        },
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:proposals_proposal_change", args=[proposal.pk])
                    )
            except errors.StaleVersion as exc:
                # Someone changed the proposal meanwhile: keep what the editor typed, checked
                # against the status it has now, and let them record it again.
                self.message_user(
                    request,
                    f"{exc.message} What you typed is kept below, checked against the current "
                    "status: review it and record the change again.",
                    messages.ERROR,
                )
                proposal.refresh_from_db()
                typed = request.POST.copy()
                typed["version"] = str(proposal.version)
                form = ChangeStatusForm(typed, proposal=proposal)
                form.is_valid()
            except errors.DomainError as exc:
                add_domain_error(form, exc)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Change status: %(title)s") % {"title": proposal.title},
            "opts": self.model._meta,
            "original": proposal,
            "proposal": proposal,
            "since": self.since(proposal),
            "form": form,
            "is_final": workflow.is_terminal(proposal.status),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/proposals/proposal/change_status.html", context)


@admin.register(Citation)
class CitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Citations, read-only here: they are added and edited on their proposal's page."""

    list_display = [
        "id",
        "proposal",
        "source",
        "role",
        "locator",
        "start",
        "end",
        "revision",
        "anchor_status",
    ]
    # Ambiguous and orphaned citations, left on an earlier revision, are found here.
    list_filter = ["anchor_status", "role", SourceFilter]
    search_fields = ["quote", "locator", "proposal__title"]
    list_select_related = ()  # the selector joins what the list shows, without the texts

    def get_queryset(self, request: HttpRequest) -> QuerySet[Citation]:
        return selectors.citations_for_admin_list()


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The history, read-only: a mistake is corrected by a new change, never by editing."""

    list_display = [
        "proposal",
        "from_status",
        "to_status",
        "effective_date",
        "recorded_at",
        "recorded_by",
    ]
    list_filter = ["to_status"]
    search_fields = ["proposal__title", "note"]
    list_select_related = ()  # the selector joins what the list shows
    date_hierarchy = "effective_date"

    def get_queryset(self, request: HttpRequest) -> QuerySet[StatusChange]:
        return selectors.changes_for_admin_list()
