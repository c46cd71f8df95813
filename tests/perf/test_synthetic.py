"""The synthetic data generator: what the services would have written, deterministically."""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from bench import synthetic
from proposals import anchoring, workflow
from proposals.models import Citation, Proposal, Source, StatusChange, StatusChangeEvidence
from tests.factories import ProposalFactory, SourceFactory
from tests.perf.conftest import generate

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Everything generated, keyed by slugs and offsets rather than database ids."""
    proposals = {
        row["slug"]: row
        for row in Proposal.objects.values(
            "slug",
            "title",
            "summary",
            "category",
            "group",
            "ordinal",
            "proposed_on",
            "proposed_precision",
            "status",
            "status_since",
            "status_since_precision",
            "version",
        )
    }
    citations = sorted(
        Citation.objects.values_list(
            "proposal__slug", "source__slug", "start", "end", "role", "locator", "quote_sha256"
        )
    )
    changes = sorted(
        StatusChange.objects.values_list(
            "proposal__slug", "from_status", "to_status", "effective_date", "note"
        )
    )
    evidence = sorted(
        StatusChangeEvidence.objects.values_list(
            "status_change__proposal__slug",
            "status_change__to_status",
            "status_change__effective_date",
            "citation__start",
        )
    )
    actors = sorted(Proposal.proposers.through.objects.values_list("proposal__slug", "actor__slug"))
    return {
        "proposals": proposals,
        "citations": citations,
        "changes": changes,
        "evidence": evidence,
        "actors": actors,
    }


def test_counts_are_realistic():
    result = generate(60)
    assert (result.proposals, Proposal.objects.count()) == (60, 60)
    assert 3 * 60 <= Citation.objects.count() <= 7 * 60  # five per proposal on average
    assert 6 * 60 <= StatusChange.objects.count() <= 14 * 60  # ten on average
    assert result.citations == Citation.objects.count()
    assert result.changes == StatusChange.objects.count()
    assert result.evidence == StatusChangeEvidence.objects.count()
    assert Proposal.objects.exclude(group="").exists()
    assert all(len(text) >= 12_000 for text in Source.objects.values_list("text", flat=True))


def test_histories_follow_the_workflow_and_match_their_proposal():
    generate(40)
    today = timezone.localdate()
    citations = defaultdict(set)
    for pk, proposal_id in Citation.objects.values_list("pk", "proposal_id"):
        citations[proposal_id].add(pk)
    evidence = defaultdict(set)
    for change_id, citation_id in StatusChangeEvidence.objects.values_list(
        "status_change_id", "citation_id"
    ):
        evidence[change_id].add(citation_id)
    for proposal in Proposal.objects.all():
        changes = list(proposal.history.order_by("effective_date", "id"))
        first, rest = changes[0], changes[1:]
        assert (first.from_status, first.to_status) == ("", workflow.INITIAL_STATUS)
        assert first.effective_date == proposal.proposed_on
        assert first.effective_precision == proposal.proposed_precision
        workflow.check_precision(proposal.proposed_on, proposal.proposed_precision, "proposed_on")
        previous = first
        for change in rest:
            assert change.from_status == previous.to_status
            workflow.check_transition(change.from_status, change.to_status)
            assert previous.effective_date <= change.effective_date <= today
            assert change.note
            if workflow.requires_evidence(change.to_status):
                assert evidence[change.pk]
            assert evidence[change.pk] <= citations[proposal.pk]
            previous = change
        assert proposal.status == previous.to_status
        assert proposal.status_since == previous.effective_date
        assert proposal.status_since_precision == previous.effective_precision
        # create_proposal gives 1; each citation and each transition adds one.
        assert proposal.version == 1 + len(citations[proposal.pk]) + len(rest)


def test_citations_are_anchored_as_the_service_would_anchor_them():
    generate(20)
    texts = dict(Source.objects.values_list("pk", "text"))
    for citation in Citation.objects.all():
        text = texts[citation.source_id]
        anchor = anchoring.find_quote(text, citation.quote)
        assert (anchor.start, anchor.end) == (citation.start, citation.end)
        assert citation.quote_sha256 == anchoring.quote_hash(citation.quote)
        assert citation.locator.startswith("\u00b6")
    for source in Source.objects.all():
        assert source.sha256 == anchoring.text_hash(source.text)
    output = io.StringIO()
    call_command("verify_citations", stdout=output)
    assert "0 failure(s)" in output.getvalue()


def test_same_seed_same_data_and_a_top_up_equals_one_run():
    with transaction.atomic():
        generate(14, seed=3)
        whole = snapshot()
        transaction.set_rollback(True)
    with transaction.atomic():
        generate(5, seed=3)
        generate(14, seed=3, top_up=True)
        topped_up = snapshot()
        transaction.set_rollback(True)
    assert whole == topped_up
    generate(14, seed=4)
    assert snapshot() != whole


def test_writes_through_the_services_still_work_afterwards():
    """Sequences are past the generated keys: new rows get fresh ids."""
    generate(5)
    proposal = ProposalFactory()
    assert Proposal.objects.count() == 6
    assert proposal.history.count() == 1


# --- The command ----------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_synthetic", *args, stdout=out)
    return out.getvalue()


def test_command_fills_an_empty_database():
    output = run("--proposals", "4", "--sources", "2", "--actors", "5", "--seed", "1")
    assert "Generated 4 proposals" in output
    assert Proposal.objects.filter(slug__startswith=synthetic.PROPOSAL_PREFIX).count() == 4


def test_command_refuses_a_database_with_proposals():
    ProposalFactory()
    with pytest.raises(CommandError, match="already holds 1 proposal"):
        run("--proposals", "3", "--sources", "2", "--actors", "5")
    assert Proposal.objects.count() == 1
    run("--proposals", "3", "--sources", "2", "--actors", "5", "--force")
    assert Proposal.objects.count() == 4


def test_command_refuses_the_real_corpus_even_when_topping_up():
    seed_file = sorted(Path(settings.SEEDS_DIR).iterdir())[0].name
    SourceFactory(seed_file=seed_file)
    with pytest.raises(CommandError, match="real corpus"):
        run("--proposals", "3", "--sources", "2", "--actors", "5", "--top-up")
    assert not Proposal.objects.exists()


def test_command_tops_up_earlier_synthetic_data_only():
    run("--proposals", "3", "--sources", "2", "--actors", "5")
    run("--proposals", "5", "--sources", "2", "--actors", "5", "--top-up")
    assert Proposal.objects.count() == 5
    ProposalFactory()
    with pytest.raises(CommandError, match="not synthetic"):
        run("--proposals", "8", "--sources", "2", "--actors", "5", "--top-up")
