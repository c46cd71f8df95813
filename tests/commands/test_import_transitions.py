"""`manage.py import_transitions FILE [--dry-run]`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from proposals.models import Proposal
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal():
    return ProposalFactory(slug="shell-one", title="Moved from the shell")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_transitions", *args, stdout=out)
    return out.getvalue()


def test_a_csv_file_is_checked_then_applied(tmp_path, proposal):
    path = tmp_path / "moves.csv"
    path.write_text(
        "slug,version,to_status,effective_date,note\n"
        f"shell-one,{proposal.version},under_discussion,2006-01-01,Raised at the talks.\n",
        encoding="utf-8",
    )

    out = run(str(path), "--dry-run")
    assert "row 1 (shell-one): would move" in out
    assert "Dry run: 1 proposals would move" in out
    assert Proposal.objects.get(slug="shell-one").status == "proposed"

    out = run(str(path))
    assert "1 proposals moved" in out
    assert Proposal.objects.get(slug="shell-one").status == "under_discussion"


def test_an_xlsx_file_with_spreadsheet_dates_and_numbers(tmp_path, proposal):
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["slug", "version", "to_status", "effective_date", "note"])
    sheet.append(
        ["shell-one", float(proposal.version), "withdrawn", datetime.datetime(2006, 1, 2), "Gone."]
    )
    path = tmp_path / "moves.xlsx"
    workbook.save(path)

    run(str(path))

    moved = Proposal.objects.get(slug="shell-one")
    assert (moved.status, moved.status_since) == ("withdrawn", datetime.date(2006, 1, 2))


def test_a_refused_row_fails_the_command_and_writes_nothing(tmp_path, proposal):
    path = tmp_path / "moves.json"
    path.write_text(
        '[{"slug": "shell-one", "version": 99, "to_status": "withdrawn",'
        ' "effective_date": "2006-01-01", "note": "Stale."}]'
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 rows refused: nothing was written"):
        call_command("import_transitions", str(path), stdout=out)
    assert "row 1 (shell-one): version: The proposal changed meanwhile" in out.getvalue()
    assert Proposal.objects.get(slug="shell-one").status == "proposed"


def test_a_missing_or_unknown_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "absent.csv"))
    other = tmp_path / "moves.ods"
    other.write_bytes(b"x")
    with pytest.raises(CommandError, match=r"give a \.csv, \.json or \.xlsx file"):
        run(str(other))
