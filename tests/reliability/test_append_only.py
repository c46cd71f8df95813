"""Nobody rewrites history: not through the API, the admin, the ORM, nor the evidence it cites."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.db.utils import IntegrityError, InternalError
from django.urls import reverse

from proposals import errors, services
from proposals.models import AppendOnlyError, Citation, StatusChange, StatusChangeEvidence
from tests.api.conftest import EVIDENCE_QUOTE
from tests.factories import SourceFactory
from tests.reliability.admin_forms import admin_change_data

pytestmark = pytest.mark.django_db

API = "/api/v1"
DETAIL = f"{API}/proposals/academy-exchanges/"
AGREED_ON = datetime.date(2006, 2, 1)


@pytest.fixture
def agreed(world):
    """The world's proposal agreed, with its evidence citation as the change's evidence."""
    services.record_transition(
        proposal=world.proposal,
        to_status="agreed",
        note="Both sides welcomed the point.",
        effective_date=AGREED_ON,
        evidence=[world.evidence],
        expected_version=world.proposal.version,
    )
    world.proposal.refresh_from_db()
    return world


def history_state() -> list:
    """Every history row and every evidence link, as stored."""
    return [
        list(StatusChange.objects.order_by("pk").values()),
        list(StatusChangeEvidence.objects.order_by("pk").values()),
        list(Citation.objects.order_by("pk").values("pk", "source_id", "quote", "start", "end")),
    ]


# --- The API has no way to edit or delete history or evidence ------------------------------


def api_write_attempts(agreed) -> list[tuple[str, str]]:
    change = StatusChange.objects.latest("id")
    evidence = agreed.evidence.pk
    return [
        *[(method, f"{DETAIL}history/") for method in ("POST", "PUT", "PATCH", "DELETE")],
        *[(method, f"{DETAIL}transitions/") for method in ("GET", "PUT", "PATCH", "DELETE")],
        *[(method, f"{API}/changes/") for method in ("POST", "PUT", "PATCH", "DELETE")],
        *[(method, f"{API}/citations/{evidence}/") for method in ("PUT", "PATCH", "DELETE")],
        *[(method, f"{API}/citations/") for method in ("PUT", "PATCH", "DELETE")],
        *[(method, f"{API}/changes/{change.pk}/") for method in ("PUT", "PATCH", "DELETE")],
    ]


def test_no_api_endpoint_edits_or_deletes_history_or_evidence(editor_api, agreed):
    before = history_state()
    body = {"note": "Rewritten.", "quote": "Something else.", "to_status": "rejected"}
    etag = editor_api.get(DETAIL)["ETag"]
    outcomes = {}
    for method, url in api_write_attempts(agreed):
        response = editor_api.generic(
            method,
            url,
            "{}" if method == "GET" else json.dumps(body),
            content_type="application/json",
            HTTP_IF_MATCH=etag,
        )
        outcomes[(method, url)] = response.status_code
        assert response["Content-Type"] == "application/json"
    # No route at all for a single change: 404; every other address refuses the method: 405.
    expected = {
        key: 404 if "/changes/" in key[1] and key[1] != f"{API}/changes/" else 405
        for key in outcomes
    }
    assert outcomes == expected
    assert history_state() == before
    assert editor_api.get(DETAIL)["ETag"] == etag


# --- Evidence: the through rows ------------------------------------------------------------


def test_evidence_links_cannot_be_removed_or_edited_through_the_orm(agreed):
    change = StatusChange.objects.latest("id")
    before = history_state()
    attempts = [
        lambda: change.evidence.remove(agreed.evidence),
        lambda: change.evidence.clear(),
        lambda: change.evidence.set([agreed.origin]),
        lambda: StatusChangeEvidence.objects.filter(status_change=change).delete(),
        lambda: StatusChangeEvidence.objects.filter(status_change=change).update(
            citation=agreed.origin
        ),
        lambda: StatusChangeEvidence.objects.get(status_change=change).delete(),
    ]
    for attempt in attempts:
        with pytest.raises(AppendOnlyError), transaction.atomic():
            attempt()
    link = StatusChangeEvidence.objects.get(status_change=change)
    link.citation = agreed.origin
    with pytest.raises(AppendOnlyError):
        link.save()
    assert history_state() == before


def test_a_citation_used_as_evidence_cannot_be_deleted_through_the_orm(agreed):
    with pytest.raises(ProtectedError), transaction.atomic():
        agreed.evidence.delete()
    assert Citation.objects.filter(pk=agreed.evidence.pk).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the history trigger exists only on PostgreSQL"
)
def test_the_database_refuses_raw_edits_of_evidence_links(agreed):
    change = StatusChange.objects.latest("id")
    before = history_state()
    for sql, params in [
        ("DELETE FROM proposals_statuschangeevidence WHERE status_change_id = %s", [change.pk]),
        (
            "UPDATE proposals_statuschangeevidence SET citation_id = %s "
            "WHERE status_change_id = %s",
            [agreed.origin.pk, change.pk],
        ),
    ]:
        with (
            pytest.raises((IntegrityError, InternalError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    assert history_state() == before


# --- Evidence: what the citation says ------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"quote": "Officials proposed exchanges between military academies"},
        {"quote": "both sides"},  # a part of the same words is other words
    ],
)
def test_the_quote_of_evidence_cannot_change(agreed, change):
    before = history_state()
    version = agreed.proposal.version
    with pytest.raises(errors.EvidenceIsFixed):
        services.update_citation(citation=agreed.evidence, **change)
    assert history_state() == before
    agreed.proposal.refresh_from_db()
    assert agreed.proposal.version == version


def test_the_source_of_evidence_cannot_change(agreed):
    other = SourceFactory(slug="a-copy", text=agreed.source.text)
    before = history_state()
    with pytest.raises(errors.EvidenceIsFixed):
        services.update_citation(citation=agreed.evidence, source=other)
    assert history_state() == before


def test_locator_and_role_of_evidence_may_change(agreed):
    version = agreed.proposal.version
    updated = services.update_citation(
        citation=agreed.evidence, locator="¶2, last words", role="context"
    )
    stored = Citation.objects.get(pk=agreed.evidence.pk)
    assert (stored.locator, stored.role, stored.quote) == (
        "¶2, last words",
        "context",
        EVIDENCE_QUOTE,
    )
    assert updated.start == agreed.evidence.start
    agreed.proposal.refresh_from_db()
    assert agreed.proposal.version == version + 1


def test_the_same_words_typed_differently_are_no_change(agreed):
    # Anchoring tolerates whitespace: the citation still points at the very same passage.
    services.update_citation(citation=agreed.evidence, quote="a point   both sides welcomed")
    assert Citation.objects.get(pk=agreed.evidence.pk).quote == EVIDENCE_QUOTE


def test_a_citation_that_is_not_evidence_may_be_requoted(agreed):
    services.update_citation(citation=agreed.origin, quote="urged closer")
    assert Citation.objects.get(pk=agreed.origin.pk).quote == "urged closer"


def test_the_history_endpoint_still_shows_the_original_evidence(anon, agreed):
    with pytest.raises(errors.EvidenceIsFixed):
        services.update_citation(citation=agreed.evidence, quote="urged closer")
    history = anon.get(f"{DETAIL}history/").json()
    assert [item["quote"] for item in history[-1]["evidence"]] == [EVIDENCE_QUOTE]


# --- Evidence through the admin's inline citations ------------------------------------------


def evidence_index(data: dict, citation: Citation) -> int:
    return next(
        int(key.split("-")[1])
        for key, value in data.items()
        if key.endswith("-id") and value == citation.pk
    )


def test_the_admin_refuses_to_requote_evidence(editor_client, agreed):
    before = history_state()
    data = admin_change_data(agreed.proposal)
    index = evidence_index(data, agreed.evidence)
    data[f"citations-{index}-quote"] = "urged closer"
    url = reverse("admin:proposals_proposal_change", args=[agreed.proposal.pk])
    response = editor_client.post(url, data, follow=True)
    assert "is evidence of a status change" in response.content.decode()
    assert history_state() == before


def test_the_admin_refuses_to_delete_evidence(editor_client, agreed):
    before = history_state()
    data = admin_change_data(agreed.proposal)
    index = evidence_index(data, agreed.evidence)
    data[f"citations-{index}-DELETE"] = "on"
    url = reverse("admin:proposals_proposal_change", args=[agreed.proposal.pk])
    response = editor_client.post(url, data, follow=True)
    page = response.content.decode()
    assert "protected" in page or "is evidence of a status change" in page
    assert history_state() == before


def test_the_admin_changes_the_locator_of_evidence(editor_client, agreed):
    data = admin_change_data(agreed.proposal)
    index = evidence_index(data, agreed.evidence)
    data[f"citations-{index}-locator"] = "¶2, the end"
    url = reverse("admin:proposals_proposal_change", args=[agreed.proposal.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 302
    stored = Citation.objects.get(pk=agreed.evidence.pk)
    assert (stored.locator, stored.quote) == ("¶2, the end", EVIDENCE_QUOTE)


def test_bulk_delete_action_on_history_is_not_offered(admin_client, agreed):
    before = history_state()
    url = reverse("admin:proposals_statuschange_changelist")
    page = admin_client.get(url)
    assert "delete_selected" not in page.content.decode()
    admin_client.post(
        url,
        {
            "action": "delete_selected",
            "_selected_action": list(StatusChange.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert history_state() == before


def test_a_multiline_evidence_quote_posted_back_by_a_browser_is_no_change(editor_client, agreed):
    # Browsers send a textarea's line breaks as CRLF: the same words, anchored at the same place.
    multiline = services.add_citation(
        proposal=agreed.proposal,
        source=agreed.source,
        quote="urged closer\nintelligence sharing",
        locator="¶2",
        role="evidence",
    )
    agreed.proposal.refresh_from_db()
    services.record_transition(
        proposal=agreed.proposal,
        to_status="in_progress",
        note="Work began.",
        effective_date=AGREED_ON,
        evidence=[multiline],
        expected_version=agreed.proposal.version,
    )
    agreed.proposal.refresh_from_db()
    data = admin_change_data(agreed.proposal)
    index = evidence_index(data, multiline)
    data[f"citations-{index}-quote"] = "urged closer\r\nintelligence sharing"
    data[f"citations-{index}-locator"] = "¶2, middle"
    url = reverse("admin:proposals_proposal_change", args=[agreed.proposal.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 302
    stored = Citation.objects.get(pk=multiline.pk)
    assert (stored.quote, stored.locator) == ("urged closer\nintelligence sharing", "¶2, middle")
