"""Sources follow the editor-only rule: staff with Django's change_source cannot edit them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from proposals.models import Source
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source() -> Source:
    return SourceFactory(title="Cable one")


def change_url(source: Source) -> str:
    return f"/admin/proposals/source/{source.pk}/change/"


def post_title(client: Client, source: Source, title: str):
    page = client.get(change_url(source))
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["title"] = title
    return client.post(change_url(source), data)


def test_staff_with_change_source_cannot_edit_sources(staff_user, source):
    staff_user.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_source", "view_source"])
    )
    client = Client()
    client.force_login(staff_user)
    response = client.post(change_url(source), {"title": "Rewritten"})
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.title == "Cable one"


def test_editors_can_correct_source_details(editor, source):
    client = Client()
    client.force_login(editor)
    response = post_title(client, source, "Cable one, corrected")
    assert response.status_code == 302, response.context["adminform"].form.errors
    source.refresh_from_db()
    assert source.title == "Cable one, corrected"
