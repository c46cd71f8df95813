"""The editors' admin: the change-status page, stale forms, read-only history and texts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from proposals import services
from proposals.models import Citation, Proposal, StatusChange
from tests.factories import (
    ProposalFactory,
    SourceFactory,
    change_status_url,
    cite,
    post_change,
    proposal_form_data,
    source_form_data,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2005, 11, 10)


def test_change_status_page_offers_only_allowed_statuses(editor_client, proposal):
    response = editor_client.get(change_status_url(proposal))
    assert response.status_code == 200
    choices = [value for value, _ in response.context["form"].fields["to_status"].choices]
    assert choices == ["under_discussion", "agreed", "rejected", "withdrawn"]
    assert "Officials proposed exchanges between military academies" in response.content.decode()


def test_editor_changes_a_status(editor_client, editor, proposal):
    response = post_change(editor_client, proposal)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "agreed"
    change = proposal.history.order_by("-id").first()
    assert change.recorded_by == editor
    assert list(change.evidence.all()) == list(proposal.citations.all())


def test_missing_evidence_is_shown_on_the_form(editor_client, proposal):
    response = post_change(editor_client, proposal, evidence=[])
    assert response.status_code == 200
    assert "needs at least one evidence citation" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_a_stale_form_is_refused(editor_client, proposal):
    stale_version = proposal.version
    services.record_transition(
        proposal=proposal,
        to_status="under_discussion",
        note="Someone else discussed it.",
        effective_date=DAY,
        expected_version=proposal.version,
    )
    response = post_change(editor_client, proposal, to_status="withdrawn", version=stale_version)
    assert response.status_code == 200
    assert "changed meanwhile" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "under_discussion"
    assert proposal.history.count() == 2


def test_a_stale_form_whose_choice_is_no_longer_offered_says_it_is_stale(editor_client, proposal):
    stale_version = proposal.version
    services.record_transition(
        proposal=proposal,
        to_status="withdrawn",
        note="Dropped meanwhile.",
        effective_date=DAY,
        expected_version=proposal.version,
    )
    # "agreed" cannot follow "withdrawn": the form is stale, not merely invalid.
    response = post_change(editor_client, proposal, version=stale_version)
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed meanwhile" in page
    assert "This status is final" in page
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert proposal.history.count() == 2


def test_non_editor_staff_is_refused(client, staff_user, proposal):
    client.force_login(staff_user)
    assert client.get(change_status_url(proposal)).status_code == 403
    assert post_change(client, proposal).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_anonymous_is_sent_to_login(client, proposal):
    response = client.get(change_status_url(proposal))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_final_status_page_says_so(editor_client, proposal):
    services.record_transition(
        proposal=proposal,
        to_status="withdrawn",
        note="Dropped.",
        effective_date=DAY,
        expected_version=proposal.version,
    )
    response = editor_client.get(change_status_url(proposal))
    assert "This status is final" in response.content.decode()


def test_changelist_filters_and_search(editor_client, proposal):
    url = reverse("admin:proposals_proposal_changelist")
    other = ProposalFactory(title="Intelligence sharing")
    cite(other, SourceFactory(), quote="urged closer")
    response = editor_client.get(url, {"q": "academies"})
    assert list(response.context["cl"].result_list) == [proposal]
    response = editor_client.get(url, {"status__exact": "proposed"})
    assert set(response.context["cl"].result_list) == {proposal, other}
    response = editor_client.get(url, {"source": proposal.citations.get().source.slug})
    assert list(response.context["cl"].result_list) == [proposal]


def test_editing_a_proposal_goes_through_the_service(editor_client, proposal):
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    response = editor_client.post(url, proposal_form_data(proposal, title_en="Academy exchanges"))
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal.refresh_from_db()
    assert proposal.title == "Academy exchanges"
    assert proposal.version == 3


def test_a_stale_edit_is_refused(editor_client, proposal):
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    data = proposal_form_data(proposal, title_en="Overwritten title")
    services.update_proposal(
        proposal=proposal, expected_version=proposal.version, summary="Meanwhile."
    )
    response = editor_client.post(url, data, follow=True)
    assert "changed meanwhile" in response.content.decode()
    proposal.refresh_from_db()
    assert (proposal.title, proposal.summary) == ("Exchanges between academies", "Meanwhile.")


def test_adding_a_citation_inline_anchors_it(editor_client, proposal):
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    source = proposal.citations.get().source
    data = proposal_form_data(proposal)
    data.update(
        {
            "citations-TOTAL_FORMS": "2",
            "citations-1-source": source.pk,
            "citations-1-role": "evidence",
            "citations-1-locator": "¶2",
            "citations-1-quote": "a point both sides welcomed",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302
    added = Citation.objects.get(proposal=proposal, role="evidence")
    assert source.text[added.start : added.end] == "a point both sides welcomed"


def test_a_citation_not_in_the_source_is_refused_inline(editor_client, proposal):
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    data = proposal_form_data(proposal)
    data.update(
        {
            "citations-TOTAL_FORMS": "2",
            "citations-1-source": proposal.citations.get().source_id,
            "citations-1-role": "evidence",
            "citations-1-locator": "¶2",
            "citations-1-quote": "words nobody wrote",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "The quote is not in the text" in response.content.decode()
    assert proposal.citations.count() == 1


def test_creating_a_proposal_in_the_admin_starts_its_history(editor_client):
    response = editor_client.post(
        reverse("admin:proposals_proposal_add"),
        {
            "slug": "new-proposal",
            "title_en": "A new proposal",
            "summary_en": "Something to do.",
            "category": "economic",
            "group": "",
            "ordinal": "",
            "proposed_on": "2019-05-01",
            "proposed_precision": "month",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
            "history-TOTAL_FORMS": "0",
            "history-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Proposal.objects.get(slug="new-proposal")
    assert created.history.get().to_status == "proposed"


def test_history_and_source_text_are_read_only(editor_client, proposal):
    change = proposal.history.get()
    assert (
        editor_client.get(
            reverse("admin:proposals_statuschange_change", args=[change.pk])
        ).status_code
        == 200
    )
    response = editor_client.post(
        reverse("admin:proposals_statuschange_change", args=[change.pk]), {"note": "rewritten"}
    )
    assert response.status_code == 403
    assert (
        editor_client.post(
            reverse("admin:proposals_statuschange_delete", args=[change.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert StatusChange.objects.get(pk=change.pk).note != "rewritten"
    source = SourceFactory()
    page = editor_client.get(
        reverse("admin:proposals_source_change", args=[source.pk])
    ).content.decode()
    assert 'name="text"' not in page


@pytest.mark.parametrize("object_id", ["abc", "999999"])
def test_change_status_page_of_an_unknown_proposal_is_404(editor_client, object_id):
    url = reverse("admin:proposals_proposal_change_status", args=[object_id])
    assert editor_client.get(url).status_code == 404


def test_a_citation_already_there_is_refused_inline(editor_client, proposal):
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    existing = proposal.citations.get()
    data = proposal_form_data(proposal)
    data.update(
        {
            "citations-TOTAL_FORMS": "2",
            "citations-1-source": existing.source_id,
            "citations-1-role": existing.role,
            "citations-1-locator": "¶2 again",
            # The same words, typed with plain quotes and folded whitespace.
            "citations-1-quote": " ".join(existing.quote.split()),
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "already cited for this proposal" in response.content.decode()
    assert proposal.citations.count() == 1


def test_two_identical_new_citations_are_refused_with_a_message(editor_client, proposal):
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    source = proposal.citations.get().source
    data = proposal_form_data(proposal)
    data["citations-TOTAL_FORMS"] = "3"
    for index in (1, 2):
        data.update(
            {
                f"citations-{index}-source": source.pk,
                f"citations-{index}-role": "evidence",
                f"citations-{index}-locator": "¶2",
                f"citations-{index}-quote": "a point both sides welcomed",
            }
        )
    response = editor_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "already cited for this proposal" in response.content.decode()
    assert proposal.citations.count() == 1


def test_renaming_an_actor_moves_the_version_of_its_proposals(editor_client):
    from tests.factories import ActorFactory

    actor = ActorFactory(name="Old name")
    named = ProposalFactory(proposers=[actor])
    other = ProposalFactory()
    response = editor_client.post(
        reverse("admin:proposals_actor_change", args=[actor.pk]),
        {
            "slug": actor.slug,
            "name_en": "New name",
            "kind": actor.kind,
            "country_en": actor.country,
        },
    )
    assert response.status_code == 302
    named.refresh_from_db()
    other.refresh_from_db()
    assert (named.version, other.version) == (2, 1)
    assert named.proposers.get().name == "New name"


def test_retitling_a_source_moves_the_version_of_proposals_citing_it(
    client, proposal, django_user_model
):
    superuser = django_user_model.objects.create_superuser("root", password="root-password-123")
    client.force_login(superuser)
    source = proposal.citations.get().source
    before = proposal.version
    response = client.post(
        reverse("admin:proposals_source_change", args=[source.pk]),
        source_form_data(source, title="A better title"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal.refresh_from_db()
    source.refresh_from_db()
    assert source.title == "A better title"
    assert proposal.version == before + 1


def test_staff_with_model_permissions_but_not_an_editor_cannot_write(client, staff_user, proposal):
    from django.contrib.auth.models import Permission

    staff_user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_proposal", "change_proposal", "add_proposal", "add_citation"]
        )
    )
    client.force_login(staff_user)
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    assert client.get(url).status_code == 200  # may still read
    response = client.post(url, proposal_form_data(proposal, title_en="Changed by a non-editor"))
    assert response.status_code == 403
    assert client.get(reverse("admin:proposals_proposal_add")).status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Exchanges between academies"


def test_a_damaged_change_status_form_says_so(editor_client, proposal):
    response = post_change(editor_client, proposal, version="not-a-number")
    assert response.status_code == 200
    assert "The form was damaged" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
