"""Query filters of the API lists, as django-filter FilterSets over the selectors' querysets."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend

from proposals import selectors
from proposals.models import Category, Citation, CitationRole, Proposal
from proposals.workflow import Status


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which builds no filter set for a request that names no filter.

    A FilterSet deep-copies its filters and validates a form: about a millisecond of every
    list request, spent for nothing when the query string holds only `page`, `page_size` or
    `format`. A filter's own parameter, or one it widens (`<name>_min`), builds it as before.
    """

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not _names_a_filter(request.query_params, filterset_class):
            return queryset
        return super().filter_queryset(request, queryset, view)


def _names_a_filter(params: Any, filterset_class: type[django_filters.FilterSet]) -> bool:
    names = filterset_class.base_filters
    return any(
        param in names or any(param.startswith(f"{name}_") for name in names) for param in params
    )


class EmptyMeansAbsentFilterSet(django_filters.FilterSet):
    """Filters that read an empty parameter (`?status=`, as HTML forms send it) as one left out.

    The schema says so of every optional query parameter (`allowEmptyValue`).
    """

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            for name in [name for name, values in data.lists() if not any(values)]:
                del data[name]
        super().__init__(data, *args, **kwargs)


class ProposalOrderingFilter(django_filters.OrderingFilter):
    """Order by a whitelist of keys (the selectors' orderings), then by slug so that pages
    never overlap; status in workflow order."""

    def filter(self, qs: QuerySet[Proposal], value: Any) -> QuerySet[Proposal]:
        # "ordering=,title" or "ordering=,,": nothing to order by in the empty parts.
        keys = [self.get_ordering_value(param) for param in value or () if param]
        return selectors.order_proposals(qs, keys)


class ProposalFilter(EmptyMeansAbsentFilterSet):
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
        method="filter_selector",
        help_text="Current status (or the status as of `as_of`); repeat for several.",
    )
    category = django_filters.MultipleChoiceFilter(
        choices=Category.choices, method="filter_selector", help_text="Repeat for several."
    )
    group = django_filters.CharFilter(method="filter_selector", help_text="A group's slug.")
    source = django_filters.CharFilter(
        method="filter_selector", help_text="Proposals citing the source with this slug."
    )
    actor = django_filters.CharFilter(
        method="filter_selector",
        help_text="Proposals with this actor (slug) as proposer or addressee.",
    )
    supported_by = django_filters.CharFilter(
        method="filter_selector",
        help_text="Proposals whose latest recorded position of this actor (slug) is `supports`.",
    )
    opposed_by = django_filters.CharFilter(
        method="filter_selector",
        help_text="Proposals whose latest recorded position of this actor (slug) is `opposes`.",
    )
    q = django_filters.CharFilter(
        method="filter_selector", help_text="Text in the title, summary or slug (case-insensitive)."
    )
    ordering = ProposalOrderingFilter(
        fields=tuple(selectors.ORDERINGS),
        help_text="Sort by one or more fields (comma-separated); prefix '-' for descending.",
    )

    class Meta:
        model = Proposal
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
        # The status shown first (as of the days asked, if any): `status` and the ordering
        # read it. The lists' selectors already annotate the current one.
        as_of = self.form.cleaned_data.get("as_of")
        recorded_as_of = self.form.cleaned_data.get("recorded_as_of")
        if as_of or recorded_as_of or "shown_status" not in queryset.query.annotations:
            queryset = selectors.with_status_shown(
                queryset, as_of=as_of, recorded_as_of=recorded_as_of
            )
        return super().filter_queryset(queryset)

    def filter_as_of(
        self, queryset: QuerySet[Proposal], name: str, value: datetime.date
    ) -> QuerySet:
        return queryset  # applied first, in filter_queryset, so other filters can use it

    def filter_selector(self, queryset: QuerySet[Proposal], name: str, value: str) -> QuerySet:
        """Narrow by one filter, through the selector the site and the feeds use too."""
        return selectors.filter_proposals(queryset, **{"text" if name == "q" else name: value})


class CitationFilter(EmptyMeansAbsentFilterSet):
    """Filters of GET /citations/, by slugs."""

    proposal = django_filters.CharFilter(method="filter_selector", help_text="The proposal's slug.")
    source = django_filters.CharFilter(method="filter_selector", help_text="The source's slug.")
    role = django_filters.ChoiceFilter(choices=CitationRole.choices, method="filter_selector")

    class Meta:
        model = Citation
        fields: list[str] = []

    def filter_selector(self, queryset: QuerySet[Citation], name: str, value: str) -> QuerySet:
        """Narrow by one filter, through the selector the admin uses too."""
        return selectors.filter_citations(queryset, **{name: value})
