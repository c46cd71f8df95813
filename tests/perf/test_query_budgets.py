"""Every page, API read and download costs a fixed number of queries, whatever the data size.

The one place where query budgets are asserted. Two kinds of data: the synthetic generator at two
sizes, each endpoint read for a subject with the most rows hanging from it; and small trackers
built for the purpose at two sizes, each page and read measured exactly. A query per row would
show as a count that differs between the sizes. A change of a budget here is a decision, not an
accident.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from proposals import services
from proposals.models import Actor, Citation, Proposal, Source
from tests.api.conftest import make_proposals
from tests.api.conftest import move as api_move
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite
from tests.perf.conftest import generate
from tests.site.data import add_bulk_proposals
from tests.site.data import move as site_move

pytestmark = pytest.mark.django_db

API_ROOT = "/api/v1"
# On PostgreSQL a search first asks, in one query, which of its words the documents hold.
SEARCH_PROBE = int(connection.vendor == "postgresql")
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
    # The count, the page, its actors (both relations in one query).
    "list": (3, lambda: "/api/v1/proposals/?page_size=500"),
    "list as_of": (3, lambda: f"/api/v1/proposals/?page_size=500&as_of={AS_OF}"),
    "list filtered": (
        3 + SEARCH_PROBE,
        lambda: f"/api/v1/proposals/?page_size=500&status={commonest_status()}&q=synthetic",
    ),
    "detail": (3, lambda: f"/api/v1/proposals/{busiest_proposal()}/"),
    "history": (3, lambda: f"/api/v1/proposals/{busiest_proposal()}/history/"),
    "changes": (3, lambda: "/api/v1/changes/?page_size=500"),
    "citations": (2, lambda: "/api/v1/citations/?page_size=500"),
    "sources": (2, lambda: "/api/v1/sources/?page_size=500"),
    # The source, and its revisions (without their texts).
    "source": (2, lambda: f"/api/v1/sources/{busiest_source()}/"),
    "actors": (2, lambda: "/api/v1/actors/?page_size=500"),
    "actor": (3, lambda: f"/api/v1/actors/{busiest_actor()}/"),
}

# name -> (queries, or queries by size where the data differ, path built from the subjects)
SITE: dict[str, tuple[int | dict[int, int], Callable[[], str]]] = {
    # With the chart over time (two: the latest change, the history) and the introduction's
    # period and kinds of source; the recent changes without their evidence (not shown).
    "home": (11, lambda: "/"),
    # The filter form's group names, and the shown proposals' groups in the reader's language
    # (at the larger size the first page shows no grouped proposal: one query fewer).
    "list": ({5: 8, 40: 7}, lambda: "/proposals/"),
    "list filtered": (
        8 + SEARCH_PROBE,
        lambda: f"/proposals/?status={commonest_status()}&q=synthetic&sort=status",
    ),
    # The group's name in the reader's language (when the busiest proposal has a group: not at
    # the larger size), then the relations, the lineage's edges and the positions.
    "proposal": ({5: 10, 40: 9}, lambda: f"/proposals/{busiest_proposal()}/"),
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
def test_site_budget(django_assert_num_queries, name, size):
    """The budget at either size: a page whose count grows with the data fails."""
    generate(size)
    budget, path = SITE[name]
    url = path()
    with django_assert_num_queries(budget if isinstance(budget, int) else budget[size]):
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


# --- Built data: small trackers at two sizes, each page and read measured exactly ---------------


def build_site(size: int) -> None:
    """`size` proposals citing one source, and one proposal with `size` changes."""
    source = SourceFactory(slug="bulk-source")
    actor = ActorFactory(slug="bulk-actor")
    for proposal in add_bulk_proposals(size, source):
        proposal.proposers.add(actor)
    rich = ProposalFactory(slug="rich", proposers=[actor], addressees=[actor])
    quotes = ["The two governments agreed", "military academies", "coast guard", "disaster relief"]
    citations = [
        cite(rich, source, quote, role=Citation.Role.EVIDENCE, locator=f"¶{index}")
        for index, quote in enumerate(quotes)
    ]
    for index in range(size):
        status = "under_discussion" if index % 2 == 0 else "stalled"
        on = f"{2010 + index // 12}-{index % 12 + 1:02d}-01"
        site_move(rich, status, on, f"Step {index}.", citations[: index % 4 + 1])


SITE_PAGES = {
    # The chart over time adds two (the latest change, naming the cached figures; the history
    # when they are not cached), the introduction two (the period, the kinds of source). The
    # recent changes come without their evidence, which the page does not show.
    "/": 11,
    # The filter form adds one: the groups' names in the reader's language.
    "/proposals/": 7,
    "/proposals/?status=rejected&source=bulk-source&actor=bulk-actor&q=Bulk&sort=status": 7
    + SEARCH_PROBE,
    # The group's name in the reader's language adds one; the relations, the lineage's edges
    # and the positions add three.
    "/proposals/rich/": 9,
    "/sources/bulk-source/": 2,
    "/sources/": 1,
    # The actor's translated names and aliases add one.
    "/actors/bulk-actor/": 4,
    "/actors/": 1,
    # The cards, and the chart over time (see "/").
    "/board/": 3,
    "/board/?as_of=2006-06-01": 3,
    "/board/?as_of=2006-06-01&recorded_as_of=2030-01-01": 3,
    "/feed/changes.atom": 2,
}


@pytest.mark.parametrize("size", [3, 20])
@pytest.mark.parametrize("url", list(SITE_PAGES))
def test_site_page_budget(client, django_assert_num_queries, url, size):
    build_site(size)
    assert Proposal.objects.count() == size + 1
    with django_assert_num_queries(SITE_PAGES[url]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.fixture(params=[3, 30], ids=["3-proposals", "30-proposals"])
def proposals(request, db) -> list[Proposal]:
    return make_proposals(request.param, source=SourceFactory(slug="cable"))


def get_ok(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return response


# Count, rows, proposers, addressees.
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page_size": 500},
        {"as_of": "2005-12-31", "status": "proposed", "ordering": "-status_since"},
        {"recorded_as_of": "2030-01-01", "ordering": "status"},
        {"source": "cable", "actor": "PROPOSER", "q": "proposal", "format": "csv"},
    ],
)
def test_proposal_list_budget(anon, proposals, django_assert_num_queries, params):
    if params.get("actor") == "PROPOSER":
        params = {**params, "actor": proposals[0].proposers.first().slug}
    with django_assert_num_queries(3 + (SEARCH_PROBE if "q" in params else 0)):
        response = get_ok(anon, f"{API_ROOT}/proposals/", params)
    if params.get("format") == "csv":
        assert response.content.decode().count("\r\n") == len(proposals) + 1
    else:
        assert response.json()["count"] == len(proposals)


def test_proposal_detail_budget(anon, proposals, django_assert_num_queries):
    # The proposal, its proposers and addressees, its citations with their sources.
    with django_assert_num_queries(3):
        get_ok(anon, f"{API_ROOT}/proposals/{proposals[0].slug}/")


def test_proposal_detail_with_many_citations_budget(anon, db, django_assert_num_queries):
    proposal = make_proposals(1)[0]
    source = SourceFactory()
    for quote in ("intelligence sharing", "urged closer", "free trade agreement"):
        cite(proposal, source, quote=quote)
    with django_assert_num_queries(3):
        data = get_ok(anon, f"{API_ROOT}/proposals/{proposal.slug}/").json()
    assert len(data["citations"]) == 4


def test_history_budget(anon, proposals, django_assert_num_queries):
    proposal = proposals[0]
    citation = Citation.objects.filter(proposal=proposal).first()
    # Three more changes, each with evidence.
    for day, status in ((2, "stalled"), (3, "in_progress"), (4, "implemented")):
        api_move(proposal, status, datetime.date(2006, 1, day), [citation])
    # The proposal, its changes with who recorded them, their evidence with its sources.
    with django_assert_num_queries(3):
        data = get_ok(anon, f"{API_ROOT}/proposals/{proposal.slug}/history/").json()
    assert len(data) == 5


def test_changes_budget(anon, proposals, django_assert_num_queries):
    # Count, changes with their proposals and recorders, evidence with sources.
    with django_assert_num_queries(3):
        data = get_ok(anon, f"{API_ROOT}/changes/", {"page_size": 500}).json()
    assert data["count"] == 2 * len(proposals)


def test_citations_budget(anon, proposals, django_assert_num_queries):
    with django_assert_num_queries(2):
        data = get_ok(anon, f"{API_ROOT}/citations/", {"page_size": 500}).json()
    assert data["count"] == len(proposals)
    with django_assert_num_queries(1):
        get_ok(anon, f"{API_ROOT}/citations/{data['results'][0]['id']}/")


def test_sources_budget(anon, proposals, django_assert_num_queries):
    SourceFactory.create_batch(len(proposals))
    with django_assert_num_queries(2):
        get_ok(anon, f"{API_ROOT}/sources/")
    # The source, and its revisions (without their texts).
    with django_assert_num_queries(2):
        get_ok(anon, f"{API_ROOT}/sources/cable/")


def test_actors_budget(anon, proposals, django_assert_num_queries):
    with django_assert_num_queries(2):
        get_ok(anon, f"{API_ROOT}/actors/")
    actor = proposals[0].proposers.first()
    # The actor, what it proposed, what is addressed to it.
    with django_assert_num_queries(3):
        data = get_ok(anon, f"{API_ROOT}/actors/{actor.slug}/").json()
    assert len(data["proposals_made"]) == len(proposals)


def test_statuses_need_no_query(anon, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        get_ok(anon, f"{API_ROOT}/statuses/")


@pytest.mark.parametrize("size", [2, 5])
def test_relation_and_position_budgets(anon, world, django_assert_num_queries, size):
    for actor in ActorFactory.create_batch(size):
        services.record_position(
            proposal=world.proposal,
            actor=actor,
            stance="supports",
            note="Said so.",
            effective_date=datetime.date(2005, 3, 2),
            evidence=[world.origin, world.evidence],
        )
    for index in range(size):
        other = ProposalFactory(proposed_on=datetime.date(2005, 1, 1))
        services.add_relation(
            from_proposal=world.proposal,
            to_proposal=other,
            type="continues",
            note=f"Link {index}.",
            citation=cite(other) if index % 2 else None,
        )
    api_move(world.proposal, "under_discussion", datetime.date(2005, 4, 1))
    # The proposal, the positions with their actors, their evidence with its sources.
    with django_assert_num_queries(POSITIONS):
        response = anon.get(f"/api/v1/proposals/{world.proposal.slug}/positions/")
    assert len(response.json()) == size
    # The proposal, the relations with both proposals and the citation's source.
    with django_assert_num_queries(RELATED):
        response = anon.get(f"/api/v1/proposals/{world.proposal.slug}/related/")
    assert len(response.json()) == size


# A complete download reads its rows in one streamed query and each relation once.
DOWNLOADS = {"proposals": 2, "changes": 2, "citations": 1, "sources": 1, "actors": 1}


@pytest.mark.parametrize("size", [2, 10])
@pytest.mark.parametrize("name", list(DOWNLOADS))
def test_download_budget(anon, db, django_assert_num_queries, name, size):
    make_proposals(size)
    with django_assert_num_queries(DOWNLOADS[name]):
        response = anon.get(f"{API_ROOT}/{name}/", {"format": "csv", "download": "1"})
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert body.count(b"\r\n") > 1


# Session, user, the proposal, two for the editor's permissions, the proposers and addressees
# (the form's values), the sources' choices (read once for every citation's form), the history,
# its evidence, the citations (verified in the database), the relations from it and to it, its
# positions, the proposers' and addressees' choices.
ADMIN_PROPOSAL_PAGE = 16
POSITIONS = 3
RELATED = 2


@pytest.mark.parametrize("more_citations", [0, 3])
def test_admin_proposal_page_budget(client, world, more_citations):
    """The change page of a proposal: its inlines read no source text and no row costs a query."""
    for quote in ("intelligence sharing", "urged closer", "free trade agreement")[:more_citations]:
        cite(world.proposal, world.source, quote=quote)
    editor, _ = services.ensure_editor(username="budget-editor")
    client.force_login(editor)
    url = f"/admin/proposals/proposal/{world.proposal.pk}/change/"
    client.get(url)  # the process's caches (content types) warm, as they are after one request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    selected = [query["sql"].split(" FROM ")[0] for query in queries.captured_queries]
    assert not [sql for sql in selected if '"proposals_source"."text"' in sql]
    assert len(queries) == ADMIN_PROPOSAL_PAGE
