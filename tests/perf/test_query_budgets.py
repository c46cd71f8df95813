"""Every page costs a fixed number of queries, whatever the page size and the data size.

The data comes from the synthetic generator at two sizes; each endpoint is read for a subject
with the most rows hanging from it, so that a query per row would show. A change of a budget here
is a decision, not an accident.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db.models import Count
from django.test import Client
from rest_framework.test import APIClient

from proposals import services
from proposals.models import Actor, Proposal, Source
from tests.perf.conftest import generate

pytestmark = pytest.mark.django_db

SIZES = [5, 40]
AS_OF = "2012-06-30"


def busiest_proposal() -> str:
    """The proposal with the most status changes (then citations)."""
    return (
        Proposal.objects.annotate(
            changes=Count("history", distinct=True), cited=Count("citations", distinct=True)
        )
        .order_by("-changes", "-cited", "slug")
        .values_list("slug", flat=True)[0]
    )


def commonest_status() -> str:
    """A status some proposals have at every size, so that a filtered page is not empty."""
    return (
        Proposal.objects.values_list("status")
        .annotate(total=Count("id"))
        .order_by("-total", "status")[0][0]
    )


def busiest_source() -> str:
    return (
        Source.objects.annotate(cited=Count("citations"))
        .order_by("-cited", "slug")
        .values_list("slug", flat=True)[0]
    )


def busiest_actor() -> str:
    return (
        Actor.objects.annotate(
            made=Count("proposals_made", distinct=True),
            addressed=Count("proposals_addressed", distinct=True),
        )
        .order_by("-made", "-addressed", "slug")
        .values_list("slug", flat=True)[0]
    )


# name -> (queries, path built from the subjects)
API: dict[str, tuple[int, Callable[[], str]]] = {
    "list": (4, lambda: "/api/v1/proposals/?page_size=500"),
    "list as_of": (4, lambda: f"/api/v1/proposals/?page_size=500&as_of={AS_OF}"),
    "list filtered": (
        4,
        lambda: f"/api/v1/proposals/?page_size=500&status={commonest_status()}&q=synthetic",
    ),
    "detail": (4, lambda: f"/api/v1/proposals/{busiest_proposal()}/"),
    "history": (3, lambda: f"/api/v1/proposals/{busiest_proposal()}/history/"),
    "changes": (3, lambda: "/api/v1/changes/?page_size=500"),
    "citations": (2, lambda: "/api/v1/citations/?page_size=500"),
    "sources": (2, lambda: "/api/v1/sources/?page_size=500"),
    # The source, and its revisions (without their texts).
    "source": (2, lambda: f"/api/v1/sources/{busiest_source()}/"),
    "actors": (2, lambda: "/api/v1/actors/?page_size=500"),
    "actor": (3, lambda: f"/api/v1/actors/{busiest_actor()}/"),
}

SITE: dict[str, tuple[int, Callable[[], str]]] = {
    # With the chart over time (two: the latest change, the history) and the introduction's
    # period and kinds of source.
    "home": (12, lambda: "/"),
    # The filter form's group names, and a busiest proposal's group, in the reader's language.
    "list": (8, lambda: "/proposals/"),
    "list filtered": (
        8,
        lambda: f"/proposals/?status={commonest_status()}&q=synthetic&sort=status",
    ),
    # The group's name in the reader's language, then the relations, the lineage's edges and
    # the positions.
    "proposal": (10, lambda: f"/proposals/{busiest_proposal()}/"),
    "source": (2, lambda: f"/sources/{busiest_source()}/"),
    "board": (3, lambda: f"/board/?as_of={AS_OF}"),
    "actor": (4, lambda: f"/actors/{busiest_actor()}/"),  # its positions add one
    "feed": (2, lambda: "/feed/changes.atom"),
}

# Session, user, two for the editor's permissions, the sources filter's choices, two counts,
# the page and the groups filter's choices.
ADMIN_CHANGELIST = 9
# Token with its user, two for the permissions, the proposal, the savepoint of the test's
# transaction, the row lock, the previous change's hash (the history's hash chain), the change,
# the version bump, the active webhooks (none here) and the release. The answer is built from what
# was written (the evidence is read before the write; none here): no read after it.
TRANSITION = 11


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(API))
def test_api_budget(django_assert_num_queries, name, size):
    generate(size)
    budget, path = API[name]
    url = path()
    with django_assert_num_queries(budget):
        response = APIClient().get(url)
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(SITE))
def test_site_budget(django_assert_max_num_queries, name, size):
    """At most the budget at either size: a page whose count grows with the data fails."""
    generate(size)
    budget, path = SITE[name]
    url = path()
    with django_assert_max_num_queries(budget):
        response = Client().get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_admin_changelist_budget(django_assert_num_queries, size):
    generate(size)
    editor, _ = services.ensure_editor(username="budget-editor")
    client = Client()
    client.force_login(editor)
    with django_assert_num_queries(ADMIN_CHANGELIST):
        response = client.get("/admin/proposals/proposal/")
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_transition_budget(django_assert_num_queries, size):
    """A status change through the API: a fixed number of reads and writes."""
    generate(size)
    _, token = services.ensure_editor(username="budget-editor")
    proposal = (
        Proposal.objects.filter(status__in=["proposed", "under_discussion", "stalled"])
        .order_by("slug")
        .first()
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with django_assert_num_queries(TRANSITION):
        response = client.post(
            f"/api/v1/proposals/{proposal.slug}/transitions/",
            {"to_status": "withdrawn", "note": "Dropped.", "effective_date": "2026-01-01"},
            format="json",
            HTTP_IF_MATCH=f'"{proposal.version}"',
        )
    assert response.status_code == 201, response.content[:300]
