"""OpenAPI pieces shared by the views: error responses, ETag and conditional headers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
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
    409: "Conflict: for a new source or a revision, the text is already held by the source "
    "named in `slug`.",
    412: "If-Match names no current version (a weak `W/` tag never matches): reload and try again.",
    413: "The request body is too large: 2.5 MB at most, 25 MB on the source endpoints (a "
    "file at most 20 MB, a text at most 2,000,000 characters).",
    415: "The body is not JSON (nor multipart/form-data where a file may be sent).",
    428: "If-Match is missing: send the ETag you read.",
    429: "Too many requests: wait and retry.",
}


def error_responses(*codes: int) -> dict[Any, OpenApiResponse]:
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
    description="The proposal's version, quoted, with the language of the body unless it is "
    'English: `"7"`, `"7-ja"`, `"7-zh-hant"` (each language is its own representation).',
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag you read, such as `"7"` or `"7-ja"` (only the version counts): '
    "without it 428, stale 412, not an ETag of this API 400.",
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag of the proposal you read, such as `"7"`: when sent and stale, 412 '
    "(weak `W/` tags never match), not an ETag of this API 400. Optional here: without it the "
    "citation is added whatever the proposal's version.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you hold: if still current in the request's language, 304 with no body.",
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
        **error_responses(*LIST),
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


# --- Whole-schema fixes, applied once after generation ------------------------------------

_HEADERS: dict[str, dict[str, Any]] = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "Seconds to wait before retrying.",
    },
    "WWW-Authenticate": {
        "schema": {"type": "string"},
        "description": "The scheme to authenticate with: `Token`.",
    },
    "Location": {
        "schema": {"type": "string", "format": "uri"},
        "description": "The address of what was created.",
    },
}

_ERROR_BODY = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
}

_400_BODY = {
    "type": "object",
    "description": "`{field: [messages]}` per field, and/or `{detail, code, field}`; an illegal "
    "transition adds `allowed` (the statuses that may follow); at most 20 entries per level "
    "(`errors_left_off` counts the rest).",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "field": {"type": "string"},
        "allowed": {"type": "array", "items": {"$ref": "#/components/schemas/StatusEnum"}},
        "errors_left_off": {"type": "integer"},
    },
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {}},
            {"type": "object"},
            {"type": "string"},
            {"type": "integer"},
        ]
    },
}

_412_BODY = {
    "type": "object",
    "required": ["detail", "current_version"],
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "current_version": {
            "type": "integer",
            "description": "The current version: its ETag is this number, quoted.",
        },
    },
}

_503 = {
    "description": "The database is unavailable for a moment: retry after `Retry-After` seconds.",
    "headers": {"Retry-After": _HEADERS["Retry-After"]},
    "content": {"application/json": {"schema": _ERROR_BODY}},
}


# What a text may hold, as a pattern generated clients and fuzzers can read: no C0 control but
# tab, line feed and carriage return, no DEL, no NUL, no non-character of the BMP (the server
# refuses them with a 400: proposals.api.parsers and proposals.middleware).
PLAIN_TEXT_PATTERN = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$"
# The same in a path or query string.
URL_TEXT_PATTERN = PLAIN_TEXT_PATTERN
_ENTITY_TAG = '(W/)?"?[0-9]{1,18}(-[a-z]{2,3}(-[a-z0-9]{1,8})*)?"?'
ENTITY_TAGS_PATTERN = f"^\\s*{_ENTITY_TAG}\\s*(,\\s*{_ENTITY_TAG}\\s*)*$"


def _restrict_text(schema: dict[str, Any], pattern: str) -> None:
    """Give a free-text string schema the pattern of what the server accepts."""
    if schema.get("type") == "string" and not {"pattern", "enum", "format"} & set(schema):
        schema["pattern"] = pattern


def _parameter(operation: dict[str, Any], name: str) -> dict[str, Any] | None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and parameter.get("name") == name:
            return parameter
    return None


# An http(s) address or nothing: one schema, where drf-spectacular writes `oneOf` a URI or "".
BLANKABLE_URL_PATTERN = r"^(https?://\S+)?$"


def _blankable_url(field: dict[str, Any]) -> dict[str, Any]:
    """One pattern for an optional address that "" clears, instead of `oneOf` (uri, "").

    Fuzzers read each branch of a `oneOf` apart and take "" for a malformed URI.
    """
    branches = field.get("oneOf", [])
    if (
        len(branches) != 2
        or branches[0].get("format") != "uri"
        or branches[1]
        != {
            "type": "string",
            "maxLength": 0,
        }
    ):
        return field
    outer = {key: value for key, value in field.items() if key != "oneOf"}
    limit = {"maxLength": branches[0]["maxLength"]} if "maxLength" in branches[0] else {}
    return {**outer, "type": "string", **limit, "pattern": BLANKABLE_URL_PATTERN}


def _fix_parameters(operation: dict[str, Any]) -> None:
    """Bounds of `page` and `page_size`; `ordering` as one comma-separated value; text patterns;
    optional query parameters may be empty."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") == "query" and not parameter.get("required"):
            # `?since=` is `since` left out, as HTML forms send an empty field
            # (tests/http/test_empty_parameters.py holds every operation to it).
            parameter["allowEmptyValue"] = True
        if parameter.get("in") in ("query", "path"):
            _restrict_text(schema, URL_TEXT_PATTERN)
            _restrict_text(schema.get("items", {}), URL_TEXT_PATTERN)
        elif parameter.get("in") == "header" and parameter.get("name") == "If-Match":
            schema["pattern"] = ENTITY_TAGS_PATTERN
    page = _parameter(operation, "page")
    if page is not None:
        page["schema"] = {"type": "integer", "minimum": 1}
    page_size = _parameter(operation, "page_size")
    if page_size is not None:
        # Larger sizes are served as 500, not refused: no maximum, so that clients asking for
        # "everything per page" keep working.
        page_size["schema"] = {"type": "integer", "minimum": 1}
        page_size["description"] = "Items per page, from 1; more than 500 gives 500."
    ordering = _parameter(operation, "ordering")
    if ordering is not None and ordering["schema"].get("type") == "array":
        fields = sorted({item.lstrip("-") for item in ordering["schema"]["items"]["enum"]})
        one = f"-?({'|'.join(fields)})"
        ordering["schema"] = {"type": "string", "pattern": f"^{one}(,{one})*$"}
        ordering.pop("explode", None)
        ordering.pop("style", None)
        ordering["description"] = (
            "Fields to sort by, comma-separated in one value (`-title,slug`); `-` for "
            "descending. Given twice, the parameter is refused (400)."
        )


def _language_parameters() -> list[dict[str, Any]]:
    """`lang` and Accept-Language: how every operation picks the language of its body."""
    codes = [code for code, _ in settings.LANGUAGES]
    return [
        {
            "in": "query",
            "name": "lang",
            # Not an enum: like Accept-Language, a language the tracker does not ship is read in
            # English rather than refused (and ja-JP or zh-TW pick their shipped language).
            "schema": {"type": "string", "pattern": URL_TEXT_PATTERN},
            "description": "The language of translated fields, labels, display dates and "
            f"messages ({', '.join(codes)}; zh-TW and zh-Hant read zh-hant); wins over "
            "Accept-Language. Another value reads English.",
        },
        {
            "in": "header",
            "name": "Accept-Language",
            "schema": {"type": "string", "pattern": URL_TEXT_PATTERN},
            "description": "Used without `lang`: the first shipped language it names "
            f"({', '.join(codes)}; zh-TW and zh-Hant read zh-hant), else English.",
        },
    ]


_LANGUAGE_HEADERS = {
    "Content-Language": {
        "schema": {"type": "string"},
        "description": "The language of the body: `en`, `ja` or `zh-hant`.",
    },
    "Vary": {
        "schema": {"type": "string"},
        "description": "Always names Accept-Language: each language is its own representation.",
    },
}


def _add_languages(operation: dict[str, Any]) -> None:
    parameters = operation.setdefault("parameters", [])
    taken = {(parameter.get("in"), parameter.get("name")) for parameter in parameters}
    for parameter in _language_parameters():
        if (parameter["in"], parameter["name"]) not in taken:
            parameters.append(parameter)
    for code, response in operation.get("responses", {}).items():
        if code.startswith("2"):
            headers = response.setdefault("headers", {})
            for name, header in _LANGUAGE_HEADERS.items():
                headers.setdefault(name, header)


def _fix_responses(method: str, operation: dict[str, Any]) -> None:
    """Headers of 201, 401 and 429; the bodies of 400 and 412; a 503 on every operation."""
    responses = operation.setdefault("responses", {})
    for code, response in responses.items():
        headers = response.setdefault("headers", {})
        if code == "201":
            headers.setdefault("Location", _HEADERS["Location"])
        elif code == "401":
            headers.setdefault("WWW-Authenticate", _HEADERS["WWW-Authenticate"])
        elif code == "429":
            headers.setdefault("Retry-After", _HEADERS["Retry-After"])
        elif code == "400":
            response["content"] = {"application/json": {"schema": _400_BODY}}
        elif code == "412":
            response["content"] = {"application/json": {"schema": _412_BODY}}
        if not headers:
            del response["headers"]
    responses.setdefault("503", _503)
    # Any request can be malformed (a bad character in its path or query, a repeated parameter).
    responses.setdefault(
        "400",
        {
            "description": "Invalid input.",
            "content": {"application/json": {"schema": _400_BODY}},
        },
    )


def postprocess(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict:
    """Fix what drf-spectacular cannot infer from the views, in one pass over the schema.

    Reads need no credentials (the empty security requirement), query bounds, status codes
    with their headers and bodies, `to_status` as the status enum.
    """
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            if method in ("get", "head") and {} not in operation.setdefault("security", [{}]):
                operation["security"].append({})
            _add_languages(operation)
            _fix_parameters(operation)
            _fix_responses(method, operation)
    schemas = result.get("components", {}).get("schemas", {})
    for name, component in schemas.items():
        if name.endswith("Request") and component.get("type") == "object":
            # Input serializers refuse fields they do not know (StrictInputSerializer).
            component["additionalProperties"] = False
            for name, field in component.get("properties", {}).items():
                _restrict_text(field, PLAIN_TEXT_PATTERN)
                _restrict_text(field.get("items", {}), PLAIN_TEXT_PATTERN)
                component["properties"][name] = _blankable_url(field)
    for name in ("TransitionRequest", "Transition"):
        to_status = schemas.get(name, {}).get("properties", {}).get("to_status")
        if to_status is not None:
            description = to_status.get("description", "")
            to_status.clear()
            to_status["allOf"] = [{"$ref": "#/components/schemas/StatusEnum"}]
            to_status["description"] = description
    token = result.get("components", {}).get("securitySchemes", {}).get("tokenAuth")
    if token is not None:
        token["description"] = (
            "Send `Authorization: Token <key>` (the scheme is `Token`, not `Bearer`); "
            "`manage.py create_editor NAME` prints a key."
        )
    return result
