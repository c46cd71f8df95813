"""Every page carries a Content-Security-Policy without inline script or style."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/", "/proposals/", "/board/", "/sources/", "/actors/", "/admin/login/"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_a_strict_policy_and_no_inline_code(url):
    response = Client().get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html
    assert " style=" not in html


def test_the_api_docs_page_gets_the_policy_it_needs():
    response = Client().get("/api/v1/docs/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" in policy.split("style-src", 1)[1].split(";", 1)[0]
