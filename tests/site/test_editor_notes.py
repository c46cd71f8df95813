"""Editors' working notes stay with the editors: the admin shows them, nothing public does."""

from __future__ import annotations

import pytest

from proposals import services
from proposals.models import Proposal

pytestmark = pytest.mark.django_db

SLUG = "coast-guard-hadr-cooperation"
NOTE = "so only the year 2021 is given"  # the demo corpus's note on how the date was read


def test_the_demo_corpus_keeps_its_reasoning_out_of_the_summaries(corpus):
    proposal = Proposal.objects.get(slug=SLUG)
    assert NOTE in proposal.editor_notes
    assert NOTE not in proposal.summary
    reasoning = ("tracked separately", "kept separate", "so it is dated", "Kept apart")
    for summary in Proposal.objects.values_list("summary_en", flat=True):
        assert not any(words in summary for words in reasoning), summary


@pytest.mark.parametrize(
    "path",
    [
        f"/proposals/{SLUG}/",
        f"/ja/proposals/{SLUG}/",
        f"/api/v1/proposals/{SLUG}/",
        "/api/v1/proposals/?page_size=100",
        "/api/v1/proposals/?format=csv",
        f"/proposals/{SLUG}/feed.atom",
        "/feed/changes.atom",
    ],
)
def test_no_public_page_feed_or_api_shows_the_notes(client, corpus, path):
    response = client.get(path)
    assert response.status_code == 200
    assert NOTE not in response.content.decode()


def test_an_editor_reads_and_edits_the_notes_in_the_admin(client, corpus, editor):
    client.force_login(editor)
    proposal = Proposal.objects.get(slug=SLUG)
    page = client.get(f"/admin/proposals/proposal/{proposal.pk}/change/").content.decode()
    assert NOTE in page

    updated = services.update_proposal(
        proposal=proposal,
        expected_version=proposal.version,
        editor_notes="Re-read: the year still stands.",
        user=editor,
    )
    assert updated.editor_notes == "Re-read: the year still stands."
    assert "Re-read" not in client.get(f"/proposals/{SLUG}/").content.decode()
