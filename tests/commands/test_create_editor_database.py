"""create_editor against a database that is not there: a clear error, and no empty file left."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def run_create_editor(database: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "1"}
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "create_editor", "alice"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_missing_database_is_named_and_not_created(tmp_path):
    database = tmp_path / "nowhere.sqlite3"
    result = run_create_editor(database)
    assert result.returncode == 1
    assert f"There is no database at {database}" in result.stderr
    assert "make editor NAME=" in result.stderr
    assert not database.exists()


def test_an_unmigrated_database_says_so(tmp_path):
    database = tmp_path / "empty.sqlite3"
    database.touch()
    result = run_create_editor(database)
    assert result.returncode == 1
    assert "has no tables yet" in result.stderr
