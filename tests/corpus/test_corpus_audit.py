"""The demo corpus as the audit left it: honest dates, positions and links on quoted words."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from django.conf import settings

from proposals.models import Position, Proposal, Relation, StatusChange

pytestmark = pytest.mark.django_db

CORPUS = Path(settings.BASE_DIR) / "fixtures" / "corpus.toml"


def test_the_corpus_header_states_the_rule_for_what_is_a_proposal():
    header = CORPUS.read_text(encoding="utf-8").split("[[sources]]")[0]
    assert "# WHAT COUNTS AS A PROPOSAL" in header
    assert "AUDIT OF THE SECOND WAVE" in header
    tomllib.loads(CORPUS.read_text(encoding="utf-8"))  # and the file still parses


def test_every_position_and_every_later_change_rests_on_citations_of_its_proposal(corpus):
    positions = Position.objects.prefetch_related("evidence")
    assert positions.count() >= 10
    for position in positions:
        evidence = list(position.evidence.all())
        assert evidence, position
        assert {citation.proposal_id for citation in evidence} == {position.proposal_id}
    for change in StatusChange.objects.exclude(from_status="").prefetch_related("evidence"):
        evidence = list(change.evidence.all())
        assert evidence, change
        assert {citation.proposal_id for citation in evidence} == {change.proposal_id}


def test_remarks_reported_from_a_recent_conference_are_dated_by_the_cable(corpus):
    taipei = Proposal.objects.filter(
        citations__source__slug="taipei-2005-taiwan-japan-us-cooperation",
        citations__role="origin",
    ).distinct()
    assert taipei.count() == 10
    assert set(taipei.values_list("proposed_qualifier", flat=True)) == {"on_or_before"}


def test_a_change_is_no_more_precise_than_its_evidence(corpus):
    hadr = Proposal.objects.get(slug="coast-guard-hadr-cooperation")
    assert (hadr.proposed_precision, hadr.status_since_precision) == ("year", "year")
    assert not hadr.proposers.filter(slug="ldp").exists()


def test_relations_link_proposals_across_the_years(corpus):
    assert Relation.objects.count() >= 15
    assert Relation.objects.filter(
        type="continues",
        from_proposal__slug="ldp-dpp-party-security-dialogue",
        to_proposal__slug="japan-taiwan-official-security-dialogue",
    ).exists()
    for relation in Relation.objects.exclude(citation=None).select_related("citation"):
        assert relation.citation.proposal_id in (relation.from_proposal_id, relation.to_proposal_id)
