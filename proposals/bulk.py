"""
Bulk status changes from a spreadsheet or a JSON array: every row through the transition service.

An editor downloads the proposals (the download carries the bulk columns empty), fills in a new
status, date, note and evidence on the rows to move, and uploads the file. Each row is one call
of `services.record_transition` with the row's `version` as its If-Match, so the workflow's rules
hold exactly as for a single change. All rows run in one transaction: if any row fails, or on a
dry run, nothing is written, and every row's outcome is reported either way.

The API, the admin's import and `manage.py import_transitions` all call `apply_transitions`.
"""

from __future__ import annotations

import datetime
import io
import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from proposals import errors, services, spreadsheet, workflow
from proposals.models import Proposal, StatusChange

# The columns a bulk file is read by, in the order the proposals download carries them.
BULK_COLUMNS = (
    "slug",
    "version",
    "to_status",
    "effective_date",
    "effective_precision",
    "note",
    "evidence",
)
# Read when present: a change's date qualifier (exact when empty or absent).
OPTIONAL_COLUMNS = ("effective_qualifier",)
MAX_ROWS = 5_000
MAX_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE = 100
MAX_ID = 2**63 - 1

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EVIDENCE_SEPARATORS = re.compile(r"[\s,;]+")

# A raw row: its number (data rows counted from 1) and its cells by column name.
RawRow = tuple[int, Mapping[str, Any]]


class BulkFileInvalid(errors.DomainError):
    """The file as a whole cannot be read as bulk rows (no row was looked at)."""

    code = "bulk_file_invalid"


class BulkTooLarge(errors.DomainError):
    """More rows or bytes than one bulk request may carry."""

    code = "too_large"


@dataclass
class RowResult:
    """The outcome of one row: `ok` with no errors, or the messages that refused it."""

    row: int
    slug: str
    errors: list[str] = field(default_factory=list)
    skipped: bool = False
    change: StatusChange | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "slug": self.slug, "ok": self.ok, "errors": list(self.errors)}


@dataclass
class BulkResult:
    rows: list[RowResult]
    dry_run: bool

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)

    @property
    def applied(self) -> bool:
        """Whether the changes were written (every row passed and this was no dry run)."""
        return self.ok and not self.dry_run

    @property
    def moved(self) -> list[RowResult]:
        """The rows that move a proposal (checked on a dry run, written otherwise)."""
        return [row for row in self.rows if row.ok and not row.skipped]

    def as_dict(self) -> dict[str, Any]:
        return {"rows": [row.as_dict() for row in self.rows]}


@dataclass(frozen=True)
class TransitionRow:
    """One row's change, its cells parsed."""

    slug: str
    version: int
    to_status: str
    effective_date: datetime.date
    effective_precision: str
    effective_qualifier: str
    note: str
    evidence: tuple[int, ...]


# --- Reading rows ---------------------------------------------------------------------------


def check_size(size: int) -> None:
    """Refuse a body of more than MAX_BYTES."""
    if size > MAX_BYTES:
        raise BulkTooLarge(
            f"The file has {size:,} bytes; a bulk update takes at most {MAX_BYTES:,} "
            "(10 MB): split it."
        )


def _check_count(count: int) -> None:
    if count > MAX_ROWS:
        raise BulkTooLarge(
            f"The file has {count:,} rows; a bulk update takes at most {MAX_ROWS:,}: split it."
        )


def rows_from_table(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, other_columns: Collection[str] = ()
) -> list[RawRow]:
    """Map a table's rows (a header, then cells) to raw rows; empty rows keep their number.

    Columns other than the bulk columns are ignored if they are among `other_columns` (those of
    the proposals download); any other column is refused, so that a misspelt `to_status` does
    not pass as a file with nothing to do.
    """
    names = [str(name or "").strip().lower() for name in header]
    named = [name for name in names if name]
    duplicates = sorted({name for name in named if named.count(name) > 1})
    if duplicates:
        raise BulkFileInvalid(f"The header names these columns twice: {', '.join(duplicates)}.")
    if "slug" not in names:
        raise BulkFileInvalid(
            f"The header row has no slug column; the columns are: {', '.join(BULK_COLUMNS)}."
        )
    known = {*BULK_COLUMNS, *OPTIONAL_COLUMNS, *other_columns}
    unknown = [name for name in named if name not in known]
    if unknown:
        raise BulkFileInvalid(
            f"Unknown columns: {', '.join(unknown)}. A bulk file has the columns "
            f"{', '.join(BULK_COLUMNS)} (and may keep the other columns of the proposals "
            "download)."
        )
    raw_rows: list[RawRow] = []
    for number, cells in enumerate(rows, start=1):
        cells = list(cells)
        if len(cells) > len(names) and any(_present(value) for value in cells[len(names) :]):
            raw_rows.append((number, {"slug": "", "__extra_cells__": len(cells)}))
            continue
        raw_rows.append(
            (number, {name: value for name, value in zip(names, cells, strict=False) if name})
        )
    _check_count(len(raw_rows))
    return raw_rows


def rows_from_csv(data: bytes | str, *, other_columns: Collection[str] = ()) -> list[RawRow]:
    """Read a CSV body with a header row; evidence ids separated by spaces."""
    check_size(len(data))
    try:
        header, rows = spreadsheet.read_csv(data)
    except spreadsheet.UnreadableCSV as exc:
        raise BulkFileInvalid(str(exc)) from None
    return rows_from_table(header, rows, other_columns=other_columns)


def rows_from_json(data: Any, *, other_columns: Collection[str] = ()) -> list[RawRow]:
    """Read a parsed JSON body: an array of row objects."""
    if not isinstance(data, list):
        raise BulkFileInvalid(
            f"Expected a JSON array of row objects, each with the keys {', '.join(BULK_COLUMNS)}."
        )
    _check_count(len(data))
    raw_rows: list[RawRow] = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, Mapping):
            raw_rows.append((number, {"slug": "", "__not_an_object__": True}))
            continue
        row = {str(key): value for key, value in item.items()}
        unknown = [
            key for key in row if key not in {*BULK_COLUMNS, *OPTIONAL_COLUMNS, *other_columns}
        ]
        if unknown:
            row["__unknown__"] = unknown
        raw_rows.append((number, row))
    return raw_rows


def rows_from_xlsx(data: bytes, *, other_columns: Collection[str] = ()) -> list[RawRow]:
    """Read the first sheet of an Excel workbook, its first row the header."""
    from openpyxl import load_workbook

    check_size(len(data))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise BulkFileInvalid(f"The file is not an Excel workbook (.xlsx): {exc}.") from None
    try:
        lines = workbook.worksheets[0].iter_rows(values_only=True) if workbook.worksheets else []
        header = next(iter(lines), None)
        if header is None:
            raise BulkFileInvalid("The workbook is empty: it needs a header row and data rows.")
        rows = []
        for line in lines:
            rows.append(list(line))
            _check_count(len(rows))
    finally:
        workbook.close()
    return rows_from_table(header, rows, other_columns=other_columns)


def rows_from_file(name: str, data: bytes, *, other_columns: Collection[str] = ()) -> list[RawRow]:
    """Read a file by its extension: .csv, .json or .xlsx."""
    check_size(len(data))
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "json":
        try:
            parsed = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise BulkFileInvalid(f"The file is not valid JSON: {exc}.") from None
        return rows_from_json(parsed, other_columns=other_columns)
    if suffix == "xlsx":
        return rows_from_xlsx(data, other_columns=other_columns)
    if suffix in ("csv", "txt"):
        return rows_from_csv(data, other_columns=other_columns)
    raise BulkFileInvalid(f"Unknown kind of file {name!r}: give a .csv, .json or .xlsx file.")


# --- Parsing cells --------------------------------------------------------------------------


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _text(value: Any, name: str, problems: list[str]) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    problems.append(f"{name}: expected text, got {value!r}.")
    return ""


def _version(value: Any, problems: list[str]) -> int:
    if isinstance(value, float) and value.is_integer():  # spreadsheets store numbers as floats
        value = int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
        return value
    if not _present(value):
        problems.append(
            "version: required: the proposal's version as exported (its ETag), so that a "
            "proposal changed since is not overwritten."
        )
    else:
        problems.append(f"version: expected a whole number of 1 or more, got {value!r}.")
    return 0


def _date(value: Any, problems: list[str]) -> datetime.date | None:
    if isinstance(value, datetime.datetime):  # spreadsheets store dates as date-times
        if value.time() == datetime.time.min:
            return value.date()
    elif isinstance(value, datetime.date):
        return value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if not _present(value):
        problems.append("effective_date: required, as YYYY-MM-DD.")
    else:
        problems.append(f"effective_date: expected a date as YYYY-MM-DD, got {value!r}.")
    return None


def _evidence(value: Any, problems: list[str]) -> tuple[int, ...]:
    if not _present(value):
        return ()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        items: list[Any] = [value]
    elif isinstance(value, str):
        items = [item for item in _EVIDENCE_SEPARATORS.split(value.strip()) if item]
    elif isinstance(value, list):
        items = value
    else:
        items = [value]
    ids: list[int] = []
    for item in items:
        if isinstance(item, str) and item.isascii() and item.isdigit():
            item = int(item)
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= MAX_ID:
            problems.append(
                f"evidence: expected citation ids separated by spaces, got {str(value)[:100]!r}."
            )
            return ()
        ids.append(item)
    if len(ids) > MAX_EVIDENCE:
        problems.append(f"evidence: at most {MAX_EVIDENCE} citations per change.")
        return ()
    return tuple(dict.fromkeys(ids))


def parse_row(raw: Mapping[str, Any], problems: list[str]) -> TransitionRow | None:
    """Parse the cells of a row that moves a proposal; add a message per bad cell to `problems`."""
    slug = _text(raw.get("slug"), "slug", problems).strip()
    if not slug:
        problems.append("slug: required: the proposal to move.")
    to_status = _text(raw.get("to_status"), "to_status", problems).strip()
    version = _version(raw.get("version"), problems)
    effective_date = _date(raw.get("effective_date"), problems)
    precision = _text(raw.get("effective_precision"), "effective_precision", problems).strip()
    qualifier = _text(raw.get("effective_qualifier"), "effective_qualifier", problems).strip()
    note = _text(raw.get("note"), "note", problems)
    evidence = _evidence(raw.get("evidence"), problems)
    if problems or effective_date is None:
        return None
    return TransitionRow(
        slug=slug,
        version=version,
        to_status=to_status,
        effective_date=effective_date,
        effective_precision=precision or workflow.Precision.DAY,
        effective_qualifier=qualifier or workflow.DateQualifier.EXACT,
        note=note,
        evidence=evidence,
    )


def check_skipped_row(raw: Mapping[str, Any], problems: list[str]) -> None:
    """Check a row that moves nothing (empty `to_status`), as a proposals download gives it.

    It still names its proposal, and each cell it fills holds what that column takes: a file
    with a damaged cell is refused rather than half read.
    """
    if not _text(raw.get("slug"), "slug", problems).strip():
        problems.append("slug: required: the proposal the row is about.")
    if _present(raw.get("version")):
        _version(raw.get("version"), problems)
    if _present(raw.get("effective_date")):
        _date(raw.get("effective_date"), problems)
    for name, known in (
        ("effective_precision", workflow.Precision.values),
        ("effective_qualifier", workflow.DateQualifier.values),
    ):
        value = _text(raw.get(name), name, problems).strip()
        if value and value not in known:
            problems.append(f"{name}: expected one of {', '.join(known)}, got {value!r}.")
    _text(raw.get("note"), "note", problems)
    _evidence(raw.get("evidence"), problems)


def _shape_problems(raw: Mapping[str, Any]) -> list[str]:
    """Messages for a row that is not a row at all (not an object, extra cells, unknown keys)."""
    if raw.get("__not_an_object__"):
        return ["Expected an object with the keys " + ", ".join(BULK_COLUMNS) + "."]
    if "__extra_cells__" in raw:
        return [f"The row has {raw['__extra_cells__']} cells, more than the header's columns."]
    if raw.get("__unknown__"):
        return [
            f"Unknown keys: {', '.join(raw['__unknown__'])}. The keys are "
            f"{', '.join(BULK_COLUMNS)}."
        ]
    return []


def _is_blank(raw: Mapping[str, Any]) -> bool:
    return not any(_present(value) for value in raw.values())


def _slug_of(raw: Mapping[str, Any]) -> str:
    slug = raw.get("slug")
    return slug.strip() if isinstance(slug, str) else ""


def _proposals_by_slug(slugs: Collection[str]) -> dict[str, Proposal]:
    found: dict[str, Proposal] = {}
    ordered = sorted(slugs)
    for start in range(0, len(ordered), 500):  # within every database's limit of parameters
        batch = ordered[start : start + 500]
        found.update((p.slug, p) for p in Proposal.objects.filter(slug__in=batch))
    return found


# --- Applying -------------------------------------------------------------------------------


def apply_transitions(
    *,
    rows: Sequence[RawRow],
    user: AbstractBaseUser | None,
    dry_run: bool,
    on_change: Callable[[Proposal, StatusChange], None] | None = None,
) -> BulkResult:
    """Check every row through `services.record_transition`; write them all or none.

    A row with an empty `to_status` is skipped (reported ok); a blank row is not reported. A
    second row for the same proposal is refused. `on_change` (such as the admin's audit log) is
    called for each change inside the transaction, once it is certain to be committed.
    """
    _check_count(len(rows))
    wanted = {_slug_of(raw) for _, raw in rows} - {""}
    proposals = _proposals_by_slug(wanted)
    results: list[RowResult] = []
    seen: dict[str, int] = {}
    with transaction.atomic():
        for number, raw in rows:
            if _is_blank(raw):
                continue
            result = RowResult(row=number, slug=_slug_of(raw))
            results.append(result)
            result.errors.extend(_shape_problems(raw))
            if result.errors:
                continue
            if result.slug in seen:
                result.errors.append(
                    f"A second row for {result.slug!r} (the first is row {seen[result.slug]}): "
                    "one row per proposal in a file."
                )
                continue
            if result.slug:
                seen[result.slug] = number
            if not _present(raw.get("to_status")):
                result.skipped = True
                check_skipped_row(raw, result.errors)
                continue
            _apply_row(result, raw, proposals, user)
        failed = any(not result.ok for result in results)
        if failed or dry_run:
            transaction.set_rollback(True)
        elif on_change is not None:
            for result in results:
                if result.change is not None:
                    on_change(result.change.proposal, result.change)
    if failed or dry_run:
        for result in results:
            result.change = None
    return BulkResult(rows=results, dry_run=dry_run)


def _apply_row(
    result: RowResult,
    raw: Mapping[str, Any],
    proposals: Mapping[str, Proposal],
    user: AbstractBaseUser | None,
) -> None:
    """Record the row's change (in a savepoint of its own), or add why it is refused."""
    parsed = parse_row(raw, result.errors)
    if parsed is None:
        return
    proposal = proposals.get(parsed.slug)
    if proposal is None:
        result.errors.append(f"slug: no proposal has the slug {parsed.slug!r}.")
        return
    try:
        result.change = services.record_transition(
            proposal=proposal,
            to_status=parsed.to_status,
            note=parsed.note,
            effective_date=parsed.effective_date,
            effective_precision=parsed.effective_precision,
            effective_qualifier=parsed.effective_qualifier,
            evidence=parsed.evidence,
            user=user,
            expected_version=parsed.version,
        )
    except errors.StaleVersion as exc:
        result.errors.append(
            f"version: {exc.message.removesuffix('; reload it and try again.')}: "
            "export the proposals again and redo this row."
        )
    except errors.DomainError as exc:
        result.errors.append(f"{exc.field}: {exc.message}" if exc.field else exc.message)
