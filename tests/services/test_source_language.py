"""A source's language is a registered BCP 47 tag: pages name it in `lang`, so it must be real."""

from __future__ import annotations

import pytest

from tests.factories import database_state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("tag", ["JQRQmwHG", "xq", "zz-Latn"])
def test_an_unregistered_language_is_refused(editor_client, tag):
    before = database_state()
    response = editor_client.post(
        "/api/v1/sources/",
        {"title": "A report", "kind": "article", "language": tag, "text": "Some text."},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "language" in response.json()
    assert database_state() == before


@pytest.mark.parametrize("tag", ["en", "ja", "zh-Hant", "pt-BR", "es-419"])
def test_a_registered_language_is_accepted(editor_client, tag):
    response = editor_client.post(
        "/api/v1/sources/",
        {"title": f"A report in {tag}", "kind": "article", "language": tag, "text": f"Text {tag}."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
