"""Editors link proposals and record actors' positions in the admin, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from proposals.models import Position, Proposal, Relation
from proposals.roles import EDITORS_GROUP
from tests.factories import ActorFactory, ProposalFactory, cite, proposal_form_data

pytestmark = pytest.mark.django_db

DAY = datetime.date(2005, 11, 10)


@pytest.fixture
def proposal() -> Proposal:
    proposal = ProposalFactory(proposed_on=DAY, title="Official trilateral security dialogue")
    cite(proposal)
    return proposal


@pytest.fixture
def earlier() -> Proposal:
    return ProposalFactory(proposed_on=datetime.date(2005, 3, 2), title="Trilateral dialogue")


def change_url(proposal: Proposal) -> str:
    return reverse("admin:proposals_proposal_change", args=[proposal.pk])


def position_url(proposal: Proposal) -> str:
    return reverse("admin:proposals_proposal_record_position", args=[proposal.pk])


def with_relations(proposal: Proposal, *rows: dict, existing: list[Relation] = ()) -> dict:
    """The proposal's form as posted, with its relation rows (existing ones first)."""
    data = proposal_form_data(proposal)
    forms = [
        {"id": r.pk, "type": r.type, "to_proposal": r.to_proposal_id, "note": r.note}
        for r in existing
    ]
    for index, row in enumerate([*forms, *rows]):
        data.update({f"relations_out-{index}-{name}": value for name, value in row.items()})
        data[f"relations_out-{index}-from_proposal"] = proposal.pk
    data["relations_out-TOTAL_FORMS"] = str(len(forms) + len(rows))
    data["relations_out-INITIAL_FORMS"] = str(len(forms))
    return data


def relation_errors(response) -> list[dict]:
    [inline] = [
        item
        for item in response.context["inline_admin_formsets"]
        if item.formset.prefix == "relations_out"
    ]
    return [form.errors for form in inline.formset.forms]


def test_the_editors_group_may_link_proposals_and_record_positions():
    codenames = set(
        Group.objects.get(name=EDITORS_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {
        "add_relation",
        "change_relation",
        "delete_relation",
        "add_position",
        "view_position",
        "add_positionevidence",
        "view_positionevidence",
    } <= codenames


def test_an_editor_links_two_proposals_on_the_proposal_page(
    editor_client, editor, proposal, earlier
):
    row = {"type": "continues", "to_proposal": earlier.pk, "note": "Takes up the 2005 call."}
    response = editor_client.post(change_url(proposal), with_relations(proposal, row))
    assert response.status_code == 302, relation_errors(response)
    relation = Relation.objects.get()
    assert (relation.from_proposal, relation.to_proposal, relation.type) == (
        proposal,
        earlier,
        "continues",
    )
    assert relation.created_by == editor
    # The other proposal's page shows the link, read-only.
    page = editor_client.get(change_url(earlier)).content.decode()
    assert "Relations from other proposals" in page and "Takes up the 2005 call." in page


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"type": "continues", "note": "Itself."}, "to_proposal", "related to itself"),
        ({"type": "continues", "note": "  "}, "note", "This field is required"),
        ({"type": "continues", "note": "Bell\x07"}, "note", "control character U+0007"),
    ],
)
def test_a_refused_relation_is_shown_beside_its_field(editor_client, proposal, row, field, message):
    row = {"to_proposal": proposal.pk, **row} if "Itself" in row["note"] else row
    row.setdefault("to_proposal", ProposalFactory().pk)
    response = editor_client.post(change_url(proposal), with_relations(proposal, row))
    assert response.status_code == 200
    [errors] = relation_errors(response)
    assert message in " ".join(errors[field])
    assert not Relation.objects.exists()


def test_a_citation_of_neither_proposal_is_refused_beside_the_citation(
    editor_client, proposal, earlier
):
    elsewhere = cite(ProposalFactory())
    row = {
        "type": "continues",
        "to_proposal": earlier.pk,
        "note": "Linked.",
        "citation": elsewhere.pk,
    }
    response = editor_client.post(change_url(proposal), with_relations(proposal, row))
    assert response.status_code == 200
    [errors] = relation_errors(response)
    assert "must belong to one of the two proposals" in " ".join(errors["citation"])


def test_the_same_link_twice_is_refused(editor_client, proposal, earlier):
    row = {"type": "continues", "to_proposal": earlier.pk, "note": "Again."}
    editor_client.post(change_url(proposal), with_relations(proposal, row))
    response = editor_client.post(change_url(proposal), with_relations(proposal, row))
    assert response.status_code == 200
    assert "already related this way" in response.content.decode()
    assert Relation.objects.count() == 1


def test_a_relation_is_changed_and_deleted_through_the_page(editor_client, proposal, earlier):
    row = {"type": "continues", "to_proposal": earlier.pk, "note": "First reading."}
    editor_client.post(change_url(proposal), with_relations(proposal, row))
    relation = Relation.objects.get()
    data = with_relations(proposal, existing=[relation])
    data["relations_out-0-note"] = "Second reading."
    data["relations_out-0-type"] = "alternative_to"
    assert editor_client.post(change_url(proposal), data).status_code == 302
    relation.refresh_from_db()
    assert (relation.type, relation.note) == ("alternative_to", "Second reading.")
    data = with_relations(proposal, existing=[relation])
    data["relations_out-0-DELETE"] = "on"
    assert editor_client.post(change_url(proposal), data).status_code == 302
    assert not Relation.objects.exists()


def position_data(proposal: Proposal, actor, **overrides) -> dict:
    data = {
        "actor": actor.pk,
        "stance": "supports",
        "effective_date": "2005-11-12",
        "effective_precision": "day",
        "effective_qualifier": "exact",
        "note": "Welcomed the dialogue.",
        "evidence": [proposal.citations.get().pk],
    }
    data.update(overrides)
    return data


def test_an_editor_records_a_position_with_its_evidence(editor_client, editor, proposal):
    actor = ActorFactory(name="Democratic Progressive Party")
    page = editor_client.get(position_url(proposal))
    assert page.status_code == 200
    assert "Officials proposed exchanges between military academies" in page.content.decode()
    response = editor_client.post(position_url(proposal), position_data(proposal, actor))
    assert response.status_code == 302
    position = Position.objects.get()
    assert (position.actor, position.stance, position.recorded_by) == (actor, "supports", editor)
    assert list(position.evidence.all()) == [proposal.citations.get()]
    page = editor_client.get(change_url(proposal)).content.decode()
    assert "Positions of actors" in page and "Welcomed the dialogue." in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"evidence": []}, "evidence", "needs at least one citation"),
        ({"effective_date": "2005-11-01"}, "effective_date", "before the proposal's date"),
        (
            {"effective_date": "2005-11-12", "effective_precision": "month"},
            "effective_date",
            "first day",
        ),
        ({"note": " "}, "note", "needs a note"),
        ({"note": "Bell\x07"}, "note", "control character U+0007"),
    ],
)
def test_a_refused_position_is_shown_beside_its_field(
    editor_client, proposal, overrides, field, message
):
    actor = ActorFactory()
    response = editor_client.post(
        position_url(proposal), position_data(proposal, actor, **overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Position.objects.exists()


def test_positions_are_recorded_by_editors_only(client, staff_user, proposal):
    client.force_login(staff_user)
    assert client.get(position_url(proposal)).status_code == 403
    response = client.post(position_url(proposal), position_data(proposal, ActorFactory()))
    assert response.status_code == 403
    assert not Position.objects.exists()


@pytest.mark.parametrize(
    ("field", "term"), [("to_proposal", "Trilateral"), ("citation", "academies")]
)
def test_the_relation_fields_are_searched_not_listed(editor_client, proposal, earlier, field, term):
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "proposals", "model_name": "relation", "field_name": field, "term": term},
    )
    assert response.status_code == 200
    assert response.json()["results"]
