"""Who may do what, one row per write: anonymous users read, editors write, nobody edits history.

Every refused attempt must also leave the data exactly as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from proposals.services import ensure_editor
from tests.factories import database_state
from tests.reliability.admin_forms import admin_add_data, admin_change_data, with_new_citation

pytestmark = pytest.mark.django_db

API = "/api/v1"
DETAIL = f"{API}/proposals/academy-exchanges/"


def make_user(role: str, django_user_model):
    """A user in `role`: user (signed in, nothing more), staff, viewer, editor or superuser."""
    if role == "editor":
        user, _ = ensure_editor(username="an-editor")
        return user
    if role == "superuser":
        return django_user_model.objects.create_superuser("root", "root@example.org", "pw-root-1")
    user = django_user_model.objects.create_user(username=role, is_staff=role != "user")
    if role == "viewer":
        user.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="proposals", codename__startswith="view_"
            )
        )
    return user


# --- The API: every write endpoint x every kind of client ----------------------------------

API_WRITES: dict[str, tuple[str, str, dict]] = {
    "create proposal": (
        "POST",
        f"{API}/proposals/",
        {
            "slug": "joint-drills",
            "title": "Joint disaster relief drills",
            "summary": "Hold joint drills.",
            "category": "disaster_relief",
            "proposed_on": "2019-04-01",
        },
    ),
    "patch proposal": ("PATCH", DETAIL, {"title": "Renamed"}),
    "record transition": (
        "POST",
        f"{DETAIL}transitions/",
        {"to_status": "under_discussion", "note": "Talks began.", "effective_date": "2005-04-01"},
    ),
    "add citation": (
        "POST",
        f"{API}/citations/",
        {
            "proposal": "academy-exchanges",
            "source": "cable-one",
            "quote": "urged closer",
            "locator": "¶2",
            "role": "context",
        },
    ),
}

API_EXPECTED = {
    "anonymous": {"create proposal": 401, "patch proposal": 401, "record transition": 401},
    "user": dict.fromkeys(API_WRITES, 403),
    "staff": dict.fromkeys(API_WRITES, 403),
    "viewer": dict.fromkeys(API_WRITES, 403),
    "editor": {"create proposal": 201, "patch proposal": 200, "record transition": 201},
    "superuser": {"create proposal": 201, "patch proposal": 200, "record transition": 201},
}
API_EXPECTED["anonymous"]["add citation"] = 401
API_EXPECTED["editor"]["add citation"] = 201
API_EXPECTED["superuser"]["add citation"] = 201


@pytest.mark.parametrize("write", list(API_WRITES))
@pytest.mark.parametrize("role", list(API_EXPECTED))
def test_api_write_permissions(world, django_user_model, role, write):
    client = APIClient()
    if role != "anonymous":
        token, _ = Token.objects.get_or_create(user=make_user(role, django_user_model))
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    method, url, body = API_WRITES[write]
    before = database_state()
    etag = client.get(DETAIL)["ETag"]
    response = client.generic(
        method, url, json.dumps(body), content_type="application/json", HTTP_IF_MATCH=etag
    )
    expected = API_EXPECTED[role][write]
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["detail"]
        assert database_state() == before
    else:
        assert database_state() != before


def test_an_inactive_editors_token_is_refused(world):
    user, token = ensure_editor(username="gone")
    user.is_active = False
    user.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    before = database_state()
    response = client.patch(DETAIL, {"title": "Renamed"}, format="json", HTTP_IF_MATCH='"3"')
    assert response.status_code == 401
    assert database_state() == before


# --- The admin: every write and page x staff who are not editors, editors, superusers ------


def _url(name: str, *args) -> str:
    return reverse(f"admin:proposals_{name}", args=args)


def admin_actions(world) -> dict[str, Callable[[Client], object]]:
    proposal = world.proposal
    change = proposal.history.get()
    change_url = _url("proposal_change", proposal.pk)
    status_url = _url("proposal_change_status", proposal.pk)
    origin_index = next(
        key.split("-")[1]
        for key, value in admin_change_data(proposal).items()
        if key.endswith("-id") and value == world.origin.pk
    )
    return {
        "proposal add page": lambda c: c.get(_url("proposal_add")),
        "proposal add": lambda c: c.post(_url("proposal_add"), admin_add_data()),
        "proposal change page": lambda c: c.get(change_url),
        "proposal change": lambda c: c.post(
            change_url, admin_change_data(proposal, title_en="Renamed in the admin")
        ),
        "inline citation add": lambda c: c.post(change_url, with_new_citation(proposal)),
        "inline citation delete": lambda c: c.post(
            change_url, admin_change_data(proposal, **{f"citations-{origin_index}-DELETE": "on"})
        ),
        "change status page": lambda c: c.get(status_url),
        "change status": lambda c: c.post(
            status_url,
            {
                "to_status": "under_discussion",
                "effective_date": "2005-04-01",
                "effective_precision": "day",
                "note": "Talks began.",
                "version": proposal.version,
            },
        ),
        "history change": lambda c: c.post(
            _url("statuschange_change", change.pk), {"note": "Rewritten."}
        ),
        "history delete page": lambda c: c.get(_url("statuschange_delete", change.pk)),
        "history delete": lambda c: c.post(_url("statuschange_delete", change.pk), {"post": "yes"}),
        "history add page": lambda c: c.get(_url("statuschange_add")),
        "source add page": lambda c: c.get(_url("source_add")),
        "source delete": lambda c: c.post(_url("source_delete", world.source.pk), {"post": "yes"}),
        "proposal delete": lambda c: c.post(_url("proposal_delete", proposal.pk), {"post": "yes"}),
        "citation change": lambda c: c.post(
            _url("citation_change", world.origin.pk), {"locator": "elsewhere"}
        ),
        "citation delete": lambda c: c.post(
            _url("citation_delete", world.origin.pk), {"post": "yes"}
        ),
    }


# Pages that show a form answer 200; writes that succeed redirect (302); refusals are 403.
EDITOR_MAY = {
    "proposal add page": 200,
    "proposal add": 302,
    "proposal change page": 200,
    "proposal change": 302,
    "inline citation add": 302,
    "inline citation delete": 302,
    "change status page": 200,
    "change status": 302,
    # Editors bring new sources in (their text never changes in place: revisions do).
    "source add page": 200,
}
ROLES = {
    "staff": {},
    "viewer": {"proposal change page": 200},
    "editor": EDITOR_MAY,
    "superuser": EDITOR_MAY,
}
ACTIONS = [
    *EDITOR_MAY,
    "history change",
    "history delete page",
    "history delete",
    "history add page",
    "source delete",
    "proposal delete",
    "citation change",
    "citation delete",
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", list(ROLES))
def test_admin_permissions(world, django_user_model, role, action):
    client = Client()
    client.force_login(make_user(role, django_user_model))
    before = database_state()
    response = admin_actions(world)[action](client)
    expected = ROLES[role].get(action, 403)
    assert response.status_code == expected, response.content.decode()[:1500]
    if expected == 302:
        assert database_state() != before
    else:
        assert database_state() == before


def test_anonymous_admin_visitors_are_sent_to_log_in(world, client):
    before = database_state()
    for action in ACTIONS:
        response = admin_actions(world)[action](client)
        assert response.status_code == 302, action
        assert response["Location"].startswith(reverse("admin:login"))
    assert database_state() == before
