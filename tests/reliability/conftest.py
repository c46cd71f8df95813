"""Fixtures of the reliability tests: the API tests' clients and small world, reused."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.conftest import (  # noqa: F401 - fixtures, registered by being imported here
    _fast_passwords,
    _fresh_throttles,
    anon,
    editor_api,
    non_editor_api,
    world,
)


@pytest.fixture
def editor_client(editor) -> Client:
    """A browser session of an editor in the admin."""
    client = Client()
    client.force_login(editor)
    return client
