"""The API's one body parser: JSON, refused beyond Django's upload limit, never a 500.

Beyond well-formed JSON, the parser refuses what no field could store or send back: a NUL, a
lone surrogate or a Unicode non-character anywhere in the document (in keys as in values, at any
depth), and numbers too large for a float. So a bad character never reaches a field, a database
lookup (slug references) or the error renderer (an unknown key is echoed in the error).

The source endpoints take larger bodies (a document's text, or its file as multipart):
`SOURCE_BODY_MAX_BYTES`, 25 MB unless configured.
"""

from __future__ import annotations

import io
import json
import math
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# NUL, the surrogates (alone they encode to nothing) and the 66 non-characters of Unicode.
_NON_CHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)
FORBIDDEN_CHARACTER = re.compile(f"[\x00\ud800-\udfff{_NON_CHARACTERS}]")


def describe_character(character: str) -> str:
    """Name a refused character as a reader can look it up: `U+0000 (NUL)`."""
    code = ord(character)
    if code == 0:
        kind = "NUL"
    elif 0xD800 <= code <= 0xDFFF:
        kind = _("a lone surrogate")
    elif code < 0x20 or code == 0x7F:
        kind = _("a control character")
    else:
        kind = _("a non-character")
    return f"U+{code:04X} ({kind})"


def _path_segment(key: Any) -> str:
    """A path segment printable whatever the key holds (bad characters escaped)."""
    if isinstance(key, int):
        return f"[{key}]"
    return "." + json.dumps(key)[1:-1] if re.fullmatch(r"[\w-]+", key) else f"[{json.dumps(key)}]"


def find_forbidden_character(document: Any) -> tuple[list[Any], str] | None:
    """Return the path (keys and indexes) and the first refused character in `document`."""
    stack: list[tuple[list[Any], Any]] = [([], document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            match = FORBIDDEN_CHARACTER.search(value)
            if match:
                return path, match.group()
        elif isinstance(value, dict):
            for key, item in value.items():
                match = FORBIDDEN_CHARACTER.search(key)
                if match:
                    return [*path, key], match.group()
                stack.append(([*path, key], item))
        elif isinstance(value, list):
            stack.extend(([*path, index], item) for index, item in enumerate(value))
    return None


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"The number {text[:40]} is too large.")
    return number


class JSONParser(parsers.JSONParser):
    """Parse JSON bodies of at most `DATA_UPLOAD_MAX_MEMORY_SIZE` bytes, refusing bad characters.

    Django enforces that limit on form bodies only; DRF reads a JSON body from the raw stream.
    An endpoint that takes larger bodies (bulk transitions) sets `max_bytes`.
    """

    max_bytes: int | None = None

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        limit = (
            self.max_bytes if self.max_bytes is not None else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if stream is None:
            stream = io.BytesIO(b"")
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            # The limit, in bytes, is what the API's 413 names.
            raise RequestDataTooBig(limit)
        try:
            text = body.decode(settings.DEFAULT_CHARSET)
        except UnicodeDecodeError as exc:
            raise ParseError(
                _("JSON parse error - the body is not UTF-8: %(reason)s.") % {"reason": exc.reason}
            ) from None
        try:
            document = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        except RecursionError:
            raise ParseError(_("JSON parse error - the document is nested too deeply.")) from None
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        found = find_forbidden_character(document)
        if found is not None:
            raise forbidden_character_error(*found)
        return document


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value.")


def forbidden_character_error(path: list[Any], character: str) -> ParseError:
    """A 400 naming where the refused character is; under its top-level field when there is one."""
    where = "$" + "".join(_path_segment(key) for key in path)
    message = _(
        "The JSON body holds %(character)s at %(where)s: no text may contain NUL, lone surrogates "
        "or non-characters."
    ) % {"character": describe_character(character), "where": where}
    detail: dict[str, Any] = {"detail": message, "code": "invalid_character", "path": where}
    field = path[0] if path else None
    if isinstance(field, str) and not FORBIDDEN_CHARACTER.search(field):
        detail[field] = [message]
    error = ParseError()
    error.detail = detail  # a mapping: the exception handler renders it as the body
    return error


def source_body_limit() -> int:
    """The largest body, in bytes, that the source endpoints accept."""
    return getattr(settings, "SOURCE_BODY_MAX_BYTES", 25 * 1024 * 1024)


class SourceJSONParser(parsers.BaseParser):
    """JSON bodies of the source endpoints: a document's text, up to `source_body_limit()`.

    Not a subclass of DRF's JSONParser on purpose: DRF reads such a parser's body through
    Django's `request.body`, which stops at `DATA_UPLOAD_MAX_MEMORY_SIZE` (2.5 MB). This one
    hands the stream to the API's JSONParser with the larger limit.
    """

    media_type = "application/json"
    renderer_class = parsers.JSONParser.renderer_class

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        parser = JSONParser()
        parser.max_bytes = source_body_limit()
        return parser.parse(stream, media_type, parser_context)


class SourceMultiPartParser(parsers.MultiPartParser):
    """Multipart bodies of the source endpoints (a file), up to `source_body_limit()` in all.

    Django limits the form fields (not the files) to `DATA_UPLOAD_MAX_MEMORY_SIZE`; the whole
    body is checked here, from its declared length, before anything is read.
    """

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        request = (parser_context or {}).get("request")
        meta = request.META if request is not None else {}
        try:
            length = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > source_body_limit():
            raise RequestDataTooBig(source_body_limit())
        return super().parse(stream, media_type, parser_context)
