"""GET /proposals/?recorded_as_of=: the list as the tracker showed it at the end of a day."""

from __future__ import annotations

import pytest

from tests.time_travel import record_in_sittings

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def history():
    record_in_sittings()


def statuses(client, **query: str) -> dict[str, str]:
    response = client.get(f"{API}/proposals/", query)
    assert response.status_code == 200, response.content
    return {row["slug"]: row["status"] for row in response.json()["results"]}


def test_recorded_alone_lists_what_was_recorded_by_then(anon, history):
    assert statuses(anon, recorded_as_of="2020-03-01") == {
        "dialogue": "proposed",
        "academies": "proposed",
    }
    assert statuses(anon, recorded_as_of="2020-06-10") == {
        "dialogue": "under_discussion",
        "academies": "proposed",
    }
    assert statuses(anon, recorded_as_of="2019-01-01") == {}
    response = anon.get(f"{API}/proposals/", {"recorded_as_of": "2020-06-10"})
    assert response.json()["count"] == 2


def test_with_as_of_the_status_of_that_day_as_known_then(anon, history):
    assert statuses(anon, as_of="2020-03-01", recorded_as_of="2020-03-01")["dialogue"] == (
        "proposed"
    )
    assert statuses(anon, as_of="2020-03-01")["dialogue"] == "under_discussion"
    # The status filter reads the status of that question.
    assert (
        statuses(anon, as_of="2020-03-01", recorded_as_of="2020-03-01", status="under_discussion")
        == {}
    )
    rows = anon.get(
        f"{API}/proposals/", {"as_of": "2020-06-30", "recorded_as_of": "2020-06-30"}
    ).json()["results"]
    since = {row["slug"]: row["status_since"] for row in rows}
    assert since == {"dialogue": "2020-02-01", "academies": "2020-06-11"}


@pytest.mark.parametrize("bad", ["2020-02-30", "yesterday", "2020/03/01"])
def test_a_bad_recording_date_is_a_400(anon, history, bad):
    response = anon.get(f"{API}/proposals/", {"recorded_as_of": bad})
    assert response.status_code == 400
    assert "recorded_as_of" in response.json()
