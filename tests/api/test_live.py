"""The whole flow against a real server, as a client on another machine would see it."""

from __future__ import annotations

import io

import pytest
import requests
from django.core.management import call_command

from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def create_editor_token(name: str) -> str:
    out = io.StringIO()
    call_command("create_editor", name, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_an_editor_moves_a_proposal_over_http(live_server):
    source = SourceFactory(slug="cable")
    proposal = ProposalFactory(slug="drills", proposers=[ActorFactory(slug="taiwan")])
    evidence = cite(proposal, source, quote="a point both sides welcomed", role="evidence")
    token = create_editor_token("live-editor")
    api = f"{live_server.url}/api/v1"
    session = requests.Session()

    # Anyone reads the proposal and its ETag.
    read = session.get(f"{api}/proposals/drills/", timeout=10)
    assert read.status_code == 200
    etag = read.headers["ETag"]
    assert read.json()["status"] == "proposed"
    assert [c["id"] for c in read.json()["citations"]] == [evidence.pk]

    # Without the token the change is refused.
    body = {
        "to_status": "agreed",
        "note": "Both sides welcomed it.",
        "effective_date": "2006-01-15",
        "evidence": [evidence.pk],
    }
    anonymous = session.post(
        f"{api}/proposals/drills/transitions/", json=body, headers={"If-Match": etag}, timeout=10
    )
    assert anonymous.status_code == 401

    # With it, the change is recorded and the ETag moves on.
    auth = {"Authorization": f"Token {token}"}
    changed = session.post(
        f"{api}/proposals/drills/transitions/",
        json=body,
        headers={**auth, "If-Match": etag},
        timeout=10,
    )
    assert changed.status_code == 201, changed.text
    new_etag = changed.headers["ETag"]
    assert new_etag != etag
    assert changed.json()["recorded_by"] == "live-editor"

    history = session.get(f"{api}/proposals/drills/history/", timeout=10).json()
    assert [entry["to_status"] for entry in history] == ["proposed", "agreed"]
    assert history[-1]["evidence"][0]["quote"] == "a point both sides welcomed"
    assert history[-1]["recorded_by"] == "Editor"  # anonymous readers get a display name

    detail = session.get(f"{api}/proposals/drills/", timeout=10)
    assert detail.headers["ETag"] == new_etag
    assert detail.json()["status"] == "agreed"
    unchanged = session.get(
        f"{api}/proposals/drills/", headers={"If-None-Match": new_etag}, timeout=10
    )
    assert unchanged.status_code == 304

    # A second change made from the old ETag is refused: someone wrote meanwhile.
    stale = session.post(
        f"{api}/proposals/drills/transitions/",
        json={**body, "to_status": "in_progress"},
        headers={**auth, "If-Match": etag},
        timeout=10,
    )
    assert stale.status_code == 412
    assert stale.headers["Content-Type"] == "application/json"
    assert "reload" in stale.json()["detail"]
