"""The board by recording date: a citable question, answered as the tracker stood then."""

from __future__ import annotations

import re

import pytest

from tests.site.test_board import columns, where
from tests.time_travel import record_in_sittings

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    record_in_sittings()


def test_recorded_alone_shows_the_board_of_that_day(client, history):
    board, page = columns(client, "?recorded_as_of=2020-03-01")
    assert where(board, "dialogue") == "proposed"
    assert where(board, "latecomer") is None
    assert "What did this tracker show at the end of 1 March 2020?" in page
    assert "2 proposals were on the tracker\u2019s board at the end of 1 March 2020." in page
    # The citable address names both days.
    assert "/board/?as_of=2020-03-01&amp;recorded_as_of=2020-03-01" in page
    assert re.search(
        r'<link rel="canonical" href="http://testserver/board/\?as_of=2020-03-01&amp;'
        r'recorded_as_of=2020-03-01">',
        page,
    )


def test_with_as_of_the_board_answers_as_known_then(client, history):
    board, page = columns(client, "?as_of=2020-03-01&recorded_as_of=2020-03-01")
    assert where(board, "dialogue") == "proposed"
    board, page = columns(client, "?as_of=2020-03-01&recorded_as_of=2020-06-10")
    assert where(board, "dialogue") == "under_discussion"
    assert (
        "What status did each proposal have on 1 March 2020, as this tracker knew it at the end "
        "of 10 June 2020?" in page
    )
    board, page = columns(client, "?as_of=2020-03-01")
    assert where(board, "latecomer") == "proposed"
    assert "as the tracker records it today?" in page


def test_a_bad_recording_date_is_reported_and_ignored(client, history):
    board, page = columns(client, "?as_of=2020-03-01&recorded_as_of=2020-13-01")
    assert 'class="notice" role="alert"' in page
    assert "shows what the tracker knows today" in page
    assert where(board, "latecomer") == "proposed"
