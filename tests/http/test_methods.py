"""A method an endpoint does not declare is a 405 with Allow, whoever asks and in any format."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/actors/",
    "/api/v1/actors/taiwan/",
    "/api/v1/proposals/",
    "/api/v1/proposals/academy-exchanges/",
    "/api/v1/proposals/academy-exchanges/history/",
    "/api/v1/changes/",
    "/api/v1/citations/",
    "/api/v1/sources/",
    "/api/v1/sources/cable-one/",
    "/api/v1/statuses/",
    "/api/v1/transitions/bulk/",
    "/api/v1/webhooks/",
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "PUT"])
@pytest.mark.parametrize("query", ["", "?format=csv", "?format=json&download=0"])
def test_an_undeclared_method_is_a_405(anon, editor_api, world, path, method, query):
    for client in (anon, editor_api):
        response = client.generic(method, path + query)
        assert response.status_code == 405, (method, path, response.content)
        assert method not in response["Allow"]
        assert response["Content-Type"] == "application/json"
