"""The board as of a day, against a history recorded at known dates."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from tests.site.data import build_site_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_site_data()


def columns(client, query: str = "") -> tuple[dict[str, set[str]], str]:
    response = client.get(f"/board/{query}")
    assert response.status_code == 200
    page = response.content.decode()
    found = {}
    for status, body in re.findall(
        r'<section class="column"[^>]*data-status="([a-z_]+)">(.*?)</section>', page, flags=re.S
    ):
        found[status] = set(re.findall(r'data-slug="([^"]+)"', body))
    assert len(found) == 8
    return found, page


def where(board: dict[str, set[str]], slug: str) -> str | None:
    placed = [status for status, slugs in board.items() if slug in slugs]
    assert len(placed) <= 1
    return placed[0] if placed else None


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Before anything was proposed: an empty board.
        ("2005-10-31", {"trilateral-dialogue": None, "academy-exchanges": None}),
        # Month precision: proposed as of its first day.
        ("2005-11-01", {"trilateral-dialogue": None, "academy-exchanges": "proposed"}),
        ("2005-11-10", {"trilateral-dialogue": "proposed", "free-trade-agreement": None}),
        ("2010-01-14", {"trilateral-dialogue": "proposed"}),
        ("2010-01-15", {"trilateral-dialogue": "under_discussion"}),
        # Proposed in 2012 (year precision), rejected 2013-02-01.
        ("2011-12-31", {"free-trade-agreement": None}),
        (
            "2012-06-01",
            {"free-trade-agreement": "proposed", "trilateral-dialogue": "under_discussion"},
        ),
        ("2013-02-01", {"free-trade-agreement": "rejected"}),
        ("2015-05-31", {"trilateral-dialogue": "under_discussion", "measure-1": None}),
        ("2015-06-01", {"trilateral-dialogue": "agreed", "academy-exchanges": "proposed"}),
        ("2019-05-01", {"measure-1": "proposed", "measure-4": "proposed"}),
        (
            "2020-06-01",
            {
                "measure-1": "under_discussion",
                "measure-2": "agreed",
                "measure-4": "under_discussion",
            },
        ),
        ("2021-01-01", {"measure-4": "stalled"}),
    ],
)
def test_each_proposal_sits_in_its_status_of_that_day(client, data, day, expected):
    board, page = columns(client, f"?as_of={day}")
    for slug, status in expected.items():
        assert where(board, slug) == status, (day, slug)
    assert f'value="{day}"' in page


def test_counts_and_since_dates(client, data):
    board, page = columns(client, "?as_of=2014-01-01")
    assert sum(len(slugs) for slugs in board.values()) == 3
    assert "3 proposals had been made by 1 January 2014" in page
    # The dialogue has been under discussion since 15 January 2010 as of that day.
    card = re.search(r'data-slug="trilateral-dialogue">(.*?)</li>', page, flags=re.S).group(1)
    assert '<time datetime="2010-01-15">15 January 2010</time>' in card
    card = re.search(r'data-slug="free-trade-agreement">(.*?)</li>', page, flags=re.S).group(1)
    assert '<time datetime="2013-02-01">1 February 2013</time>' in card


def test_default_is_today(client, data):
    board, page = columns(client)
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert where(board, "measure-4") == "stalled"
    assert where(board, "trilateral-dialogue") == "agreed"
    assert 'role="alert"' not in page


@pytest.mark.parametrize("bad", ["yesterday", "2015-13-01", "2015-02-30", "0000-00-00", "<script>"])
def test_a_bad_date_shows_a_message_and_falls_back_to_today(client, data, bad):
    board, page = columns(client, f"?as_of={bad}")
    assert 'class="notice" role="alert"' in page
    assert "shows today" in page
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert where(board, "measure-4") == "stalled"
    assert "<script>" not in page


def test_an_empty_date_means_today(client, data):
    board, page = columns(client, "?as_of=")
    assert 'role="alert"' not in page
    assert where(board, "trilateral-dialogue") == "agreed"


def test_a_future_date_shows_the_current_statuses(client, data):
    future = timezone.localdate() + datetime.timedelta(days=400)
    board, _ = columns(client, f"?as_of={future.isoformat()}")
    assert where(board, "trilateral-dialogue") == "agreed"
