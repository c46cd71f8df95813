"""Forms of the public site: GET forms that read filters, never write anything."""

from __future__ import annotations

import datetime
from html import escape
from typing import Any, NamedTuple

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from proposals import content_languages, selectors
from proposals.models import Category
from proposals.workflow import Status

# The orders a visitor may ask for, by the value in the URL: (label, the selectors' ordering
# keys, as the API's `ordering` names them).
SORTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "": (_("Group, then date"), ()),
    "title": (_("Title, A to Z"), ("title",)),
    "-title": (_("Title, Z to A"), ("-title",)),
    "proposed": (_("Oldest proposed first"), ("proposed_on",)),
    "-proposed": (_("Newest proposed first"), ("-proposed_on",)),
    "status": (_("Status, in workflow order"), ("status", "-status_since")),
    "-changed": (_("Most recently changed first"), ("-status_since",)),
}


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def source_options() -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Each source as a choice (slug, title), and the language of its title by slug."""
    choices, languages = [], {}
    for slug, title, language in selectors.source_choices():
        choices.append((slug, title))
        languages[slug] = language or "en"
    return choices, languages


class QuickSelect(forms.Select):
    """A <select> built in Python, with the markup of Django's, without a template per option.

    The proposal list offers every group, source and actor: through the form renderer, each of
    those hundreds of options costs two template renders, more than the rest of the page.
    """

    # The language of an option's label where it is not the page's (a source's title).
    option_languages: dict[str, str] = {}

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        # html.escape is what django.utils.html.escape runs, without its lazy-string wrapper.
        languages = self.option_languages
        options = "\n".join(
            f'  <option value="{escape(str(option))}"'
            + (f' lang="{escape(languages[option])}"' if option in languages else "")
            + f"{' selected' if str(option) in chosen else ''}>{escape(str(label))}</option>"
            for option, label in self.choices
        )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        # Safe: the name and attributes are escaped by format_html and flatatt, the rest above.
        return format_html('<select name="{}"{}>\n{}\n</select>', name, attrs, mark_safe(options))


class ProposalFilterForm(forms.Form):
    """The filters of the proposal list; each invalid value is reported and then ignored."""

    q = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Title or summary")}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)
    category = forms.ChoiceField(label=_("Category"), required=False, widget=QuickSelect)
    group = forms.ChoiceField(label=_("Group"), required=False, widget=QuickSelect)
    source = forms.ChoiceField(label=_("Cited in source"), required=False, widget=QuickSelect)
    actor = forms.ChoiceField(
        label=_("Actor (proposer or addressee)"), required=False, widget=QuickSelect
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, widget=QuickSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        names = content_languages.group_names()
        fields["status"].choices = _blank(_("Any status")) + list(Status.choices)
        fields["category"].choices = _blank(_("Any category")) + list(Category.choices)
        fields["group"].choices = _blank(_("Any group")) + [
            (group, names.get(group) or group) for group in selectors.proposal_groups()
        ]
        sources, languages = source_options()
        fields["source"].choices = _blank(_("Any source")) + sources
        # A source's title stays in the language of the source.
        fields["source"].widget.option_languages = languages
        fields["actor"].choices = _blank(_("Any actor")) + list(selectors.actor_choices())
        fields["sort"].choices = [(key, label) for key, (label, _) in SORTS.items()]

    def filters(self) -> dict[str, str]:
        """The valid, non-empty filters (invalid fields are dropped, not fatal)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: cleaned[name]
            for name in ("status", "category", "group", "source", "actor")
            if cleaned.get(name)
        } | ({"text": cleaned["q"]} if cleaned.get("q") else {})

    def ordering(self) -> tuple[str, ...]:
        """The ordering keys of the requested sort (see selectors.order_proposals), or () for
        the natural order."""
        self.is_valid()
        return SORTS[getattr(self, "cleaned_data", {}).get("sort") or ""][1]

    def problems(self) -> list[str]:
        """Human messages for the values that were ignored."""
        self.is_valid()
        return [
            gettext("%(field)s: that value is not one we know, so it was ignored.")
            % {"field": self.fields[name].label}
            for name in self.errors
        ]


class BoardForm(forms.Form):
    """The question the board answers: the status on a day, as known today or on a past day."""

    as_of = forms.DateField(
        label=_("Status as of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    recorded_as_of = forms.DateField(
        label=_("As the tracker knew it on"),
        required=False,
        help_text=_("Leave empty for what the tracker knows today."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )

    def question(self) -> BoardQuestion:
        """The days asked about; an unreadable value is reported and then ignored."""
        today = timezone.localdate()
        if not self.is_bound:
            return BoardQuestion(day=today, recorded_as_of=None, problems=[])
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        recorded = cleaned.get("recorded_as_of")
        day = cleaned.get("as_of") or recorded or today
        problems = []
        if "as_of" in self.errors:
            problems.append(
                gettext(
                    "That is not a date we can read (use YYYY-MM-DD), so the board shows the "
                    "day of the record."
                )
                if recorded
                else gettext(
                    "That is not a date we can read (use YYYY-MM-DD), so the board shows today."
                )
            )
        if "recorded_as_of" in self.errors:
            problems.append(
                gettext(
                    "The recording date is not a date we can read (use YYYY-MM-DD), so the "
                    "board shows what the tracker knows today."
                )
            )
        return BoardQuestion(day=day, recorded_as_of=recorded, problems=problems)


class BoardQuestion(NamedTuple):
    """The status on `day`, as recorded by the end of `recorded_as_of` (None: as known now)."""

    day: datetime.date
    recorded_as_of: datetime.date | None
    problems: list[str]

    def query(self) -> dict[str, str]:
        """The query string that asks this question again: the board's citable address."""
        query = {"as_of": self.day.isoformat()}
        if self.recorded_as_of is not None:
            query["recorded_as_of"] = self.recorded_as_of.isoformat()
        return query
