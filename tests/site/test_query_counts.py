"""Each page costs the same number of queries whatever the number of proposals."""

from __future__ import annotations

import pytest

from proposals.models import Citation, Proposal
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite
from tests.site.data import add_bulk_proposals, move

pytestmark = pytest.mark.django_db

# The budget of each page; a change here is a decision, not an accident.
EXPECTED = {
    # The chart over time adds two (the latest change, naming the cached figures; the history
    # when they are not cached), the introduction two (the period, the kinds of source).
    "/": 12,
    # The filter form adds one: the groups' names in the reader's language.
    "/proposals/": 7,
    "/proposals/?status=rejected&source=bulk-source&actor=bulk-actor&q=Bulk&sort=status": 7,
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


def build(size: int) -> None:
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
        move(rich, status, on, f"Step {index}.", citations[: index % 4 + 1])


@pytest.mark.parametrize("size", [3, 20])
@pytest.mark.parametrize("url", list(EXPECTED))
def test_query_count_does_not_grow_with_the_data(client, django_assert_num_queries, url, size):
    build(size)
    assert Proposal.objects.count() == size + 1
    with django_assert_num_queries(EXPECTED[url]):
        response = client.get(url)
    assert response.status_code == 200
