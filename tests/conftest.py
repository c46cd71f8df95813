"""Shared fixtures of the test suite."""

from __future__ import annotations

import os

import pytest
from django.conf import settings as django_settings
from django.utils import translation

# Playwright's sync API runs an event loop in the test thread; Django must not refuse the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    """Throttle counters stay in memory in tests, from collection on.

    Query budgets count the application's own queries; tests/http/test_throttles.py runs the
    throttles on the database cache and on Redis.
    """
    django_settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip a test marked `postgres` on any other database, saying how to run it."""
    if item.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test "
            "DJANGO_TEST_DATABASE_NAME=test_NAME"
        )


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_truncate_guards():
    """Let the test runner empty the database between transactional tests.

    Django's flush (how pytest-django resets a database after a test that commits) uses
    TRUNCATE, which the PostgreSQL triggers refuse for tables of the record: tests step past
    them, as nothing else may (proposals/triggers.py).
    """
    import pgtrigger
    from django.core.management.commands import flush

    handle = flush.Command.handle

    def handle_ignoring_truncate_guards(self, *args, **options):
        with pgtrigger.ignore(*TRUNCATE_GUARDS):
            return handle(self, *args, **options)

    flush.Command.handle = handle_ignoring_truncate_guards
    yield
    flush.Command.handle = handle


TRUNCATE_GUARDS = [
    f"proposals.{model}:no_truncate"
    for model in (
        "Source",
        "SourceRevision",
        "Citation",
        "StatusChange",
        "StatusChangeEvidence",
        "Position",
        "PositionEvidence",
    )
]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Plain static storage (no manifest needed), no login lockouts, no throttling surprises,
    uploads in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AXES_ENABLED = False
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request that negotiated another leaves it
    active on the thread, and data the next test builds would hold its names in that language
    only (the English column empty)."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def editor(db):
    from proposals.services import ensure_editor

    user, _ = ensure_editor(username="editor", password="editor-password-123")
    return user


@pytest.fixture
def editor_client(client, editor):
    """The test client, logged in as an editor."""
    client.force_login(editor)
    return client


@pytest.fixture
def editor_token(editor):
    from rest_framework.authtoken.models import Token

    return Token.objects.get(user=editor).key


@pytest.fixture
def staff_user(django_user_model):
    """A staff member who is not an editor."""
    return django_user_model.objects.create_user(
        username="staff", password="staff-password-123", is_staff=True
    )


@pytest.fixture
def corpus(db, django_db_blocker):
    """The demo corpus, loaded from fixtures/*.json as `make demo` loads it."""
    from pathlib import Path

    from django.core.management import call_command

    files = sorted(
        str(path) for path in (Path(django_settings.BASE_DIR) / "fixtures").glob("*.json")
    )
    call_command("loaddata", *files, verbosity=0)
    return files


@pytest.fixture
def redis_cache(settings):
    """The default cache on the Redis at 127.0.0.1:6379 (database 5), under a key prefix of its
    own; the test is skipped where no Redis answers."""
    import uuid

    from django.core.cache import caches

    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "tracker.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    cache = caches["default"]
    yield cache
    cache.clear()
