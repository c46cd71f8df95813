"""The history's hash chain: a row rewritten behind the application's back is named by
verify_citations (issue 15).

Rows are rewritten with raw SQL, as another client would; on PostgreSQL the append-only triggers
refuse that, so these tests step past them (pgtrigger.ignore) to play the attacker who owns
the tables.
"""

from __future__ import annotations

import datetime
import importlib
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pgtrigger
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from proposals import chain, services
from proposals.models import Position, StatusChange
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite

pytestmark = pytest.mark.django_db

DAY = datetime.date(2005, 11, 10)
GUARDS = [
    f"proposals.{model}:{trigger}"
    for model in ("StatusChange", "StatusChangeEvidence", "Position", "PositionEvidence")
    for trigger in ("append_only_update", "append_only_delete")
]


@contextmanager
def behind_the_applications_back() -> Iterator[None]:
    """Raw SQL past the append-only triggers (PostgreSQL), as a table owner could."""
    if connection.vendor == "postgresql":
        with pgtrigger.ignore(*GUARDS):
            yield
    else:
        yield


def sql(statement: str, params: list) -> None:
    with behind_the_applications_back(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify() -> tuple[bool, list[str], str]:
    """Run verify_citations: (passed, its FAIL lines, its output)."""
    out = io.StringIO()
    try:
        call_command("verify_citations", stdout=out)
        passed = True
    except CommandError as error:
        out.write(str(error))
        passed = False
    lines = [line for line in out.getvalue().splitlines() if line.startswith("FAIL")]
    return passed, lines, out.getvalue()


@pytest.fixture
def history():
    """A proposal with three changes (one with evidence) after its first, and two positions."""
    source = SourceFactory()
    proposal = ProposalFactory()
    evidence = cite(proposal, source, quote=source.text[10:40], role="evidence")
    for to_status, note, cited in [
        ("under_discussion", "Talks began.", []),
        ("agreed", "Both sides agreed.", [evidence]),
        ("stalled", "Work stopped.", []),
    ]:
        services.record_transition(
            proposal=proposal,
            to_status=to_status,
            note=note,
            effective_date=DAY,
            evidence=cited,
            expected_version=None,
        )
    for actor in (ActorFactory(), ActorFactory()):
        services.record_position(
            proposal=proposal,
            actor=actor,
            stance="supports",
            note="Said so.",
            effective_date=DAY,
            evidence=[evidence],
        )
    return proposal


def changes(proposal) -> list[StatusChange]:
    return list(StatusChange.objects.filter(proposal=proposal).order_by("id"))


def test_each_row_is_sealed_to_the_one_before_it(history):
    first, discussed, agreed, started = changes(history)
    assert first.chain_sha256 == first.chain_digest([], chain.GENESIS)
    assert discussed.chain_sha256 == discussed.chain_digest([], first.chain_sha256)
    evidence = list(agreed.evidence.values_list("pk", flat=True))
    assert evidence and agreed.chain_sha256 == agreed.chain_digest(evidence, discussed.chain_sha256)
    assert started.chain_sha256 == started.chain_digest([], agreed.chain_sha256)
    assert len({row.chain_sha256 for row in changes(history)}) == 4
    passed, failures, output = verify()
    assert passed and failures == []
    assert "6 history rows" in output


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("note", "Nobody agreed."),
        ("to_status", "rejected"),
        ("effective_date", datetime.date(2005, 12, 1)),
        ("recorded_at", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)),
    ],
)
def test_a_rewritten_change_is_named(history, column, value):
    agreed = changes(history)[2]
    sql(f"UPDATE proposals_statuschange SET {column} = %s WHERE id = %s", [value, agreed.pk])
    passed, failures, _ = verify()
    assert not passed
    assert failures == [
        f"FAIL status change {agreed.pk} of proposal {history.slug}: does not match its hash "
        "chain: the row was rewritten, or the one before it was removed or rewritten"
    ]


def test_evidence_taken_away_names_its_change(history):
    agreed = changes(history)[2]
    sql("DELETE FROM proposals_statuschangeevidence WHERE status_change_id = %s", [agreed.pk])
    passed, failures, _ = verify()
    assert not passed
    assert [f"status change {agreed.pk} of proposal" in line for line in failures] == [True]


def test_a_removed_change_names_the_one_after_it(history):
    _, discussed, agreed, _ = changes(history)
    sql("DELETE FROM proposals_statuschange WHERE id = %s", [discussed.pk])
    passed, failures, _ = verify()
    assert not passed
    assert [f"status change {agreed.pk} of proposal" in line for line in failures] == [True]


def test_a_rewrite_that_recomputes_its_own_hash_names_the_next_row(history):
    _, discussed, agreed, started = changes(history)
    forged = agreed.chain_digest([], discussed.chain_sha256)  # as if it had no evidence
    sql("DELETE FROM proposals_statuschangeevidence WHERE status_change_id = %s", [agreed.pk])
    sql("UPDATE proposals_statuschange SET chain_sha256 = %s WHERE id = %s", [forged, agreed.pk])
    passed, failures, _ = verify()
    assert not passed
    assert [f"status change {started.pk} of proposal" in line for line in failures] == [True]


def test_a_removed_last_change_shows_in_the_proposals_status(history):
    started = changes(history)[-1]
    sql("DELETE FROM proposals_statuschange WHERE id = %s", [started.pk])
    passed, failures, _ = verify()
    assert not passed
    assert failures == [
        f"FAIL proposal {history.slug}: status 'stalled' is not its history's latest ('agreed')"
    ]


def test_a_rewritten_position_is_named(history):
    position = Position.objects.filter(proposal=history).order_by("id").first()
    sql("UPDATE proposals_position SET stance = 'opposes' WHERE id = %s", [position.pk])
    passed, failures, _ = verify()
    assert not passed
    assert failures == [
        f"FAIL position {position.pk} of proposal {history.slug}: does not match its hash "
        "chain: the row was rewritten, or the one before it was removed or rewritten"
    ]


class MigrationEditor:
    """What the data migration uses of a schema editor, inside the test's transaction.

    (SQLite's own schema editor refuses to open inside a transaction.)
    """

    connection = connection

    def quote_name(self, name: str) -> str:
        return connection.ops.quote_name(name)

    def execute(self, statement: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(statement)


def test_the_migration_seals_rows_recorded_before_the_chain(history):
    sql("UPDATE proposals_statuschange SET chain_sha256 = ''", [])
    sql("UPDATE proposals_position SET chain_sha256 = ''", [])
    assert not verify()[0]
    migration = importlib.import_module("proposals.migrations.0022_history_hash_chain")
    # The models as the migration sees them (no append-only managers).
    state = MigrationLoader(connection).project_state(("proposals", "0022_history_hash_chain"))
    if connection.vendor == "postgresql":
        # A migration runs in its own transaction; this test's one has deferred checks pending.
        sql("SET CONSTRAINTS ALL IMMEDIATE", [])
    migration.seal_existing_rows(state.apps, MigrationEditor())
    passed, failures, _ = verify()
    assert passed and failures == []


def test_synthetic_histories_are_sealed_as_the_service_seals_them():
    from bench import synthetic

    synthetic.generate(proposals=20, sources=3, actors=5)
    passed, failures, output = verify()
    assert passed, failures
    assert f"{StatusChange.objects.count()} history rows" in output


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL's row locks"
)
def test_racing_writers_on_one_proposal_still_chain():
    """Eight positions and eight transitions recorded at once: one unbroken chain each."""
    source = SourceFactory()
    proposal = ProposalFactory()
    evidence = cite(proposal, source, quote=source.text[10:40], role="evidence")
    actors = [ActorFactory() for _ in range(8)]
    barrier = threading.Barrier(16)
    outcomes: list[str] = []

    def position(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.record_position(
                proposal=proposal,
                actor=actors[index],
                stance="supports",
                note=f"Position {index}.",
                effective_date=DAY,
                evidence=[evidence.pk],
            )
            outcomes.append("position")
        finally:
            connections.close_all()

    def transition(index: int) -> None:
        # Discussion and stalling alternate: whoever finds the status it leaves wins.
        try:
            barrier.wait(timeout=30)
            services.record_transition(
                proposal=proposal,
                to_status="under_discussion" if index % 2 == 0 else "stalled",
                note=f"Move {index}.",
                effective_date=DAY,
                expected_version=None,
            )
            outcomes.append("transition")
        except services.errors.DomainError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=position, args=(i,)) for i in range(8)] + [
        threading.Thread(target=transition, args=(i,)) for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("position") == 8
    assert outcomes.count("transition") >= 1
    passed, failures, _ = verify()
    assert passed, failures
    assert Position.objects.filter(proposal=proposal).count() == 8
