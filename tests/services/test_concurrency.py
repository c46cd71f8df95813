"""Racing editors: one winner, the others refused, nothing lost (needs PostgreSQL's row locks)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from proposals.models import Proposal, StatusChange, StatusChangeEvidence
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


def editor_api(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_eight_api_clients_with_the_same_etag_get_one_winner(contested):
    proposal, citation = contested
    _, token = ensure_editor(username="racer")
    version = proposal.version
    before = proposal.history.count()
    evidence_before = StatusChangeEvidence.objects.count()

    def attempt(index: int):
        return editor_api(token).post(
            f"/api/v1/proposals/{proposal.slug}/transitions/",
            {
                "to_status": "agreed",
                "note": f"Attempt {index}.",
                "effective_date": "2005-11-10",
                "evidence": [citation.pk],
            },
            format="json",
            HTTP_IF_MATCH=f'"{version}"',
        )

    responses = race(attempt)
    outcomes = Counter(response.status_code for response in responses)
    print(f"\nAPI race: {THREADS} threads, {THREADS} attempts, outcomes {dict(outcomes)}")
    assert outcomes == Counter({201: 1, 412: THREADS - 1})
    [winner] = [index for index, r in enumerate(responses) if r.status_code == 201]
    assert responses[winner]["ETag"] == f'"{version + 1}"'
    for response in responses:
        if response.status_code == 412:
            assert response["Content-Type"] == "application/json"
            body = response.json()
            assert body["code"] == "stale_version"
            assert body["current_version"] == version + 1
            assert "changed meanwhile" in body["detail"]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == ("agreed", version + 1)
    assert proposal.history.count() == before + 1
    assert proposal.history.latest("id").note == f"Attempt {winner}."
    assert StatusChangeEvidence.objects.count() == evidence_before + 1


def test_clients_holding_successive_etags_win_only_in_order(contested):
    """Eight clients hold ETags v, v+1, ... v+7: only a chain v, v+1, ... may win, each once."""
    proposal, _ = contested
    _, token = ensure_editor(username="chain-racer")
    version = proposal.version
    before = proposal.history.count()
    # The i-th win is legal from the status the (i-1)-th left: discussion and stalling alternate.
    targets = ["under_discussion" if index % 2 == 0 else "stalled" for index in range(THREADS)]

    def attempt(index: int) -> int:
        return (
            editor_api(token)
            .post(
                f"/api/v1/proposals/{proposal.slug}/transitions/",
                {
                    "to_status": targets[index],
                    "note": f"Step {index}.",
                    "effective_date": "2005-11-10",
                },
                format="json",
                HTTP_IF_MATCH=f'"{version + index}"',
            )
            .status_code
        )

    codes = race(attempt)
    winners = [index for index, code in enumerate(codes) if code == 201]
    print(f"\nETag chain: {THREADS} threads, winners {winners}, codes {codes}")
    assert set(codes) <= {201, 412}
    assert winners == list(range(len(winners)))  # a prefix of the chain
    assert winners
    proposal.refresh_from_db()
    assert proposal.version == version + len(winners)
    assert proposal.history.count() == before + len(winners)
    assert proposal.status == targets[winners[-1]]
    notes = list(proposal.history.order_by("id").values_list("note", flat=True))[before:]
    assert notes == [f"Step {index}." for index in winners]


def test_read_modify_write_with_retries_loses_no_update(contested):
    """Each client appends its mark to the summary, retrying on 412: every mark survives."""
    proposal, _ = contested
    _, token = ensure_editor(username="appender")
    version = proposal.version
    url = f"/api/v1/proposals/{proposal.slug}/"

    def attempt(index: int) -> Counter:
        client = editor_api(token)
        tries: Counter = Counter()
        for _ in range(100):
            current = client.get(url)
            response = client.patch(
                url,
                {"summary": f"{current.json()['summary']} [{index}]"},
                format="json",
                HTTP_IF_MATCH=current["ETag"],
            )
            tries[response.status_code] += 1
            if response.status_code != 412:
                break
        return tries

    tries = sum(race(attempt), Counter())
    lost = [
        index
        for index in range(THREADS)
        if f"[{index}]" not in Proposal.objects.get(pk=proposal.pk).summary
    ]
    print(
        f"\nRead-modify-write: {THREADS} threads, {sum(tries.values())} attempts, "
        f"{tries[200]} written, {tries[412]} refused as stale, {len(lost)} lost updates"
    )
    assert set(tries) <= {200, 412}
    assert tries[200] == THREADS
    assert not lost
    final = Proposal.objects.get(pk=proposal.pk)
    assert final.version == version + THREADS


def test_eight_editors_creating_the_same_slug_get_one_proposal():
    _, token = ensure_editor(username="creator")

    def attempt(index: int):
        return editor_api(token).post(
            "/api/v1/proposals/",
            {
                "slug": "the-same-slug",
                "title": "The same title",
                "summary": f"Created by client {index}.",
                "category": "economic",
                "proposed_on": "2019-04-01",
            },
            format="json",
        )

    responses = race(attempt)
    outcomes = Counter(response.status_code for response in responses)
    taken_at_insert = sum(
        1 for r in responses if r.status_code == 400 and r.json().get("code") == "already_taken"
    )
    print(
        f"\nSame slug: {THREADS} threads, outcomes {dict(outcomes)}, "
        f"{taken_at_insert} refused by the database's unique index"
    )
    assert outcomes == Counter({201: 1, 400: THREADS - 1})
    for response in responses:
        if response.status_code == 400:
            body = response.json()
            assert "slug" in body or "title" in body
    created = Proposal.objects.get(slug="the-same-slug")
    assert StatusChange.objects.filter(proposal=created).count() == 1


@pytest.mark.parametrize("forms", [2, THREADS])
def test_stale_admin_forms_get_one_winner(contested, forms):
    proposal, citation = contested
    editor, _ = ensure_editor(username="admin-racer", password="a-racing-password-7")
    url = reverse("admin:proposals_proposal_change_status", args=[proposal.pk])
    before = proposal.history.count()
    targets = ["agreed", "withdrawn", "rejected", "under_discussion"] * 2

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

    results = race(attempt, count=forms)
    print(f"\nAdmin race: {forms} forms, {results.count('won')} won")
    assert results.count("won") == 1
    losers = [result for result in results if result != "won"]
    assert len(losers) == forms - 1
    assert all("changed meanwhile" in loser for loser in losers)
    final = Proposal.objects.get(pk=proposal.pk)
    assert final.history.count() == before + 1
    assert final.version == proposal.version + 1
    assert final.status in targets[:forms]
    # One audit entry, by the winner.
    assert LogEntry.objects.filter(object_id=str(proposal.pk)).count() == 1
