"""The probes of a load balancer: /healthz (the process answers) and /readyz (it can serve)."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

# This suite's own Redis database, on the Redis that CI starts.
REDIS_URL = "redis://127.0.0.1:6379/6"


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return REDIS_URL


def test_healthz_answers_even_for_an_unknown_host_over_plain_http(client, settings):
    settings.ALLOWED_HOSTS = ["tracker.example.org"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # a probe creates no session


def test_readyz_reports_every_dependency_when_all_are_reachable(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "tasks"}
    assert set(body["checks"].values()) == {"ok"}


def test_readyz_names_the_cache_when_redis_is_down(client, settings):
    # Nothing listens on port 1: every connection is refused, as when Redis is down.
    settings.CACHES = {
        "default": {
            "BACKEND": "tracker.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/6",
        }
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["cache"]
    assert body["checks"]["database"] == "ok"


def test_readyz_names_the_database_when_it_refuses_queries(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert "database" in response.json()["failing"]


def test_probes_answer_only_reads(client):
    response = client.post("/readyz")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.head("/healthz").status_code == 200


def test_readyz_names_the_task_queue_when_its_redis_is_down(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/6"}}

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["tasks"]


def test_readyz_reaches_the_task_queue_in_redis(client, settings, redis_url):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["tasks"] == "ok"
