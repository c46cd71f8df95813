"""
CSV on every API list: `?format=csv` renders the page; with `download=1`, every row, streamed.

The columns are those of the list's export table (proposals.exports), which takes them from the
list's serializer: the JSON and the CSV of a list show the same fields, in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from rest_framework import renderers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from proposals import exports, spreadsheet

DOWNLOAD_PARAM = "download"


def attachment(filename: str) -> str:
    return f'attachment; filename="{filename}"'


class CSVRenderer(renderers.BaseRenderer):
    """Render a page of a list (or a plain list) as CSV, with the view's export table."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        context = renderer_context or {}
        view = context["view"]
        table = exports.TABLES[view.csv_table]
        rows = data.get("results", []) if isinstance(data, Mapping) else data or []
        response = context.get("response")
        if response is not None:
            response["Content-Disposition"] = attachment(view.csv_filename())
        return spreadsheet.csv_bytes(table.header(), table.rows_of_data(rows))


def query_flag(request: Request, name: str, meaning: str) -> bool:
    """A 0/1 query parameter as the schema documents it: `1`; `0`, empty or absent; else 400."""
    raw = request.query_params.get(name, "")
    if raw == "1":
        return True
    if raw in ("", "0"):
        return False
    raise ValidationError({name: [f"Expected 1 ({meaning}) or 0."]})


def wants_download(request: Request) -> bool:
    """Whether the query asks for the complete list (`download=1`); anything else is a 400."""
    return query_flag(request, DOWNLOAD_PARAM, "every row, streamed")


class CSVListMixin:
    """Offer CSV on the list actions named in `csv_actions`, each with its export table.

    `csv_actions` maps an action to the name of its table in proposals.exports.TABLES.
    """

    csv_actions: Mapping[str, str] = {"list": ""}
    action: str | None

    @property
    def csv_table(self) -> str:
        return self.csv_actions[self.action or ""]

    def csv_filename(self) -> str:
        """`proposals.csv`; for the list of one proposal, `<slug>-history.csv`."""
        slug = self.kwargs.get("slug")  # type: ignore[attr-defined]
        return f"{slug}-{self.csv_table}.csv" if slug else f"{self.csv_table}.csv"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if self.action in self.csv_actions:
            # A bad `download` is a 400 in every format, whichever path renders the list.
            wants_download(request)

    def get_renderers(self) -> list[BaseRenderer]:
        found = super().get_renderers()  # type: ignore[misc]
        if self.action in self.csv_actions:
            found.append(CSVRenderer())
        return found

    def wants_csv(self) -> bool:
        return isinstance(getattr(self.request, "accepted_renderer", None), CSVRenderer)  # type: ignore[attr-defined]

    def csv_download(self, queryset: QuerySet, **context: Any) -> StreamingHttpResponse:
        """Every row of `queryset` as CSV, streamed: the queries do not grow with the rows."""
        table = exports.TABLES[self.csv_table]
        serializer_context = {**self.get_serializer_context(), **context}  # type: ignore[attr-defined]
        rows = table.stream(queryset, context=serializer_context)
        response = StreamingHttpResponse(
            spreadsheet.csv_chunks(table.header(), rows),
            content_type=spreadsheet.CSV_MEDIA_TYPE,
        )
        response["Content-Disposition"] = attachment(self.csv_filename())
        return response

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        """Render errors as JSON even when CSV was asked for."""
        if response.status_code >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), CSVRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """A page as JSON or CSV; with `format=csv&download=1`, every row, streamed."""
        # `download` is checked whatever the format: a bad value is a 400 on JSON lists too.
        if wants_download(request) and self.wants_csv():
            queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
            return self.csv_download(queryset)
        return super().list(request, *args, **kwargs)  # type: ignore[misc]
