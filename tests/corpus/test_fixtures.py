"""The demo corpus in fixtures/*.json: complete, verbatim, and a legal history for each proposal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count

from proposals import workflow
from proposals.corpus import as_date, import_corpus, load_corpus_file
from proposals.models import Actor, Citation, Position, Proposal, Source, StatusChange

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR) / "seeds"
CORPUS_FILE = Path(settings.BASE_DIR) / "fixtures" / "corpus.toml"
SIX_MEASURES = "2019-japan-us-taiwan-statement"


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Source, Actor, Proposal, Citation, StatusChange)
    )


def test_fixtures_load_twice_without_duplicates(corpus):
    first = counts()
    assert first[2] >= 30, "the corpus holds a few dozen proposals"
    call_command("loaddata", *corpus, verbosity=0)
    assert counts() == first


def test_verify_citations_passes_on_the_fixtures(corpus):
    """Quotes, texts and the history's hash chain (each row sealed to the one before it)."""
    out = io.StringIO()
    call_command("verify_citations", stdout=out)
    assert "0 failure(s)" in out.getvalue()
    assert f"{Citation.objects.count()} citations checked" in out.getvalue()
    rows = StatusChange.objects.count() + Position.objects.count()
    assert f"{rows} history rows" in out.getvalue()


def test_every_history_row_of_the_fixtures_is_sealed(corpus):
    for model in (StatusChange, Position):
        hashes = list(model.objects.values_list("chain_sha256", flat=True))
        assert hashes and all(len(value) == 64 for value in hashes)
        assert len(set(hashes)) == len(hashes)


def test_each_source_is_its_seed_byte_for_byte(corpus):
    sources = Source.objects.all()
    assert {source.seed_file for source in sources} == {path.name for path in SEEDS.glob("*.txt")}
    for source in sources:
        assert source.text.encode("utf-8") == (SEEDS / source.seed_file).read_bytes()


def test_every_quote_is_at_its_offsets(corpus):
    texts = dict(Source.objects.values_list("pk", "text"))
    for citation in Citation.objects.all():
        assert texts[citation.source_id][citation.start : citation.end] == citation.quote


def test_every_proposal_has_an_origin_citation(corpus):
    without = Proposal.objects.exclude(citations__role=Citation.Role.ORIGIN)
    assert list(without.values_list("slug", flat=True)) == []


def test_every_source_contributes_proposals(corpus):
    per_source = dict(
        Source.objects.annotate(n=Count("citations__proposal", distinct=True)).values_list(
            "seed_file", "n"
        )
    )
    assert all(count > 0 for count in per_source.values()), per_source


def test_slugs_and_titles_are_unique(corpus):
    proposals = list(Proposal.objects.values_list("slug", "title"))
    assert len({slug for slug, _ in proposals}) == len(proposals)
    assert len({title.casefold() for _, title in proposals}) == len(proposals)


def test_the_six_measures_are_one_group(corpus):
    ordinals = list(
        Proposal.objects.filter(group=SIX_MEASURES)
        .order_by("ordinal")
        .values_list("ordinal", flat=True)
    )
    assert ordinals == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    "words",
    ["military academ", "intelligence", "coast guard"],
)
def test_the_named_proposals_are_there(corpus, words):
    assert Proposal.objects.filter(title__icontains=words).exists()


def test_every_history_is_legal_and_in_order(corpus):
    for proposal in Proposal.objects.prefetch_related("history__evidence"):
        changes = sorted(
            proposal.history.all(), key=lambda change: (change.effective_date, change.id)
        )
        first, *rest = changes
        assert (first.from_status, first.to_status) == ("", workflow.INITIAL_STATUS)
        assert first.effective_date == proposal.proposed_on
        status, day = first.to_status, first.effective_date
        for change in rest:
            assert change.from_status == status, proposal.slug
            assert change.to_status in workflow.allowed_next(status), proposal.slug
            assert change.effective_date >= day, proposal.slug
            assert change.note.strip(), proposal.slug
            evidence = list(change.evidence.all())
            if workflow.requires_evidence(change.to_status):
                assert evidence, proposal.slug
            assert all(citation.proposal_id == proposal.pk for citation in evidence)
            status, day = change.to_status, change.effective_date
        assert (proposal.status, proposal.status_since) == (status, day), proposal.slug


def test_imprecise_dates_are_first_days(corpus):
    for proposal in Proposal.objects.all():
        if proposal.proposed_precision == "month":
            assert proposal.proposed_on.day == 1
        if proposal.proposed_precision == "year":
            assert (proposal.proposed_on.month, proposal.proposed_on.day) == (1, 1)


def test_fixtures_are_what_the_corpus_file_imports_to(corpus):
    """fixtures/*.json is `make fixtures` output: rebuilding from corpus.toml changes nothing."""
    loaded = {
        (c.proposal.slug, c.source.slug, c.start, c.end, c.role)
        for c in Citation.objects.select_related("proposal", "source")
    }
    loaded_history = set(
        StatusChange.objects.values_list("proposal__slug", "to_status", "effective_date")
    )
    data = load_corpus_file(CORPUS_FILE)
    assert {entry["slug"] for entry in data["proposals"]} == set(
        Proposal.objects.values_list("slug", flat=True)
    )
    expected_citations = {
        (entry["slug"], cited["source"], cited["role"])
        for entry in data["proposals"]
        for cited in entry["citations"]
    }
    assert {(p, s, r) for p, s, _, _, r in loaded} == expected_citations
    expected_history = {
        (entry["slug"], change["to_status"], as_date(change["effective_on"]))
        for entry in data["proposals"]
        for change in entry.get("changes", [])
    } | {(entry["slug"], "proposed", as_date(entry["proposed_on"])) for entry in data["proposals"]}
    assert loaded_history == expected_history


def test_corpus_file_imports_cleanly_into_an_empty_database():
    report = import_corpus(load_corpus_file(CORPUS_FILE), seeds_dir=SEEDS)
    assert report.proposals == Proposal.objects.count() >= 30
    assert report.citations == Citation.objects.count()
    assert report.changes == StatusChange.objects.exclude(from_status="").count()
