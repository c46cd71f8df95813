"""
POST /api/v1/transitions/bulk/: many status changes at once, from a CSV file or a JSON array.

The view only reads the body and the `dry_run` flag and calls proposals.bulk, which runs every
row through the transition service in one transaction. The answer always lists every row:
200 for a dry run, 201 when written, 400 when any row (or the file) is refused.
"""

from __future__ import annotations

import io
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from proposals import bulk, exports, workflow
from proposals.api.csv import query_flag
from proposals.api.parsers import JSONParser
from proposals.api.schema import ErrorSerializer, error_responses
from proposals.api.views import ThrottleRefusalsMixin


def _read_limited(stream: Any) -> bytes:
    """Read a body of at most bulk.MAX_BYTES; refuse a larger one without reading it all."""
    if stream is None:
        return b""
    body = stream.read(bulk.MAX_BYTES + 1)
    bulk.check_size(len(body))
    return body


class BulkJSONParser(JSONParser):
    """The API's JSON parser, with the bulk limit (10 MB) instead of the API's 2.5 MB."""

    max_bytes = bulk.MAX_BYTES

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        body = _read_limited(stream)
        return super().parse(io.BytesIO(body), media_type, parser_context)


class CSVParser(parsers.BaseParser):
    """A CSV body, returned as bytes for proposals.bulk to read."""

    media_type = "text/csv"

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> bytes:
        return _read_limited(stream)


class BulkRowSerializer(serializers.Serializer):
    """One row of a bulk file (for the schema: proposals.bulk reads the rows)."""

    slug = serializers.SlugField(help_text="The proposal to move.")
    version = serializers.IntegerField(
        required=False,
        help_text="The proposal's version as exported (its ETag): a proposal changed since is "
        "refused as stale. Required with a `to_status`.",
    )
    to_status = serializers.ChoiceField(
        choices=workflow.Status.choices,
        allow_blank=True,
        required=False,
        help_text="The new status; empty or left out: the row is skipped (reported ok), its "
        "other cells still checked.",
    )
    effective_date = serializers.DateField(
        required=False, help_text="YYYY-MM-DD; required with a `to_status`."
    )
    effective_precision = serializers.ChoiceField(
        choices=workflow.Precision.choices, required=False, help_text="day by default."
    )
    effective_qualifier = serializers.ChoiceField(
        choices=workflow.DateQualifier.choices, required=False, help_text="exact by default."
    )
    note = serializers.CharField(required=False, help_text="Why: required with a `to_status`.")
    evidence = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Ids of citations of this proposal (in CSV, separated by spaces).",
    )


class BulkRowResultSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The data row, counted from 1.")
    slug = serializers.CharField()
    ok = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.CharField())


class BulkResultSerializer(serializers.Serializer):
    rows = BulkRowResultSerializer(many=True)


DRY_RUN = OpenApiParameter(
    "dry_run",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    enum=[0, 1],
    description="`1`: check every row and write nothing (200).",
)


def wants_dry_run(request: Request) -> bool:
    return query_flag(request, "dry_run", "check only")


class BulkTransitionsView(ThrottleRefusalsMixin, APIView):
    """Record many status changes: all or nothing, each through the transition service."""

    parser_classes = [BulkJSONParser, CSVParser]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="Record many status changes at once (editors)",
        description="A JSON array of rows, or a CSV file with a header row (the proposals "
        "download `GET /api/v1/proposals/?format=csv&download=1` with its bulk columns filled "
        "in; its other columns are ignored). Every row goes through the same rules as a single "
        "transition, with `version` as its If-Match. All or nothing: if any row is refused, "
        f"nothing is written. At most {bulk.MAX_ROWS:,} rows and 10 MB. The answer lists every "
        "row: `row` (counted from the first data row), `slug`, `ok`, `errors`.",
        request={
            "application/json": BulkRowSerializer(many=True),
            "text/csv": OpenApiTypes.STR,
        },
        parameters=[DRY_RUN],
        responses={
            200: OpenApiResponse(BulkResultSerializer, "Dry run: every row would pass."),
            201: OpenApiResponse(BulkResultSerializer, "Every row was written."),
            (400, "application/json"): OpenApiResponse(
                BulkResultSerializer,
                "A row (or the file) was refused; nothing was written. The file's own problems "
                "come as `detail` with `rows` empty.",
            ),
            (413, "application/json"): OpenApiResponse(
                ErrorSerializer, f"More than {bulk.MAX_ROWS:,} rows or 10 MB."
            ),
            **error_responses(401, 403, 415, 429),
        },
    )
    def post(self, request: Request) -> Response:
        dry_run = wants_dry_run(request)
        other_columns = exports.proposal_download_columns()
        data = request.data
        if isinstance(data, bytes):
            rows = bulk.rows_from_csv(data, other_columns=other_columns)
        else:
            rows = bulk.rows_from_json(data, other_columns=other_columns)
        result = bulk.apply_transitions(rows=rows, user=request.user, dry_run=dry_run)
        if not result.ok:
            code = status.HTTP_400_BAD_REQUEST
        elif dry_run:
            code = status.HTTP_200_OK
        else:
            code = status.HTTP_201_CREATED
        return Response(result.as_dict(), status=code)

    def handle_exception(self, exc: Exception) -> Response:
        """Every answer carries `rows`: empty when the file as a whole was refused."""
        response = super().handle_exception(exc)
        if isinstance(response.data, dict):
            response.data.setdefault("rows", [])
        return response
