"""Settings from the environment, production checks and login throttling."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from proposals.services import ensure_editor


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Qp9" * 8,
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
}


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_serving_refuses_to_start_without_a_secret_key():
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="tracker.example.org")
    result = subprocess.run(
        [sys.executable, "-c", "import tracker.wsgi"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in result.stderr


def test_check_deploy_reports_a_missing_secret_key():
    result = manage(
        "check", "--deploy", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="tracker.example.org"
    )
    assert result.returncode == 0  # warnings only: the command itself runs
    assert "security.W009" in result.stderr + result.stdout


def test_management_commands_run_without_any_environment(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert manage("migrate", "-v0", DATABASE_URL=database).returncode == 0
    result = manage("verify_citations", DATABASE_URL=database)
    assert result.returncode == 0, result.stderr
    assert "0 failure(s)" in result.stdout


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_repeated_failed_admin_logins_are_locked_out(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    ensure_editor(username="target", password="the-right-password-1")
    url = reverse("admin:login")
    for _ in range(3):
        response = client.post(url, {"username": "target", "password": "wrong"})
        assert response.status_code in {200, 429}
    response = client.post(url, {"username": "target", "password": "the-right-password-1"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_from_one_address_do_not_lock_out_the_account_elsewhere(client, settings):
    """The lockout is per address (across usernames), never of the account itself."""
    from django.test import Client

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    ensure_editor(username="editor-a", password="the-right-password-1")
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "editor-a", "password": "wrong"})
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    response = elsewhere.post(url, {"username": "editor-a", "password": "the-right-password-1"})
    assert response.status_code == 302
    assert elsewhere.session["_auth_user_id"]
