"""
Settings of the proposal tracker, read from the environment in this one place.

Production defaults are the safe ones; a development default exists only where DJANGO_DEBUG is on.
"""

import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from tracker import deployment

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

# Without DJANGO_SECRET_KEY and with debugging off, the key stays empty: management commands
# (migrate, verify_citations, ...) still run, while serving refuses to start: Django raises
# ImproperlyConfigured when the WSGI application loads, and check --deploy reports it.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, so that translated fields are registered when the admin loads.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "import_export",
    "pgtrigger",
    "django_tasks",
    "django_tasks_db",
    "proposals",
    "webhooks",
]
# The benchmark app (bench/: synthetic data, the benchmark and the load run) is development
# tooling, not part of the wheel: installed whenever it can be imported (a checkout), unless
# TRACKER_BENCH=0; TRACKER_BENCH=1 insists on it.
if env_bool("TRACKER_BENCH", importlib.util.find_spec("bench") is not None):
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    # First: /healthz and /readyz answer probes by address, over HTTP, without sessions.
    "tracker.health.HealthCheckMiddleware",
    # Then, so that it drains the body of whatever any layer below refused.
    "proposals.middleware.DrainRefusedBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "proposals.middleware.RefuseMalformedURLMiddleware",
    # Before the session and the login view: a throttled request costs one cache read.
    "proposals.middleware.SiteThrottleMiddleware",
    # Compresses what the middleware below it returns: HTML pages only.
    "proposals.site.middleware.HTMLGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware: picks the language of the site, admin and API.
    "proposals.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "proposals.middleware.AdminChangelistLookupMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A second writer waits for the lock instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# psycopg's connection pool on PostgreSQL when DJANGO_DB_POOL=1 (see tracker/deployment.py).
DATABASES["default"] = deployment.database_pool(DATABASES["default"], os.environ)
if os.environ.get("DJANGO_TEST_DATABASE_NAME"):
    # Lets two test runs share one PostgreSQL server without dropping each other's database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DJANGO_TEST_DATABASE_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite has no covering indexes: it builds the as-of index (StatusChange) without the columns
# that PostgreSQL's carries (INCLUDE), a plain index being all the embedded database needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English unprefixed (/proposals/...), Japanese under /ja/ and Traditional Chinese under /zh-hant/.
# Adding a language: see the README, "Languages".
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ja", "日本語"),
    ("zh-hant", "繁體中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "tracker_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Translated content (django-modeltranslation): English is the source of every translation, and
# a field missing in a language falls back to it.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",)}

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploads: MEDIA_ROOT (shared by every node), or an S3-compatible bucket with DJANGO_STORAGE=s3.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Files served at the site's root by whitenoise: /favicon.ico, /robots.txt.
WHITENOISE_ROOT = BASE_DIR / "proposals" / "root"
STORAGES = {
    "default": deployment.default_storage(os.environ),
    "staticfiles": {
        "BACKEND": os.environ.get(
            "DJANGO_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

LOGIN_URL = "admin:login"

# Sessions live in the database by default, so any node serves any request.
SESSION_ENGINE = deployment.session_engine(os.environ)

# Request bodies: Django's own limit; the API maps an oversized body to a JSON 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The source endpoints take a document: bodies up to 25 MB, a file up to 20 MB, a text up to
# 2,000,000 characters (proposals.sources, proposals.api.parsers).
SOURCE_BODY_MAX_BYTES = 25 * 1024 * 1024
SOURCE_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
SOURCE_TEXT_MAX_LENGTH = 2_000_000
# Uploaded originals of sources are kept in the default storage: files under MEDIA_ROOT unless
# STORAGES says otherwise. They are never served at a public URL; editors download them
# through the API (GET /api/v1/sources/{slug}/original/) or the admin.
MEDIA_ROOT = Path(os.environ.get("TRACKER_MEDIA_ROOT", BASE_DIR / "media"))

# Security headers and HTTPS, from the environment so that a deployment behind TLS turns them on.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): scripts and styles from our own static
# files only, never inline; the API docs page widens style-src for Swagger UI
# (proposals.api.docs).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Proxies in front of Django that append the client's address to X-Forwarded-For. With none (the
# default) the header is ignored: the login lockout and every throttle take the connection's
# address (proposals.clients.client_address), so a client cannot pose as many.
TRACKER_TRUSTED_PROXY_COUNT = int(
    os.environ.get(
        "DJANGO_TRUSTED_PROXY_COUNT", "1" if env_bool("DJANGO_BEHIND_PROXY", False) else "0"
    )
)

# Failed admin logins: django-axes locks out the address after this many failures, whatever
# usernames it tried (password spraying). It never locks an account itself: anyone sharing an
# editor's address could otherwise lock them out. Per username, login posts are slowed down
# instead (the "login_username" throttle, proposals.middleware.SiteThrottleMiddleware).
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "proposals.clients.client_address"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["proposals.api.permissions.IsEditorOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["proposals.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "proposals.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "proposals.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "proposals.api.throttling.AnonRateThrottle",
        "proposals.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DJANGO_THROTTLE_ANON", "600/minute"),
        "user": os.environ.get("DJANGO_THROTTLE_USER", "3000/minute"),
        # Refused credentials (a guessed token), per address.
        "failed_auth": os.environ.get("DJANGO_THROTTLE_FAILED_AUTH", "30/minute"),
        # The public pages, feeds and admin pages, per address (the API has the two above).
        "site": os.environ.get("DJANGO_THROTTLE_SITE", "600/minute"),
        # Login posts, counted before the password is hashed: per address, and per username
        # from all addresses together.
        "login": os.environ.get("DJANGO_THROTTLE_LOGIN", "20/minute"),
        "login_username": os.environ.get("DJANGO_THROTTLE_LOGIN_USERNAME", "10/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "proposals.api.browsable.TrackerBrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Proposal tracker API",
    "DESCRIPTION": "Policy proposals, their verified citations and their status history.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "proposals.api.schema.postprocess",
    ],
    # One schema component per choice set, however many fields use it.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "proposals.workflow.Status",
        "PrecisionEnum": "proposals.workflow.Precision",
        "CategoryEnum": "proposals.models.Category",
        "CitationRoleEnum": "proposals.models.CitationRole",
        "SourceKindEnum": "proposals.models.SourceKind",
        "ActorKindEnum": "proposals.models.ActorKind",
        "DateQualifierEnum": "proposals.workflow.DateQualifier",
        "StanceEnum": "proposals.workflow.Stance",
        "RelationTypeEnum": "proposals.workflow.RelationType",
        "AnchorStatusEnum": "proposals.models.AnchorStatus",
    },
}

# Background work through Django's Tasks API (imported only via tracker/tasks.py). The database
# backend is the embedded default (worker: manage.py db_worker); "rq" keeps the queue in Redis
# for many machines (worker: manage.py rqworker default --with-scheduler; the scheduler runs the
# tasks enqueued with run_after).
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "database").strip().lower()
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # RQ workers run Tasks API jobs only through this job class (no --job-class needed).
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    RQ_QUEUES = {
        "default": {
            "URL": os.environ.get(
                "DJANGO_TASKS_REDIS_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
            ),
            "DEFAULT_TIMEOUT": 300,
        }
    }
else:
    raise ImproperlyConfigured(
        f"DJANGO_TASKS_BACKEND is {TASKS_BACKEND!r}; use 'database' (the default) or 'rq'."
    )

# The shared cache of throttles (and whatever else needs one across workers): Redis when
# REDIS_URL is set, else the database cache table, which migration 0011 creates, so `migrate`
# alone prepares a database. A per-process memory cache would multiply every limit by the
# number of workers.
CACHE_TABLE = "tracker_cache"
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "tracker.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "tracker"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Webhooks (webhooks/conf.py has the defaults). Retries follow Svix's schedule; tests shorten it
# with DJANGO_WEBHOOKS_RETRY_SCHEDULE (seconds, comma-separated: one delay per attempt).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("DJANGO_WEBHOOKS_ALLOW_PRIVATE_TARGETS", False)
if os.environ.get("DJANGO_WEBHOOKS_RETRY_SCHEDULE"):
    WEBHOOKS_RETRY_SCHEDULE = [float(delay) for delay in env_list("DJANGO_WEBHOOKS_RETRY_SCHEDULE")]
WEBHOOKS_STALE_AFTER = int(os.environ.get("DJANGO_WEBHOOKS_STALE_AFTER", "300"))
# The authority and date of the feeds' tag: ids (RFC 4151): a domain you own and a day you did.
FEED_TAG_AUTHORITY = os.environ.get("DJANGO_FEED_TAG_AUTHORITY", "proposal-tracker.example,2025")
# The public address of the tracker, for absolute links in webhook payloads (paths if empty).
TRACKER_PUBLIC_URL = os.environ.get("DJANGO_PUBLIC_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# The open-data snapshots (zips) that /data/ serves and `export_dataset --snapshot` builds.
OPEN_DATA_ROOT = Path(os.environ.get("DJANGO_OPEN_DATA_ROOT", BASE_DIR / "opendata"))
# The licence of the tracker's own data, as a Frictionless Data Package names it.
OPEN_DATA_LICENSE = {
    "name": os.environ.get("DJANGO_OPEN_DATA_LICENSE", "CC-BY-4.0"),
    "title": os.environ.get(
        "DJANGO_OPEN_DATA_LICENSE_TITLE", "Creative Commons Attribution 4.0 International"
    ),
    "path": os.environ.get(
        "DJANGO_OPEN_DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"
    ),
}

# Where the pristine source documents live; verify_citations compares against them when present.
SEEDS_DIR = Path(os.environ.get("TRACKER_SEEDS_DIR", BASE_DIR / "seeds"))
