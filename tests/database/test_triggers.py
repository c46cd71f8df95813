"""On PostgreSQL the database itself keeps the record: no TRUNCATE, no rewritten history.

The triggers are declared on the models (proposals/triggers.py, django-pgtrigger).
"""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from proposals import services
from proposals.models import (
    Citation,
    Position,
    PositionEvidence,
    Source,
    SourceRevision,
    StatusChange,
    StatusChangeEvidence,
)
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

REFUSED = (IntegrityError, InternalError)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the triggers exist on PostgreSQL only")


@pytest.fixture
def agreed():
    """A proposal moved to agreed on an evidence citation."""
    source = SourceFactory()
    proposal = ProposalFactory(proposed_on=datetime.date(2005, 1, 1))
    evidence = cite(proposal, source, quote=source.text[10:40], role="evidence")
    services.record_transition(
        proposal=proposal,
        to_status="agreed",
        note="Agreed.",
        effective_date=datetime.date(2005, 6, 1),
        evidence=[evidence],
        expected_version=None,
    )
    services.record_position(
        proposal=proposal,
        actor=ActorFactory(),
        stance="supports",
        note="Said so.",
        effective_date=datetime.date(2005, 6, 1),
        evidence=[evidence],
    )
    return evidence


def refused(sql: str, params: list | None = None) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params or [])
    except REFUSED:
        return True
    return False


@pytest.mark.django_db(transaction=True)  # TRUNCATE needs committed rows (no pending checks)
@pytest.mark.parametrize(
    "model",
    [
        Source,
        SourceRevision,
        Citation,
        StatusChange,
        StatusChangeEvidence,
        Position,
        PositionEvidence,
    ],
)
def test_truncate_is_refused(agreed, model):
    table = model._meta.db_table
    assert refused(f"TRUNCATE {table} CASCADE")
    assert model.objects.exists()


@pytest.mark.parametrize(
    ("table", "change"),
    [
        ("proposals_statuschange", "note = 'rewritten'"),
        ("proposals_statuschange", "effective_date = effective_date - 1"),
        ("proposals_statuschangeevidence", "id = id + 1000"),
        ("proposals_statuschange", "chain_sha256 = md5(chain_sha256)"),
        ("proposals_position", "stance = 'opposes'"),
        ("proposals_positionevidence", "citation_id = citation_id + 1"),
    ],
)
def test_history_rows_are_never_updated_or_deleted(agreed, table, change):
    assert refused(f"UPDATE {table} SET {change}")
    assert refused(f"DELETE FROM {table}")


def test_an_update_that_changes_nothing_is_let_through(agreed):
    assert not refused("UPDATE proposals_statuschange SET note = note")


def test_sources_are_never_deleted(agreed):
    unused = SourceFactory()
    assert refused("DELETE FROM proposals_source WHERE id = %s", [unused.pk])


def test_the_words_of_evidence_stay_and_its_offsets_may_move(agreed):
    table = Citation._meta.db_table
    assert refused(f"UPDATE {table} SET quote = 'other words' WHERE id = %s", [agreed.pk])
    assert refused(f"UPDATE {table} SET quote_sha256 = 'x' WHERE id = %s", [agreed.pk])
    # A relocated quote: the same words at other offsets.
    assert not refused(
        f'UPDATE {table} SET start = start + 1, "end" = "end" + 1 WHERE id = %s', [agreed.pk]
    )


def test_a_citation_that_is_not_evidence_may_change(agreed):
    other = cite(agreed.proposal, agreed.source, quote=agreed.source.text[50:70], role="context")
    table = Citation._meta.db_table
    assert not refused(f"UPDATE {table} SET quote = 'x' WHERE id = %s", [other.pk])


@pytest.mark.parametrize(
    "change",
    [
        "text = text || ' and more'",
        "sha256 = md5(sha256)",
        "number = number + 1",
        "source_id = source_id + 1",
    ],
)
def test_a_revisions_text_and_hash_never_change(agreed, change):
    revision = SourceRevision.objects.get(source=agreed.source)
    table = SourceRevision._meta.db_table
    assert refused(f"UPDATE {table} SET {change} WHERE id = %s", [revision.pk])
    assert SourceRevision.objects.get(pk=revision.pk).text == agreed.source.text


def test_revisions_are_never_deleted(agreed):
    unused = SourceFactory()
    table = SourceRevision._meta.db_table
    assert refused(f"DELETE FROM {table} WHERE source_id = %s", [unused.pk])
    assert refused(f"DELETE FROM {table}")
    assert SourceRevision.objects.filter(source=unused).exists()


def test_a_revisions_counts_may_be_written(agreed):
    """What the revision service records besides the text is not guarded by the trigger."""
    table = SourceRevision._meta.db_table
    assert not refused(f"UPDATE {table} SET citations_relocated = citations_relocated")
    assert not refused(f"UPDATE {table} SET note = 'A note.'")
