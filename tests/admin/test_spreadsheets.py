"""The admin's spreadsheet export and import (django-import-export) over the bulk service."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from proposals.models import Proposal
from tests.factories import ProposalFactory, SourceFactory, cite

pytestmark = pytest.mark.django_db

BASE = "/admin/proposals/proposal"
CSV, XLSX = "0", "1"  # the indexes of the format choices


@pytest.fixture
def proposals():
    source = SourceFactory()
    made = []
    for number in range(5):
        proposal = ProposalFactory(slug=f"sheet-{number}", title=f"=Sheet {number}")
        cite(proposal, source, role="evidence")
        made.append(proposal)
    return made


def export(client, file_format: str) -> bytes:
    response = client.post(f"{BASE}/export/", {"format": file_format, "resource": "0"})
    assert response.status_code == 200, response.content[:500]
    return response.content


def statuses() -> dict[str, str]:
    return dict(Proposal.objects.values_list("slug", "status"))


def upload(client, name: str, data: bytes, file_format: str):
    """The preview (dry run) of an import."""
    return client.post(
        f"{BASE}/import/",
        {"import_file": SimpleUploadedFile(name, data), "format": file_format, "resource": "0"},
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(f"{BASE}/process_import/", form.initial)


MOVES = {
    "sheet-0": ("under_discussion", "2006-01-01", "Raised at the talks."),
    "sheet-2": ("withdrawn", "2006-02-01", "Dropped."),
    "sheet-4": ("rejected", "2006-03-01", "Refused."),
}


def test_csv_round_trip_moves_exactly_the_edited_rows(editor_client, proposals):
    data = export(editor_client, CSV)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0]["title"].startswith("'=Sheet")  # formula cells neutralised
    for row in rows:
        if row["slug"] in MOVES:
            row["to_status"], row["effective_date"], row["note"] = MOVES[row["slug"]]
            if row["to_status"] == "rejected":
                row["evidence"] = str(Proposal.objects.get(slug=row["slug"]).citations.get().pk)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    before = statuses()

    preview = upload(editor_client, "proposals.csv", out.getvalue().encode("utf-8-sig"), CSV)
    assert preview.status_code == 200
    assert "confirm_form" in preview.context
    assert statuses() == before  # the preview is a dry run

    done = confirm(editor_client, preview)
    assert done.status_code == 302
    after = statuses()
    assert {slug for slug in after if after[slug] != before[slug]} == set(MOVES)
    assert after["sheet-4"] == "rejected"
    assert LogEntry.objects.filter(change_message__contains="Bulk import").count() == 3


def test_xlsx_round_trip(editor_client, proposals):
    workbook = load_workbook(io.BytesIO(export(editor_client, XLSX)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("title") + 1).data_type == "s"  # not a formula
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("slug")].value == "sheet-0":
            row[header.index("to_status")].value = "under_discussion"
            row[header.index("effective_date")].value = "2006-01-01"
            row[header.index("note")].value = "Raised."
    data = io.BytesIO()
    workbook.save(data)

    preview = upload(editor_client, "proposals.xlsx", data.getvalue(), XLSX)
    confirm(editor_client, preview)

    assert Proposal.objects.get(slug="sheet-0").status == "under_discussion"
    assert set(statuses().values()) == {"proposed", "under_discussion"}


def test_an_illegal_row_is_shown_and_nothing_can_be_confirmed(editor_client, proposals):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["slug", "version", "to_status", "effective_date", "note"])
    sheet.append(["sheet-1", proposals[1].version, "under_discussion", "2006-01-01", "Fine."])
    sheet.append(["sheet-3", proposals[3].version, "implemented", "2006-01-01", "Too fast."])
    data = io.BytesIO()
    workbook.save(data)
    before = statuses()

    preview = upload(editor_client, "moves.xlsx", data.getvalue(), XLSX)

    assert "confirm_form" not in preview.context
    page = preview.content.decode()
    assert "Some rows failed to validate" in page
    assert "cannot go from &#x27;proposed&#x27; to &#x27;implemented&#x27;" in page
    [invalid] = preview.context["result"].invalid_rows
    assert invalid.number == 2
    assert statuses() == before


def test_only_editors_import(client, staff_user, proposals):
    client.force_login(staff_user)
    assert client.get(f"{BASE}/import/").status_code == 403
