"""The reader's site in Chromium: the board on a desktop and a phone, the charts, the quotes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from proposals import workflow
from proposals.models import Proposal
from tests.site.conftest import DESKTOP, PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_every_status_column_starts_on_the_first_screen(
    page, live_server, site_data, screenshots, viewport
):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/board/")
    headings = page.locator("section.column > h2")
    expect(headings).to_have_count(len(workflow.Status))
    for status in workflow.Status:
        heading = page.locator(f"#col-{status.value}")
        box = heading.bounding_box()
        # Without scrolling down: every column's head is within the first screen.
        assert box["y"] + box["height"] <= viewport["height"], (status, box)
    boxes = [page.locator(f"#col-{s.value}").bounding_box() for s in workflow.Status]
    # Side by side, in workflow order, on one row.
    assert [b["x"] for b in boxes] == sorted(b["x"] for b in boxes)
    assert len({round(b["y"]) for b in boxes}) == 1
    if viewport == DESKTOP:
        # All eight fit the width of a desktop window.
        assert all(b["x"] + b["width"] <= viewport["width"] for b in boxes)
    else:
        # On a phone the row scrolls sideways; a status's link brings its column into view
        # without moving the page down.
        last = workflow.Status.WITHDRAWN.value
        page.get_by_role("link", name=f"{workflow.Status.WITHDRAWN.label} ").click()
        expect(page.locator(f"#col-{last}")).to_be_in_viewport()
        assert page.evaluate("window.scrollY") < viewport["height"]
    # No column runs far down: the longest shows its first cards and a "Show all" control.
    board_bottom = page.locator(".board").bounding_box()
    assert board_bottom["y"] + board_bottom["height"] < 3 * viewport["height"]
    name = "desktop" if viewport == DESKTOP else "phone"
    page.screenshot(path=screenshots / f"board-first-screen-{name}.png")


def test_show_all_opens_a_long_column(page, live_server, site_data):
    page.goto(live_server.url + "/board/")
    more = page.locator("details.column-more").first
    if more.count() == 0:
        pytest.skip("no column is long enough to collapse")
    hidden = more.locator(".board-card").first
    expect(hidden).to_be_hidden()
    more.locator("summary").click()
    expect(hidden).to_be_visible()


@pytest.mark.parametrize("url", ["/", "/board/"])
def test_the_chart_and_its_table(page, live_server, site_data, url, screenshots):
    page.goto(live_server.url + url)
    chart = page.get_by_role("img", name="Proposals in each status, month by month")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 100
    table = page.locator("details.chart-table table")
    expect(table).to_be_hidden()
    page.get_by_text("Show as table", exact=True).click()
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    assert rows.count() >= 2
    # The last row's total is every proposal shown (today on home, the board's day too).
    total = rows.last.locator("td").last.inner_text()
    assert int(total) == Proposal.objects.count()
    page.screenshot(path=screenshots / f"chart-table{url.replace('/', '-')}.png", full_page=True)


def test_a_proposal_page_shows_each_quote_once(page, live_server, site_data, screenshots):
    # The proposal citing the most passages, some in two roles when the data has them.
    proposal = max(Proposal.objects.all(), key=lambda p: p.citations.count())
    page.goto(live_server.url + proposal.get_absolute_url())
    quotes = page.locator("figure.quote blockquote")
    texts = [text.strip() for text in quotes.all_inner_texts()]
    assert texts and len(texts) == len(set(texts))
    passages = {(c.source_id, c.start, c.end) for c in proposal.citations.all()}
    assert len(texts) == len(passages)
    # Upright, not underlined.
    style = quotes.first.evaluate(
        "e => [getComputedStyle(e).fontStyle, getComputedStyle(e).textDecorationLine]"
    )
    assert style == ["normal", "none"]
    # Evidence in the timeline points at its quote on the page.
    evidence = page.locator(".timeline .evidence a")
    if evidence.count():
        evidence.first.click()
        expect(page.locator("figure.quote:target")).to_be_in_viewport()
    page.screenshot(path=screenshots / "proposal-quotes-once.png", full_page=True)
