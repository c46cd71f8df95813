"""Backup and restore: dumpdata of a populated database, loaded into an empty one, is the same."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from proposals import services
from proposals.models import Proposal, StatusChange
from proposals.services import ensure_editor

pytestmark = pytest.mark.django_db(transaction=True)

# Permissions and content types are rebuilt by migrate; the rest refers to them by natural key.
APPS = ["proposals", "auth.group", "auth.user", "authtoken"]


def api_snapshot() -> dict:
    client = APIClient()
    snapshot = {"list": client.get("/api/v1/proposals/", {"page_size": 500}).json()}
    for proposal in Proposal.objects.order_by("slug"):
        snapshot[proposal.slug] = client.get(f"/api/v1/proposals/{proposal.slug}/").json()
        snapshot[f"{proposal.slug}/history"] = client.get(
            f"/api/v1/proposals/{proposal.slug}/history/"
        ).json()
    snapshot["sources"] = client.get("/api/v1/sources/", {"page_size": 500}).json()
    return snapshot


def test_dump_and_restore_round_trip(corpus, tmp_path):
    editor, _ = ensure_editor(username="backup-editor")
    proposal = Proposal.objects.filter(status="proposed").order_by("slug").first()
    services.record_transition(
        proposal=proposal,
        to_status="under_discussion",
        note="Recorded before the backup.",
        effective_date=proposal.proposed_on,
        user=editor,
        expected_version=proposal.version,
    )
    before = api_snapshot()
    changes_before = StatusChange.objects.count()

    dump = tmp_path / "backup.json"
    call_command("dumpdata", *APPS, "--natural-foreign", "--indent", "1", "-o", str(dump))
    call_command("flush", "--no-input", verbosity=0)
    assert not Proposal.objects.exists()
    assert not StatusChange.objects.exists()

    call_command("loaddata", str(dump), verbosity=0)
    assert StatusChange.objects.count() == changes_before
    after = api_snapshot()
    differing = {
        key: (before[key], after.get(key)) for key in before if before[key] != after.get(key)
    }
    assert not differing
    out = io.StringIO()
    call_command("verify_citations", stdout=out)
    assert "0 failure(s)" in out.getvalue()
    restored = StatusChange.objects.filter(note="Recorded before the backup.").get()
    assert restored.recorded_by.username == "backup-editor"
