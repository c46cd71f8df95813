"""Background tasks of the tracker, declared through the project's one tasks module."""

from __future__ import annotations

from tracker.tasks import task


@task()
def build_open_data_snapshot() -> str:
    """Build the open-data zip unless the current one exists; return its file name."""
    from proposals import dataset

    snapshot = dataset.current_snapshot() or dataset.build_snapshot()
    return snapshot.path.name
