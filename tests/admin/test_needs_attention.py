"""The editors' "needs attention" page: passages a correction unsettled, deliveries that failed,
in the editor's language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from proposals.sources import revise_source
from tests.factories import SAMPLE_TEXT, ProposalFactory, SourceFactory, cite
from webhooks.models import Delivery, Event, Webhook

pytestmark = pytest.mark.django_db

URL = "/admin/proposals/proposal/attention/"


def corrected_away(quote: str, corrected: str):
    """A citation of `quote`, then a correction of its source to the text `corrected`."""
    proposal = ProposalFactory()
    source = SourceFactory()
    citation = cite(proposal, source, quote=quote)
    revise_source(
        source=source,
        note="Corrected a misreading.",
        text=corrected,
        expected_version=source.version,
    )
    citation.refresh_from_db()
    return citation


def test_orphaned_and_ambiguous_citations_are_listed_with_their_revision(editor_client):
    orphaned = corrected_away(
        "a point both sides welcomed",
        SAMPLE_TEXT.replace("a point both sides welcomed", "a point nobody raised"),
    )
    # Twice in the corrected text, neither time in the words around it before: no way to pick.
    ambiguous = corrected_away(
        "declined to discuss", "One side declined to discuss it; the other declined to discuss it."
    )
    fine = cite(ProposalFactory(title="Untouched"), quote="urged closer")
    assert (orphaned.anchor_status, ambiguous.anchor_status) == ("orphaned", "ambiguous")

    response = editor_client.get(URL)
    assert response.status_code == 200
    listed = [citation.pk for citation in response.context["citations"]]
    assert sorted(listed) == sorted([orphaned.pk, ambiguous.pk])
    assert fine.pk not in listed
    page = response.content.decode()
    assert "Citations whose passage needs a look (2)" in page
    assert "Orphaned" in page and "Ambiguous" in page
    assert "(cited on revision 1, now 2)" in page
    assert reverse("admin:proposals_citation_change", args=[orphaned.pk]) in page


def test_failed_deliveries_of_the_editors_own_subscriptions_are_listed(
    editor_client, editor, django_user_model
):
    other = django_user_model.objects.create_user("someone-else", password="x-password-123")
    event = Event.objects.create(type="proposal.created", body="{}")
    mine = Webhook.objects.create(
        owner=editor, url="https://receiver.example/hook", events=["proposal.created"]
    )
    theirs = Webhook.objects.create(
        owner=other, url="https://elsewhere.example/hook", events=["proposal.created"]
    )
    failed = Delivery.objects.create(
        webhook=mine, event=event, status=Delivery.Status.FAILED, attempts=8, last_status_code=500
    )
    Delivery.objects.create(webhook=theirs, event=event, status=Delivery.Status.FAILED)
    Delivery.objects.create(
        webhook=mine,
        event=Event.objects.create(type="proposal.created", body="{}"),
        status=Delivery.Status.SUCCEEDED,
    )

    response = editor_client.get(URL)
    assert [delivery.pk for delivery in response.context["deliveries"]] == [failed.pk]
    page = response.content.decode()
    assert "Failed webhook deliveries (1)" in page
    assert "https://receiver.example/hook" in page
    assert "elsewhere.example" not in page
    assert "HTTP 500" in page


def test_nothing_to_look_at_says_so(editor_client):
    page = editor_client.get(URL).content.decode()
    assert "Every citation is anchored on the current text of its source." in page
    assert "No delivery has failed." in page


@pytest.mark.parametrize(
    ("language", "heading", "deliveries"),
    [
        ("ja", "箇所の確認が必要な引用（0 件）", "失敗した Webhook 配信（0 件）"),
        ("zh-hant", "需檢查段落的引文（0 則）", "傳送失敗的 Webhook（0 筆）"),
    ],
)
def test_the_page_follows_the_editors_language(editor_client, language, heading, deliveries):
    response = editor_client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert heading in page
    assert deliveries in page
    assert "Needs attention" not in page
