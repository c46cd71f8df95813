"""Every page the outside checks visit has one level-one heading (axe: page-has-heading-one)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "ja", "zh-hant"])
def test_the_admin_login_page_names_itself_in_a_heading(client, language):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    headings = re.findall(r"<h1\b[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert len(headings) == 1
    assert headings[0].strip()
    assert 'name="username"' in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/", "/proposals/", "/board/", "/sources/", "/actors/", "/admin/login/"]
)
def test_each_checked_page_has_one_level_one_heading(client, corpus, path):
    response = client.get(path)
    assert response.status_code == 200
    assert len(re.findall(r"<h1\b", response.content.decode())) == 1
