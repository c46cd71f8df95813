"""The site in a real browser: Debian's Chromium against the live server."""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from playwright.sync_api import expect

from proposals import workflow
from proposals.models import Citation, Proposal, StatusChange, StatusChangeEvidence

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # pytest-base-url (pulled in by pytest-playwright) defines a session fixture on a class.
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def a_change_with_evidence() -> tuple[Proposal, Citation]:
    link = (
        StatusChangeEvidence.objects.select_related("citation__proposal")
        .order_by("status_change__effective_date", "id")
        .first()
    )
    assert link is not None, "the data has no status change with evidence"
    return link.citation.proposal, link.citation


def test_home_to_proposal_to_highlighted_passage(page, live_server, site_data, shoot, screenshots):
    proposal, citation = a_change_with_evidence()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    # The stylesheet is served and applied (the header is dark).
    header_colour = page.eval_on_selector(
        ".site-header", "e => getComputedStyle(e).backgroundColor"
    )
    assert header_colour == "rgb(29, 35, 48)"
    shoot("home")

    # The skip link is the first thing a keyboard reaches.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()

    # Home -> the proposal, through the list's search (every proposal is reachable from home).
    page.get_by_role("link", name="Proposals", exact=True).first.click()
    page.get_by_label("Text").fill(proposal.title)
    page.get_by_role("button", name="Apply").click()
    page.get_by_role("link", name=proposal.title, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(proposal.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(proposal.title)
    expect(page.get_by_role("heading", name="Status timeline")).to_be_visible()
    shoot("proposal")

    # The timeline points at the evidence quote, shown once on the page; its source link opens
    # the source at that passage.
    page.locator(".timeline .evidence a").first.click()
    quote = page.locator("figure.quote:target")
    expect(quote).to_be_in_viewport()
    quote.locator(f'a[href$="#citation-{citation.pk}"]').click()
    expect(page).to_have_url(
        re.compile(rf"/sources/{citation.source.slug}/#citation-{citation.pk}$")
    )
    target = page.locator(f"#citation-{citation.pk}")
    expect(target).to_have_count(1)
    assert page.evaluate("document.querySelector(':target').id") == f"citation-{citation.pk}"
    # The highlighted passage (the mark itself, or the mark right after its anchor) is in view.
    mark = page.locator(f"mark#citation-{citation.pk}, #citation-{citation.pk} + mark").first
    expect(mark).to_be_in_viewport()
    background = mark.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(255, 183, 77)"  # the :target colour
    page.screenshot(path=screenshots / "source-passage-viewport.png")
    shoot("source")


def a_nested_citation() -> Citation:
    """A citation starting inside another of the same source: its mark is nested in that one's."""
    citations = sorted(
        Citation.objects.select_related("source", "proposal"),
        key=lambda c: (c.source_id, c.start, -c.end, c.pk),
    )
    for _, group in itertools.groupby(citations, key=lambda c: c.source_id):
        group = list(group)
        for i, inner in enumerate(group):
            if any(outer.start <= inner.start < outer.end for outer in group[:i]):
                return inner
    pytest.skip("no nested citation in the data")


def test_a_nested_passage_is_highlighted_when_targeted(page, live_server, site_data, screenshots):
    citation = a_nested_citation()
    page.goto(f"{live_server.url}{citation.get_absolute_url()}")
    assert page.evaluate("document.querySelector(':target').id") == f"citation-{citation.pk}"
    mark = page.locator(f"mark#citation-{citation.pk}")
    expect(mark).to_have_count(1)
    expect(mark).to_be_in_viewport()
    # Nested in another citation's mark, and still visibly the targeted one.
    assert mark.evaluate("e => e.parentElement.closest('mark.cited') !== null")
    style = mark.evaluate(
        "e => { const s = getComputedStyle(e);"
        " return [s.backgroundColor, s.outlineStyle, s.outlineWidth]; }"
    )
    assert style == ["rgb(255, 183, 77)", "solid", "3px"]
    page.screenshot(path=screenshots / "source-nested-passage-viewport.png")


def test_filter_the_list(page, live_server, site_data, shoot):
    page.goto(live_server.url + "/proposals/")
    rows = page.locator(".proposal-table tbody tr")
    total = Proposal.objects.count()
    expect(page.locator(".result-count")).to_contain_text(f"{total} proposal")
    status = Proposal.objects.order_by("status").values_list("status", flat=True).first()
    expected = Proposal.objects.filter(status=status).count()
    page.get_by_label("Status").select_option(status)
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"status={status}"))
    expect(page.locator(".result-count")).to_contain_text(f"{expected} proposal")
    expect(rows).to_have_count(min(expected, 25))
    for badge in rows.locator("td[data-label=Status] .status").all():
        # Labels are lazy translations: Playwright wants a plain string.
        expect(badge).to_have_text(str(workflow.Status(status).label))
    shoot("list-filtered")

    # A shared URL restores the same view; a bad value shows a message, not an error.
    page.goto(live_server.url + f"/proposals/?status={status}&category=nonsense")
    expect(page.get_by_role("alert")).to_contain_text("Category")
    expect(page.get_by_label("Status")).to_have_value(status)
    expect(page.locator(".result-count")).to_contain_text(f"{expected} proposal")


def a_proposal_that_moved() -> tuple[str, StatusChange, StatusChange]:
    """A proposal whose status changed on a later day than the one before."""
    for proposal in Proposal.objects.order_by("slug"):
        changes = list(proposal.history.order_by("effective_date", "id"))
        for before, after in itertools.pairwise(changes):
            if after.effective_date > before.effective_date and after.to_status != before.to_status:
                return proposal.slug, before, after
    raise AssertionError("no proposal changed status on a later day")


def test_board_moves_a_proposal_when_the_date_changes(page, live_server, site_data, shoot):
    slug, before, after = a_proposal_that_moved()
    day_before = after.effective_date - datetime.timedelta(days=1)
    page.goto(live_server.url + f"/board/?as_of={day_before.isoformat()}")
    card = page.locator(f'.board-card[data-slug="{slug}"]')
    expect(card).to_have_count(1)
    column = page.locator(f'section.column[data-status="{before.to_status}"]')
    expect(column.locator(f'[data-slug="{slug}"]')).to_have_count(1)
    shoot("board")

    page.get_by_label("Status as of").fill(after.effective_date.isoformat())
    page.get_by_role("button", name="Show the board").click()
    expect(page).to_have_url(re.compile(rf"as_of={after.effective_date.isoformat()}"))
    moved_to = page.locator(f'section.column[data-status="{after.to_status}"]')
    expect(moved_to.locator(f'[data-slug="{slug}"]')).to_have_count(1)
    expect(column.locator(f'[data-slug="{slug}"]')).to_have_count(0)

    # A bad date: a message, and today's board.
    page.goto(live_server.url + "/board/?as_of=not-a-date")
    expect(page.get_by_role("alert")).to_contain_text("shows today")
    today = datetime.date.today().isoformat()
    expect(page.get_by_label("Status as of")).to_have_value(today)


def test_editor_changes_a_status_in_the_admin_and_the_timeline_shows_it(
    page, live_server, site_data, editor, shoot, screenshots
):
    proposal = next(
        p
        for p in Proposal.objects.order_by("slug")
        if not workflow.is_terminal(p.status) and p.citations.exists()
    )
    to_status = workflow.allowed_next(proposal.status)[0]
    citation = proposal.citations.order_by("id").first()
    note = f"Recorded in the browser test for {proposal.slug} <b>bold?</b>"

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password-123")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(live_server.url + f"/admin/proposals/proposal/{proposal.pk}/change-status/")
    page.get_by_label("New status").select_option(to_status)
    page.get_by_label("Effective date").fill(datetime.date.today().isoformat())
    page.get_by_label("Note").fill(note)
    page.locator(f'input[name="evidence"][value="{citation.pk}"]').check()
    page.screenshot(path=screenshots / "admin-change-status-viewport.png", full_page=True)
    page.get_by_role("button", name="Record the change").click()
    expect(page.locator(".messagelist")).to_contain_text("is now")

    page.goto(live_server.url + proposal.get_absolute_url())
    label = str(workflow.Status(to_status).label)  # a lazy translation: Playwright wants a str
    expect(page.locator(".current-status .status")).to_have_text(label)
    last = page.locator(".timeline > li").last
    expect(last).to_contain_text(note)  # the note is shown as text, markup and all
    expect(last.locator(".status").last).to_have_text(label)
    anchor = last.locator(".evidence a").first.get_attribute("href")
    cited = page.locator(f"figure.quote{anchor}")
    expect(cited.locator(f'a[href$="#citation-{citation.pk}"]')).to_have_count(1)
    expect(page.locator(".timeline b")).to_have_count(0)
    shoot("proposal-after-change")


def test_actor_and_feed_pages(page, live_server, site_data, shoot):
    actor = (
        Proposal.proposers.through.objects.select_related("actor").order_by("actor__name").first()
    )
    page.goto(live_server.url + actor.actor.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(actor.actor.name)
    shoot("actor")
    page.goto(live_server.url + "/actors/")
    shoot("actors")
    response = page.goto(live_server.url + "/feed/changes.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
