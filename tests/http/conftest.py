"""Fixtures of the HTTP guard tests: the API tests' clients and small world, reused."""

from __future__ import annotations

from tests.api.conftest import (  # noqa: F401 - fixtures, registered by being imported here
    _fast_passwords,
    _fresh_throttles,
    anon,
    editor_api,
    non_editor_api,
    world,
)
