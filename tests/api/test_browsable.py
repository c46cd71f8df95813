"""The browsable API's pages: breadcrumbs from the API root to the page, and nothing else."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def crumbs(client, url: str) -> list[str]:
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    listing = re.search(r'<ul class="breadcrumb">(.*?)</ul>', html, flags=re.S).group(1)
    return re.findall(r"<a href=\"[^\"]*\">([^<]*)</a>", listing)


def test_breadcrumbs_name_the_root_and_the_page(client, world):
    assert crumbs(client, "/api/v1/proposals/") == ["API root", "Proposal List"]
    assert crumbs(client, "/api/v1/") == ["API root"]
    assert crumbs(client, "/api/v1/proposals/academy-exchanges/") == [
        "API root",
        "Proposal List",
        "Proposal Instance",
    ]
