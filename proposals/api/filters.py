"""Query filters of the API lists, as django-filter FilterSets over the selectors' querysets."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import QuerySet

from proposals import selectors
from proposals.models import Category, Citation, CitationRole, Proposal
from proposals.workflow import Status

# Ordering by status or its date follows the as-of status when `as_of` is given.
AS_OF_FIELDS = {"status": "as_of_status", "status_since": "as_of_since"}


class ProposalOrderingFilter(django_filters.OrderingFilter):
    """Order by a whitelist of fields, then by slug so that pages never overlap."""

    def filter(self, qs: QuerySet[Proposal], value: Any) -> QuerySet[Proposal]:
        if not value:
            return qs
        as_of = "as_of_status" in qs.query.annotations
        ordering = []
        for param in value:
            if not param:  # "ordering=,title" or "ordering=,,": nothing to order by there
                continue
            descending = param.startswith("-")
            field = self.get_ordering_value(param).lstrip("-")
            if as_of:
                field = AS_OF_FIELDS.get(field, field)
            ordering.append(f"-{field}" if descending else field)
        if "slug" not in {item.lstrip("-") for item in ordering}:
            ordering.append("slug")
        return qs.order_by(*ordering)


class ProposalFilter(django_filters.FilterSet):
    """Filters of GET /proposals/; with `as_of` or `recorded_as_of`, `status` and ordering use
    the as-of status."""

    as_of = django_filters.DateFilter(
        method="filter_as_of",
        # ISO only: Django's default formats would read 01/04/2019 as 4 January, unasked.
        input_formats=["%Y-%m-%d"],
        help_text="YYYY-MM-DD: each proposal's status as it stood that day; proposals first "
        "proposed after it are left out.",
    )
    recorded_as_of = django_filters.DateFilter(
        method="filter_as_of",
        input_formats=["%Y-%m-%d"],
        help_text="YYYY-MM-DD: what the tracker showed at the end of that day. Alone, each "
        "proposal's status on that day as the changes recorded by then gave it; with `as_of`, "
        "the status on `as_of` as known then. Proposals with no such change are left out.",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        method="filter_status",
        help_text="Current status (or the status as of `as_of`); repeat for several.",
    )
    category = django_filters.MultipleChoiceFilter(
        choices=Category.choices, help_text="Repeat for several."
    )
    group = django_filters.CharFilter(field_name="group", help_text="A group's slug.")
    source = django_filters.CharFilter(
        method="filter_source", help_text="Proposals citing the source with this slug."
    )
    actor = django_filters.CharFilter(
        method="filter_actor",
        help_text="Proposals with this actor (slug) as proposer or addressee.",
    )
    supported_by = django_filters.CharFilter(
        method="filter_supported_by",
        help_text="Proposals whose latest recorded position of this actor (slug) is `supports`.",
    )
    opposed_by = django_filters.CharFilter(
        method="filter_opposed_by",
        help_text="Proposals whose latest recorded position of this actor (slug) is `opposes`.",
    )
    q = django_filters.CharFilter(
        method="filter_text", help_text="Text in the title, summary or slug (case-insensitive)."
    )
    ordering = ProposalOrderingFilter(
        fields=("proposed_on", "title", "status", "status_since", "slug", "category"),
        help_text="Sort by one or more fields (comma-separated); prefix '-' for descending.",
    )

    class Meta:
        model = Proposal
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
        as_of: datetime.date | None = self.form.cleaned_data.get("as_of")
        recorded: datetime.date | None = self.form.cleaned_data.get("recorded_as_of")
        if as_of is not None or recorded is not None:
            queryset = selectors.with_status_as_of_precision(
                queryset, as_of, recorded_as_of=recorded
            )
        return super().filter_queryset(queryset)

    def filter_as_of(
        self, queryset: QuerySet[Proposal], name: str, value: datetime.date
    ) -> QuerySet:
        return queryset  # applied first, in filter_queryset, so other filters can use it

    def filter_status(self, queryset: QuerySet[Proposal], name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        field = "as_of_status" if "as_of_status" in queryset.query.annotations else "status"
        return queryset.filter(**{f"{field}__in": value})

    def filter_source(self, queryset: QuerySet[Proposal], name: str, value: str) -> QuerySet:
        return selectors.filter_proposals(queryset, source=value)

    def filter_actor(self, queryset: QuerySet[Proposal], name: str, value: str) -> QuerySet:
        return selectors.filter_proposals(queryset, actor=value)

    def filter_supported_by(self, queryset: QuerySet[Proposal], name: str, value: str) -> QuerySet:
        return selectors.with_latest_stance(queryset, actor=value, stance="supports")

    def filter_opposed_by(self, queryset: QuerySet[Proposal], name: str, value: str) -> QuerySet:
        return selectors.with_latest_stance(queryset, actor=value, stance="opposes")

    def filter_text(self, queryset: QuerySet[Proposal], name: str, value: str) -> QuerySet:
        return selectors.search_proposals(queryset, value)


class CitationFilter(django_filters.FilterSet):
    """Filters of GET /citations/, by slugs."""

    proposal = django_filters.CharFilter(
        field_name="proposal__slug", help_text="The proposal's slug."
    )
    source = django_filters.CharFilter(field_name="source__slug", help_text="The source's slug.")
    role = django_filters.ChoiceFilter(choices=CitationRole.choices)

    class Meta:
        model = Citation
        fields: list[str] = []
