"""The write services: versions, stale writes, citations; a refused write changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from proposals import errors, services
from proposals.models import Citation, Proposal, StatusChange
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite

pytestmark = pytest.mark.django_db

DAY = datetime.date(2005, 11, 10)


def snapshot(proposal: Proposal) -> tuple:
    row = Proposal.objects.get(pk=proposal.pk)
    return (
        row.status,
        row.status_since,
        row.version,
        row.title,
        StatusChange.objects.filter(proposal=proposal).count(),
        Citation.objects.filter(proposal=proposal).count(),
    )


def test_create_proposal_starts_the_history():
    proposer = ActorFactory()
    proposal = ProposalFactory(proposed_on=DAY, proposers=[proposer])
    assert proposal.status == "proposed"
    assert proposal.status_since == DAY
    assert proposal.version == 1
    [first] = proposal.history.all()
    assert (first.from_status, first.to_status, first.effective_date) == ("", "proposed", DAY)
    assert list(proposal.proposers.all()) == [proposer]


def test_create_proposal_refuses_a_future_date():
    with pytest.raises(errors.InvalidDate):
        ProposalFactory(proposed_on=datetime.date.today() + datetime.timedelta(days=2))
    assert not Proposal.objects.exists()


def test_create_proposal_validates_fields():
    with pytest.raises(ValidationError) as caught:
        ProposalFactory(title="x" * 301, category="astrology")
    assert {"title", "category"} <= set(caught.value.message_dict)
    assert not Proposal.objects.exists()


def test_duplicate_titles_are_refused():
    ProposalFactory(title="Same title")
    with pytest.raises(ValidationError):
        ProposalFactory(title="Same title")


def test_group_needs_an_ordinal():
    with pytest.raises(ValidationError):
        ProposalFactory(group="statement", ordinal=None)


def test_every_write_increments_the_version_and_returns_what_it_wrote():
    proposal = ProposalFactory(proposed_on=DAY)
    citation = services.add_citation(
        proposal=proposal,
        source=SourceFactory(),
        quote="Officials proposed exchanges between military academies",
        locator="¶2",
    )
    assert citation.proposal.version == 2
    change = services.record_transition(
        proposal=proposal,
        to_status="agreed",
        note="Agreed.",
        effective_date=DAY,
        evidence=[citation],
        expected_version=2,
    )
    assert (change.proposal.version, change.proposal.status) == (3, "agreed")
    updated = services.update_proposal(proposal=proposal, expected_version=3, title="New title")
    assert (updated.version, updated.title) == (4, "New title")
    relocated = services.update_citation(citation=citation, locator="¶3")
    assert (relocated.locator, relocated.proposal.version) == ("¶3", 5)
    proposal.refresh_from_db()
    assert (proposal.version, proposal.status, proposal.title) == (5, "agreed", "New title")


def test_the_services_leave_the_instances_they_are_given_alone():
    proposal = ProposalFactory(proposed_on=DAY)
    citation = services.add_citation(
        proposal=proposal,
        source=SourceFactory(),
        quote="Officials proposed exchanges between military academies",
        locator="¶2",
    )
    services.record_transition(
        proposal=proposal,
        to_status="agreed",
        note="Agreed.",
        effective_date=DAY,
        evidence=[citation],
        expected_version=2,
    )
    # The caller's instance still reads as it was read: the write is in what they return.
    assert (proposal.version, proposal.status) == (1, "proposed")


def test_stale_version_is_refused_and_changes_nothing():
    proposal = ProposalFactory(proposed_on=DAY)
    citation = cite(proposal)
    before = snapshot(proposal)
    with pytest.raises(errors.StaleVersion) as caught:
        services.record_transition(
            proposal=proposal,
            to_status="agreed",
            note="Agreed.",
            effective_date=DAY,
            evidence=[citation],
            expected_version=1,
        )
    assert caught.value.extra["current_version"] == 2
    assert snapshot(proposal) == before


def test_stale_update_is_refused_and_changes_nothing():
    proposal = ProposalFactory(proposed_on=DAY)
    before = snapshot(proposal)
    with pytest.raises(errors.StaleVersion):
        services.update_proposal(proposal=proposal, expected_version=7, title="Other")
    assert snapshot(proposal) == before


def test_update_cannot_touch_status_or_date():
    proposal = ProposalFactory(proposed_on=DAY)
    before = snapshot(proposal)
    for field in ("status", "proposed_on", "version"):
        with pytest.raises(errors.DomainError):
            services.update_proposal(proposal=proposal, expected_version=1, **{field: "agreed"})
    assert snapshot(proposal) == before


def test_refused_transition_changes_nothing():
    proposal = ProposalFactory(proposed_on=DAY)
    before = snapshot(proposal)
    with pytest.raises(errors.EvidenceRequired):
        services.record_transition(
            proposal=proposal,
            to_status="agreed",
            note="Agreed.",
            effective_date=DAY,
            evidence=[],
            expected_version=1,
        )
    assert snapshot(proposal) == before


def test_unknown_evidence_ids_are_refused():
    proposal = ProposalFactory(proposed_on=DAY)
    with pytest.raises(errors.DomainError):
        services.record_transition(
            proposal=proposal,
            to_status="agreed",
            note="Agreed.",
            effective_date=DAY,
            evidence=[987654],
            expected_version=1,
        )


def test_add_citation_computes_offsets_and_hash():
    source = SourceFactory()
    proposal = ProposalFactory()
    citation = cite(proposal, source, quote="urged closer\nintelligence sharing")
    assert source.text[citation.start : citation.end] == citation.quote
    assert len(citation.quote_sha256) == 64


def test_add_citation_stores_the_sources_own_characters():
    source = SourceFactory()
    proposal = ProposalFactory()
    citation = cite(
        proposal,
        source,
        quote='The "coast guard" of each side should cooperate in disaster relief -',
    )
    assert citation.quote == "The “coast guard” of each side should cooperate in disaster relief —"
    assert source.text[citation.start : citation.end] == citation.quote


def test_a_quote_not_in_the_source_is_refused_with_a_clear_error():
    source = SourceFactory()
    proposal = ProposalFactory()
    before = snapshot(proposal)
    with pytest.raises(errors.QuoteNotInSource) as caught:
        cite(proposal, source, quote="Officials proposed a joint fleet")
    assert source.slug in caught.value.message
    assert "verbatim" in caught.value.message
    assert snapshot(proposal) == before


def test_quote_length_is_limited():
    long_text = "word " * 1000
    source = SourceFactory(text=long_text)
    proposal = ProposalFactory()
    with pytest.raises(ValidationError):
        cite(proposal, source, quote=long_text.strip())


def test_citation_used_as_evidence_cannot_be_deleted():
    proposal = ProposalFactory(proposed_on=DAY)
    citation = cite(proposal)
    services.record_transition(
        proposal=proposal,
        to_status="agreed",
        note="Agreed.",
        effective_date=DAY,
        evidence=[citation],
        expected_version=proposal.version,
    )
    with pytest.raises(errors.CitationInUse):
        services.delete_citation(citation=citation)
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_unused_citation_can_be_deleted_and_version_moves():
    proposal = ProposalFactory()
    citation = cite(proposal)
    services.delete_citation(citation=citation)
    proposal.refresh_from_db()
    assert not Citation.objects.exists()
    assert proposal.version == 3


def test_ensure_editor_is_idempotent():
    user, token = services.ensure_editor(username="alice")
    again, token_again = services.ensure_editor(username="alice", password="a-new-password-42")
    assert user.pk == again.pk and token == token_again
    assert again.groups.filter(name="Editors").exists()
    assert again.check_password("a-new-password-42")


@pytest.mark.parametrize("loss", ["permissions deleted", "group stripped"])
def test_an_editor_created_after_its_permissions_were_lost_may_still_write(loss):
    from django.contrib.auth.models import Group, Permission

    from proposals.roles import is_editor

    services.ensure_editor(username="first")
    if loss == "permissions deleted":  # a database reloaded without them
        Permission.objects.filter(codename="change_proposal_status").delete()
    else:
        Group.objects.get(name="Editors").permissions.clear()
    user, _token = services.ensure_editor(username="second")
    assert is_editor(type(user).objects.get(pk=user.pk))
