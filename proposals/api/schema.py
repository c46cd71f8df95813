"""OpenAPI pieces shared by the views: error responses, ETag and conditional headers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    "Error",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(required=False),
    },
)

_ERROR_DESCRIPTIONS = {
    304: "Not modified: If-None-Match names the current ETag.",
    400: "Invalid input: `{field: [messages]}` per field, or `{detail, code, field, …}` for a "
    "rule of the workflow (an illegal transition lists the `allowed` next statuses).",
    401: "Not authenticated: send `Authorization: Token <key>`.",
    403: "Not an editor (or a missing CSRF token with a session).",
    404: "Not found.",
    412: "If-Match names no current version (a weak `W/` tag never matches): reload and try again.",
    413: "The request body is larger than 2.5 MB.",
    415: "The body is not JSON.",
    428: "If-Match is missing: send the ETag you read.",
    429: "Too many requests: wait and retry.",
}


def errors(*codes: int) -> dict[Any, OpenApiResponse]:
    """Schema entries for the error responses an operation can give."""
    responses: dict[Any, OpenApiResponse] = {}
    for code in codes:
        if code == 304:
            responses[code] = OpenApiResponse(description=_ERROR_DESCRIPTIONS[code])
        elif code == 400:
            schema = OpenApiResponse(OpenApiTypes.OBJECT, _ERROR_DESCRIPTIONS[code])
            responses[(code, "application/json")] = schema
        else:
            schema = OpenApiResponse(ErrorSerializer, _ERROR_DESCRIPTIONS[code])
            responses[(code, "application/json")] = schema
    return responses


READ = (429,)
DETAIL = (404, 429)
LIST = (400, 404, 429)
WRITE = (400, 401, 403, 413, 415, 429)

ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201, 304],
    description='The proposal\'s version, quoted: `"7"`.',
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag you read, such as `"7"`: without it 428, stale 412.',
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag of the proposal you read, such as `"7"`: when sent and stale, 412 '
    "(weak `W/` tags never match). Optional here: without it the citation is added whatever "
    "the proposal's version.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you hold: if still current, 304 with no body.",
)
FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description="`csv` gives the same rows as CSV (UTF-8 with a byte order mark): the same "
    "fields in the same order, a list of actors as their slugs joined by `;` with their names "
    "beside them (`proposers_names`), a list of citations as their ids joined by spaces; a text "
    "cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` so "
    "that no spreadsheet runs it as a formula.",
)
DOWNLOAD = OpenApiParameter(
    "download",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    enum=[0, 1],
    description="With `format=csv`: `1` gives every row of the (filtered) list at once, "
    "streamed, instead of one page.",
)
CSV_LIST = [FORMAT, DOWNLOAD]


def csv_list_responses(serializer: type[serializers.Serializer]) -> dict[Any, Any]:
    """The responses of a list that also speaks CSV."""
    return {
        (200, "application/json"): serializer(many=True),
        (200, "text/csv"): OpenApiTypes.STR,
        **errors(*LIST),
    }


PROPOSAL_ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[201],
    description="The cited proposal's new version, quoted (a citation bumps it): send it in "
    "If-Match on the proposal's next write.",
)
LIST_HEADERS = [
    OpenApiParameter(
        "Link",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200],
        description="RFC 8288 links to the neighbouring pages, such as `<https://…/?page=3>; "
        'rel="next", <https://…/?page=1>; rel="prev"`; absent on a single page. The links keep '
        "the query (filters, `page_size`, `format`), so a CSV client can follow them too.",
    ),
    OpenApiParameter(
        "X-Total-Count",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=[200],
        description="The number of items on all pages together (the `count` of the JSON body).",
    ),
]
