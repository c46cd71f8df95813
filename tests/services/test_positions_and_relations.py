"""Actors' positions, relations between proposals and date qualifiers, written through services."""

from __future__ import annotations

import datetime

import pytest

from proposals import errors, services
from proposals.models import AppendOnlyError, Position, Relation
from tests.factories import ActorFactory, ProposalFactory, cite

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal():
    return ProposalFactory(proposed_on=datetime.date(2005, 3, 2))


def position(proposal, actor, evidence, **overrides):
    fields = {
        "stance": "supports",
        "note": "The quoted words say so.",
        "effective_date": datetime.date(2005, 3, 2),
        "evidence": evidence,
    }
    return services.record_position(proposal=proposal, actor=actor, **{**fields, **overrides})


def test_a_position_rests_on_a_citation_of_its_proposal(proposal):
    actor = ActorFactory()
    citation = cite(proposal)
    recorded = position(proposal, actor, [citation], effective_qualifier="on_or_before")
    assert recorded.stance == "supports"
    assert recorded.effective_qualifier == "on_or_before"
    assert list(recorded.evidence.all()) == [citation]


def test_a_position_without_evidence_is_refused_and_nothing_is_written(proposal):
    with pytest.raises(errors.PositionEvidenceRequired):
        position(proposal, ActorFactory(), [])
    assert not Position.objects.exists()


def test_evidence_of_another_proposal_is_refused(proposal):
    other_citation = cite(ProposalFactory())
    with pytest.raises(errors.EvidenceOfAnotherProposal):
        position(proposal, ActorFactory(), [other_citation])
    assert not Position.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"stance": "loves"}, errors.UnknownChoice),
        ({"note": "  "}, errors.NoteRequired),
        ({"effective_date": datetime.date(2005, 3, 1)}, errors.InvalidDate),
        ({"effective_qualifier": "roughly"}, errors.InvalidDate),
        ({"effective_precision": "month"}, errors.InvalidDate),
    ],
)
def test_a_bad_position_is_refused(proposal, overrides, error):
    with pytest.raises(error):
        position(proposal, ActorFactory(), [cite(proposal)], **overrides)
    assert not Position.objects.exists()


def test_positions_read_in_order_and_are_append_only(proposal):
    actor = ActorFactory()
    citation = cite(proposal)
    first = position(proposal, actor, [citation], effective_date=datetime.date(2005, 6, 1))
    with pytest.raises(errors.InvalidDate):
        position(proposal, actor, [citation], effective_date=datetime.date(2005, 5, 1))
    later = position(
        proposal, actor, [citation], stance="opposes", effective_date=datetime.date(2005, 7, 1)
    )
    assert later.stance == "opposes"
    first.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        first.delete()
    with pytest.raises(AppendOnlyError):
        Position.objects.filter(pk=first.pk).update(stance="opposes")


def test_a_relation_links_two_proposals_with_a_citation_of_either(proposal):
    later = ProposalFactory(proposed_on=datetime.date(2019, 1, 1), proposed_precision="year")
    citation = cite(later)
    relation = services.add_relation(
        from_proposal=later,
        to_proposal=proposal,
        type="continues",
        note="The later call takes up the earlier one.",
        citation=citation,
    )
    assert (relation.from_proposal, relation.to_proposal, relation.type) == (
        later,
        proposal,
        "continues",
    )


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("itself", errors.InvalidRelation),
        ("unknown type", errors.UnknownChoice),
        ("foreign citation", errors.InvalidRelation),
        ("no note", errors.NoteRequired),
        ("twice", errors.InvalidRelation),
    ],
)
def test_a_bad_relation_is_refused(proposal, case, error):
    other = ProposalFactory()
    fields = {"from_proposal": other, "to_proposal": proposal, "type": "continues", "note": "Why."}
    if case == "itself":
        fields["to_proposal"] = other
    elif case == "unknown type":
        fields["type"] = "inspires"
    elif case == "foreign citation":
        fields["citation"] = cite(ProposalFactory())
    elif case == "no note":
        fields["note"] = ""
    elif case == "twice":
        services.add_relation(**fields)
    before = Relation.objects.count()
    with pytest.raises(error):
        services.add_relation(**fields)
    assert Relation.objects.count() == before


def test_a_qualified_date_flows_into_the_status_shown(proposal):
    citation = cite(proposal, role="evidence")
    services.record_transition(
        proposal=proposal,
        to_status="agreed",
        note="Agreed, by this day at the latest.",
        effective_date=datetime.date(2005, 4, 1),
        effective_qualifier="on_or_before",
        evidence=[citation],
        expected_version=proposal.version,
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.status_since_qualifier) == ("agreed", "on_or_before")
    assert proposal.history.order_by("-id").first().effective_qualifier == "on_or_before"


def test_an_unknown_qualifier_is_refused_before_anything_is_written():
    with pytest.raises(errors.InvalidDate):
        ProposalFactory(proposed_qualifier="perhaps")


@pytest.mark.parametrize("character", ["\x00", "\x7f", "\ufffe", "\uffff", "\U0001fffe", "\ud800"])
def test_characters_no_feed_can_carry_are_refused_at_input(proposal, character):
    with pytest.raises(errors.ControlCharacter):
        position(proposal, ActorFactory(), [cite(proposal)], note=f"Said{character}so.")
    with pytest.raises(errors.ControlCharacter):
        ProposalFactory(title=f"Bad{character}title")
    assert not Position.objects.exists()


def test_a_relation_is_changed_and_checked_as_it_was_added(proposal):
    earlier, other = ProposalFactory(), ProposalFactory()
    relation = services.add_relation(
        from_proposal=proposal, to_proposal=earlier, type="continues", note="Takes it up."
    )
    changed = services.update_relation(
        relation=relation, to_proposal=other, type="alternative_to", note="  Rather this.  "
    )
    assert (changed.to_proposal, changed.type, changed.note) == (
        other,
        "alternative_to",
        "Rather this.",
    )
    assert Relation.objects.get(pk=relation.pk).to_proposal == other
    with pytest.raises(errors.InvalidRelation) as caught:
        services.update_relation(
            relation=relation, to_proposal=proposal, type="continues", note="x"
        )
    assert caught.value.field == "proposal"
    with pytest.raises(errors.InvalidRelation) as caught:
        services.update_relation(
            relation=relation, to_proposal=other, type="continues", note="x", citation=cite(earlier)
        )
    assert caught.value.field == "citation"
    assert Relation.objects.get(pk=relation.pk).type == "alternative_to"
