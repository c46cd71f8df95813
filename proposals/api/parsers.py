"""The API's one body parser: JSON, refused beyond Django's upload limit, never a 500."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """Parse JSON bodies of at most `DATA_UPLOAD_MAX_MEMORY_SIZE` bytes.

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
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestDataTooBig("The request body exceeds DATA_UPLOAD_MAX_MEMORY_SIZE.")
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
