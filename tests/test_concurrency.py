"""Racing editors: one winner, the others refused, nothing lost (needs PostgreSQL's row locks)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from proposals.models import Proposal
from proposals.services import ensure_editor
from tests.factories import ProposalFactory, cite

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="real concurrent writers need PostgreSQL; SQLite serialises every writer",
    ),
]

THREADS = 8


def race(worker, count: int = THREADS) -> list:
    """Run `worker(index)` in `count` threads released together; return their results."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = worker(index)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def contested():
    proposal = ProposalFactory()
    citation = cite(proposal)
    return proposal, citation


def test_eight_api_clients_with_the_same_etag_get_one_winner(contested):
    proposal, citation = contested
    _, token = ensure_editor(username="racer")
    etag = f'"{proposal.version}"'
    before = proposal.history.count()

    def attempt(index: int) -> int:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.post(
            f"/api/v1/proposals/{proposal.slug}/transitions/",
            {
                "to_status": "agreed",
                "note": f"Attempt {index}.",
                "effective_date": "2005-11-10",
                "evidence": [citation.pk],
            },
            format="json",
            HTTP_IF_MATCH=etag,
        )
        return response.status_code

    outcomes = Counter(race(attempt))
    assert outcomes == Counter({201: 1, 412: THREADS - 1})
    proposal.refresh_from_db()
    assert proposal.history.count() == before + 1
    assert proposal.status == "agreed"


def test_two_stale_admin_forms_get_one_winner(contested):
    proposal, citation = contested
    editor, _ = ensure_editor(username="admin-racer", password="a-racing-password-7")
    url = reverse("admin:proposals_proposal_change_status", args=[proposal.pk])
    before = proposal.history.count()
    targets = ["agreed", "withdrawn"]

    def attempt(index: int) -> str:
        client = Client()
        client.force_login(editor)
        response = client.post(
            url,
            {
                "to_status": targets[index],
                "effective_date": "2005-11-10",
                "effective_precision": "day",
                "note": f"Form {index}.",
                "evidence": [citation.pk],
                "version": proposal.version,
            },
        )
        return "won" if response.status_code == 302 else response.content.decode()

    results = race(attempt, count=2)
    assert results.count("won") == 1
    [loser] = [result for result in results if result != "won"]
    assert "changed meanwhile" in loser
    final = Proposal.objects.get(pk=proposal.pk)
    assert final.history.count() == before + 1
    assert final.status in targets
