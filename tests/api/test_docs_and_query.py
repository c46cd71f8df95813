"""The docs page answers every method it lists; single-valued query parameters refuse repeats."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/schema/"])
def test_options_on_the_docs_and_schema(anon, url):
    response = anon.options(url)
    assert response.status_code == 200
    assert "GET" in response["Allow"]


def test_the_docs_page_loads_its_script_from_a_url(anon):
    page = anon.get("/api/v1/docs/")
    assert page.status_code == 200
    assert b"<script>" not in page.content
    script = anon.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


@pytest.mark.parametrize(
    "query",
    [
        "ordering=-title&ordering=slug",
        "page=1&page=2",
        "page_size=5&page_size=10",
        "as_of=2020-01-01&as_of=2021-01-01",
        "q=a&q=b",
    ],
)
def test_repeated_single_valued_parameters_are_400(anon, world, query):
    response = anon.get(f"/api/v1/proposals/?{query}")
    assert response.status_code == 400
    name = query.split("=", 1)[0]
    assert name in response.json()


def test_ordering_takes_one_comma_separated_value(anon, world):
    response = anon.get("/api/v1/proposals/?ordering=-title,slug")
    assert response.status_code == 200


def test_filters_that_take_several_values_still_do(anon, world):
    response = anon.get("/api/v1/proposals/?status=proposed&status=agreed")
    assert response.status_code == 200


def test_repeats_are_refused_on_other_lists_too(anon, world):
    assert anon.get("/api/v1/changes/?since=2020-01-01&since=2021-01-01").status_code == 400
    assert anon.get("/api/v1/citations/?proposal=a&proposal=b").status_code == 400
