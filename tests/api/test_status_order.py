"""Status ordering is the workflow's order, in the API's `ordering` as on the site's list."""

from __future__ import annotations

import datetime
import re

import pytest

from tests.api.conftest import move
from tests.factories import ProposalFactory, cite

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(db) -> None:
    # Alphabetically agreed < proposed < under_discussion; in the workflow proposed comes first.
    ProposalFactory(slug="still-proposed", title="Still proposed")
    discussed = ProposalFactory(slug="discussed", title="Discussed")
    move(discussed, "under_discussion", datetime.date(2006, 1, 1))
    agreed = ProposalFactory(slug="agreed", title="Agreed")
    move(agreed, "agreed", datetime.date(2006, 2, 1), [cite(agreed)])


def test_api_orders_by_status_in_workflow_order(anon, three):
    slugs = [
        row["slug"] for row in anon.get("/api/v1/proposals/?ordering=status").json()["results"]
    ]
    assert slugs == ["still-proposed", "discussed", "agreed"]
    descending = anon.get("/api/v1/proposals/?ordering=-status").json()["results"]
    assert [row["slug"] for row in descending] == ["agreed", "discussed", "still-proposed"]


def test_as_of_a_day_the_order_is_that_of_the_status_then(anon, three):
    response = anon.get("/api/v1/proposals/?ordering=status&as_of=2006-01-15").json()
    # On 15 January 2006 "agreed" was still proposed: both proposed ones first, by slug.
    assert [row["slug"] for row in response["results"]] == ["agreed", "still-proposed", "discussed"]


def test_the_site_list_sorts_as_the_api_orders(client, anon, three):
    page = client.get("/proposals/?sort=status").content.decode()
    shown = re.findall(r'href="/proposals/([a-z-]+)/"', page)
    api = [row["slug"] for row in anon.get("/api/v1/proposals/?ordering=status").json()["results"]]
    assert [slug for slug in dict.fromkeys(shown) if slug in api] == api
