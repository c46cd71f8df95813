"""A refused body is drained, so that a client still sending it reads the answer, not a reset.

Run against gunicorn, as deployed: its sync workers close the connection after each answer, and
closing with unread bytes in the socket makes the kernel reset the connection.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
BODY_SIZE = 6 * 1024 * 1024  # more than the 2.5 MB limit


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn_url(tmp_path_factory):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "drain-test-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('drain') / 'db.sqlite3'}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-control-socket",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def post_large(port: int, path: str, content_type: str) -> tuple[int, bytes]:
    """POST a body over the limit, sending all of it, then read the answer."""
    body = b'{"summary": "' + b"x" * BODY_SIZE + b'"}'
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
        conn.sendall(head)
        for start in range(0, len(body), 256 * 1024):
            conn.sendall(body[start : start + 256 * 1024])
            time.sleep(0.001)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1]


def test_an_anonymous_oversized_write_reads_its_401(gunicorn_url):
    status, body = post_large(gunicorn_url, "/api/v1/proposals/", "application/json")
    assert status == 401
    assert json.loads(body)["detail"]


def test_an_oversized_form_post_reads_its_answer(gunicorn_url):
    status, _ = post_large(gunicorn_url, "/admin/login/", "application/x-www-form-urlencoded")
    assert 400 <= status < 500
