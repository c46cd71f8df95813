"""Throttles: keyed on the trusted-proxy client address, in a shared cache, before any hashing."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def rates(settings):
    """Set some throttle rates for one test."""

    def set_rates(**new: str) -> None:
        settings.REST_FRAMEWORK = {
            **django_settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **new,
            },
        }

    return set_rates


def statuses(responses) -> list[int]:
    return [response.status_code for response in responses]


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(rates, world):
    rates(anon="3/minute")
    client = APIClient()
    answers = [
        client.get("/api/v1/statuses/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}") for n in range(5)
    ]
    assert statuses(answers) == [200, 200, 200, 429, 429]
    assert int(answers[-1]["Retry-After"]) > 0


def test_behind_a_trusted_proxy_the_address_it_appended_counts(rates, settings, world):
    rates(anon="2/minute")
    settings.TRACKER_TRUSTED_PROXY_COUNT = 1
    client = APIClient(REMOTE_ADDR="192.0.2.1")  # the proxy
    # The same client, claiming a new address each time on the left: still one client.
    answers = [
        client.get("/api/v1/statuses/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7")
        for n in range(3)
    ]
    assert statuses(answers) == [200, 200, 429]
    # Another client behind the same proxy has its own budget.
    other = client.get("/api/v1/statuses/", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 200


def test_failed_token_authentications_are_throttled(rates, world):
    rates(failed_auth="2/minute")
    client = APIClient()
    answers = [
        client.get("/api/v1/statuses/", HTTP_AUTHORIZATION=f"Token guess{n}") for n in range(3)
    ]
    assert statuses(answers) == [401, 401, 429]


def test_site_pages_and_feeds_are_throttled(rates, world):
    rates(site="3/minute")
    client = Client()
    answers = [client.get(url) for url in ("/", "/feed/changes.atom", "/proposals/", "/")]
    assert statuses(answers)[:3] != [429, 429, 429]
    assert answers[-1].status_code == 429
    assert answers[-1]["Content-Type"].startswith("text/plain")
    assert "Retry-After" in answers[-1]


def test_login_posts_are_throttled_per_address_before_hashing(rates, editor, monkeypatch):
    rates(login="2/minute")
    hashed: list[str] = []
    from django.contrib.auth import hashers

    check = hashers.check_password

    def counting_check(*args, **kwargs):
        hashed.append("x")
        return check(*args, **kwargs)

    monkeypatch.setattr(hashers, "check_password", counting_check)
    client = Client()
    answers = [client.post(LOGIN, {"username": f"user{n}", "password": "wrong"}) for n in range(4)]
    assert statuses(answers) == [200, 200, 429, 429]
    assert len(hashed) <= 2


def test_login_posts_are_slowed_per_username_from_any_address(rates, editor):
    rates(login_username="2/minute")
    answers = [
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(
            LOGIN, {"username": "Editor", "password": "wrong"}
        )
        for n in range(3)
    ]
    assert statuses(answers) == [200, 200, 429]
    # Another username is not slowed down.
    other = Client(REMOTE_ADDR="198.51.100.9").post(LOGIN, {"username": "x", "password": "y"})
    assert other.status_code == 200


def test_lockout_is_per_address_across_usernames_never_per_account(settings, editor):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for n in range(3):  # password spraying: one try per username
        attacker.post(LOGIN, {"username": f"someone{n}", "password": "wrong"})
    locked = attacker.post(LOGIN, {"username": "editor", "password": "editor-password-123"})
    assert locked.status_code == 429
    # The editor, from their own address, still signs in: the account itself is not locked.
    own = Client(REMOTE_ADDR="198.51.100.20")
    signed_in = own.post(LOGIN, {"username": "editor", "password": "editor-password-123"})
    assert signed_in.status_code == 302


def test_migrate_creates_the_database_cache_table():
    assert django_settings.CACHE_TABLE in connection.introspection.table_names()


def test_throttles_count_in_the_database_cache(rates, settings, world):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": django_settings.CACHE_TABLE,
        }
    }
    rates(anon="2/minute")
    client = APIClient()
    assert statuses(client.get("/api/v1/statuses/") for _ in range(3)) == [200, 200, 429]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {django_settings.CACHE_TABLE}")
        assert cursor.fetchone()[0] >= 1
    cache.clear()


def test_throttles_count_in_redis_when_configured(rates, redis_cache, world):
    rates(anon="2/minute")
    client = APIClient()
    assert statuses(client.get("/api/v1/statuses/") for _ in range(3)) == [200, 200, 429]
    cache.clear()
