"""
The project's one CSV writer and reader, safe to open in a spreadsheet.

Every CSV the tracker writes (API lists, complete downloads, the open-data zip, the admin's
export) goes through `csv_lines`: UTF-8 with a byte order mark, so that Excel reads non-ASCII
titles correctly, and every text cell that a spreadsheet would read as a formula neutralised by
the OWASP rule (a leading `'`). `read_csv` is the other direction, for imports: it takes the BOM,
the delimiter a spreadsheet chose and our own neutralised cells back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

BOM = "\ufeff"
# OWASP CSV injection: a cell starting with one of these may be run as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
# Lines per chunk of a streamed CSV: large enough that the stream is not dominated by overhead.
STREAM_CHUNK_LINES = 500


class UnreadableCSV(ValueError):
    """A CSV body that is not UTF-8 text with a header row."""


def neutralise(value: str) -> str:
    """Return `value` prefixed with `'` if a spreadsheet would read it as a formula."""
    if value.startswith(FORMULA_TRIGGERS):
        return f"'{value}"
    return value


def restore(value: str) -> str:
    """Undo `neutralise`: drop the `'` it put before a formula trigger."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def cell(value: Any) -> str | int | float:
    """Return one value as a CSV cell: None empty, booleans `true`/`false`, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))


class _Line:
    """A write-only file that hands back what csv.writer wrote for one row."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text = text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Yield the header line (after the BOM) and one line per row, each cell through `cell`."""
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    writer.writerow([cell(name) for name in header])
    yield BOM + line.text
    for row in rows:
        writer.writerow([cell(value) for value in row])
        yield line.text


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """`csv_lines` encoded as UTF-8, a few hundred lines per chunk: for streamed responses."""
    chunk: list[str] = []
    for text in csv_lines(header, rows):
        chunk.append(text)
        if len(chunk) >= STREAM_CHUNK_LINES:
            yield "".join(chunk).encode()
            chunk = []
    if chunk:
        yield "".join(chunk).encode()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The whole CSV as bytes."""
    return b"".join(csv_chunks(header, rows))


def write_csv(file: io.TextIOBase | Any, header: Sequence[str], rows: Iterable[Sequence[Any]]):
    """Write the CSV to a text file opened with newline="" and UTF-8."""
    for text in csv_lines(header, rows):
        file.write(text)


def read_csv(data: bytes | str) -> tuple[list[str], list[list[str]]]:
    """Return the header (names stripped, lowercased) and the rows of a CSV body; blank rows empty.

    Accepts a BOM, and the delimiter a spreadsheet chose (comma, semicolon or tab), judged on
    the header line. Cells neutralised by `neutralise` come back as they were.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableCSV(
                f"The file is not UTF-8 text (byte {exc.start} cannot be read); save it as "
                "CSV UTF-8."
            ) from None
    else:
        text = data.removeprefix(BOM)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise UnreadableCSV(f"The file is not valid CSV: {exc}.") from None
    # Blank lines before the header are dropped; after it they keep their place (as empty
    # rows), so that row numbers match what the editor sees in the spreadsheet.
    while lines and not any(value.strip() for value in lines[0]):
        lines.pop(0)
    if not lines:
        raise UnreadableCSV("The file is empty: it needs a header row and data rows.")
    header = [name.strip().lower() for name in lines[0]]
    rows = [
        [restore(value) for value in line] if any(value.strip() for value in line) else []
        for line in lines[1:]
    ]
    return header, rows
