"""The home page and a proposal page in each language, in Chromium: what a reader of Japanese or
Traditional Chinese sees, the switcher keeping the page, and the choice remembered."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from proposals.content_languages import localized_field
from proposals.models import Proposal
from tests.site.conftest import PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

LANGUAGES = dict(settings.LANGUAGES)
HEADLINE = "Japan–Taiwan–US security cooperation: proposals and what became of them"  # noqa: RUF001


def prefix(language: str) -> str:
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def a_translated_proposal() -> Proposal:
    """A proposal with a title in every language, made known only to the year or month."""
    return (
        Proposal.objects.exclude(title_ja="")
        .exclude(title_zh_hant="")
        .exclude(proposed_precision="day")
        .order_by("slug")
        .first()
    )


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_home_and_a_proposal_in_each_language(page, live_server, site_data, shoot, language):
    proposal = a_translated_proposal()
    assert proposal is not None, "the corpus has no fully translated proposal"

    page.goto(f"{live_server.url}{prefix(language)}/")
    assert page.get_attribute("html", "lang") == language
    expect(page.get_by_role("heading", level=1)).to_have_text(in_language(language, HEADLINE))
    expect(page.get_by_role("navigation", name=in_language(language, "Main"))).to_be_visible()
    switcher = page.locator(".language-switcher")
    expect(switcher.locator("[aria-current=true]")).to_have_text(LANGUAGES[language])
    # The switcher is one line of the header, on a phone too, and nothing scrolls sideways.
    page.set_viewport_size(PHONE)
    box = switcher.bounding_box()
    assert box["height"] < 48, box
    assert no_sideways_scroll(page)
    # The chart's bars keep their room beside the longest status label.
    assert page.locator(".bar-chart .bar-track").first.bounding_box()["width"] > 100
    shoot(f"home-{language}")

    page.goto(f"{live_server.url}{prefix(language)}{proposal.get_absolute_url()}")
    title = getattr(proposal, localized_field("title", language))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(
        page.get_by_role("heading", name=in_language(language, "Status timeline"))
    ).to_be_visible()
    with translation.override(language):
        status = str(proposal.get_status_display())
    expect(page.locator(".current-status .status")).to_have_text(status)
    # Dates read in the language's usual form, only to their precision.
    proposed = page.locator(f'time[datetime="{proposal.proposed_on.year}"]').first
    if proposal.proposed_precision == "month":
        proposed = page.locator(f'time[datetime="{proposal.proposed_on:%Y-%m}"]').first
    expect(proposed).to_be_visible()
    if language != "en":
        expect(proposed).to_contain_text("年")
    assert no_sideways_scroll(page)
    shoot(f"proposal-{language}")


def test_the_switcher_keeps_the_page_and_the_choice_is_remembered(page, live_server, site_data):
    proposal = a_translated_proposal()
    path = proposal.get_absolute_url()
    page.goto(f"{live_server.url}/ja{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(proposal.title_ja)

    page.get_by_role("button", name=LANGUAGES["zh-hant"]).click()
    expect(page).to_have_url(re.compile(re.escape(f"/zh-hant{path}") + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(proposal.title_zh_hant)

    # The English address now leads to the chosen language.
    page.goto(f"{live_server.url}{path}")
    expect(page).to_have_url(re.compile(re.escape(f"/zh-hant{path}") + "$"))

    # Back to English, by the switcher: the unprefixed page stays English from then on.
    page.get_by_role("button", name=LANGUAGES["en"]).click()
    expect(page).to_have_url(re.compile(re.escape(f"{live_server.url}{path}") + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(proposal.title_en)
    page.goto(f"{live_server.url}/")
    assert page.get_attribute("html", "lang") == "en"
