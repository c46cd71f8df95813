"""
The Django admin for editors.

Every write goes through proposals.services. Forms ask the services' check-only twins
(check_citation, check_proposal_update, transition_problems, sources.check_new_source) and
show their domain errors beside the fields through one helper, show_domain_error; a refusal
that only the write itself can find (another editor won a race) becomes a message in
changeform_view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from proposals import anchoring, errors, selectors, services, sources, workflow
from proposals.admin_spreadsheets import ProposalSpreadsheetMixin
from proposals.content_languages import localized_field
from proposals.models import (
    Actor,
    Citation,
    Position,
    Proposal,
    ProposalGroup,
    Relation,
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


class ShownOnlyFormSet(forms.BaseInlineFormSet):
    """The rows of a read-only inline: shown, never posted back.

    Django binds every inline to the POST of its page, so saving a source's details failed
    ("ManagementForm data is missing") whenever the post lacked the hidden counts of its
    history inlines, which nobody edits. This formset reads nothing from the request: it
    always shows the rows as stored and is never invalid.
    """

    def __init__(self, data: Any = None, files: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(None, None, *args, **kwargs)

    def is_valid(self) -> bool:
        return True

    def save(self, commit: bool = True) -> list:
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        return []


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """An inline of rows written elsewhere (history, edits, revisions): shown, never posted."""

    formset = ShownOnlyFormSet
    extra = 0
    can_delete = False


class RaceLostMixin:
    """A write that the services refuse at the last moment becomes a message, not a 500.

    Forms ask the services' check-only twins first, so a refusal here means another editor
    won a race between the check and the write (a version, a slug, a title taken meanwhile).
    """

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except errors.DomainError as exc:
            # Raised inside the admin's transaction, which has rolled back: nothing was saved.
            self.message_user(request, exc.message, messages.ERROR)  # type: ignore[attr-defined]
            return HttpResponseRedirect(request.get_full_path())


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
        return list(selectors.sources_by_title())

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        if self.value() is None:
            return queryset
        if queryset.model is Citation:
            return selectors.filter_citations(queryset, source=self.value())
        # The selectors' filter: an EXISTS, one row per proposal, so no DISTINCT is needed.
        return selectors.filter_proposals(queryset, source=self.value())


def shown_date(value: Any, precision: str = "day", qualifier: str = "exact") -> str:
    """A date as precise as it is known: "10 November 2005", "November 2005", "2005"."""
    return date_display.precise_date(value, precision, qualifier) or "-"


class GroupFilter(admin.SimpleListFilter):
    """Filter by group, with proposals made on their own as a named choice (not an empty link)."""

    title = _("group")
    parameter_name = "group"
    NONE = "-"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        groups = [(group, group) for group in selectors.proposal_groups()]
        return [*groups, (self.NONE, _("No group"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        value = self.value()
        if value is None:
            return queryset
        if value == self.NONE:
            return selectors.filter_proposals(queryset, ungrouped=True)
        return selectors.filter_proposals(queryset, group=value)


def _url_field(label: str, help_text: str) -> forms.URLField:
    return forms.URLField(
        label=label,
        max_length=2_000,
        required=False,
        assume_scheme="https",
        help_text=help_text,
        widget=forms.URLInput(attrs={"size": 80}),
    )


class VersionedChangeForm(forms.ModelForm):
    """A change form that carries the version it was read at, for its service to check.

    A save after someone else's is refused, not merged: the service's check-only twin
    (`check_update`) answers in `clean`, so the form comes back with what the editor typed.
    Subclasses name the fields the service takes (`editable_fields`).
    """

    editable_fields: tuple[str, ...] = ()

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": _("The form was damaged; reload the page and try again.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def check_update(self, *, expected_version: int, **changes: Any) -> None:
        """Raise what the service would refuse (a stale version, a forbidden value)."""
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is None or "expected_version" in self.errors:
            return cleaned
        try:
            self.check_update(expected_version=self.read_version(), **self.changes())
        except errors.DomainError as exc:
            show_domain_error(self, exc)
        return cleaned

    def read_version(self) -> int:
        """The version the form was read at; a form sent without it is stale."""
        return self.cleaned_data.get("expected_version") or 0

    def changes(self) -> dict[str, Any]:
        """The editable fields the editor changed, as the service takes them."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in self.editable_fields and name in self.cleaned_data
        }


class SourceDetailsForm(VersionedChangeForm):
    """A source's descriptive fields; its text is shown, never edited here."""

    editable_fields = services.SOURCE_DETAIL_FIELDS

    document_url = _url_field(
        _("Document URL"), _("Where the document is published (http or https).")
    )
    archived_url = _url_field(
        _("Archived URL"), _("An archived copy of the document (http or https).")
    )

    class Meta:
        model = Source
        fields = list(services.SOURCE_DETAIL_FIELDS)

    def check_update(self, *, expected_version: int, **changes: Any) -> None:
        sources.check_source_update(
            source=self.instance, expected_version=expected_version, **changes
        )


def upload_of(uploaded: Any) -> sources.Upload | None:
    """An uploaded file of a form as the services take it (read whole; they cap its size)."""
    if not uploaded:
        return None
    return sources.Upload(
        name=uploaded.name,
        content=uploaded.read(sources.UPLOAD_MAX_BYTES + 1),
        content_type=getattr(uploaded, "content_type", None),
    )


def show_domain_error(
    form: forms.BaseForm,
    exc: errors.DomainError | ValidationError,
    *,
    default: str | None = None,
    fields: Mapping[str, str] | None = None,
) -> None:
    """Show a service's refusal on `form`: beside the field it names, else above the form.

    `fields` maps a service's field names to the form's where they differ (the service's
    `start` is the admin's `occurrence_start`); `default` takes an error whose field the form
    lacks. A quote found more than once lists where each occurrence starts, for the editor to
    pick one. A ValidationError (a model's full_clean) is shown field by field the same way.
    """
    renamed = fields or {}

    def place(name: str | None) -> str | None:
        name = renamed.get(name or "", name)
        if name in form.fields:
            return name
        return default if default in form.fields else None

    if isinstance(exc, ValidationError):
        for name, messages_of in exc.message_dict.items() if hasattr(exc, "error_dict") else []:
            form.add_error(place(None if name == NON_FIELD_ERRORS else name), messages_of)
        if not hasattr(exc, "error_dict"):
            form.add_error(place(None), exc.messages)
        return
    message = exc.message
    positions = exc.extra.get("positions")
    if positions:
        starts = ", ".join(str(begin) for begin, _end in positions[:20])
        message = f"{message} Starts: {starts}."
    form.add_error(place(exc.field), message)


class SourceAddForm(SourceDetailsForm):
    """A new source: its details, and its text pasted or read from an uploaded file."""

    slug = forms.SlugField(
        label=_("Slug"),
        max_length=100,
        required=False,
        help_text=_("Made from the title when left empty."),
    )
    text = forms.CharField(
        label=pgettext_lazy("a source's words", "Text"),
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
        required=False,
        strip=False,
        help_text=_("Paste the document's text, or upload its file below."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "A .txt, .html (the article is extracted) or .pdf (its text layer) file, "
            "at most 20 MB. The file is kept for editors."
        ),
    )

    class Meta(SourceDetailsForm.Meta):
        fields = ["slug", *services.SOURCE_DETAIL_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        text, upload = cleaned.get("text") or None, upload_of(cleaned.get("file"))
        try:
            # What create_source would refuse, without writing: the text or file (extraction,
            # limits, a text already held), the slug, the details.
            sources.check_new_source(
                slug=cleaned.get("slug") or None, text=text, upload=upload, **self.details()
            )
        except (errors.DomainError, ValidationError) as exc:
            show_domain_error(self, exc, default="file" if upload else "text")
        self.upload = upload
        return cleaned

    def details(self) -> dict[str, Any]:
        """The details given, as create_source takes them (empty ones left to its defaults)."""
        given = {name: self.cleaned_data.get(name) for name in services.SOURCE_DETAIL_FIELDS}
        return {name: value for name, value in given.items() if value not in (None, "")}

    def _post_clean(self) -> None:
        # The model is checked by the service (its text is not a field of this form).
        pass


class RevisionForm(forms.Form):
    """A corrected text (or file) for a source, previewed before it is applied."""

    text = forms.CharField(
        label=pgettext_lazy("a source's words", "Text"),
        widget=forms.Textarea(attrs={"rows": 16, "cols": 90}),
        required=False,
        strip=False,
        help_text=_("The whole corrected text (it replaces the current one)."),
    )
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("Or the corrected document's file.")
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 90}),
        max_length=workflow.NOTE_MAX_LENGTH,
        help_text=_("What the correction changes, and why."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SourceRevisionInline(ReadOnlyInline):
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
    verbose_name_plural = _("Revisions of the text (a correction adds one: use “Correct the text”)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[SourceRevision]:
        return selectors.revisions_for_editing()

    @admin.display(description=_("Uploaded file"))
    def original(self, revision: SourceRevision) -> str:
        if not revision.original_file:
            return "—"
        url = reverse("admin:proposals_source_original", args=[revision.source_id, revision.number])
        return format_html('<a href="{}">{}</a>', url, revision.original_name or "download")


class SourceEditInline(ReadOnlyInline):
    model = SourceEdit
    fields = ["edited_at", "edited_by", "changes"]
    readonly_fields = fields
    verbose_name_plural = _("Edits of the details")


@admin.register(Source)
class SourceAdmin(RaceLostMixin, EditorsWriteMixin, admin.ModelAdmin):
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

    @admin.display(description=_("Published"), ordering="published_on")
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

    @admin.display(description=pgettext_lazy("a source's words", "Text"))
    def correct_text_link(self, source: Source) -> str:
        if source.pk is None:
            return ""
        url = reverse("admin:proposals_source_revise", args=[source.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, gettext("Correct the text"))

    def save_model(
        self, request: HttpRequest, obj: Source, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            # The service refuses a stale version (the form's clean asked it first; this is the
            # write, which a faster editor can still have beaten).
            updated = sources.update_source(
                source=obj,
                expected_version=form.read_version(),
                user=request.user,
                **form.changes(),
            )
            obj.version = updated.version
            return
        upload = getattr(form, "upload", None)
        created = sources.create_source(
            slug=form.cleaned_data.get("slug") or None,
            text=None if upload else form.cleaned_data["text"],
            upload=upload,
            user=request.user,
            **form.details(),
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
        revision = selectors.revision_of(source, number)
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
                    show_domain_error(form, exc, default="text")
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
            cited = {citation.pk: citation for citation in selectors.citations_in_source(source)}
            outcomes = [(cited[item.id], str(item.outcome)) for item in result.citations]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Correct the text of “%(title)s”") % {"title": source.title},
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


class CitationInlineForm(forms.ModelForm):
    occurrence_start = forms.IntegerField(
        min_value=0,
        required=False,
        label=_("Start of the occurrence"),
        help_text=_(
            "Only for a quote that occurs more than once: the start of the one you mean, "
            "among those the error lists."
        ),
    )

    class Meta:
        model = Citation
        fields = ["source", "role", "locator", "quote"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        source, quote = cleaned.get("source"), cleaned.get("quote")
        if self.errors or source is None or not quote or cleaned.get("DELETE"):
            return cleaned
        start = cleaned.get("occurrence_start")
        # Read by save_formset, which hands it to the service.
        self.instance.occurrence_start = start
        saved = self.instance.pk is not None
        try:
            # What add_citation (or update_citation) would refuse, without writing: a quote not
            # in the source or found more than once, a passage already cited, evidence re-quoted.
            services.check_citation(
                proposal=self.instance.proposal if self.instance.proposal_id else None,
                citation=self.instance if saved else None,
                source=source if not saved or "source" in self.changed_data else None,
                quote=quote if not saved or "quote" in self.changed_data else None,
                locator=cleaned.get("locator"),
                role=cleaned.get("role"),
                start=start,
            )
        except errors.DomainError as exc:
            show_domain_error(self, exc, default="quote", fields={"start": "occurrence_start"})
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
        if db_field.name != "source":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        # Every form of the inline lists every source: titles, not texts, read once for all
        # the forms (each copies the field) rather than once per citation.
        kwargs["queryset"] = selectors.sources_without_text()
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        field.choices = list(iter(field.choices))  # no len(), so no COUNT query
        return field

    @admin.display(boolean=True, description=_("Verified"))
    def verified(self, citation: Citation) -> bool | None:
        if citation.pk is None:
            return None
        # Against the revision it is anchored on (compared in the database, so the text stays
        # there): an orphaned citation still reads true.
        return citation.verified


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    # The short columns first and the note last, so that a long note never pushes the dates and
    # statuses out of view.
    fields = ["effective", "from_status", "to_status", "evidence_list", "recorded_by", "note"]
    readonly_fields = fields
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


def evidence_label(citation: Citation) -> str:
    """How a citation reads among evidence checkboxes: source, locator, role and its words."""
    return (
        f"{citation.source.title}, {citation.locator} ({citation.get_role_display()}): "
        f"“{citation.quote[:160]}{'…' if len(citation.quote) > 160 else ''}”"
    )


class EvidencedEventForm(forms.Form):
    """What a status change and a position share: a dated event of a proposal, its note and
    the citations of the proposal whose words support it."""

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
        # The workflow's own rule reports a missing note, in its words, beside every other one.
        required=False,
        max_length=workflow.NOTE_MAX_LENGTH,
        label=_("Note"),
    )
    evidence = forms.ModelMultipleChoiceField(
        queryset=Citation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Evidence"),
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = selectors.citations_of(proposal)
        self.fields["evidence"].label_from_instance = evidence_label
        self.fields["effective_date"].initial = timezone.localdate()
        self.proposal = proposal


class RelationInlineForm(forms.ModelForm):
    """A link from this proposal to another, checked by the service before the save."""

    class Meta:
        model = Relation
        fields = ["type", "to_proposal", "note", "citation"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "cols": 50})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        origin, target = self.instance.from_proposal, cleaned.get("to_proposal")
        if self.errors or cleaned.get("DELETE") or target is None or origin.pk is None:
            return cleaned
        try:
            services.check_relation(
                from_proposal=origin,
                to_proposal=target,
                type=cleaned.get("type", ""),
                note=cleaned.get("note", ""),
                citation=cleaned.get("citation"),
                relation=self.instance if self.instance.pk else None,
            )
        except errors.DomainError as exc:
            show_domain_error(self, exc, default="to_proposal", fields={"proposal": "to_proposal"})
        return cleaned


class RelationInline(EditorsWriteMixin, admin.TabularInline):
    """Links from this proposal to others ("this proposal continues ..."), through the services."""

    model = Relation
    fk_name = "from_proposal"
    form = RelationInlineForm
    extra = 0
    fields = ["type", "to_proposal", "note", "citation"]
    # Searched, not listed: a select of every proposal or citation would load them all.
    autocomplete_fields = ["to_proposal", "citation"]
    verbose_name = _("relation to another proposal")
    verbose_name_plural = _(
        "Relations to other proposals (read: this proposal continues, is part of ... the other)"
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Relation]:
        return selectors.relations()


class RelationInInline(ReadOnlyInline):
    """Links made from other proposals to this one; edited on the other proposal's page."""

    model = Relation
    fk_name = "to_proposal"
    fields = ["from_proposal", "type", "note", "citation"]
    readonly_fields = fields
    verbose_name_plural = _("Relations from other proposals (edited on their pages)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Relation]:
        return selectors.relations()


class PositionInline(ReadOnlyInline):
    """Actors' stances on the proposal: append-only, a new position supersedes the earlier."""

    model = Position
    fields = ["actor", "stance", "effective", "evidence_list", "recorded_by", "note"]
    readonly_fields = fields
    verbose_name_plural = _("Positions of actors (append-only: use “Record a position” to add one)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Position]:
        return selectors.positions()

    @admin.display(description=_("Effective"))
    def effective(self, position: Position) -> str:
        return shown_date(
            position.effective_date, position.effective_precision, position.effective_qualifier
        )

    @admin.display(description=_("Evidence"))
    def evidence_list(self, position: Position) -> str:
        return ", ".join(
            f"#{citation.pk} {citation.locator}" for citation in position.evidence.all()
        )


class RecordPositionForm(EvidencedEventForm):
    """An actor's stance on the proposal, resting on citations of it (services.record_position)."""

    actor = forms.ModelChoiceField(queryset=Actor.objects.none(), label=_("Actor"))
    stance = forms.ChoiceField(label=_("Stance"), choices=workflow.Stance.choices)
    effective_qualifier = forms.ChoiceField(
        label=_("The date is"),
        choices=workflow.DateQualifier.choices,
        initial=workflow.DateQualifier.EXACT,
    )
    field_order = [
        "actor",
        "stance",
        "effective_date",
        "effective_precision",
        "effective_qualifier",
    ]

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, proposal=proposal, **kwargs)
        self.fields["actor"].queryset = selectors.actor_list()
        self.fields["note"].help_text = _("What the actor said or did, in our words: required.")
        self.fields["evidence"].help_text = _(
            "At least one citation of this proposal whose words state the position."
        )


def position_message(position: Position) -> str:
    """The admin log's message for a recorded position."""
    return (
        f"Recorded the position of {position.actor}: {position.get_stance_display()} "
        f"(effective {position.effective_date})."
    )


class ProposalAdminForm(VersionedChangeForm):
    editable_fields = services.EDITABLE_PROPOSAL_FIELDS

    class Meta:
        model = Proposal
        # Fixed once created: the slug and the date (the first entry of the history).
        fields = ["slug", "proposed_on", "proposed_precision", *services.EDITABLE_PROPOSAL_FIELDS]

    def check_update(self, *, expected_version: int, **changes: Any) -> None:
        services.check_proposal_update(
            proposal=self.instance, expected_version=expected_version, **changes
        )


class ChangeStatusForm(EvidencedEventForm):
    to_status = forms.ChoiceField(label=_("New status"))
    version = forms.IntegerField(widget=forms.HiddenInput)
    field_order = ["to_status"]

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, proposal=proposal, **kwargs)
        self.fields["to_status"].choices = [
            (code, workflow.Status(code).label) for code in workflow.allowed_next(proposal.status)
        ]
        self.fields["version"].initial = proposal.version
        self.fields["note"].help_text = _("Why the status changes: required.")
        # The workflow's rule in words, so that the help text never disagrees with it.
        self.fields["evidence"].help_text = workflow.evidence_rule()

    def clean(self) -> dict[str, Any]:
        """Report every rule the change breaks at once, each beside its field, in words.

        Raises StaleVersion when the proposal moved on since the form was read (the view keeps
        what was typed and checks it again against the current status).
        """
        cleaned = super().clean()
        if "version" in self.errors:
            return cleaned
        problems = services.transition_problems(
            proposal=self.proposal,
            to_status=cleaned.get("to_status"),
            note=cleaned.get("note"),
            effective_date=cleaned.get("effective_date"),
            effective_precision=cleaned.get("effective_precision"),
            evidence=cleaned.get("evidence") or (),
            expected_version=cleaned.get("version"),
        )
        for problem in problems:
            if problem.field in self.errors:
                continue  # the field could not read the value, or has its error already
            show_domain_error(self, problem)
        return cleaned


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
    ProposalSpreadsheetMixin,
    RaceLostMixin,
    TranslationsSideBySideMixin,
    EditorsWriteMixin,
    admin.ModelAdmin,
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
    inlines = [CitationInline, StatusChangeInline, RelationInline, RelationInInline, PositionInline]
    list_per_page = 50

    def get_inlines(self, request: HttpRequest, obj: Proposal | None = None) -> list:
        # A proposal being added has no relations nor positions yet: its citations come first.
        if obj is None:
            return [CitationInline, StatusChangeInline]
        return self.inlines

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

    @admin.display(description=_("Since"), ordering="status_since")
    def since(self, proposal: Proposal) -> str:
        return shown_date(
            proposal.status_since,
            proposal.status_since_precision,
            getattr(proposal, "status_since_qualifier", "exact"),
        )

    @admin.display(description=pgettext_lazy("date heading", "Proposed"), ordering="proposed_on")
    def proposed(self, proposal: Proposal) -> str:
        return shown_date(
            proposal.proposed_on,
            proposal.proposed_precision,
            getattr(proposal, "proposed_qualifier", "exact"),
        )

    @admin.display(description=_("Status"))
    def current_status(self, proposal: Proposal) -> str:
        if proposal.pk is None:
            return "-"
        url = reverse("admin:proposals_proposal_change_status", args=[proposal.pk])
        return format_html(
            '<strong>{}</strong> {} <a class="button" href="{}">{}</a>',
            proposal.get_status_display(),
            gettext("since %(date)s (version %(version)s)")
            % {"date": self.since(proposal), "version": proposal.version},
            url,
            gettext("Change status…"),
        )

    def get_prepopulated_fields(self, request: HttpRequest, obj: Proposal | None = None) -> dict:
        return {} if obj is not None else self.prepopulated_fields

    def has_delete_permission(self, request: HttpRequest, obj: Proposal | None = None) -> bool:
        # A proposal with a history is part of the record; it can be withdrawn, not erased.
        return False

    # Writes -----------------------------------------------------------------

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
        # The service refuses a stale version (the form's clean asked it first; this is the
        # write, which a faster editor can still have beaten).
        updated = services.update_proposal(
            proposal=obj,
            expected_version=form.read_version(),
            user=request.user,
            **form.changes(),
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
        if formset.model is Citation:
            self.save_citations(formset, form.instance)
        elif formset.model is Relation:
            self.save_relations(formset, form.instance, request.user)

    def save_citations(self, formset: Any, proposal: Proposal) -> None:
        """Write the citation inline's changes through the services."""
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

    def save_relations(self, formset: Any, proposal: Proposal, user: Any) -> None:
        """Write the relation inline's changes through the services."""
        for relation in formset.deleted_objects:
            services.delete_relation(relation=relation)
        for relation, _changed in formset.changed_objects:
            services.update_relation(
                relation=relation,
                to_proposal=relation.to_proposal,
                type=relation.type,
                note=relation.note,
                citation=relation.citation,
            )
        for relation in formset.new_objects:
            services.add_relation(
                from_proposal=proposal,
                to_proposal=relation.to_proposal,
                type=relation.type,
                note=relation.note,
                citation=relation.citation,
                user=user,
            )

    # The change-status and record-position pages -------------------------------

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
            path(
                "<path:object_id>/record-position/",
                self.admin_site.admin_view(self.record_position_view),
                name="proposals_proposal_record_position",
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
                # A form read before another change is stale, whatever it now holds (its
                # choices were those of the status it showed): the service says so first.
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
                        self.log_change(request, change.proposal, status_change_message(change))
                    self.message_user(
                        request,
                        gettext("“%(title)s” is now %(status)s.")
                        % {
                            "title": change.proposal.title,
                            "status": str(workflow.Status(change.to_status).label).lower(),
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
                show_domain_error(form, exc)
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

    def record_position_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Record an actor's stance on the proposal (append-only, resting on its citations)."""
        if not (is_editor(request.user) and request.user.has_perm("proposals.add_position")):
            raise PermissionDenied(gettext("Only editors may record positions."))
        proposal = self.get_object(request, unquote(object_id))
        if proposal is None:
            raise Http404(gettext("No proposal with that id."))
        form = RecordPositionForm(request.POST or None, proposal=proposal)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    position = services.record_position(
                        proposal=proposal,
                        actor=data["actor"],
                        stance=data["stance"],
                        note=data["note"],
                        effective_date=data["effective_date"],
                        effective_precision=data["effective_precision"],
                        effective_qualifier=data["effective_qualifier"],
                        evidence=list(data["evidence"]),
                        user=request.user,
                    )
                    # The admin's audit trail, written with the position or not at all.
                    self.log_change(request, proposal, position_message(position))
            except errors.DomainError as exc:
                show_domain_error(form, exc)
            else:
                # In the editor's language; the log entry keeps its untranslated sentence.
                self.message_user(
                    request,
                    gettext("Recorded the position of %(actor)s: %(stance)s.")
                    % {"actor": position.actor, "stance": position.get_stance_display()},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:proposals_proposal_change", args=[proposal.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Record a position: %(title)s") % {"title": proposal.title},
            "opts": self.model._meta,
            "original": proposal,
            "proposal": proposal,
            "form": form,
            "has_citations": form.fields["evidence"].queryset.exists(),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/proposals/proposal/record_position.html", context)


@admin.register(Citation)
class CitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Citations, read-only here: they are added and edited on their proposal's page."""

    list_display = [
        "citation_id",
        "proposal",
        "source",
        "role",
        "locator",
        "start",
        "end",
        "revision_column",
        "anchor_status",
    ]
    # Ambiguous and orphaned citations, left on an earlier revision, are found here.
    list_filter = ["anchor_status", "role", SourceFilter]
    search_fields = ["quote", "locator", "proposal__title"]
    list_select_related = ()  # the selector joins what the list shows, without the texts

    def get_queryset(self, request: HttpRequest) -> QuerySet[Citation]:
        return selectors.citations_for_admin_list()

    # The columns' own labels: the automatic primary key's "ID" is never translated, and the
    # revision's label would need a migration of the model.
    @admin.display(description=_("ID"), ordering="id")
    def citation_id(self, obj: Citation) -> int:
        return obj.pk

    @admin.display(description=_("revision"), ordering="revision")
    def revision_column(self, obj: Citation) -> str:
        # What SourceRevision's English __str__ says, in the editor's language.
        return gettext("%(source)s revision %(number)s") % {
            "source": obj.revision.source.slug,
            "number": obj.revision.number,
        }


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
