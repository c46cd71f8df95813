"""An editor brings in a source through the admin, in a real browser, and the site shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from proposals.models import Source

FILES = Path(__file__).resolve().parent.parent / "files"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_an_editor_adds_a_source_from_an_html_file(page, live_server, editor, screenshots):
    page.goto(live_server.url + "/admin/login/?next=/admin/proposals/source/add/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password-123")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Add source")).to_be_visible()

    page.get_by_label("Title").fill("Coast guards hold joint HADR exercise")
    page.get_by_label("Kind").select_option("news_report")
    page.get_by_label("Publisher").fill("Harbour News")
    page.locator("#id_published_on").fill("2023-07-18")
    page.get_by_label("Document URL").fill("https://news.example/2023/07/coast-guards")
    page.locator("#id_file").set_input_files(str(FILES / "article-with-navigation.html"))
    page.screenshot(path=screenshots / "admin-add-source.png", full_page=True)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    source = Source.objects.get()
    assert source.slug == "coast-guards-hold-joint-hadr-exercise"
    assert "held their first joint humanitarian assistance" in source.text
    assert "Politics menu item" not in source.text

    # The source's page in the admin offers the correction and the uploaded file.
    page.goto(live_server.url + f"/admin/proposals/source/{source.pk}/change/")
    expect(page.get_by_role("link", name="Correct the text")).to_be_visible()
    expect(page.get_by_role("link", name="article-with-navigation.html")).to_be_visible()

    # The public site shows the extracted text, not the file.
    page.goto(live_server.url + source.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(source.title)
    expect(page.locator(".source-text")).to_contain_text("Both sides agreed to hold the exercise")
    expect(page.locator("body")).not_to_contain_text("NAVIGATION-SCRIPT-SHOULD-NOT-APPEAR")
