"""Source, actor, relation and position selectors: texts left in the database, no query per row."""

from __future__ import annotations

import pytest

from proposals import selectors
from proposals.models import Proposal, StatusChange
from tests.factories import ActorFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def test_sources_without_text(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        sources = list(selectors.sources_without_text())
    assert [source.slug for source in sources] == ["cable", "article"]
    assert "text" in sources[0].get_deferred_fields()


def test_source_choices(tracker, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert [row[0] for row in selectors.source_choices()] == ["cable", "article"]
        assert [slug for slug, _ in selectors.sources_by_title()] == ["cable", "article"]


def test_source_detail_and_revisions(tracker, django_assert_num_queries):
    with django_assert_num_queries(2):
        source = selectors.source_detail().get(slug="cable")
        revisions = list(source.revisions.all())
    assert source.text.startswith("1. (C)")
    assert [(r.number, r.length) for r in revisions] == [(1, len(source.text))]
    with django_assert_num_queries(1):
        assert selectors.revision_of(source, 1).number == 1
    with django_assert_num_queries(0):
        assert selectors.latest_correction(source) is None


def test_sources_with_counts_and_kinds(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = {
            s.slug: (s.citation_count, s.proposal_count) for s in selectors.sources_with_counts()
        }
    assert counts == {"cable": (3, 2), "article": (1, 1)}
    with django_assert_num_queries(1):
        assert [(k.kind, k.count) for k in selectors.source_kinds()] == [("diplomatic_cable", 2)]


def test_revisions_for_editing_name_their_source(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = sorted(str(revision) for revision in selectors.revisions_for_editing())
    assert names == ["article revision 1", "cable revision 1"]


def test_actors(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = {a.slug: (a.made, a.addressed) for a in selectors.actors_with_counts()}
    assert counts == {"japan": (1, 1), "taiwan": (1, 0)}
    with django_assert_num_queries(1):
        assert list(selectors.actor_choices()) == [("japan", "Japan"), ("taiwan", "Taiwan")]
    with django_assert_num_queries(3):
        japan = selectors.actor_with_proposals().get(slug="japan")
        assert [p.slug for p in japan.proposals_made.all()] == ["academies"]
        assert [p.slug for p in japan.proposals_addressed.all()] == ["dialogue"]


def _ref(slug: str, name: str) -> dict:
    return {"slug": slug, "name": name, "name_i18n": {"en": name, "ja": None, "zh-hant": None}}


def test_actor_refs_of_a_page_and_of_a_whole_table(tracker, django_assert_num_queries):
    ids = [tracker.dialogue.pk, tracker.trade.pk]
    with django_assert_num_queries(1):  # both relations in one round trip
        refs = selectors.actor_refs(ids)
    assert refs[tracker.dialogue.pk] == {
        "proposers": [_ref("taiwan", "Taiwan")],
        "addressees": [_ref("japan", "Japan")],
    }
    assert refs[tracker.trade.pk] == {"proposers": [], "addressees": []}
    with django_assert_num_queries(1):
        assert selectors.actor_refs(Proposal.objects.all()) == {
            **{pk: refs[pk] for pk in ids if refs[pk]["proposers"]},
            tracker.academies.pk: {
                "proposers": [_ref("japan", "Japan")],
                "addressees": [],
            },
        }
    with django_assert_num_queries(0):
        assert selectors.actor_refs([]) == {}


def test_actor_refs_list_each_relation_by_name():
    zeta, alpha, mid = (ActorFactory(name=name) for name in ("Zeta", "Alpha", "Mid"))
    proposal = ProposalFactory(proposers=[zeta, alpha], addressees=[mid, zeta])
    refs = selectors.actor_refs([proposal.pk])[proposal.pk]
    assert [ref["name"] for ref in refs["proposers"]] == ["Alpha", "Zeta"]
    assert [ref["name"] for ref in refs["addressees"]] == ["Mid", "Zeta"]


def test_evidence_ids_of_changes(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        refs = selectors.evidence_ids_of(StatusChange.objects.all())
    agreed = StatusChange.objects.get(to_status="agreed")
    assert refs[agreed.pk] == [{"id": tracker.evidence.pk}]
    # A change without evidence reads as an empty list, not as a missing key.
    assert refs[StatusChange.objects.get(to_status="under_discussion").pk] == []


def test_relations_and_lineage(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        relations = list(selectors.relations_of(tracker.dialogue))
        assert [(r.from_proposal.slug, r.type, r.to_proposal.slug) for r in relations] == [
            ("academies", "continues", "dialogue")
        ]
    with django_assert_num_queries(2):
        lineage = selectors.lineage_of(tracker.academies)
    assert [p.slug for p in lineage] == ["dialogue", "academies"]


def test_positions(tracker, django_assert_num_queries):
    with django_assert_num_queries(2):
        positions = list(selectors.positions_of(tracker.dialogue))
        assert [
            (p.actor.slug, p.stance, [e.source.slug for e in p.evidence.all()]) for p in positions
        ] == [("japan", "supports", ["cable"])]
    assert selectors.current_positions(positions) == positions
    with django_assert_num_queries(1):
        assert [p.proposal.slug for p in selectors.positions_of_actor(tracker.japan)] == [
            "dialogue"
        ]
