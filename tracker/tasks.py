"""
The one module that imports Django's Tasks API.

Django 6 ships the API as `django.tasks`; on Django 5.2 the `django-tasks` backport provides the
same names. Import them from here, never from either package, so that moving to Django 6 changes
this module only:

    from tracker.tasks import task, enqueue_on_commit

    @task()
    def rebuild_dataset(name: str) -> None: ...

    enqueue_on_commit(rebuild_dataset, "proposals")

The backend is chosen by `DJANGO_TASKS_BACKEND` (see tracker/settings.py): the database backend
by default, whose worker is `python manage.py db_worker`; `rq` for many machines, whose worker is
`python manage.py rqworker default --with-scheduler`. Neither retries a failed task by itself: a
task that wants another try enqueues itself again with `run_after`.
"""

from __future__ import annotations

import datetime
from importlib.util import find_spec
from typing import Any

from django.db import transaction

if find_spec("django.tasks"):  # Django 6 and later
    from django.tasks import (  # type: ignore[import-not-found,no-redef,unused-ignore]
        DEFAULT_TASK_BACKEND_ALIAS,
        DEFAULT_TASK_QUEUE_NAME,
        TaskContext,
        TaskResult,
        TaskResultStatus,
        default_task_backend,
        task,
        task_backends,
    )
    from django.tasks.base import Task  # type: ignore[import-not-found,no-redef,unused-ignore]
else:  # Django 5.2: the backport
    from django_tasks import (  # type: ignore[no-redef,unused-ignore]
        DEFAULT_TASK_BACKEND_ALIAS,
        DEFAULT_TASK_QUEUE_NAME,
        TaskContext,
        TaskResult,
        TaskResultStatus,
        default_task_backend,
        task,
        task_backends,
    )
    from django_tasks.base import Task  # type: ignore[no-redef,unused-ignore]

__all__ = [
    "DEFAULT_TASK_BACKEND_ALIAS",
    "DEFAULT_TASK_QUEUE_NAME",
    "Task",
    "TaskContext",
    "TaskResult",
    "TaskResultStatus",
    "default_task_backend",
    "enqueue_on_commit",
    "enqueues_in_transaction",
    "task",
    "task_backends",
]


def enqueues_in_transaction(task_: Task) -> bool:
    """Return whether `task_`'s backend writes its queue into the project's database.

    Such a backend's enqueue is part of the caller's transaction: the task exists exactly when
    the transaction commits. Any other (Redis, say) must wait for the commit.
    """
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_.get_backend(), DatabaseBackend)


def enqueue_on_commit(
    task_: Task,
    *args: Any,
    run_after: datetime.datetime | None = None,
    **kwargs: Any,
) -> None:
    """Enqueue `task_(*args, **kwargs)` so that it runs only if the caller's transaction commits.

    With the database backend the task row is written now, inside the transaction: a rollback
    removes it, and a crash between the commit and a later enqueue cannot lose it. With any other
    backend it is enqueued once the transaction commits (at once outside a transaction).
    """
    configured = task_.using(run_after=run_after) if run_after is not None else task_
    if enqueues_in_transaction(configured):
        configured.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: configured.enqueue(*args, **kwargs))
