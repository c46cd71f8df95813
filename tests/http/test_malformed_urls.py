"""A path or query string holding NUL, a control character or a non-character is a 400."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BAD = ["%00", "%01", "%1B", "%7F", "%EF%BF%BE", "%EF%BF%BF", "%F4%8F%BF%BF"]
SITE_URLS = ["/", "/proposals/", "/board/", "/feed/changes.atom"]
API_URLS = ["/api/v1/proposals/", "/api/v1/changes/", "/api/v1/citations/", "/api/v1/sources/"]


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("url", API_URLS)
def test_api_query_values_and_keys(anon, world, url, bad):
    for query in (f"q=a{bad}b", f"source={bad}", f"proposal={bad}", f"x{bad}=1"):
        response = anon.get(f"{url}?{query}")
        assert response.status_code == 400, (query, response.content)
        assert response.json()["code"] == "invalid_character"


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("url", SITE_URLS)
def test_site_query_strings(world, url, bad):
    response = Client().get(f"{url}?q={bad}&status=proposed")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("bad", BAD)
def test_admin_query_strings(editor, world, bad):
    client = Client()
    client.force_login(editor)
    for url in (
        f"/admin/proposals/statuschange/?to_status={bad}",
        f"/admin/proposals/proposal/?q={bad}",
        f"/admin/auth/user/?username={bad}",
    ):
        assert client.get(url).status_code == 400, url


def test_paths(anon, world):
    assert anon.get("/api/v1/proposals/a%00b/").status_code == 400
    assert Client().get("/proposals/a%00b/").status_code == 400


def test_tab_and_newlines_stay_allowed(anon, world):
    assert anon.get("/api/v1/proposals/?q=a%09b%0Ac").status_code == 200
