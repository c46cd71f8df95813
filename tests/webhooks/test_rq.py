"""The RQ backend (DJANGO_TASKS_BACKEND=rq): tasks reach Redis on commit, an RQ worker sends."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.webhooks.conftest import move
from webhooks import services
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db(transaction=True)

# Database 3 of the shared Redis is this test suite's own.
REDIS_URL = "redis://127.0.0.1:6379/3"


@pytest.fixture
def rq_queue(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    import django_rq
    from django_tasks_rq import Job

    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}  # as DJANGO_TASKS_BACKEND=rq sets it
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    yield queue
    queue.empty()


def test_rq_tasks_are_queued_on_commit_and_run_by_an_rq_worker(
    editor, proposal, receiver, rq_queue
):
    import django_rq
    from rq import SimpleWorker

    services.create_webhook(owner=editor, url=receiver.url, events=["status_change.created"])

    with transaction.atomic():
        move(proposal)
        assert Delivery.objects.count() == 1
        # Redis is outside the transaction: nothing may reach it before the commit.
        assert rq_queue.count == 0
    assert rq_queue.count == 1

    # What manage.py rqworker builds (the job class from the RQ setting), in this process.
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)

    assert len(receiver.requests) == 1
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


def test_rq_tasks_of_a_rolled_back_change_never_reach_redis(editor, proposal, receiver, rq_queue):
    services.create_webhook(owner=editor, url=receiver.url, events=["status_change.created"])

    with pytest.raises(RuntimeError), transaction.atomic():
        move(proposal)
        raise RuntimeError("the change fails")

    assert rq_queue.count == 0
    assert Delivery.objects.count() == 0
