"""Fixtures of the webhook tests: a real HTTP receiver on 127.0.0.1, a worker, API clients."""

from __future__ import annotations

import datetime
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from proposals import services
from proposals.models import Proposal
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite

EVIDENCE_QUOTE = "a point both sides welcomed"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """An HTTP server answering each POST with the next (status, body, headers) of `script`.

    Once the script is spent it answers 200. Every request is kept in `requests`.
    """

    url: str = ""
    script: list[tuple[int, bytes, dict[str, str]]] = field(default_factory=list)
    # When set, the first request to each path gets this status (before the script applies).
    first_per_path: int | None = None
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, *statuses: int, body: bytes = b"ok", headers: dict | None = None) -> None:
        self.script.extend((status, body, headers or {}) for status in statuses)


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            with state.lock:
                first = all(request.path != self.path for request in state.requests)
                state.requests.append(Received(self.path, dict(self.headers.items()), body))
                if first and state.first_per_path is not None:
                    status, reply, headers = state.first_per_path, b"not yet", {}
                elif state.script:
                    status, reply, headers = state.script.pop(0)
                else:
                    status, reply, headers = 200, b"ok", {}
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def do_GET(self) -> None:
            with state.lock:
                state.requests.append(Received(self.path, dict(self.headers.items()), b""))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    """Reach the receiver on the loopback; retry at once; fast password hashing; no throttles."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOKS_RETRY_SCHEDULE = [0, 0, 0]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cache.clear()


def run_worker(worker_id: str = "test-worker") -> None:
    """Run the database backend's worker (manage.py db_worker) until no task is ready."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def editor_api(editor) -> APIClient:
    return token_client(editor)


@pytest.fixture
def proposal(db) -> Proposal:
    """A proposal with a proposer, an addressee and an evidence citation."""
    source = SourceFactory(slug="cable-one", title="Cable one")
    proposal = ProposalFactory(
        slug="academy-exchanges",
        title="Exchanges between military academies",
        category="military_exchange",
        proposers=[ActorFactory(slug="taiwan", name="Taiwan")],
        addressees=[ActorFactory(slug="japan", name="Japan")],
    )
    cite(proposal, source, quote=EVIDENCE_QUOTE, role="evidence", locator="¶2")
    proposal.refresh_from_db()
    return proposal


def move(proposal: Proposal, to_status: str = "under_discussion") -> None:
    """Record a transition through the service."""
    proposal.refresh_from_db()
    services.record_transition(
        proposal=proposal,
        to_status=to_status,
        note=f"Moved to {to_status}.",
        effective_date=datetime.date(2006, 1, 1),
        evidence=list(proposal.citations.all()),
        expected_version=proposal.version,
    )
