"""Settings for many app nodes: the connection pool, sessions and the storage of uploads."""

from __future__ import annotations

import os
import subprocess
import sys

import boto3
import moto
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection

from tracker import deployment

POSTGRES = {"ENGINE": "django.db.backends.postgresql", "NAME": "tracker", "CONN_MAX_AGE": 60}


def test_the_pool_is_off_unless_asked_for():
    assert deployment.database_pool(POSTGRES, {}) == POSTGRES


def test_the_pool_takes_its_sizes_from_the_environment_and_drops_persistent_connections():
    database = deployment.database_pool(
        {**POSTGRES, "OPTIONS": {"sslmode": "require"}},
        {"DJANGO_DB_POOL": "1", "DJANGO_DB_POOL_MIN_SIZE": "2", "DJANGO_DB_POOL_MAX_SIZE": "8"},
    )
    assert database["OPTIONS"] == {
        "sslmode": "require",
        "pool": {"min_size": 2, "max_size": 8, "timeout": 10},
    }
    # Django refuses a pool beside persistent connections.
    assert database["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DJANGO_DB_POOL_MAX_SIZE": "many"}, "whole number"),
        ({"DJANGO_DB_POOL_MAX_SIZE": "0"}, "at least 1"),
        ({"DJANGO_DB_POOL_MIN_SIZE": "5", "DJANGO_DB_POOL_MAX_SIZE": "2"}, "at least"),
    ],
)
def test_a_bad_pool_size_stops_start_up_with_a_message(environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        deployment.database_pool(POSTGRES, {"DJANGO_DB_POOL": "1", **environ})


def test_the_pool_is_refused_on_sqlite():
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        deployment.database_pool(sqlite, {"DJANGO_DB_POOL": "1"})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's pool is PostgreSQL's")
@pytest.mark.django_db
def test_a_node_started_with_the_pool_serves_queries_from_it():
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{connection.settings_dict['NAME']}"
    )
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment |= {
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": url,
        "DJANGO_DB_POOL": "1",
        "DJANGO_DB_POOL_MAX_SIZE": "3",
    }
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "from proposals.models import Proposal\n"
        "print(Proposal.objects.count(), type(connection.pool).__name__, connection.pool.max_size)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "ConnectionPool", "3"]


def test_sessions_live_in_the_database_by_default():
    assert deployment.session_engine({}) == "django.contrib.sessions.backends.db"
    assert settings.SESSION_ENGINE in deployment.SESSION_ENGINES.values()


def test_sessions_can_live_in_the_shared_cache():
    engine = deployment.session_engine({"DJANGO_SESSIONS": "cached_db"})
    assert engine == "django.contrib.sessions.backends.cached_db"
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SESSIONS"):
        deployment.session_engine({"DJANGO_SESSIONS": "memory"})


def test_uploads_go_to_the_file_system_by_default():
    assert deployment.default_storage({}) == {"BACKEND": deployment.FILESYSTEM_STORAGE}


def test_s3_storage_needs_a_bucket():
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        deployment.default_storage({"DJANGO_STORAGE": "s3"})
    with pytest.raises(ImproperlyConfigured, match="filesystem or s3"):
        deployment.default_storage({"DJANGO_STORAGE": "ftp"})


def test_an_upload_round_trips_through_s3_compatible_storage(settings):
    environ = {
        "DJANGO_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "tracker-uploads",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_LOCATION": "sources",
    }
    with moto.mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="tracker-uploads")
        settings.STORAGES = {**settings.STORAGES, "default": deployment.default_storage(environ)}
        storage = storages["default"]
        first = storage.save("cable.txt", ContentFile(b"Original words."))
        second = storage.save("cable.txt", ContentFile(b"Other words."))

        assert first != second  # an upload never replaces another of the same name
        with storage.open(first) as stored:
            assert stored.read() == b"Original words."
        listed = boto3.client("s3", region_name="us-east-1").list_objects_v2(
            Bucket="tracker-uploads"
        )
        assert sorted(item["Key"] for item in listed["Contents"]) == sorted(
            [f"sources/{first}", f"sources/{second}"]
        )
        assert "Signature=" in storage.url(first)  # links are signed, not public


def test_sessions_in_a_per_process_cache_fail_the_deployment_check(settings):
    from proposals.checks import check_sessions_are_shared

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [problem.id for problem in check_sessions_are_shared()] == ["proposals.E101"]

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/6",
        }
    }
    assert check_sessions_are_shared() == []
