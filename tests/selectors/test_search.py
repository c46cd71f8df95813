"""Text search: one selector for the site and the API, indexed and ranked on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from proposals.models import Proposal
from proposals.selectors.search import search_proposals
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search and trigrams are PostgreSQL's"
)


def found(text: str) -> list[str]:
    return [proposal.slug for proposal in search_proposals(Proposal.objects.all(), text)]


@pytest.fixture
def proposals():
    ProposalFactory(
        slug="summary-only",
        title="Hold annual talks on fisheries",
        summary="Talks would cover coast guard cooperation near Taiwan.",
    )
    ProposalFactory(
        slug="in-title",
        title="Expand coast guard exchanges with Taiwan",
        summary="Exchanges between the services, held each year.",
    )
    ProposalFactory(
        slug="unrelated",
        title="Create a semiconductor supply council",
        summary="A council of industry and officials.",
    )
    ProposalFactory(
        slug="in-japanese",
        title="Trilateral security dialogue",
        summary="日米台の安全保障対話を毎年開催する。",
    )


def test_a_title_match_comes_before_a_summary_only_match(proposals):
    assert found("coast guard") == ["in-title", "summary-only"]
    assert found("TAIWAN") == ["in-title", "summary-only"]


def test_every_word_must_match_and_no_text_keeps_everything(proposals):
    assert found("coast semiconductor") == []
    assert len(found("   ")) == Proposal.objects.count()


def test_japanese_text_is_found_inside_a_run_of_characters(proposals):
    assert found("安全保障") == ["in-japanese"]
    assert found("台 対話") == ["in-japanese"]


def test_a_partial_word_finds_the_whole_word(proposals):
    assert found("semicond") == ["unrelated"]


def test_search_characters_are_only_text(proposals):
    for hostile in ("coast & !guard", "taiwan:* | ", "'); DROP TABLE x; --", "%_%", "\\"):
        assert isinstance(found(hostile), list)
    assert found("%") == []


@on_postgresql
def test_a_typo_still_finds_the_title(proposals):
    assert found("Taiwn") == ["in-title"]
    assert found("coast exchanes") == ["in-title"]
    assert found("the Taiwan coast") == ["in-title", "summary-only"]  # "the" asks for nothing


@on_postgresql
def test_inflected_words_match_their_stem(proposals):
    # "exchange" is in no text; the title's "exchanges" and the summary's "Exchanges" share a stem.
    assert found("exchange") == ["in-title"]
    assert found("cooperating") == ["summary-only"]


@on_postgresql
def test_the_search_document_follows_every_write(proposals):
    Proposal.objects.filter(slug="unrelated").update(summary="Now about the Taiwan strait.")
    assert found("strait") == ["unrelated"]


@on_postgresql
@pytest.mark.parametrize(
    ("text", "index"),
    [("coast guard", "proposal_search_idx"), ("Taiwn", "proposal_title_trgm_idx")],
)
def test_search_reads_an_index_not_the_table(proposals, text, index):
    """Known words are one condition of the search document's index; a typo, of the titles'
    trigram index. Neither reads a document back to rank it."""
    queryset = search_proposals(Proposal.objects.all(), text)
    with connection.cursor() as cursor:
        # Four rows make a walk of the whole table (or of its ordering index) the cheaper plan:
        # forbid both, to see that the condition's index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert index in plan, plan
    assert "Seq Scan" not in plan
    assert "ts_rank" not in plan


@on_postgresql
def test_a_search_asks_once_which_words_the_documents_hold(proposals, django_assert_num_queries):
    with django_assert_num_queries(2):  # the words, then the proposals
        assert found("the coast Taiwn exchanes") == ["in-title"]


@on_postgresql
def test_title_matches_come_first_then_the_natural_order(proposals):
    ProposalFactory(slug="a-second-title", title="Coast guard drills", summary="Held yearly.")
    assert found("coast") == ["a-second-title", "in-title", "summary-only"]


@on_postgresql
@pytest.mark.parametrize("text", ["海上保安", "海巡"])
def test_a_japanese_or_chinese_search_reads_the_trigram_indexes(proposals, text):
    """The contains search of unspaced scripts (every title and summary column) uses an index
    per column (migrations 0020 and 0027), not the table."""
    Proposal.objects.filter(slug="in-title").update(
        title_ja="台湾との海上保安交流の拡大", title_zh_hant="擴大與台灣的海巡交流"
    )
    queryset = search_proposals(Proposal.objects.all(), text)
    assert [proposal.slug for proposal in queryset] == ["in-title"]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    for column in ("title_en", "title_ja", "title_zh_hant", "summary_ja", "summary_zh_hant"):
        index = "proposal_title_trgm_idx" if column == "title_en" else f"proposal_{column}_trgm_idx"
        assert index in plan, plan
    assert "Seq Scan" not in plan
