"""POST /api/v1/transitions/bulk/: many status changes, all or nothing."""

from __future__ import annotations

import pytest

from proposals import bulk
from proposals.models import Proposal, StatusChange
from tests.api.conftest import make_proposals
from tests.factories import ProposalFactory

URL = "/api/v1/transitions/bulk/"


def download(client) -> str:
    response = client.get("/api/v1/proposals/", {"format": "csv", "download": "1"})
    return b"".join(response.streaming_content).decode("utf-8-sig")


def fill(csv_text: str, slug: str, cells: dict[str, str]) -> str:
    """Fill in the bulk columns of `slug`'s row, keeping every other cell."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_text, newline="")))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("slug")] == slug:
            for name, value in cells.items():
                row[header.index(name)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def statuses() -> dict[str, tuple[str, int]]:
    return {
        slug: (s, v) for slug, s, v in Proposal.objects.values_list("slug", "status", "version")
    }


@pytest.fixture
def three(db):
    return [ProposalFactory(slug=f"row-{n}") for n in range(3)]


def test_round_trip_of_the_download_moves_exactly_the_edited_rows(editor_api, db):
    made = make_proposals(5)  # each agreed, with an evidence citation
    before = statuses()
    text = download(editor_api)
    evidence = str(made[1].citations.get().pk)
    for proposal in (made[0], made[2]):
        text = fill(
            text,
            proposal.slug,
            {
                "to_status": "in_progress",
                "effective_date": "2007-01-01",
                "note": "Begun.",
                "evidence": str(proposal.citations.get().pk),
            },
        )
    text = fill(
        text,
        made[1].slug,
        {
            "to_status": "stalled",
            "effective_date": "2007-02-01",
            "note": "Stopped.",
            "evidence": evidence,
        },
    )

    response = editor_api.post(URL, text.encode("utf-8-sig"), content_type="text/csv")

    assert response.status_code == 201, response.json()
    assert [row["ok"] for row in response.json()["rows"]] == [True] * 5
    after = statuses()
    changed = {slug for slug in after if after[slug] != before[slug]}
    assert changed == {made[0].slug, made[1].slug, made[2].slug}
    assert after[made[1].slug][0] == "stalled"
    change = StatusChange.objects.get(proposal=made[1], to_status="stalled")
    assert change.recorded_by.username == "editor"


def test_json_rows_a_dry_run_and_then_the_real_run(editor_api, three):
    rows = [
        {
            "slug": "row-0",
            "version": three[0].version,
            "to_status": "under_discussion",
            "effective_date": "2006-01-01",
            "note": "Talks.",
        },
        {"slug": "row-1", "version": three[1].version, "to_status": ""},
    ]
    dry = editor_api.post(f"{URL}?dry_run=1", rows, format="json")
    assert dry.status_code == 200
    assert dry.json() == {
        "rows": [
            {"row": 1, "slug": "row-0", "ok": True, "errors": []},
            {"row": 2, "slug": "row-1", "ok": True, "errors": []},
        ]
    }
    assert Proposal.objects.get(slug="row-0").status == "proposed"

    applied = editor_api.post(URL, rows, format="json")
    assert applied.status_code == 201
    assert Proposal.objects.get(slug="row-0").status == "under_discussion"
    assert Proposal.objects.get(slug="row-1").status == "proposed"


def test_one_illegal_row_writes_nothing_and_is_named(editor_api, three):
    before = statuses()
    rows = [
        {
            "slug": "row-0",
            "version": three[0].version,
            "to_status": "under_discussion",
            "effective_date": "2006-01-01",
            "note": "Talks.",
        },
        {
            "slug": "row-1",
            "version": three[1].version,
            "to_status": "implemented",
            "effective_date": "2006-01-01",
            "note": "Skipping ahead.",
        },
    ]
    for query in ("", "?dry_run=1"):
        response = editor_api.post(f"{URL}{query}", rows, format="json")
        assert response.status_code == 400
        result = response.json()["rows"]
        assert result[0] == {"row": 1, "slug": "row-0", "ok": True, "errors": []}
        assert (result[1]["row"], result[1]["slug"], result[1]["ok"]) == (2, "row-1", False)
        assert "cannot go from 'proposed' to 'implemented'" in result[1]["errors"][0]
        assert statuses() == before


def test_a_stale_version_is_refused(editor_api, three):
    rows = [
        {
            "slug": "row-2",
            "version": three[2].version - 1 or 99,
            "to_status": "withdrawn",
            "effective_date": "2006-01-01",
            "note": "Old.",
        }
    ]
    response = editor_api.post(URL, rows, format="json")
    assert response.status_code == 400
    assert response.json()["rows"][0]["errors"][0].startswith("version: The proposal changed")
    assert Proposal.objects.get(slug="row-2").status == "proposed"


def test_file_level_problems_are_json_with_empty_rows(editor_api, db):
    cases = [
        (b"slug,to_stauts\nx,agreed\n", "text/csv", 400, "bulk_file_invalid"),
        (b'{"slug": "x"}', "application/json", 400, "bulk_file_invalid"),
        (b"[1, 2", "application/json", 400, None),
        (b"slug=x", "application/x-www-form-urlencoded", 415, None),
    ]
    for body, content_type, code, error_code in cases:
        response = editor_api.post(URL, body, content_type=content_type)
        assert response.status_code == code, body
        assert response.json()["rows"] == []
        assert response.json()["detail"]
        if error_code:
            assert response.json()["code"] == error_code
    response = editor_api.post(f"{URL}?dry_run=maybe", [], format="json")
    assert response.status_code == 400
    assert response.json()["rows"] == [] and "dry_run" in response.json()


def test_limits_are_413(editor_api, db, monkeypatch):
    monkeypatch.setattr(bulk, "MAX_BYTES", 1000)
    response = editor_api.post(URL, b"slug,note\n" + b"x,y\n" * 300, content_type="text/csv")
    assert response.status_code == 413
    assert response.json()["rows"] == []
    monkeypatch.setattr(bulk, "MAX_ROWS", 2)
    response = editor_api.post(URL, [{"slug": "a"}] * 3, format="json")
    assert response.status_code == 413


def test_a_body_larger_than_the_api_limit_but_within_the_bulk_one(editor_api, three):
    note = "Long note. " * 900  # under the note limit of 10,000 characters
    rows = [
        {
            "slug": "row-0",
            "version": three[0].version,
            "to_status": "under_discussion",
            "effective_date": "2006-01-01",
            "note": note[:9_999],
        }
    ]
    rows += [{"slug": f"skip-{n}", "to_status": ""} for n in range(4_000)]
    response = editor_api.post(URL, rows, format="json")  # about 3 MB
    assert response.status_code == 201


def test_anonymous_and_non_editor_clients_are_refused(anon, non_editor_api, three):
    rows = [
        {
            "slug": "row-0",
            "version": 1,
            "to_status": "withdrawn",
            "effective_date": "2006-01-01",
            "note": "No.",
        }
    ]
    assert anon.post(URL, rows, format="json").status_code == 401
    assert non_editor_api.post(URL, rows, format="json").status_code == 403
    assert Proposal.objects.get(slug="row-0").status == "proposed"
