"""Error answers speak the request's language: the 503 page and the API's error messages."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from proposals.handlers import database_unavailable


@pytest.mark.parametrize(
    ("path", "headers", "language", "words"),
    [
        ("/proposals/", {}, "en", "Unavailable for a moment"),
        ("/ja/proposals/", {}, "ja", "一時的にご利用いただけません"),
        ("/zh-hant/board/", {"HTTP_ACCEPT_LANGUAGE": "ja"}, "zh-hant", "暫時無法使用"),
    ],
)
def test_the_503_page_is_in_the_language_of_its_path(path, headers, language, words):
    response = database_unavailable(RequestFactory().get(path, **headers))
    page = response.content.decode()
    assert response.status_code == 503
    assert f'<html lang="{language}">' in page
    assert words in page
    assert response["Content-Language"] == language


def test_the_api_503_is_in_the_asked_language():
    request = RequestFactory().get("/api/v1/proposals/", {"lang": "zh-hant"})
    body = json.loads(database_unavailable(request).content)
    assert body["detail"] == "資料庫暫時無法使用：請於 Retry-After 所示的秒數後重試。"
    assert body["code"] == "service_unavailable"


@pytest.mark.django_db
def test_a_refused_url_is_answered_in_the_language_of_its_path(client):
    japanese = client.get("/ja/proposals/", {"q": "a\x01b"})
    assert japanese.status_code == 400
    assert "クエリ文字列に U+0001" in japanese.content.decode()
    # Refused before the language middleware runs: the previous request's language stays out.
    english = client.get("/proposals/", {"q": "a\x01b"})
    assert english.content.decode().startswith("The query string holds U+0001")
    api = client.get("/api/v1/proposals/", {"q": "a\x01b"}, HTTP_ACCEPT_LANGUAGE="zh-Hant")
    assert api.json()["detail"] == "查詢字串含有 U+0001 (控制字元)，任何參數都不得包含此字元。"
