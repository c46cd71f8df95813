"""The editors' admin in Chromium: a stale change-status form keeps what the editor typed."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from proposals import services, workflow
from proposals.models import Proposal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_a_stale_change_status_form_keeps_the_note(
    page, live_server, site_data, editor, screenshots
):
    proposal = next(
        p
        for p in Proposal.objects.order_by("slug")
        if "withdrawn" in workflow.allowed_next(p.status)
        and "withdrawn" in workflow.allowed_next("under_discussion")
        and "under_discussion" in workflow.allowed_next(p.status)
    )
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password-123")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(live_server.url + f"/admin/proposals/proposal/{proposal.pk}/change-status/")
    note = "Withdrawn after the 2022 review; a long note the editor must not lose."
    page.get_by_label("New status").select_option("withdrawn")
    page.get_by_label("Effective date").fill(datetime.date.today().isoformat())
    page.get_by_label("Note").fill(note)

    # Meanwhile another editor moves the proposal.
    services.record_transition(
        proposal=proposal,
        to_status="under_discussion",
        note="Someone else was quicker.",
        effective_date=datetime.date.today(),
        expected_version=proposal.version,
    )
    page.get_by_role("button", name="Record the change").click()
    expect(page.locator(".messagelist")).to_contain_text("changed meanwhile")
    expect(page.get_by_label("Note")).to_have_value(note)
    expect(page.get_by_label("New status")).to_have_value("withdrawn")
    page.screenshot(path=screenshots / "admin-stale-form-kept.png", full_page=True)

    # Sent again as it stands, it is recorded.
    page.get_by_role("button", name="Record the change").click()
    expect(page.locator(".messagelist")).to_contain_text("is now withdrawn")
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert proposal.history.order_by("-id").first().note == note


def test_the_proposal_change_page_title_and_tools_do_not_overlap(
    page, live_server, site_data, editor, screenshots
):
    proposal = max(Proposal.objects.all(), key=lambda p: len(p.title))
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password-123")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + f"/admin/proposals/proposal/{proposal.pk}/change/")
    title = page.locator("#content h1").bounding_box()
    tools = page.locator(".object-tools").bounding_box()
    overlap_x = min(title["x"] + title["width"], tools["x"] + tools["width"]) - max(
        title["x"], tools["x"]
    )
    overlap_y = min(title["y"] + title["height"], tools["y"] + tools["height"]) - max(
        title["y"], tools["y"]
    )
    assert overlap_x <= 0 or overlap_y <= 0
    # The history's dates are on screen without scrolling sideways.
    effective = page.locator("td.field-effective").first
    box = effective.bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"]
    page.screenshot(path=screenshots / "admin-proposal-change.png", full_page=True)
