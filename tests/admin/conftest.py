"""Fixtures of the admin tests; the browser tests use the site's Chromium setup."""

from __future__ import annotations

import pytest

from tests.site.conftest import (  # noqa: F401 (fixtures)
    browser_context_args,
    browser_type_launch_args,
    screenshots,
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
