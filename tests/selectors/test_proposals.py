"""Proposal selectors: each shape's rows, the status it shows, and what it costs in queries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from proposals import selectors

pytestmark = pytest.mark.django_db

DAY = datetime.date(2009, 1, 1)


def slugs(queryset) -> list[str]:
    return [proposal.slug for proposal in queryset]


def shown(queryset) -> dict[str, tuple]:
    return {
        proposal.slug: (proposal.shown_status, proposal.shown_since, proposal.shown_precision)
        for proposal in queryset
    }


def test_rows_show_the_current_status_in_the_natural_order(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(selectors.proposal_rows())
    # Group, then ordinal, then date: the proposals made on their own come first.
    assert slugs(rows) == ["dialogue", "academies", "trade"]
    assert shown(rows)["dialogue"] == ("agreed", datetime.date(2010, 6, 1), "day")
    assert "summary" in rows[0].get_deferred_fields()


def test_the_status_shown_as_of_a_day_leaves_out_later_proposals(tracker):
    rows = selectors.with_status_shown(selectors.proposal_rows(), as_of=DAY)
    assert shown(rows) == {
        "dialogue": ("under_discussion", datetime.date(2008, 1, 15), "day"),
        "academies": ("proposed", datetime.date(2006, 1, 5), "day"),
        "trade": ("rejected", datetime.date(2008, 2, 1), "day"),
    }
    assert slugs(
        selectors.with_status_shown(selectors.proposal_rows(), as_of=datetime.date(2006, 1, 1))
    ) == ["dialogue"]


def test_the_status_shown_as_recorded_leaves_out_what_was_not_recorded_yet(tracker):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    assert slugs(selectors.board(DAY, recorded_as_of=yesterday)) == []
    assert len(selectors.board(DAY, recorded_as_of=today)) == 3


def test_cards_with_proposers(tracker, django_assert_num_queries):
    with django_assert_num_queries(2):
        cards = list(selectors.proposal_cards(with_proposers=True))
        names = {card.slug: [actor.name for actor in card.proposers.all()] for card in cards}
    assert names == {"dialogue": ["Taiwan"], "academies": ["Japan"], "trade": []}
    assert shown(cards)["trade"][0] == "rejected"


def test_detail_carries_actors_and_verified_citations(tracker, django_assert_num_queries):
    with django_assert_num_queries(4):
        proposal = selectors.proposal_detail().get(slug="dialogue")
        citations = list(proposal.citations.all())
        proposers = [actor.slug for actor in proposal.proposers.all()]
        addressees = [actor.slug for actor in proposal.addressees.all()]
        assert [(c.locator, c.verified, c.source.slug) for c in citations] == [
            ("¶2", True, "cable"),
            ("¶2", True, "cable"),
        ]
    assert (proposers, addressees) == (["taiwan"], ["japan"])
    assert proposal.shown_status == "agreed"
    assert proposal.group_name_en is None


def test_page_carries_citations_in_reading_order_without_texts(tracker, django_assert_num_queries):
    with django_assert_num_queries(4):
        proposal = selectors.proposal_page().get(slug="academies")
        citations = list(proposal.citations.all())
        list(proposal.proposers.all())
        list(proposal.addressees.all())
    assert [citation.source.slug for citation in citations] == ["article"]
    assert "text" in citations[0].source.get_deferred_fields()


def test_board_is_every_card_as_of_today_by_default(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        board = shown(selectors.board())
    assert {slug: status for slug, (status, _, _) in board.items()} == {
        "dialogue": "agreed",
        "academies": "proposed",
        "trade": "rejected",
    }


def test_group_and_groups(tracker, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert slugs(selectors.proposals_in_group("statement")) == ["academies", "trade"]
        assert list(selectors.proposal_groups()) == ["statement"]


def test_proposals_without_movement_are_open_and_longest_still_first(tracker):
    rows = selectors.proposals_without_movement(months=12, today=datetime.date(2020, 1, 1))
    # Agreed and rejected are not final; only withdrawn and implemented are.
    assert slugs(rows) == ["academies", "trade", "dialogue"]
    assert slugs(selectors.proposals_without_movement(months=12, today=DAY)) == ["academies"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["dialogue", "academies", "trade"]),
        ({"status": "rejected"}, ["trade"]),
        ({"status": ["rejected", "agreed"]}, ["dialogue", "trade"]),
        ({"category": "security_dialogue"}, ["dialogue", "academies", "trade"]),
        ({"group": "statement"}, ["academies", "trade"]),
        ({"ungrouped": True}, ["dialogue"]),
        ({"source": "article"}, ["academies"]),
        ({"actor": "japan"}, ["dialogue", "academies"]),
        ({"supported_by": "japan"}, ["dialogue"]),
        ({"opposed_by": "japan"}, []),
        ({"text": "academies"}, ["academies"]),
    ],
)
def test_filters_shared_by_the_api_the_site_and_the_feeds(
    tracker, django_assert_num_queries, filters, expected
):
    queryset = selectors.filter_proposals(selectors.proposal_rows(), **filters)
    with django_assert_num_queries(1):
        assert slugs(queryset) == expected


def test_status_filter_reads_the_status_shown(tracker):
    as_of = selectors.with_status_shown(selectors.proposal_rows(), as_of=DAY)
    assert slugs(selectors.filter_proposals(as_of, status="under_discussion")) == ["dialogue"]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ((), ["dialogue", "academies", "trade"]),
        (("status",), ["academies", "dialogue", "trade"]),  # workflow order, not alphabetical
        (("-status",), ["trade", "dialogue", "academies"]),
        (("title",), ["academies", "trade", "dialogue"]),
        (("-proposed_on",), ["trade", "academies", "dialogue"]),
        (("status_since",), ["academies", "trade", "dialogue"]),
        (("unknown",), ["dialogue", "academies", "trade"]),
    ],
)
def test_orderings_shared_by_the_api_and_the_site(tracker, keys, expected):
    assert slugs(selectors.order_proposals(selectors.proposal_rows(), keys)) == expected


def test_status_order_as_of_a_day_is_the_workflow_order_of_that_day(tracker):
    as_of = selectors.with_status_shown(selectors.proposal_rows(), as_of=DAY)
    # proposed, under discussion, rejected.
    assert slugs(selectors.order_proposals(as_of, ["status"])) == [
        "academies",
        "dialogue",
        "trade",
    ]


def test_counts(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.status_counts() == {"agreed": 1, "proposed": 1, "rejected": 1}
    with django_assert_num_queries(4):
        # The first entry of each history (the proposal being made) is not a change.
        assert selectors.totals() == {"sources": 2, "actors": 2, "citations": 4, "changes": 3}
    with django_assert_num_queries(1):
        assert selectors.proposal_period() == (
            datetime.date(2005, 11, 10),
            datetime.date(2007, 5, 1),
        )


def test_feed_scopes(tracker, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert slugs(selectors.proposals_of_actor(tracker.taiwan)) == ["dialogue"]
        assert slugs(selectors.proposals_citing("article")) == ["academies"]
    heading = selectors.proposal_heading().get(slug="trade")
    assert "summary" in heading.get_deferred_fields()
