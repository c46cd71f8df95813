"""What a newcomer meets: the home's introduction, quotes shown once, charts with their figures,
branded error pages, a favicon, descriptions, canonical addresses and compressed pages."""

from __future__ import annotations

import gzip
import re

import pytest
from django.test import Client
from django.urls import reverse

from proposals.site.views import BOARD_VISIBLE_CARDS
from tests.site.data import add_bulk_proposals, build_site_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_site_data()


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def pages(data) -> list[str]:
    return [
        "/",
        "/proposals/",
        data.proposals["dialogue"].get_absolute_url(),
        "/board/",
        "/sources/",
        data.sources["cable"].get_absolute_url(),
        "/actors/",
        data.actors["taiwan"].get_absolute_url(),
    ]


def test_every_page_has_a_description_and_a_canonical_address(client, data):
    descriptions = set()
    for url in pages(data):
        page = page_of(client, url)
        description = re.search(r'<meta name="description" content="([^"]+)">', page)
        assert description and len(description.group(1)) > 40, url
        descriptions.add(description.group(1))
        path = url.split("?")[0]
        assert f'<link rel="canonical" href="http://testserver{path}' in page, url
    # The proposal page describes the proposal itself.
    assert any("Taiwan, Japan and the US meet regularly on security" in d for d in descriptions)


def test_the_proposal_list_canonical_address_drops_the_filters(client, data):
    page = page_of(client, "/proposals/?status=agreed&sort=title")
    assert '<link rel="canonical" href="http://testserver/proposals/">' in page


def test_home_says_what_the_tracker_is_about(client, data):
    page = page_of(client, "/")
    heading = re.search(r"<h1>(.*?)</h1>", page, flags=re.S).group(1)
    assert "Japan" in heading and "Taiwan" in heading and "US" in heading
    assert "security cooperation" in heading
    lede = re.search(r'<p class="lede">(.*?)</p>', page, flags=re.S).group(1)
    sentences = [s for s in re.split(r"(?<=\.)\s+", " ".join(lede.split())) if s]
    assert len(sentences) == 2
    assert "from 2005 to 2019" in sentences[0]
    assert "a US diplomatic cable of 2005 and an article of 2019" in sentences[1]


def test_a_passage_cited_in_two_roles_is_one_quote(client, data):
    """The dialogue's evidence passage is also cited as context: one quote, pointed at twice."""
    from proposals import services
    from proposals.models import Citation

    dialogue = data.proposals["dialogue"]
    services.add_citation(
        proposal=dialogue,
        source=data.sources["cable"],
        quote="The parties announced that the dialogue had begun",
        locator="¶3",
        role=Citation.Role.CONTEXT,
    )
    page = page_of(client, dialogue.get_absolute_url())
    assert page.count("The parties announced that the dialogue had begun") == 1
    quote = re.search(
        r'<figure class="quote" id="(quote-\d+)">((?:(?!</figure>).)*announced(?:(?!</figure>).)*)'
        r"</figure>",
        page,
        flags=re.S,
    )
    anchor, body = quote.groups()
    assert "(evidence, context)" in body
    # The change it supports points at it, and it points back at the change.
    agreed = dialogue.history.get(to_status="agreed")
    timeline_entry = re.search(rf'id="change-{agreed.pk}".*?</li>', page, flags=re.S).group(0)
    assert f'href="#{anchor}"' in timeline_entry
    assert f'href="#change-{agreed.pk}"' in body
    # Every quote of the page appears once.
    texts = re.findall(r"<blockquote[^>]*><p>(.*?)</p></blockquote>", page, flags=re.S)
    assert len(texts) == len(set(texts)) == 2


def test_quotes_are_text_not_links(client, data):
    page = page_of(client, data.proposals["dialogue"].get_absolute_url())
    for body in re.findall(r"<blockquote[^>]*>(.*?)</blockquote>", page, flags=re.S):
        assert "<a " not in body


def test_the_proposal_page_shows_its_time_in_each_status(client, data):
    page = page_of(client, data.proposals["dialogue"].get_absolute_url())
    strip = re.search(r'<svg class="time-strip".*?</svg>', page, flags=re.S).group(0)
    assert re.findall(r'class="fill-([a-z_]+)"', strip) == [
        "proposed",
        "under_discussion",
        "agreed",
    ]
    stretches = re.search(r'<ol class="stretches">(.*?)</ol>', page, flags=re.S).group(1)
    # Proposed 10 November 2005, under discussion from 15 January 2010: 4 years 2 months.
    assert "4 years 2 months" in stretches
    assert "5 years 4 months" in stretches  # under discussion until 1 June 2015
    assert "to today" in stretches
    assert "style=" not in page


def test_home_and_board_chart_with_its_table(client, data):
    for url in ("/", "/board/"):
        page = page_of(client, url)
        svg = re.search(r'<svg class="chart status-chart".*?</svg>', page, flags=re.S).group(0)
        assert 'role="img"' in svg
        bands = re.findall(r'<polygon class="band fill-([a-z_]+)"', svg)
        assert bands == ["proposed", "under_discussion", "agreed", "stalled", "rejected"]
        table = re.search(r'<details class="chart-table">(.*?)</details>', page, flags=re.S)
        assert "<summary>Show as table</summary>" in table.group(1)
        rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table.group(1), flags=re.S)
        first = rows[0]
        # November 2005: the academies (month precision, 1 November) and the dialogue.
        assert '<time datetime="2005-11">November 2005</time>' in first
        assert re.findall(r"<td>(\d+)</td>", first) == ["2", "0", "0", "0", "0", "0", "0", "0", "2"]
        # The last row holds today's counts, which total every proposal.
        assert re.findall(r"<td>(\d+)</td>", rows[-1])[-1] == "9"
        assert "style=" not in page


def test_the_board_chart_stops_at_its_day(client, data):
    page = page_of(client, "/board/?as_of=2013-06-30")
    table = re.search(r'<details class="chart-table">(.*?)</details>', page, flags=re.S).group(1)
    assert "2013-02" in table  # the rejection
    assert "2015-06" not in table  # the agreement, two years later


def test_long_board_columns_show_the_rest_behind_show_all(client, data):
    add_bulk_proposals(BOARD_VISIBLE_CARDS + 3)
    page = page_of(client, "/board/")
    rejected = re.search(
        r'<section class="column"[^>]*data-status="rejected">(.*?)</section>', page, flags=re.S
    ).group(1)
    total = BOARD_VISIBLE_CARDS + 4  # the trade agreement too
    visible, hidden = rejected.split('<details class="column-more">')
    assert visible.count('class="board-card"') == BOARD_VISIBLE_CARDS
    assert hidden.count('class="board-card"') == total - BOARD_VISIBLE_CARDS
    assert f"Show all {total}" in hidden


def test_a_missing_page_is_branded(client, data):
    response = client.get("/proposals/no-such-proposal/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert 'class="site-header"' in page and "proposals/site.css" in page
    assert reverse("site:proposal-list") in page


def test_a_server_error_page_is_branded(data):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Something went wrong" in page and "proposals/site.css" in page


def test_favicon_and_robots_are_served_at_the_root(client, data):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an icon resource
    assert "favicon.svg" in page_of(client, "/")
    assert client.get("/robots.txt").status_code == 200


def test_html_pages_are_compressed_and_the_api_is_not(data):
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    response = client.get("/")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<h1>" in gzip.decompress(response.content)
    api = client.get("/api/v1/proposals/")
    assert api.status_code == 200
    assert not api.has_header("Content-Encoding")


def test_the_search_box_has_one_type(client, data):
    page = page_of(client, "/proposals/")
    search = re.search(r'<input[^>]*name="q"[^>]*>', page).group(0)
    assert search.count("type=") == 1 and 'type="search"' in search


def test_the_timeline_arrow_is_hidden_and_spoken_as_text(client, data):
    page = page_of(client, data.proposals["dialogue"].get_absolute_url())
    assert '<span aria-label="to">' not in page
    assert '<span aria-hidden="true">→</span><span class="visually-hidden">to</span>' in page
