"""CSV for proposal lists: the rows of the JSON page, flat, actors joined by ";"."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from rest_framework import renderers

from proposals.selectors import PROPOSAL_ROW_FIELDS

# The list's row fields (but the database id), then the actors and the link.
PROPOSAL_CSV_COLUMNS = (
    *(name for name in PROPOSAL_ROW_FIELDS if name != "id"),
    "proposers",
    "addressees",
    "url",
)


def _cell(value: Any) -> Any:
    """Flatten one value: actor lists become their slugs joined by ";", None an empty cell."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(item["slug"] if isinstance(item, Mapping) else str(item) for item in value)
    return value


class ProposalCSVRenderer(renderers.BaseRenderer):
    """Render a page of proposal rows (or a plain list of them) as CSV with a header line."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    columns = PROPOSAL_CSV_COLUMNS

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        rows = data.get("results", []) if isinstance(data, Mapping) else data or []
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Disposition"] = 'attachment; filename="proposals.csv"'
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.columns)
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in self.columns])
        return buffer.getvalue().encode(self.charset)
