"""The database itself refuses edits of the history (PostgreSQL trigger)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import IntegrityError, InternalError

from proposals.models import StatusChange
from tests.factories import ProposalFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the history trigger exists only on PostgreSQL"
    ),
]


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_update_is_refused():
    change = ProposalFactory().history.get()
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        raw("UPDATE proposals_statuschange SET note = %s WHERE id = %s", ["forged", change.pk])
    assert StatusChange.objects.get(pk=change.pk).note != "forged"


def test_raw_delete_is_refused():
    change = ProposalFactory().history.get()
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        raw("DELETE FROM proposals_statuschange WHERE id = %s", [change.pk])
    assert StatusChange.objects.filter(pk=change.pk).exists()


def test_an_update_that_changes_nothing_is_let_through():
    change = ProposalFactory().history.get()
    raw("UPDATE proposals_statuschange SET note = note WHERE id = %s", [change.pk])
    assert StatusChange.objects.get(pk=change.pk).note == change.note
