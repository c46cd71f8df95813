"""CSV on every API list: BOM, formula cells neutralised, names beside slugs, complete downloads."""

from __future__ import annotations

import csv
import io

import pytest

from proposals.models import Actor, Citation, Proposal, Source, StatusChange
from tests.api.conftest import make_proposals
from tests.factories import ActorFactory, ProposalFactory

API = "/api/v1"
LISTS = ["proposals", "changes", "citations", "sources", "actors"]


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def rows_of(response) -> list[dict[str, str]]:
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("name", LISTS)
def test_every_list_speaks_csv_with_a_bom(anon, world, name):
    response = anon.get(f"{API}/{name}/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{name}.csv"'
    json_rows = anon.get(f"{API}/{name}/").json()["results"]
    rows = rows_of(response)
    assert len(rows) == len(json_rows) > 0
    # The JSON fields, in their order (a list of actors gains its names beside its slugs).
    header = [name for name in rows[0] if not name.endswith("_names")]
    assert header[: len(json_rows[0])] == list(json_rows[0])


def test_a_proposal_history_speaks_csv(anon, world):
    response = anon.get(f"{API}/proposals/{world.proposal.slug}/history/", {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="academy-exchanges-history.csv"'
    rows = rows_of(response)
    assert [row["to_status"] for row in rows] == ["proposed"]
    assert rows[0]["from_status"] == ""


def test_a_download_is_complete_and_streamed(anon, db):
    make_proposals(51)
    models = {
        "proposals": Proposal,
        "changes": StatusChange,
        "citations": Citation,
        "sources": Source,
        "actors": Actor,
    }
    for name, model in models.items():
        page = anon.get(f"{API}/{name}/", {"format": "csv"})
        response = anon.get(f"{API}/{name}/", {"format": "csv", "download": "1"})
        assert response.status_code == 200
        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = rows_of(response)
        assert len(rows) == model.objects.count(), name
        assert len(rows_of(page)) == min(50, len(rows)), name


def test_a_download_keeps_the_filters(anon, db):
    made = make_proposals(3)
    ProposalFactory(slug="left-out")
    response = anon.get(f"{API}/proposals/", {"format": "csv", "download": "1", "status": "agreed"})
    assert sorted(row["slug"] for row in rows_of(response)) == sorted(p.slug for p in made)


def test_formula_cells_are_neutralised_and_people_named_beside_their_slugs(anon, db):
    minister = ActorFactory(slug="minister", name="@Minister")
    ProposalFactory(slug="formula", title='=HYPERLINK("http://x","y")', proposers=[minister])
    for params in ({"format": "csv"}, {"format": "csv", "download": "1"}):
        row = rows_of(anon.get(f"{API}/proposals/", params))[0]
        assert row["title"] == '\'=HYPERLINK("http://x","y")'
        assert (row["proposers"], row["proposers_names"]) == ("minister", "'@Minister")
        assert row["to_status"] == row["note"] == ""  # the bulk columns, empty


def test_a_bad_download_value_is_a_json_400(anon, db):
    response = anon.get(f"{API}/proposals/", {"format": "csv", "download": "all"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "download" in response.json()
