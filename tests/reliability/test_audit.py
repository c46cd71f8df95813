"""Every status change records who made it and when; the admin also writes its own LogEntry."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from proposals.admin import ProposalAdmin
from proposals.models import Proposal, StatusChange
from tests.reliability.admin_forms import admin_add_data

pytestmark = pytest.mark.django_db

DETAIL = "/api/v1/proposals/academy-exchanges/"


def millisecond(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def proposal_log(proposal: Proposal):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Proposal), object_id=str(proposal.pk)
    )


def post_status(client, proposal: Proposal, **overrides):
    data = {
        "to_status": "agreed",
        "effective_date": "2006-02-01",
        "effective_precision": "day",
        "note": "Both sides welcomed the point.",
        "evidence": [proposal.citations.get(role="evidence").pk],
        "version": proposal.version,
    }
    data.update(overrides)
    return client.post(reverse("admin:proposals_proposal_change_status", args=[proposal.pk]), data)


def test_the_admin_records_who_and_when_and_logs_the_change(editor_client, editor, world):
    started = millisecond(timezone.now())
    response = post_status(editor_client, world.proposal)
    assert response.status_code == 302
    change = StatusChange.objects.latest("id")
    assert change.recorded_by == editor
    assert started <= change.recorded_at <= timezone.now()
    [entry] = proposal_log(world.proposal)
    assert (entry.user, entry.action_flag) == (editor, CHANGE)
    assert entry.get_change_message() == (
        "Changed status from Proposed to Agreed (effective 2006-02-01)."
    )
    assert entry.object_repr == world.proposal.title
    history_page = editor_client.get(
        reverse("admin:proposals_proposal_history", args=[world.proposal.pk])
    )
    assert "Changed status from Proposed to Agreed" in history_page.content.decode()


@pytest.mark.parametrize(
    "overrides",
    [{"evidence": []}, {"version": 1}, {"to_status": "implemented"}],
    ids=["no evidence", "stale", "not allowed"],
)
def test_a_refused_change_leaves_no_log_entry(editor_client, world, overrides):
    post_status(editor_client, world.proposal, **overrides)
    assert not proposal_log(world.proposal).exists()
    assert world.proposal.history.count() == 1


def test_the_log_entry_and_the_change_are_one_transaction(editor_client, world, monkeypatch):
    def broken_log(self, request, obj, message):
        raise RuntimeError("the log is unavailable")

    monkeypatch.setattr(ProposalAdmin, "log_change", broken_log)
    with pytest.raises(RuntimeError):
        post_status(editor_client, world.proposal)
    world.proposal.refresh_from_db()
    assert world.proposal.status == "proposed"
    assert world.proposal.history.count() == 1


def test_the_api_records_who_and_when(editor_api, editor, world):
    started = millisecond(timezone.now())
    response = editor_api.post(
        f"{DETAIL}transitions/",
        {
            "to_status": "agreed",
            "note": "Both sides welcomed the point.",
            "effective_date": "2006-02-01",
            "evidence": [world.evidence.pk],
        },
        format="json",
        HTTP_IF_MATCH=editor_api.get(DETAIL)["ETag"],
    )
    assert response.status_code == 201
    change = StatusChange.objects.get(pk=response.json()["id"])
    assert change.recorded_by == editor
    assert started <= change.recorded_at <= timezone.now()
    [shown] = [
        item for item in editor_api.get(f"{DETAIL}history/").json() if item["id"] == change.pk
    ]
    assert shown["recorded_by"] == "editor"
    assert datetime.datetime.fromisoformat(shown["recorded_at"]) == change.recorded_at


def test_a_proposal_created_through_the_api_records_who_and_when(editor_api, editor, world):
    started = millisecond(timezone.now())
    response = editor_api.post(
        "/api/v1/proposals/",
        {
            "slug": "joint-drills",
            "title": "Joint disaster relief drills",
            "summary": "Hold joint drills.",
            "category": "disaster_relief",
            "proposed_on": "2019-04-01",
        },
        format="json",
    )
    assert response.status_code == 201
    first = StatusChange.objects.get(proposal__slug="joint-drills")
    assert first.recorded_by == editor
    assert started <= first.recorded_at <= timezone.now()


def test_a_proposal_created_in_the_admin_records_who_and_when(editor_client, editor, db):
    started = millisecond(timezone.now())
    response = editor_client.post(reverse("admin:proposals_proposal_add"), admin_add_data())
    assert response.status_code == 302
    first = StatusChange.objects.get(proposal__slug="new-proposal")
    assert first.recorded_by == editor
    assert started <= first.recorded_at <= timezone.now()
