"""
The settings that let any number of app nodes serve one tracker, read from the environment.

Nothing a request needs may live in one process: sessions go to the database (or the shared
cache), uploads to Django's default storage (the file system, or an S3-compatible bucket through
django-storages), and database connections come from psycopg's pool when asked for. Each function
takes the environment as a mapping, so the settings module stays a list of assignments and the
rules can be tested without reloading it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})

SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "cache": "django.contrib.sessions.backends.cache",
}

FILESYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"
S3_STORAGE = "storages.backends.s3.S3Storage"

# django-storages' own setting names double as the environment's: a deployment that already
# configures django-storages elsewhere recognises them. The AWS_* credentials are read by boto3
# itself (and from its other usual places) when these are absent.
S3_OPTIONS_FROM_ENVIRONMENT = {
    "AWS_STORAGE_BUCKET_NAME": "bucket_name",
    "AWS_S3_ENDPOINT_URL": "endpoint_url",
    "AWS_S3_REGION_NAME": "region_name",
    "AWS_S3_CUSTOM_DOMAIN": "custom_domain",
    "AWS_LOCATION": "location",
    "AWS_ACCESS_KEY_ID": "access_key",
    "AWS_SECRET_ACCESS_KEY": "secret_key",
}


def _flag(environ: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = environ.get(name)
    return default if value is None else value.strip().lower() in TRUE_WORDS


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1, not {value}.")
    return value


def database_pool(database: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """Turn on psycopg's connection pool for a PostgreSQL database when DJANGO_DB_POOL is set.

    DJANGO_DB_POOL_MIN_SIZE and DJANGO_DB_POOL_MAX_SIZE size each process's pool (1 and 4 by
    default: a sync gunicorn worker holds one connection at a time, the spare ones absorb a
    restart of the server), DJANGO_DB_POOL_TIMEOUT is how many seconds a request waits for a free
    connection. Django refuses persistent connections beside a pool, so CONN_MAX_AGE becomes 0.
    Returns the updated copy of `database`.
    """
    if not _flag(environ, "DJANGO_DB_POOL"):
        return database
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DJANGO_DB_POOL needs a PostgreSQL DATABASE_URL.")
    min_size = _positive_int(environ, "DJANGO_DB_POOL_MIN_SIZE", 1)
    max_size = _positive_int(environ, "DJANGO_DB_POOL_MAX_SIZE", max(4, min_size))
    if max_size < min_size:
        raise ImproperlyConfigured(
            "DJANGO_DB_POOL_MAX_SIZE must be at least DJANGO_DB_POOL_MIN_SIZE."
        )
    pool = {
        "min_size": min_size,
        "max_size": max_size,
        "timeout": _positive_int(environ, "DJANGO_DB_POOL_TIMEOUT", 10),
    }
    options = {**database.get("OPTIONS", {}), "pool": pool}
    return {**database, "CONN_MAX_AGE": 0, "OPTIONS": options}


def session_engine(environ: Mapping[str, str]) -> str:
    """The session backend named by DJANGO_SESSIONS: `db` (default), `cached_db` or `cache`.

    `cache` and `cached_db` keep sessions in the default cache, which must then be the shared
    one (Redis, with REDIS_URL): a system check says so.
    """
    name = environ.get("DJANGO_SESSIONS", "db").strip() or "db"
    try:
        return SESSION_ENGINES[name]
    except KeyError:
        choices = ", ".join(SESSION_ENGINES)
        raise ImproperlyConfigured(
            f"DJANGO_SESSIONS must be one of {choices}, not {name!r}."
        ) from None


def default_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """The STORAGES["default"] entry: where uploaded files are kept.

    DJANGO_STORAGE=s3 selects django-storages' S3 backend (any S3-compatible service, such as
    MinIO or Ceph, through AWS_S3_ENDPOINT_URL); otherwise files go to MEDIA_ROOT, a folder that
    every node must then share (a network file system).
    """
    kind = environ.get("DJANGO_STORAGE", "filesystem").strip().lower() or "filesystem"
    if kind == "filesystem":
        return {"BACKEND": FILESYSTEM_STORAGE}
    if kind != "s3":
        raise ImproperlyConfigured(f"DJANGO_STORAGE must be filesystem or s3, not {kind!r}.")
    options: dict[str, Any] = {
        option: environ[name]
        for name, option in S3_OPTIONS_FROM_ENVIRONMENT.items()
        if environ.get(name)
    }
    if "bucket_name" not in options:
        raise ImproperlyConfigured("DJANGO_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    # Uploads are the editors' originals: never overwrite one that has the same name, and never
    # make them public by an ACL; links to them are signed for a limited time.
    options |= {"file_overwrite": False, "default_acl": None, "querystring_auth": True}
    return {"BACKEND": S3_STORAGE, "OPTIONS": options}
