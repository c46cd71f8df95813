"""
A load run: gunicorn on the loopback, and a bounded threaded client mixing reads and writes.

The client runs for a fixed time and stops by itself; the server is started here and stopped
here. 95% of operations are reads (API lists, details and histories, site pages); 5% are status
transitions with If-Match on a small set of "hot" proposals, so that editors race and some get
412. Afterwards every 201 must be in its proposal's history, and every history must read as one
unbroken chain (no lost update).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.db import connection
from django.utils import timezone

from proposals import services, workflow
from proposals.models import Proposal, Source, StatusChange

HOST = "127.0.0.1"
MAX_DURATION = 300  # seconds: a load run is bounded whatever it is asked
MAX_THREADS = 32
HOT_PROPOSALS = 8  # few, so that editors race for the same versions
WRITE_SHARE = 0.05
EDITOR = "loadtest-editor"


@dataclass
class Tally:
    """What the client threads saw; guarded by a lock."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    created: list[tuple[str, int]] = field(default_factory=list)  # (slug, change id) of 201s
    transitions: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.append(seconds * 1000)
            self.statuses[status] += 1
            if kind == "transition":
                self.transitions[status] += 1


def _read_paths(rng: random.Random) -> list[str]:
    slugs = list(Proposal.objects.order_by("id").values_list("slug", flat=True))
    sources = list(Source.objects.order_by("id").values_list("slug", flat=True))
    paths = []
    for slug in rng.sample(slugs, min(200, len(slugs))):
        paths += [
            f"/api/v1/proposals/{slug}/",
            f"/api/v1/proposals/{slug}/history/",
            f"/proposals/{slug}/",
        ]
    for page in range(1, 11):
        paths += [
            f"/api/v1/proposals/?page_size=100&page={page}",
            f"/api/v1/proposals/?page_size=100&page={page}&as_of=2012-06-30",
            f"/proposals/?page={page}",
        ]
    paths += [f"/sources/{slug}/" for slug in rng.sample(sources, min(20, len(sources)))]
    paths += ["/", "/api/v1/proposals/?status=stalled", "/api/v1/changes/", "/feed/changes.atom"]
    return paths


def hot_proposals(rng: random.Random) -> list[str]:
    open_statuses = [s for s in workflow.Status.values if not workflow.is_terminal(s)]
    slugs = list(
        Proposal.objects.filter(status__in=open_statuses)
        .order_by("id")
        .values_list("slug", flat=True)[:5000]
    )
    return rng.sample(slugs, min(HOT_PROPOSALS, len(slugs)))


def next_move(detail: dict) -> tuple[str, list[int]] | None:
    """A legal next status that keeps the proposal movable, with evidence if it needs some."""
    options = [s for s in detail.get("next_statuses", []) if not workflow.is_terminal(s)]
    if not options:
        return None
    plain = [s for s in options if not workflow.requires_evidence(s)]
    if plain:
        return plain[0], []
    if not detail.get("citations"):
        return None
    return options[0], [detail["citations"][0]["id"]]


def _client(
    number: int,
    base: str,
    token: str,
    reads: list[str],
    hot: list[str],
    deadline: float,
    tally: Tally,
) -> None:
    rng = random.Random(number)
    session = requests.Session()
    editor = requests.Session()
    editor.headers["Authorization"] = f"Token {token}"
    today = timezone.localdate().isoformat()

    def call(kind: str, method: str, path: str, **kwargs: Any) -> requests.Response | None:
        started = time.perf_counter()
        try:
            client = editor if kind == "transition" else session
            response = client.request(method, base + path, timeout=30, **kwargs)
        except requests.RequestException as exc:
            with tally.lock:
                tally.errors.append(f"{method} {path}: {exc}")
            return None
        tally.record(kind, time.perf_counter() - started, response.status_code)
        return response

    while time.monotonic() < deadline:
        if rng.random() >= WRITE_SHARE:
            call("read", "GET", rng.choice(reads))
            continue
        slug = rng.choice(hot)
        read = call("read", "GET", f"/api/v1/proposals/{slug}/")
        if read is None or read.status_code != 200:
            continue
        move = next_move(read.json())
        if move is None:
            continue
        to_status, evidence = move
        response = call(
            "transition",
            "POST",
            f"/api/v1/proposals/{slug}/transitions/",
            json={
                "to_status": to_status,
                "note": f"Load run, client {number}.",
                "effective_date": today,
                "evidence": evidence,
            },
            headers={"If-Match": read.headers.get("ETag", "")},
        )
        if response is not None and response.status_code == 201:
            with tally.lock:
                tally.created.append((slug, response.json()["id"]))


def _wait_until_up(base: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            if requests.get(f"{base}/api/v1/statuses/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


def server_environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "load-run-only-not-a-secret-key",
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        # Throttles still run, at rates a load run from one address does not reach.
        DJANGO_THROTTLE_ANON="100000000/minute",
        DJANGO_THROTTLE_USER="100000000/minute",
    )
    return env


def lost_updates(created: list[tuple[str, int]]) -> dict[str, Any]:
    """Check every 201 is in the history, and every touched history is an unbroken chain."""
    ids = {change_id for _, change_id in created}
    found = set(StatusChange.objects.filter(pk__in=ids).values_list("pk", flat=True))
    broken = []
    for slug in sorted({slug for slug, _ in created}):
        proposal = Proposal.objects.get(slug=slug)
        changes = list(proposal.history.order_by("effective_date", "id"))
        chain_ok = all(
            later.from_status == earlier.to_status for earlier, later in itertools.pairwise(changes)
        )
        if not chain_ok or changes[-1].to_status != proposal.status:
            broken.append(slug)
    return {"missing": len(ids - found), "broken_histories": broken}


def run(
    *,
    database_url: str,
    duration: float = 30,
    threads: int = 8,
    workers: int = 2,
    port: int = 8765,
    seed: int = 0,
) -> dict[str, Any]:
    """Serve with gunicorn on the loopback, load it for `duration` seconds, and report."""
    duration = min(duration, MAX_DURATION)
    threads = min(threads, MAX_THREADS)
    rng = random.Random(seed)
    reads = _read_paths(rng)
    hot = hot_proposals(rng)
    if not hot:
        raise RuntimeError("No proposal may still move: generate synthetic data first.")
    _, token = services.ensure_editor(username=EDITOR)
    connection.close()  # the server's workers open their own

    base = f"http://{HOST}:{port}"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "tracker.wsgi:application",
        "--config",
        str(Path(settings.BASE_DIR) / "gunicorn.conf.py"),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=server_environment(database_url))
    tally = Tally()
    try:
        _wait_until_up(base, server)
        deadline = time.monotonic() + duration
        started = time.monotonic()
        pool = [
            threading.Thread(
                target=_client, args=(n, base, token, reads, hot, deadline, tally), daemon=True
            )
            for n in range(threads)
        ]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join(timeout=duration + 60)
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    latencies = sorted(tally.latencies)
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive") if latencies else []
    server_errors = sum(count for status, count in tally.statuses.items() if status >= 500)
    unexpected = sum(
        count
        for status, count in tally.statuses.items()
        if status >= 400 and status not in (412,) and status < 500
    )
    return {
        "database": connection.vendor,
        "workers": workers,
        "threads": threads,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(quantiles[49], 1) if quantiles else None,
        "p99_ms": round(quantiles[98], 1) if quantiles else None,
        "statuses": dict(sorted(tally.statuses.items())),
        "transitions": dict(sorted(tally.transitions.items())),
        "server_errors": server_errors,
        "client_errors": unexpected,
        "connection_errors": len(tally.errors),
        "error_samples": tally.errors[:5],
        "lost_updates": lost_updates(tally.created),
    }


def write_json(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
