"""The proposal list: each filter narrows, sorting, pagination keeps the filters, bad input."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.factories import ProposalFactory
from tests.site.data import MEASURES_GROUP, build_site_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_site_data()


def titles(client, query: str = "") -> list[str]:
    response = client.get(f"/proposals/{query}")
    assert response.status_code == 200
    page = response.content.decode()
    rows = re.findall(r'<td data-label="Proposal"><div>\s*<a href="[^"]+">([^<]+)</a>', page)
    return [html_lib.unescape(title) for title in rows]


def test_unfiltered_list_shows_everything_in_natural_order(client, data):
    everything = titles(client)
    assert len(everything) == 9
    # Natural order: ungrouped first, then the group by ordinal.
    assert everything[-6:] == [data.proposals[f"measure-{n}"].title for n in range(1, 7)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=agreed", {"dialogue", "measure-2"}),
        ("?status=rejected", {"trade"}),
        ("?category=economic", {"trade"}),
        (f"?group={MEASURES_GROUP}", {f"measure-{n}" for n in range(1, 7)}),
        ("?source=policy-article", {"trade", "measure-2", "measure-3"}),
        ("?source=taipei-cable", {"dialogue", "academies"}),
        (
            "?actor=japan",
            {"dialogue", "academies", "trade"} | {f"measure-{n}" for n in range(1, 7)},
        ),
        ("?q=academies", {"academies"}),
        ("?q=TRILATERAL", {"dialogue", "measure-1", "measure-6"}),
        ("?status=proposed&group=" + MEASURES_GROUP, {"measure-3", "measure-5", "measure-6"}),
        ("?source=taipei-cable&q=dialogue&status=agreed", {"dialogue"}),
    ],
)
def test_each_filter_narrows_the_list(client, data, query, expected):
    assert set(titles(client, query)) == {data.proposals[key].title for key in expected}


def test_actor_filter_covers_addressees_without_duplicates(client, data):
    usa_only = ProposalFactory(title="Addressed to the US only", addressees=[data.actors["usa"]])
    found = titles(client, "?actor=usa")
    assert usa_only.title in found
    assert len(found) == len(set(found)) == 8  # dialogue, six measures, this one


def test_filters_keep_their_values_in_the_form(client, data):
    page = client.get("/proposals/?status=agreed&q=dialogue&sort=-title").content.decode()
    assert '<option value="agreed" selected>Agreed</option>' in page
    assert 'value="dialogue"' in page
    assert '<option value="-title" selected>' in page


def test_sorting(client, data):
    ascending = titles(client, "?sort=title")
    assert ascending == sorted(ascending)
    assert titles(client, "?sort=-title") == list(reversed(ascending))
    oldest = titles(client, "?sort=proposed")
    assert oldest[0] == "Exchanges between military academies"  # November 2005
    newest = titles(client, "?sort=-proposed")
    assert newest[0] in {data.proposals[f"measure-{n}"].title for n in range(1, 7)}
    by_status = titles(client, "?sort=status")
    assert by_status[-1] == "Negotiate a free trade agreement"  # rejected sorts after stalled
    assert titles(client, "?sort=-changed")[0] == "Regular consultations among legislators"


def test_pagination_keeps_the_filters(client, data):
    for index in range(30):
        ProposalFactory(title=f"Trade measure {index:02d}", category="economic")
    page_one = client.get("/proposals/?category=economic&sort=title").content.decode()
    assert "31 proposals match these filters" in page_one
    assert len(re.findall(r'<td data-label="Proposal">', page_one)) == 25
    assert "Page 1 of 2" in page_one
    next_link = re.search(r'<a rel="next" href="([^"]+)">', page_one).group(1)
    next_link = html_lib.unescape(next_link)
    assert next_link == "?category=economic&sort=title&page=2"
    found = titles(client, next_link)
    assert found == [f"Trade measure {index:02d}" for index in range(24, 30)]
    page_two = client.get(f"/proposals/{next_link}").content.decode()
    previous = html_lib.unescape(re.search(r'<a rel="prev" href="([^"]+)">', page_two).group(1))
    assert previous == "?category=economic&sort=title&page=1"


@pytest.mark.parametrize(
    "query",
    [
        "?status=bogus",
        "?category=%3Cscript%3E",
        "?group=no-such-group",
        "?source=no-such-source",
        "?actor=nobody",
        "?sort=password",
        "?sort=-id;drop",
        "?q=" + "x" * 500,
    ],
)
def test_bad_filter_values_are_reported_and_ignored(client, data, query):
    response = client.get(f"/proposals/{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="notice" role="alert"' in page
    assert "was ignored" in page
    assert "9 proposals" in page


@pytest.mark.parametrize("page_number", ["abc", "0", "-1", "999", "1.5", ""])
def test_bad_page_numbers_never_fail(client, data, page_number):
    response = client.get(f"/proposals/?page={page_number}")
    assert response.status_code == 200
    assert "Hold a trilateral security dialogue" in response.content.decode()


def test_no_match(client, data):
    response = client.get("/proposals/?q=nothing-matches-this")
    assert response.status_code == 200
    assert "0 proposals match these filters" in response.content.decode()
    assert "No proposal matches" in response.content.decode()


def test_one_match_reads_well(client, data):
    page = client.get("/proposals/?q=academies").content.decode()
    assert re.search(r"1 proposal matches these filters\.\s+Showing 1\u20131\.", page)
