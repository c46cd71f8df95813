"""Pagination of API lists: `page` and `page_size` (at most 500; larger sizes are capped).

Every page also says in its headers where the neighbouring pages are (RFC 8288 `Link`, with
`rel="next"` and `rel="prev"`) and how many items there are (`X-Total-Count`), so that a client
of a body without `next` and `count` (CSV) can walk the whole list.
"""

from __future__ import annotations

from typing import Any

from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        """Return the requested size, capped at `max_page_size`; refuse a non-positive one."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Expected a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        """Refuse a page that is not a number (400); a page out of range stays a 404."""
        raw = request.query_params.get(self.page_query_param, "")
        if raw and raw not in self.last_page_strings and not (raw.isascii() and raw.isdigit()):
            raise ValidationError(
                {self.page_query_param: ["Expected a page number (1, 2, …) or 'last'."]}
            )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        """Return the page as `{count, next, previous, results}` with Link and X-Total-Count."""
        response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((self.get_next_link(), "next"), (self.get_previous_link(), "prev"))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        response["X-Total-Count"] = str(self.page.paginator.count)
        return response
