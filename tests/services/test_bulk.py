"""Bulk status changes: every row through the transition service, all or nothing."""

from __future__ import annotations

import datetime

import pytest

from proposals import bulk, exports, spreadsheet
from proposals.models import Proposal, StatusChange
from tests.factories import ProposalFactory, SourceFactory, cite

pytestmark = pytest.mark.django_db

DAY = datetime.date(2006, 1, 1)


@pytest.fixture
def proposals():
    """Five proposals, each with an evidence citation, all still `proposed`."""
    source = SourceFactory()
    made = []
    for number in range(5):
        proposal = ProposalFactory(slug=f"bulk-{number}", title=f"Bulk proposal {number}")
        cite(proposal, source, quote="a point both sides welcomed", role="evidence")
        proposal.refresh_from_db()
        made.append(proposal)
    return made


def exported_csv() -> bytes:
    """The proposals download, as an editor gets it."""
    table = exports.TABLES["proposals"]
    return spreadsheet.csv_bytes(table.header(), table.stream())


def edit(csv_data: bytes, changes: dict[str, dict[str, str]]) -> bytes:
    """Fill in the bulk columns of the rows named in `changes`, as an editor would."""
    header, rows = spreadsheet.read_csv(csv_data)
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        for name, value in changes.get(cells["slug"], {}).items():
            row[header.index(name)] = value
    return spreadsheet.csv_bytes(header, rows)


def state() -> dict[str, tuple[str, int]]:
    return {
        slug: (status, version)
        for slug, status, version in Proposal.objects.values_list("slug", "status", "version")
    }


def apply(data: bytes, *, dry_run: bool = False) -> bulk.BulkResult:
    rows = bulk.rows_from_csv(data, other_columns=exports.proposal_download_columns())
    return bulk.apply_transitions(rows=rows, user=None, dry_run=dry_run)


def test_round_trip_moves_exactly_the_edited_rows(proposals):
    before = state()
    evidence = {p.slug: str(p.citations.get().pk) for p in proposals}
    edited = edit(
        exported_csv(),
        {
            "bulk-0": {
                "to_status": "under_discussion",
                "effective_date": "2006-01-01",
                "note": "Raised.",
            },
            "bulk-2": {
                "to_status": "agreed",
                "effective_date": "2006-02-01",
                "effective_precision": "month",
                "note": "Agreed at the talks.",
                "evidence": evidence["bulk-2"],
            },
            "bulk-4": {
                "to_status": "withdrawn",
                "effective_date": "2006-03-04",
                "note": "Dropped.",
            },
        },
    )

    result = apply(edited)

    assert result.applied
    assert [row.as_dict() for row in result.rows] == [
        {"row": number, "slug": f"bulk-{number - 1}", "ok": True, "errors": []}
        for number in range(1, 6)
    ]
    after = state()
    moved = {slug for slug in after if after[slug] != before[slug]}
    assert moved == {"bulk-0", "bulk-2", "bulk-4"}
    assert after["bulk-2"][0] == "agreed"
    change = StatusChange.objects.get(proposal__slug="bulk-2", to_status="agreed")
    assert change.effective_precision == "month"
    assert list(change.evidence.values_list("pk", flat=True)) == [int(evidence["bulk-2"])]


def test_an_unchanged_export_goes_back_as_it_is(proposals):
    before = state()
    result = apply(exported_csv())
    assert result.applied and all(row.ok for row in result.rows)
    assert len(result.rows) == len(proposals)
    assert state() == before


def test_one_illegal_transition_writes_nothing_and_names_its_row(proposals):
    before, history = state(), StatusChange.objects.count()
    edited = edit(
        exported_csv(),
        {
            "bulk-0": {
                "to_status": "under_discussion",
                "effective_date": "2006-01-01",
                "note": "Ok.",
            },
            "bulk-1": {
                "to_status": "implemented",
                "effective_date": "2006-01-01",
                "note": "Too fast.",
            },
        },
    )

    result = apply(edited)

    assert not result.ok and not result.applied
    assert result.rows[0].ok
    refused = result.rows[1]
    assert (refused.row, refused.slug, refused.ok) == (2, "bulk-1", False)
    assert "cannot go from 'proposed' to 'implemented'" in refused.errors[0]
    assert state() == before
    assert StatusChange.objects.count() == history


def test_a_stale_version_is_refused(proposals):
    data = exported_csv()
    # Someone moves bulk-3 after the export.
    target = Proposal.objects.get(slug="bulk-3")
    from proposals import services

    services.record_transition(
        proposal=target,
        to_status="under_discussion",
        note="Meanwhile.",
        effective_date=DAY,
        expected_version=target.version,
    )
    before = state()
    edited = edit(
        data,
        {"bulk-3": {"to_status": "withdrawn", "effective_date": "2006-02-01", "note": "Late."}},
    )

    result = apply(edited)

    assert not result.ok
    assert result.rows[3].slug == "bulk-3"
    assert result.rows[3].errors[0].startswith("version: The proposal changed meanwhile")
    assert state() == before


def test_a_dry_run_reports_the_same_and_writes_nothing(proposals):
    before = state()
    edited = edit(
        exported_csv(),
        {
            "bulk-0": {
                "to_status": "under_discussion",
                "effective_date": "2006-01-01",
                "note": "Ok.",
            }
        },
    )
    result = apply(edited, dry_run=True)
    assert result.ok and not result.applied
    assert [row.slug for row in result.moved] == ["bulk-0"]
    assert state() == before


def test_a_second_row_for_the_same_proposal_is_refused(proposals):
    rows = bulk.rows_from_json(
        [
            {
                "slug": "bulk-0",
                "version": proposals[0].version,
                "to_status": "under_discussion",
                "effective_date": "2006-01-01",
                "note": "One.",
            },
            {
                "slug": "bulk-0",
                "version": proposals[0].version + 1,
                "to_status": "withdrawn",
                "effective_date": "2006-01-02",
                "note": "Two.",
            },
        ]
    )
    result = bulk.apply_transitions(rows=rows, user=None, dry_run=False)
    assert result.rows[0].ok and not result.rows[1].ok
    assert "second row for 'bulk-0' (the first is row 1)" in result.rows[1].errors[0]
    assert Proposal.objects.get(slug="bulk-0").status == "proposed"


def test_json_rows_take_evidence_as_a_list_and_report_each_bad_cell(proposals):
    evidence = proposals[1].citations.get().pk
    rows = bulk.rows_from_json(
        [
            {
                "slug": "bulk-1",
                "version": proposals[1].version,
                "to_status": "agreed",
                "effective_date": "2006-01-01",
                "note": "Agreed.",
                "evidence": [evidence],
            },
            {
                "slug": "bulk-2",
                "version": "x",
                "to_status": "agreed",
                "effective_date": "1/2/2006",
                "note": "Bad cells.",
                "evidence": "12 abc",
            },
            {
                "slug": "nope",
                "version": 1,
                "to_status": "agreed",
                "effective_date": "2006-01-01",
                "note": "Unknown.",
            },
            {"slug": "bulk-3", "to_status": "", "title": "kept: a column of the download"},
            "not an object",
        ],
        other_columns=exports.proposal_download_columns(),
    )
    result = bulk.apply_transitions(rows=rows, user=None, dry_run=True)
    assert [row.ok for row in result.rows] == [True, False, False, True, False]
    assert [message.split(":")[0] for message in result.rows[1].errors] == [
        "version",
        "effective_date",
        "evidence",
    ]
    assert result.rows[2].errors == ["slug: no proposal has the slug 'nope'."]
    assert result.rows[4].errors[0].startswith("Expected an object")


def test_unknown_columns_and_a_missing_slug_column_refuse_the_file(proposals):
    with pytest.raises(bulk.BulkFileInvalid, match="Unknown columns: to_stauts"):
        bulk.rows_from_csv("slug,to_stauts\nbulk-0,agreed\n")
    with pytest.raises(bulk.BulkFileInvalid, match="no slug column"):
        bulk.rows_from_csv("name,to_status\nbulk-0,agreed\n")
    with pytest.raises(bulk.BulkFileInvalid, match="not UTF-8"):
        bulk.rows_from_csv(b"slug,note\nbulk-0,\xff\n")


def test_limits_of_rows_and_bytes():
    lines = "slug,to_status\n" + "x,\n" * (bulk.MAX_ROWS + 1)
    with pytest.raises(bulk.BulkTooLarge, match="at most 5,000"):
        bulk.rows_from_csv(lines)
    with pytest.raises(bulk.BulkTooLarge, match="10 MB"):
        bulk.check_size(bulk.MAX_BYTES + 1)


def test_blank_rows_keep_the_numbering_of_the_spreadsheet(proposals):
    data = (
        "slug,version,to_status,effective_date,note\n"
        "\n"
        f"bulk-1,{proposals[1].version},withdrawn,2006-01-01,'- dropped at the summit\n"
    )
    result = bulk.apply_transitions(rows=bulk.rows_from_csv(data), user=None, dry_run=False)
    assert [(row.row, row.slug, row.ok) for row in result.rows] == [(2, "bulk-1", True)]
    # The cell neutralised on export comes back as the editor wrote it.
    assert StatusChange.objects.get(to_status="withdrawn").note == "- dropped at the summit"
