"""Time travel by recording date: what the tracker showed at the end of a day, and as of a day."""

from __future__ import annotations

import pytest

from proposals import selectors
from tests.time_travel import day, record_in_sittings

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    record_in_sittings()


def board(day_: str | None = None, recorded: str | None = None) -> dict[str, str]:
    rows = selectors.board(
        day(day_) if day_ else None, recorded_as_of=day(recorded) if recorded else None
    )
    return dict(rows.values_list("slug", "shown_status"))


def test_recorded_alone_is_what_the_tracker_showed_at_the_end_of_that_day(history):
    # Before the first sitting: nothing was on the tracker.
    assert board(recorded="2020-02-29") == {}
    assert board(recorded="2020-03-01") == {"dialogue": "proposed", "academies": "proposed"}
    # The backdated change was recorded half a second before midnight: it counts for that day.
    assert board(recorded="2020-06-10") == {
        "dialogue": "under_discussion",
        "academies": "proposed",
    }
    # Recorded at midnight, effective that day: it shows from the 11th.
    assert board(recorded="2020-06-11") == {
        "dialogue": "under_discussion",
        "academies": "under_discussion",
    }
    # The latecomer appears only once it was recorded, although proposed long before.
    assert "latecomer" not in board(recorded="2021-01-04")
    assert board(recorded="2021-01-05")["latecomer"] == "proposed"


def test_with_as_of_it_is_the_status_on_that_day_as_known_then(history):
    # On 1 March 2020 the tracker did not know yet that talks had begun on 1 February.
    assert board("2020-03-01", recorded="2020-03-01")["dialogue"] == "proposed"
    # Known from 10 June on.
    assert board("2020-03-01", recorded="2020-06-10")["dialogue"] == "under_discussion"
    # Without a recording date: as the tracker knows it today, the latecomer included.
    assert board("2020-03-01") == {
        "dialogue": "under_discussion",
        "academies": "proposed",
        "latecomer": "proposed",
    }
    # A day before a proposal was made leaves it out, whatever was recorded later.
    assert board("2019-05-15", recorded="2021-02-01") == {
        "dialogue": "proposed",
        "latecomer": "proposed",
    }


def test_the_as_of_date_of_a_status_is_its_effective_date(history):
    rows = selectors.board(day("2020-06-30"), recorded_as_of=day("2020-06-30"))
    since = dict(rows.values_list("slug", "shown_since"))
    assert since == {"dialogue": day("2020-02-01"), "academies": day("2020-06-11")}


def test_month_counts_follow_the_record(history):
    known_then = selectors.month_counts(until=day("2020-06-30"), recorded_as_of=day("2020-03-01"))
    known_now = selectors.month_counts(until=day("2020-06-30"))
    assert known_then[0].month == day("2019-05-01")
    february_then = next(m for m in known_then if m.month == day("2020-02-01"))
    february_now = next(m for m in known_now if m.month == day("2020-02-01"))
    assert february_then.counts["under_discussion"] == 0
    assert february_now.counts["under_discussion"] == 1
    # Known now, the latecomer stood as proposed from January 2018.
    assert known_now[0].month == day("2018-01-01")
    assert known_now[0].counts["proposed"] == 1
