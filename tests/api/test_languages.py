"""The API in the language a client asks for: ?lang= or Accept-Language."""

from __future__ import annotations

import pytest

API = "/api/v1"
SLUG = "ldp-dpp-party-security-dialogue"


@pytest.mark.parametrize(
    ("query", "headers", "title", "language"),
    [
        ({}, {}, "LDP-DPP ruling-party security dialogue", "en"),
        ({"lang": "ja"}, {}, "日本と台湾の与党間の安全保障対話", "ja"),
        (
            {},
            {"HTTP_ACCEPT_LANGUAGE": "zh-TW,zh;q=0.9,en;q=0.5"},
            "日本與臺灣執政黨之間的安全對話",
            "zh-hant",
        ),
        # ?lang= wins over the header.
        ({"lang": "ja"}, {"HTTP_ACCEPT_LANGUAGE": "zh-Hant"}, "日本と台湾の与党間", "ja"),
        # An unknown language falls back to English rather than failing.
        ({"lang": "xx"}, {}, "LDP-DPP ruling-party", "en"),
    ],
)
def test_translated_fields_follow_the_asked_language(
    client, corpus, query, headers, title, language
):
    response = client.get(f"{API}/proposals/{SLUG}/", query, **headers)
    assert response.status_code == 200
    assert response.json()["title"].startswith(title)
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


def test_status_labels_and_descriptions_are_translated(client, corpus):
    statuses = client.get(f"{API}/statuses/", {"lang": "ja"}).json()
    proposed = next(item for item in statuses if item["code"] == "proposed")
    assert proposed["label"] == "提案済み"
    assert proposed["description"] == "提案者が提起したものの、まだ誰も取り上げていません。"


def test_the_list_reads_the_language_too(client, corpus):
    data = client.get(f"{API}/proposals/", {"lang": "zh-hant", "page_size": 100}).json()
    titles = {item["slug"]: item["title"] for item in data["results"]}
    assert titles["japan-taiwan-free-trade-agreement"] == "日臺自由貿易協定"
