"""The public site in English, Japanese and Traditional Chinese."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from proposals import services
from proposals.models import Actor, Position, Proposal, Relation, Source
from tests.i18n.pages import interface_texts, untranslated

LANGUAGES = [code for code, _ in settings.LANGUAGES]
OTHER_LANGUAGES = [code for code in LANGUAGES if code != settings.LANGUAGE_CODE]


def prefixed(path: str, language: str) -> str:
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def public_pages() -> list[str]:
    """One of each public page of the demo corpus, as English paths."""
    proposal = Proposal.objects.order_by("slug").first()
    grouped = Proposal.objects.exclude(group="").first()
    # The pages that show relations and positions (_connections, _positions, _actor_positions).
    related = Relation.objects.order_by("id").first().from_proposal
    position = Position.objects.order_by("id").first()
    return [
        "/",
        "/proposals/",
        "/proposals/?status=proposed&sort=-proposed",
        f"/proposals/{proposal.slug}/",
        f"/proposals/{grouped.slug}/",
        "/board/",
        "/board/?as_of=2005-12-31",
        "/actors/",
        f"/actors/{Actor.objects.get(slug='ldp').slug}/",
        "/sources/",
        f"/sources/{Source.objects.order_by('slug').first().slug}/",
        f"/proposals/{related.slug}/",
        f"/proposals/{position.proposal.slug}/",
        f"/actors/{position.actor.slug}/",
        "/data/",
    ]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_public_page_is_in_the_language_with_no_english_interface_left(
    client, corpus, language
):
    for path in public_pages():
        english = client.get(path)
        other = client.get(prefixed(path, language))
        assert english.status_code == other.status_code == 200, path
        page_language, _ = interface_texts(other.content.decode())
        assert page_language == language, path
        assert other["Content-Language"] == language
        leftovers = untranslated(english.content.decode(), other.content.decode())
        assert leftovers == [], (path, leftovers)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_page_names_its_alternates_in_every_language(client, corpus, language):
    slug = Proposal.objects.order_by("slug").first().slug
    page = client.get(prefixed(f"/proposals/{slug}/", language)).content.decode()
    assert f'<html lang="{language}">' in page
    for code in LANGUAGES:
        href = f"http://testserver{prefixed(f'/proposals/{slug}/', code)}"
        assert f'<link rel="alternate" hreflang="{code}" href="{href}">' in page
    assert f'hreflang="x-default" href="http://testserver/proposals/{slug}/"' in page


def test_statuses_dates_and_content_read_in_japanese(client, corpus):
    proposal = Proposal.objects.get(slug="ldp-dpp-party-security-dialogue")
    page = client.get(f"/ja/proposals/{proposal.slug}/").content.decode()
    assert "日本と台湾の与党間の安全保障対話" in page
    assert "2021年8月27日" in page
    # "Proposed" the date heading and "Proposed" the status read differently.
    assert "<dt>提案日</dt>" in page
    assert "自由民主党" in page
    chinese = client.get(f"/zh-hant/proposals/{proposal.slug}/").content.decode()
    assert "民主進步黨" in chinese
    assert "<dt>提出日期</dt>" in chinese


def test_quotes_stay_in_the_language_of_their_source(client, corpus):
    proposal = Proposal.objects.get(slug="japan-taiwan-free-trade-agreement")
    citation = proposal.citations.first()
    page = client.get(f"/ja/proposals/{proposal.slug}/").content.decode()
    quote = re.search(r'<blockquote cite="[^"]+" lang="en"><p>(.*?)</p>', page, re.S)
    assert quote is not None
    assert html.unescape(quote.group(1).replace("<br>", "\n")) == citation.quote


def test_a_quote_translation_is_shown_beside_the_original(client, corpus):
    citation = Proposal.objects.get(slug="japan-taiwan-free-trade-agreement").citations.first()
    citation.translation = (
        "陳総統は会議参加者との会見で、日本との安全保障協力の緊密化を呼びかけた。"
    )
    citation.translation_language = "ja"
    citation.save(update_fields=["translation", "translation_language"])
    page = client.get(f"/ja/proposals/{citation.proposal.slug}/").content.decode()
    original = page.index(citation.quote.split("'")[0])
    shown = page.index('<p class="quote-translation" lang="ja">')
    assert original < shown
    assert "訳：" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_switcher_keeps_the_page_and_the_query(client, corpus, language):
    slug = Proposal.objects.order_by("slug").first().slug
    page = client.get(prefixed(f"/proposals/{slug}/?x=1", language)).content.decode()
    for code in LANGUAGES:
        if code == language:
            assert f'<span lang="{code}" aria-current="true">' in page
            continue
        target = prefixed(f"/proposals/{slug}/?x=1", code)
        assert f'<input type="hidden" name="next" value="{target}">' in page
        response = client.post(reverse("set_language"), {"language": code, "next": target})
        assert response.status_code == 302
        assert response["Location"] == target


def test_the_choice_is_remembered(client, corpus):
    slug = Proposal.objects.order_by("slug").first().slug
    client.post(reverse("set_language"), {"language": "ja", "next": f"/ja/proposals/{slug}/"})
    response = client.get(f"/proposals/{slug}/?page=2")
    assert response.status_code == 302
    assert response["Location"] == f"/ja/proposals/{slug}/?page=2"
    assert "Cookie" in response["Vary"]
    client.post(reverse("set_language"), {"language": "en", "next": f"/proposals/{slug}/"})
    assert client.get(f"/proposals/{slug}/").status_code == 200


def test_a_missing_translation_falls_back_to_english_with_a_notice(client, db):
    from tests.factories import ProposalFactory

    proposal = ProposalFactory(title="Only in English", summary="Not translated yet.")
    japanese = client.get(f"/ja/proposals/{proposal.slug}/").content.decode()
    assert "Only in English" in japanese and "Not translated yet." in japanese
    assert "このページはまだお使いの言語に翻訳されていません" in japanese
    assert "fallback-notice" not in client.get(f"/proposals/{proposal.slug}/").content.decode()
    with translation.override("en"):
        services.update_proposal(
            proposal=proposal,
            expected_version=proposal.version,
            title_ja="日本語のみ",
            summary_ja="翻訳済み。",
        )
    translated = client.get(f"/ja/proposals/{proposal.slug}/").content.decode()
    assert "日本語のみ" in translated and "fallback-notice" not in translated


def test_the_feed_speaks_the_language_of_its_path(client, corpus):
    feed = client.get("/zh-hant/feed/changes.atom").content.decode()
    assert 'xml:lang="zh-hant"' in feed
    assert "提案追蹤器：狀態變更" in feed
