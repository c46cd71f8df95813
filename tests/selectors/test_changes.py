"""Change selectors: histories oldest first, changes newest first, the first-entry rule once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from proposals import selectors

pytestmark = pytest.mark.django_db


def moves(queryset) -> list[tuple[str, str, str]]:
    return [(c.proposal.slug, c.from_status, c.to_status) for c in queryset]


def test_changes_newest_first_with_evidence(tracker, django_assert_num_queries):
    with django_assert_num_queries(2):
        changes = list(selectors.changes())
        evidence = {c.to_status: [e.source.slug for e in c.evidence.all()] for c in changes}
        recorders = [c.recorded_by for c in changes]
    assert moves(changes)[:3] == [
        ("dialogue", "under_discussion", "agreed"),
        ("trade", "proposed", "rejected"),
        ("dialogue", "proposed", "under_discussion"),
    ]
    assert len(changes) == 6  # three histories' first entries and three changes
    assert evidence["agreed"] == ["cable"]
    assert recorders == [None] * 6


def test_the_first_entry_of_a_history_is_not_a_change(tracker):
    later = selectors.changes(after_proposal=True)
    assert [c.to_status for c in later] == ["agreed", "rejected", "under_discussion"]


def test_changes_since_a_day_or_a_moment(tracker):
    assert [c.to_status for c in selectors.changes(since=datetime.date(2008, 2, 1))] == [
        "agreed",
        "rejected",
    ]
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert list(selectors.changes(recorded_since=tomorrow)) == []


def test_history_of_a_proposal_oldest_first(tracker, django_assert_num_queries):
    with django_assert_num_queries(2):
        history = list(selectors.history_of(tracker.dialogue))
        assert [len(change.evidence.all()) for change in history] == [0, 0, 1]
    assert moves(history) == [
        ("dialogue", "", "proposed"),
        ("dialogue", "proposed", "under_discussion"),
        ("dialogue", "under_discussion", "agreed"),
    ]


def test_every_history_for_the_admin_inline(tracker, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert len(list(selectors.history_of())) == 6
    with django_assert_num_queries(1):
        assert {str(change) for change in selectors.changes_for_admin_list()} >= {
            "trade: proposed -> rejected"
        }


def test_changes_recorded_for_feeds(tracker, django_assert_num_queries):
    proposals = selectors.proposals_citing("article")
    with django_assert_num_queries(2):
        entries = list(selectors.changes_recorded(proposals))
        assert [e.proposal.slug for e in entries] == ["academies"]
    assert "summary" in entries[0].proposal.get_deferred_fields()
    assert len(selectors.changes_recorded()) == 6


def test_month_counts(tracker, django_assert_num_queries):
    with django_assert_num_queries(1):
        months = selectors.month_counts(until=datetime.date(2010, 6, 30))
    assert months[0].month == datetime.date(2005, 11, 1)
    assert months[-1].counts["agreed"] == 1
    assert months[-1].total == 3
    assert selectors.months_before(datetime.date(2024, 3, 31), 1) == datetime.date(2024, 2, 29)
