"""The admin as an editor's tool: forms that keep what was typed and say everything at once,
a readable proposal page, dates as precise as they are known, and what needs attention."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import services
from tests.factories import ProposalFactory, post_change

pytestmark = pytest.mark.django_db

DAY = datetime.date(2005, 11, 10)


def test_a_stale_form_keeps_what_the_editor_typed(editor_client, proposal):
    stale_version = proposal.version
    services.record_transition(
        proposal=proposal,
        to_status="under_discussion",
        note="Someone else discussed it.",
        effective_date=DAY,
        expected_version=proposal.version,
    )
    note = "A careful note that took ten minutes to write."
    response = post_change(
        editor_client, proposal, to_status="withdrawn", note=note, version=stale_version
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed meanwhile" in page
    assert "What you typed is kept below" in page
    assert note in re.search(r"<textarea[^>]*>(.*?)</textarea>", page, flags=re.S).group(1)
    form = response.context["form"]
    assert form["to_status"].value() == "withdrawn"
    proposal.refresh_from_db()
    assert form["version"].value() == str(proposal.version)
    # Nothing was recorded; sending the kept form again records it.
    assert proposal.history.count() == 2
    again = post_change(
        editor_client, proposal, to_status="withdrawn", note=note, version=proposal.version
    )
    assert again.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"


def test_every_error_is_reported_at_once_in_words(editor_client, proposal):
    response = post_change(editor_client, proposal, note="", evidence=[])
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["note"] == ["A status change needs a note saying why."]
    assert errors["evidence"] == [
        "A change to “Agreed” needs at least one evidence citation of this proposal."
    ]
    assert "'agreed'" not in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_a_date_before_the_proposal_and_missing_evidence_together(editor_client, proposal):
    response = post_change(editor_client, proposal, effective_date="2005-01-01", evidence=[])
    errors = response.context["form"].errors
    assert "before the proposal's date" in errors["effective_date"][0]
    assert "needs at least one evidence" in errors["evidence"][0]


def change_page(editor_client, proposal) -> str:
    response = editor_client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_proposal_change_page_reads_cleanly(editor_client, editor):
    proposal = ProposalFactory(
        proposed_on=datetime.date(2005, 1, 1), proposed_precision="year", title="A 2005 idea"
    )
    page = change_page(editor_client, proposal)
    # One "Status" row, with the change link in it.
    assert len(re.findall(r"<label>Status:</label>", page)) == 1
    assert "Change status…" in page
    # "View on site" once.
    assert page.count(">View on site<") == 1
    # The year-precision date reads "2005".
    proposed = re.search(r"<label>Proposed:</label>\s*<div class=\"readonly\">(.*?)</div>", page)
    assert proposed.group(1) == "2005"
    assert "Jan. 1, 2005" not in page
    # The hidden version is posted, with no label pointing at it.
    assert 'name="expected_version"' in page
    assert 'for="id_expected_version"' not in page
    # The history's short columns come before the note.
    headers = re.findall(r'<th class="column-([a-z_]+)', page)
    assert headers.index("effective") < headers.index("note")
    assert headers.index("to_status") < headers.index("note")


def test_the_history_shows_dates_to_their_precision(editor_client, proposal):
    services.record_transition(
        proposal=proposal,
        to_status="under_discussion",
        note="Sometime in 2006.",
        effective_date=datetime.date(2006, 1, 1),
        effective_precision="year",
        expected_version=proposal.version,
    )
    page = change_page(editor_client, proposal)
    assert re.search(r'class="field-effective">\s*<p>2006</p>', page)
    changelist = editor_client.get(reverse("admin:proposals_proposal_changelist")).content
    assert b'<td class="field-since">2006</td>' in changelist


def test_the_group_filter_names_proposals_without_a_group(editor_client, proposal):
    ProposalFactory(group="2019-statement", ordinal=1)
    response = editor_client.get(reverse("admin:proposals_proposal_changelist"))
    page = response.content.decode()
    assert re.search(r'<a href="\?group=-">No group</a>', page)
    filters = page[page.index('id="changelist-filter"') :]
    assert not re.search(r"<a [^>]*>\s*</a>", filters)
    filtered = editor_client.get(reverse("admin:proposals_proposal_changelist"), {"group": "-"})
    assert [p.pk for p in filtered.context["cl"].result_list] == [proposal.pk]


def test_needs_attention_lists_proposals_that_have_not_moved(editor_client, proposal):
    today = timezone.localdate()
    recent = ProposalFactory(proposed_on=today - datetime.timedelta(days=70), title="Fresh")
    ended = ProposalFactory(proposed_on=DAY, title="Dropped long ago")
    services.record_transition(
        proposal=ended,
        to_status="withdrawn",
        note="Dropped.",
        effective_date=DAY,
        expected_version=ended.version,
    )
    url = reverse("admin:proposals_proposal_attention")
    response = editor_client.get(url)
    assert response.status_code == 200
    stale = [p.pk for p, _ in response.context["stale"]]
    assert stale == [proposal.pk]  # not the fresh one, not the withdrawn one
    assert "No movement for more than 12 months (1)" in response.content.decode()
    assert "10 November 2005" in response.content.decode()
    # A shorter window catches the fresh one too; a bad value falls back to 12.
    assert recent.pk in [p.pk for p, _ in editor_client.get(url, {"months": 1}).context["stale"]]
    assert editor_client.get(url, {"months": "many"}).context["months"] == 12
    # Reached from the list of proposals.
    changelist = editor_client.get(reverse("admin:proposals_proposal_changelist"))
    assert url in changelist.content.decode()


def test_needs_attention_is_for_staff_only(client, proposal):
    response = client.get(reverse("admin:proposals_proposal_attention"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
