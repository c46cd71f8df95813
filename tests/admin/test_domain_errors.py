"""The admin shows the services' refusals beside the fields they concern, keeping what was typed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from proposals import services, workflow
from proposals.models import Actor, Proposal, Source
from tests.factories import ActorFactory, SourceFactory, proposal_form_data

pytestmark = pytest.mark.django_db

DAY = datetime.date(2005, 11, 10)


def change_url(obj) -> str:
    return reverse(f"admin:proposals_{obj._meta.model_name}_change", args=[obj.pk])


def test_a_non_character_in_an_actor_name_is_refused_beside_the_field(editor_client):
    actor = ActorFactory(name="Ministry of Foreign Affairs")
    data = {"slug": actor.slug, "name_en": "Ministry\ufdd0", "kind": actor.kind, "aliases": ""}
    response = editor_client.post(change_url(actor), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Unicode non-character U+FDD0" in " ".join(errors["name_en"])
    assert Actor.objects.get(pk=actor.pk).name == "Ministry of Foreign Affairs"


def test_a_control_character_in_a_source_title_is_refused_beside_the_field(editor_client):
    source = SourceFactory(title="Cable one")
    page = editor_client.get(change_url(source))
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["title"] = "Cable\x1b one"
    response = editor_client.post(change_url(source), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "control character U+001B" in " ".join(errors["title"])
    assert Source.objects.get(pk=source.pk).title == "Cable one"


def test_a_stale_edit_keeps_what_was_typed_and_says_why(editor_client, proposal):
    data = proposal_form_data(proposal, title_en="Overwritten title")
    services.update_proposal(proposal=proposal, expected_version=proposal.version, summary="New.")
    response = editor_client.post(change_url(proposal), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "changed meanwhile" in " ".join(form.non_field_errors())
    assert form["title_en"].value() == "Overwritten title"
    assert Proposal.objects.get(pk=proposal.pk).title == "Exchanges between academies"


def test_an_ambiguous_quote_lists_where_each_occurrence_starts(editor_client, proposal):
    source = SourceFactory(text="Taiwan and Japan met. Later Taiwan and Japan met again.")
    data = proposal_form_data(proposal)
    data["citations-TOTAL_FORMS"] = "2"
    new = {"source": source.pk, "role": "context", "locator": "¶1", "quote": "Taiwan and Japan"}
    data.update({f"citations-1-{name}": value for name, value in new.items()})
    response = editor_client.post(change_url(proposal), data)
    assert response.status_code == 200
    [citations] = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "citations"
    ]
    message = " ".join(citations.formset.forms[1].errors["quote"])
    assert "occurs 2 times" in message and "Starts: 0, 28." in message
    data["citations-1-occurrence_start"] = "28"
    assert editor_client.post(change_url(proposal), data).status_code == 302
    assert proposal.citations.get(source=source).start == 28


def test_the_evidence_help_text_is_the_workflows_rule(editor_client, proposal):
    url = reverse("admin:proposals_proposal_change_status", args=[proposal.pk])
    form = editor_client.get(url).context["form"]
    assert form.fields["evidence"].help_text == workflow.evidence_rule()
    assert workflow.evidence_rule() == "Required for agreed, in progress, implemented and rejected."
