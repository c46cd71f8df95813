"""Citation selectors: reading order, no source texts loaded, `verified` from the database."""

from __future__ import annotations

import pytest

from proposals import selectors
from proposals.models import Citation

pytestmark = pytest.mark.django_db


def quotes(queryset) -> list[str]:
    return [citation.quote for citation in queryset]


def test_with_sources_in_reading_order_without_texts(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        citations = list(selectors.citations_with_sources())
        assert [c.source.slug for c in citations] == ["cable", "cable", "cable", "article"]
    assert quotes(citations)[:2] == [tracker.origin.quote, tracker.evidence.quote]
    assert "text" in citations[0].source.get_deferred_fields()


def test_of_one_proposal(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert quotes(selectors.citations_of(tracker.dialogue)) == [
            tracker.origin.quote,
            tracker.evidence.quote,
        ]


def test_narrowed_to_one_source(tracker):
    every = selectors.citations_for_admin_list()
    in_article = selectors.filter_citations(every, source="article")
    assert [c.pk for c in in_article] == [tracker.context.pk]
    assert selectors.filter_citations(every, source="").count() == every.count()


def test_rows_of_the_api_list(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(selectors.citation_rows())
        assert [(c.proposal.slug, c.source.slug, c.verified) for c in rows] == [
            ("dialogue", "cable", True),
            ("dialogue", "cable", True),
            ("trade", "cable", True),
            ("academies", "article", True),
        ]
        assert rows[0].revision.number == 1


def test_in_detail_and_for_editing_are_verified_without_texts(tracker, django_assert_num_queries):
    with django_assert_num_queries(2):
        detail = list(selectors.citations_in_detail().filter(proposal=tracker.academies))
        editing = list(selectors.citations_for_editing().filter(proposal=tracker.academies))
        assert [c.verified for c in detail + editing] == [True, True]
        # An editor's row names its proposal and source: no query per row.
        assert str(editing[0]).startswith("article [") and str(editing[0]).endswith("academies")
    assert "text" in editing[0].source.get_deferred_fields()
    assert "text" in editing[0].revision.get_deferred_fields()


def test_a_quote_the_text_no_longer_holds_is_not_verified(tracker):
    # What an earlier bug or a hand edit of the database would leave: offsets beside the words.
    Citation.objects.filter(pk=tracker.context.pk).update(start=0, end=5)
    rows = selectors.citations_in_detail().filter(pk=tracker.context.pk)
    assert [citation.verified for citation in rows] == [False]


def test_admin_list_names_each_row_without_a_query_per_row(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [str(c.revision) for c in selectors.citations_for_admin_list()]
    assert sorted(set(names)) == ["article revision 1", "cable revision 1"]


def test_in_source_and_unresolved(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert {c.proposal.slug for c in selectors.citations_in_source(tracker.cable)} == {
            "dialogue",
            "trade",
        }
    with django_assert_num_queries(2):
        assert list(selectors.unresolved_citations()) == []
        assert list(selectors.citations_needing_a_look()) == []


def test_passages_of_a_source(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        passages = selectors.passages_of(tracker.article)
    assert [(p.pk, p.role, p.proposal.slug) for p in passages] == [
        (tracker.context.pk, "context", "academies")
    ]
