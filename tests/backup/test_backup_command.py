"""`manage.py backup` keeps what a restore needs: the admin log, users, tokens, to the µs."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from proposals.models import Actor, Proposal, StatusChange
from proposals.services import ensure_editor

pytestmark = pytest.mark.django_db(transaction=True)

MOMENT = datetime.datetime(2024, 5, 1, 12, 30, 45, 123456, tzinfo=datetime.UTC)


def state() -> dict:
    users = get_user_model().objects.order_by("username")
    return {
        "users": list(users.values_list("username", "last_login", "date_joined", "password")),
        "tokens": list(
            Token.objects.order_by("key").values_list("key", "user__username", "created")
        ),
        "log": list(
            LogEntry.objects.order_by("action_time").values_list(
                "action_time",
                "user__username",
                "content_type__model",
                "object_id",
                "object_repr",
                "action_flag",
                "change_message",
            )
        ),
        "proposals": list(
            Proposal.objects.order_by("slug").values_list("slug", "version", "updated_at")
        ),
        "history": list(
            StatusChange.objects.order_by("id").values_list("id", "recorded_at", "note")
        ),
    }


def test_backup_and_restore_round_trip(corpus, tmp_path):
    editor, _ = ensure_editor(username="backup-editor")
    get_user_model().objects.filter(pk=editor.pk).update(last_login=MOMENT, date_joined=MOMENT)
    Token.objects.filter(user=editor).update(created=MOMENT)
    actor = Actor.objects.order_by("slug").first()
    LogEntry.objects.create(
        action_time=MOMENT,
        user=editor,
        content_type=ContentType.objects.get_for_model(Actor),
        object_id=str(actor.pk),
        object_repr=str(actor),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Name"]}}]',
    )
    before = state()
    assert before["log"] and before["tokens"][0][2] == MOMENT

    backup = tmp_path / "backup.xml"
    call_command("backup", str(backup), verbosity=0)
    call_command("flush", "--no-input", verbosity=0)
    assert not LogEntry.objects.exists() and not Proposal.objects.exists()

    call_command("loaddata", str(backup), verbosity=0)
    assert state() == before
