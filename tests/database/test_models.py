"""Model invariants: the history is append-only, and the database refuses bad rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from proposals.models import AppendOnlyError, Proposal, StatusChange
from tests.factories import ProposalFactory, cite

pytestmark = pytest.mark.django_db


def test_a_status_change_cannot_be_saved_again():
    change = ProposalFactory().history.get()
    change.note = "Rewritten."
    with pytest.raises(AppendOnlyError):
        change.save()
    assert StatusChange.objects.get(pk=change.pk).note != "Rewritten."


def test_a_status_change_cannot_be_deleted():
    change = ProposalFactory().history.get()
    with pytest.raises(AppendOnlyError):
        change.delete()
    assert StatusChange.objects.filter(pk=change.pk).exists()


def test_bulk_update_and_delete_are_refused():
    ProposalFactory()
    with pytest.raises(AppendOnlyError):
        StatusChange.objects.all().update(note="x")
    with pytest.raises(AppendOnlyError):
        StatusChange.objects.all().delete()
    changes = list(StatusChange.objects.all())
    changes[0].note = "x"
    with pytest.raises(AppendOnlyError):
        StatusChange.objects.bulk_update(changes, ["note"])
    assert StatusChange.objects.filter(note="x").count() == 0


def test_a_proposal_with_history_cannot_be_deleted():
    proposal = ProposalFactory()
    # Its history protects it: Django refuses before the database is asked.
    with pytest.raises(ProtectedError):
        proposal.delete()
    assert Proposal.objects.filter(pk=proposal.pk).exists()


def test_database_refuses_an_unknown_status():
    proposal = ProposalFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status="finished")


def test_database_refuses_reversed_offsets():
    citation = cite(ProposalFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        type(citation).objects.filter(pk=citation.pk).update(end=citation.start)


def test_urls_of_public_pages():
    proposal = ProposalFactory(slug="academy-exchanges", proposed_on=datetime.date(2005, 1, 1))
    citation = cite(proposal)
    assert proposal.get_absolute_url() == "/proposals/academy-exchanges/"
    assert citation.get_absolute_url() == f"/sources/{citation.source.slug}/#citation-{citation.pk}"
