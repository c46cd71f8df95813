"""
A run on many nodes, on the loopback: app nodes, task workers and a webhook receiver sharing one
PostgreSQL database and one Redis, under a bounded load.

Two phases, with the same clients and the same mix of requests: first one gunicorn node with two
workers, then two nodes with one worker each (the machine's cores are the same, so the difference
is what coordinating through the shared database and cache costs). The second phase spreads every
client's requests over both nodes (a transition reads its ETag on one node and writes on the
other) and then checks what only shared state can give: racing transitions sent to both nodes
have one winner, an anonymous client over the rate limit is refused by both nodes (one limit, not
one per node), every 201 is in the history, and each webhook event reaches the receiver once.
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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.db import connection
from django.utils import timezone

from bench import loadtest
from proposals import services
from proposals.models import Proposal, Source

HOST = "127.0.0.1"
MAX_DURATION = 300  # seconds per phase, whatever is asked
MAX_THREADS = 32
ANON_LIMIT = 30  # anonymous requests a minute, during the run: low, so the check is quick
RACES = 10
RACERS = 4  # concurrent transitions in each race, alternately to each node
WEBHOOK_EVENTS = ("status_change.created", "citation.created")
WARMUP = 5  # seconds of load before each phase's measured load: imports, caches, connections
WEBHOOK_WAIT = 120  # seconds for the workers to deliver what the load caused
READ_SHARE, TRANSITION_SHARE = 0.85, 0.10  # the rest are citations
QUOTE_LENGTH = 90
SEARCH_TEXT = "Kinmen"


# --- What the clients saw ----------------------------------------------------------------


@dataclass
class NodeTally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    def figures(self, seconds: float) -> dict[str, Any]:
        latencies = sorted(self.latencies)
        cuts = statistics.quantiles(latencies, n=100, method="inclusive") if latencies else []
        return {
            "requests": len(latencies),
            "requests_per_second": round(len(latencies) / seconds, 1) if seconds else None,
            "p50_ms": round(cuts[49], 1) if cuts else None,
            "p95_ms": round(cuts[94], 1) if cuts else None,
            "p99_ms": round(cuts[98], 1) if cuts else None,
            "server_errors": sum(n for status, n in self.statuses.items() if status >= 500),
            "statuses": dict(sorted(self.statuses.items())),
        }


@dataclass
class Tally:
    """Everything the client threads of one phase saw, per node; guarded by a lock."""

    nodes: dict[str, NodeTally] = field(default_factory=lambda: defaultdict(NodeTally))
    errors: list[str] = field(default_factory=list)
    transitions: list[tuple[str, int]] = field(default_factory=list)  # (slug, change id) of 201s
    citations: list[int] = field(default_factory=list)  # ids of 201s
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, node: str, seconds: float, status: int) -> None:
        with self.lock:
            self.nodes[node].latencies.append(seconds * 1000)
            self.nodes[node].statuses[status] += 1

    def figures(self, seconds: float) -> dict[str, Any]:
        total = NodeTally()
        for tally in self.nodes.values():
            total.latencies += tally.latencies
            total.statuses.update(tally.statuses)
        return {
            "per_node": {
                node: tally.figures(seconds) for node, tally in sorted(self.nodes.items())
            },
            "total": total.figures(seconds),
            "connection_errors": len(self.errors),
            "error_samples": self.errors[:5],
            "transitions_created": len(self.transitions),
            "citations_created": len(self.citations),
        }


# --- The webhook receiver ----------------------------------------------------------------


class Receiver:
    """An HTTP server that keeps every delivery: its webhook-id, type, subject and signature."""

    def __init__(self, port: int) -> None:
        self.deliveries: list[dict[str, Any]] = []
        self.secret: str | None = None
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.keep(body, {key.lower(): value for key, value in self.headers.items()})
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((HOST, port), Handler)
        self.url = f"http://{HOST}:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def keep(self, body: bytes, headers: dict[str, str]) -> None:
        from standardwebhooks import Webhook

        try:
            Webhook(self.secret or "").verify(body, headers)
            signed = True
        except Exception:
            signed = False
        try:
            event = json.loads(body)
            kind, subject = event.get("type"), (event.get("data") or {}).get("id")
        except ValueError:
            kind = subject = None
        with self.lock:
            self.deliveries.append(
                {
                    "id": headers.get("webhook-id"),
                    "type": kind,
                    "subject": subject,
                    "signed": signed,
                }
            )

    def report(self, expected: set[tuple[str, int]]) -> dict[str, Any]:
        with self.lock:
            deliveries = list(self.deliveries)
        by_event = Counter((item["type"], item["subject"]) for item in deliveries)
        by_id = Counter(item["id"] for item in deliveries)
        return {
            "expected": len(expected),
            "delivered": len(deliveries),
            "delivered_once": sum(1 for event in expected if by_event[event] == 1),
            "missing": len([event for event in expected if not by_event[event]]),
            "repeated_events": sum(1 for event in expected if by_event[event] > 1),
            "repeated_webhook_ids": sum(1 for count in by_id.values() if count > 1),
            "unexpected": len([event for event in by_event if event not in expected]),
            "bad_signatures": sum(1 for item in deliveries if not item["signed"]),
        }

    def received(self, expected: set[tuple[str, int]]) -> bool:
        with self.lock:
            got = {(item["type"], item["subject"]) for item in self.deliveries}
        return expected <= got


# --- Processes -----------------------------------------------------------------------------


def _environment(database_url: str, redis_url: str) -> dict[str, str]:
    env = loadtest.server_environment(database_url)
    env.update(
        REDIS_URL=redis_url,
        DJANGO_TASKS_BACKEND="rq",
        DJANGO_TASKS_REDIS_URL=redis_url,
        DJANGO_DB_POOL="1",
        DJANGO_THROTTLE_ANON=f"{ANON_LIMIT}/minute",
        DJANGO_WEBHOOKS_ALLOW_PRIVATE_TARGETS="1",
        DJANGO_WEBHOOKS_RETRY_SCHEDULE="1,2,5,10",
        DJANGO_LOG_LEVEL="ERROR",  # not a warning line per 412 and 429
    )
    return env


def _log(name: str) -> Any:
    """A log file of one process under bench-results/ (its errors, if any, for a post-mortem)."""
    folder = Path(settings.BASE_DIR) / "bench-results"
    folder.mkdir(exist_ok=True)
    return (folder / f"cluster-{name}.log").open("w")


def _start_node(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
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
    with _log(f"node-{port}") as log:
        return subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _start_worker(number: int, env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "rqworker", "default", "--with-scheduler"]
    with _log(f"worker-{number}") as log:
        return subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    """Wait for /readyz: the node answers and reaches the database, the cache and the queue."""
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the node at {base} exited with {process.returncode}")
        try:
            response = requests.get(f"{base}/readyz", timeout=5)
            if response.status_code == 200:
                return
            last = response.text
        except requests.RequestException as exc:
            last = str(exc)
        time.sleep(0.3)
    raise RuntimeError(f"the node at {base} was not ready within {seconds:.0f} s: {last}")


# --- The load ------------------------------------------------------------------------------


@dataclass
class Plan:
    """What the clients may ask for, picked once so that both phases ask for the same."""

    token: str
    reads: list[str]
    hot: list[str]
    quotes: list[tuple[str, str]]  # (source slug, a passage of its text)
    cited: list[str]  # proposals to cite for


def _plan(seed: int) -> Plan:
    rng = random.Random(seed)
    slugs = list(Proposal.objects.order_by("id").values_list("slug", flat=True))
    if not slugs:
        raise RuntimeError("The database holds no proposals: generate synthetic data first.")
    reads = []
    for slug in rng.sample(slugs, min(200, len(slugs))):
        reads += [f"/api/v1/proposals/{slug}/", f"/api/v1/proposals/{slug}/history/"]
    for page in range(1, 11):
        reads += [
            f"/api/v1/proposals/?page_size=100&page={page}",
            f"/api/v1/proposals/?page_size=100&page={page}&as_of=2012-06-30",
        ]
    reads += [f"/api/v1/proposals/?q={SEARCH_TEXT}", "/api/v1/changes/", "/api/v1/sources/"]
    quotes = []
    for source in Source.objects.order_by("id")[:20]:
        text = source.text
        for _ in range(20):
            start = rng.randrange(0, max(1, len(text) - QUOTE_LENGTH))
            start = text.find(" ", start) + 1
            passage = text[start : start + QUOTE_LENGTH].rsplit(" ", 1)[0].strip()
            if len(passage) > 40 and "\n" not in passage and text.count(passage) == 1:
                quotes.append((source.slug, passage))
    hot = loadtest.hot_proposals(rng)
    if not hot:
        raise RuntimeError("No proposal may still move: generate synthetic data first.")
    _, token = services.ensure_editor(username=loadtest.EDITOR)
    return Plan(token, reads, hot, quotes, rng.sample(slugs, min(500, len(slugs))))


def _client(number: int, bases: list[str], plan: Plan, deadline: float, tally: Tally) -> None:
    rng = random.Random(number)
    session = requests.Session()
    session.headers["Authorization"] = f"Token {plan.token}"
    today = timezone.localdate().isoformat()
    turn = itertools.count(number)

    def call(method: str, path: str, **kwargs: Any) -> requests.Response | None:
        base = bases[next(turn) % len(bases)]  # every client spreads its requests over the nodes
        started = time.perf_counter()
        try:
            response = session.request(method, base + path, timeout=30, **kwargs)
        except requests.RequestException as exc:
            with tally.lock:
                tally.errors.append(f"{method} {base}{path}: {exc}")
            return None
        tally.record(base, time.perf_counter() - started, response.status_code)
        return response

    while time.monotonic() < deadline:
        draw = rng.random()
        if draw < READ_SHARE:
            call("GET", rng.choice(plan.reads))
        elif draw < READ_SHARE + TRANSITION_SHARE:
            slug = rng.choice(plan.hot)
            read = call("GET", f"/api/v1/proposals/{slug}/")
            if read is None or read.status_code != 200:
                continue
            move = loadtest.next_move(read.json())
            if move is None:
                continue
            to_status, evidence = move
            response = call(
                "POST",
                f"/api/v1/proposals/{slug}/transitions/",
                json={
                    "to_status": to_status,
                    "note": f"Cluster run, client {number}.",
                    "effective_date": today,
                    "evidence": evidence,
                },
                headers={"If-Match": read.headers.get("ETag", "")},
            )
            if response is not None and response.status_code == 201:
                with tally.lock:
                    tally.transitions.append((slug, response.json()["id"]))
        elif plan.quotes:
            source, quote = rng.choice(plan.quotes)
            response = call(
                "POST",
                "/api/v1/citations/",
                json={
                    "proposal": rng.choice(plan.cited),
                    "source": source,
                    "quote": quote,
                    "locator": "cluster run",
                    "role": "context",
                },
            )
            if response is not None and response.status_code == 201:
                with tally.lock:
                    tally.citations.append(response.json()["id"])


def _load(bases: list[str], plan: Plan, duration: float, threads: int) -> tuple[Tally, float]:
    """WARMUP seconds of load, then `duration` measured seconds; the tally of the measured ones.

    The warm-up's writes count too (their 201s must be in the history, their events delivered).
    """
    warm, _ = _run_clients(bases, plan, WARMUP, threads)
    tally, seconds = _run_clients(bases, plan, duration, threads)
    tally.transitions[:0] = warm.transitions
    tally.citations[:0] = warm.citations
    return tally, seconds


def _run_clients(
    bases: list[str], plan: Plan, duration: float, threads: int
) -> tuple[Tally, float]:
    tally = Tally()
    deadline = time.monotonic() + duration
    started = time.monotonic()
    pool = [
        threading.Thread(target=_client, args=(n, bases, plan, deadline, tally), daemon=True)
        for n in range(threads)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=duration + 60)
    return tally, time.monotonic() - started


# --- The checks of shared state --------------------------------------------------------------


def _race(
    bases: list[str], token: str, slug: str, etag: str, body: dict[str, Any]
) -> tuple[Counter, list[tuple[str, int]]]:
    """Send RACERS copies of one transition with one If-Match at once, alternately to each node."""
    barrier = threading.Barrier(RACERS)
    statuses: Counter = Counter()
    created: list[tuple[str, int]] = []
    lock = threading.Lock()

    def racer(number: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        barrier.wait()
        response = session.post(
            f"{bases[number % len(bases)]}/api/v1/proposals/{slug}/transitions/",
            json={**body, "note": f"Race, editor {number}."},
            headers={"If-Match": etag},
            timeout=30,
        )
        with lock:
            statuses[response.status_code] += 1
            if response.status_code == 201:
                created.append((slug, response.json()["id"]))

    racers = [threading.Thread(target=racer, args=(number,)) for number in range(RACERS)]
    for thread in racers:
        thread.start()
    for thread in racers:
        thread.join(timeout=60)
    return statuses, created


def _races(bases: list[str], plan: Plan) -> dict[str, Any]:
    """Race on RACES proposals, one after the other."""
    reader = requests.Session()
    reader.headers["Authorization"] = f"Token {plan.token}"
    today = timezone.localdate().isoformat()
    outcomes: list[Counter] = []
    created: list[tuple[str, int]] = []
    for slug in plan.hot[:RACES]:
        read = reader.get(f"{bases[0]}/api/v1/proposals/{slug}/", timeout=30)
        move = loadtest.next_move(read.json()) if read.status_code == 200 else None
        if move is None:
            continue
        to_status, evidence = move
        body = {"to_status": to_status, "effective_date": today, "evidence": evidence}
        statuses, winners = _race(bases, plan.token, slug, read.headers.get("ETag", ""), body)
        outcomes.append(statuses)
        created += winners
    return {
        "races": len(outcomes),
        "racers": RACERS,
        "one_winner_each": bool(outcomes)
        and all(o[201] == 1 and o[412] == RACERS - 1 for o in outcomes),
        "statuses": [dict(sorted(o.items())) for o in outcomes],
        "created": created,
    }


def _anonymous_limit(bases: list[str]) -> dict[str, Any]:
    """Ask anonymously, alternately to each node, until well past the limit."""
    session = requests.Session()
    statuses: dict[str, Counter] = defaultdict(Counter)
    for number in range(2 * ANON_LIMIT + 2 * len(bases)):
        base = bases[number % len(bases)]
        statuses[base][session.get(f"{base}/api/v1/statuses/", timeout=30).status_code] += 1
    allowed = sum(counts[200] for counts in statuses.values())
    refused_by_each = all(counts[429] > 0 for counts in statuses.values())
    return {
        "limit_per_minute": ANON_LIMIT,
        "allowed": allowed,
        "per_node": {base: dict(sorted(counts.items())) for base, counts in statuses.items()},
        "refused_by_every_node": refused_by_each,
        "shared": refused_by_each and allowed <= ANON_LIMIT,
    }


def _subscribe(base: str, token: str, receiver: Receiver) -> bool:
    """Subscribe the receiver to the load's events; False when webhooks are not installed."""
    if "webhooks" not in settings.INSTALLED_APPS:
        return False
    _unsubscribe_earlier_runs(base, token)
    response = requests.post(
        f"{base}/api/v1/webhooks/",
        json={"url": receiver.url, "events": list(WEBHOOK_EVENTS)},
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    if response.status_code != 201:
        raise RuntimeError(
            f"subscribing the receiver failed: {response.status_code} {response.text}"
        )
    receiver.secret = response.json()["secret"]
    return True


def _unsubscribe_earlier_runs(base: str, token: str) -> None:
    """Remove the subscriptions an earlier run left in the database (a run that was stopped, or
    the previous one): their receivers are gone, and their secrets are not this receiver's."""
    headers = {"Authorization": f"Token {token}"}
    while True:  # the first page again, until it is empty
        page = requests.get(f"{base}/api/v1/webhooks/", headers=headers, timeout=30)
        page.raise_for_status()
        subscriptions = page.json()["results"]
        if not subscriptions:
            return
        for subscription in subscriptions:
            requests.delete(
                f"{base}/api/v1/webhooks/{subscription['id']}/", headers=headers, timeout=30
            ).raise_for_status()


# --- The run -----------------------------------------------------------------------------------


def run(
    *,
    database_url: str,
    redis_url: str,
    ports: tuple[int, int],
    receiver_port: int,
    duration: float = 60,
    compare_duration: float = 60,
    threads: int = 8,
    seed: int = 0,
) -> dict[str, Any]:
    """Both phases and the checks; returns the report."""
    duration = min(duration, MAX_DURATION)
    compare_duration = min(compare_duration, MAX_DURATION)
    threads = min(threads, MAX_THREADS)
    plan = _plan(seed)
    connection.close()  # the nodes and workers open their own
    env = _environment(database_url, redis_url)
    bases = [f"http://{HOST}:{port}" for port in ports]
    report: dict[str, Any] = {"threads": threads, "nodes": bases, "database": "postgresql"}
    workers = [_start_worker(number, env) for number in (1, 2)]
    # The receiver is subscribed before the first phase, so that both phases carry the same
    # work (each change also queues a delivery that a worker sends): the comparison of their
    # throughput is then a comparison of the layouts alone.
    with Receiver(receiver_port) as receiver:
        subscribed = False
        created: list = []
        citations: list = []
        try:
            if compare_duration > 0:
                single = _start_node(ports[0], 2, env)
                try:
                    _wait_ready(bases[0], single)
                    subscribed = _subscribe(bases[0], plan.token, receiver)
                    tally, seconds = _load(bases[:1], plan, compare_duration, threads)
                finally:
                    _stop([single])
                report["one_node_two_workers"] = {
                    "seconds": round(seconds, 1),
                    **tally.figures(seconds),
                }
                created += tally.transitions
                citations += tally.citations
            nodes = [_start_node(port, 1, env) for port in ports]
            try:
                for base, node in zip(bases, nodes, strict=True):
                    _wait_ready(base, node)
                if compare_duration <= 0:
                    subscribed = _subscribe(bases[0], plan.token, receiver)
                tally, seconds = _load(bases, plan, duration, threads)
                report["two_nodes_one_worker_each"] = {
                    "seconds": round(seconds, 1),
                    **tally.figures(seconds),
                }
                races = _races(bases, plan)
                report["races"] = {key: value for key, value in races.items() if key != "created"}
                report["anonymous_limit"] = _anonymous_limit(bases)
                created += tally.transitions + races["created"]
                citations += tally.citations
                expected = {("status_change.created", change) for _, change in created}
                expected |= {("citation.created", citation) for citation in citations}
                if subscribed:
                    deadline = time.monotonic() + WEBHOOK_WAIT
                    while time.monotonic() < deadline and not receiver.received(expected):
                        time.sleep(1)
                    time.sleep(3)  # a late repeat would show as a repeated event
                    report["webhooks"] = receiver.report(expected)
                else:
                    report["webhooks"] = None
            finally:
                _stop(nodes)
        finally:
            _stop(workers)
    connection.connect()
    report["lost_updates"] = loadtest.lost_updates(created)
    one = report.get("one_node_two_workers", {}).get("total", {}).get("requests_per_second")
    two = report["two_nodes_one_worker_each"]["total"]["requests_per_second"]
    report["throughput_two_nodes_vs_one"] = round(two / one, 2) if one else None
    report["passed"] = _passed(report)
    return report


def _passed(report: dict[str, Any]) -> dict[str, bool]:
    phases = [
        report[key]
        for key in ("one_node_two_workers", "two_nodes_one_worker_each")
        if key in report
    ]
    webhooks = report["webhooks"]
    ratio = report["throughput_two_nodes_vs_one"]
    return {
        "no_5xx": all(phase["total"]["server_errors"] == 0 for phase in phases),
        "no_lost_update": not report["lost_updates"]["missing"]
        and not report["lost_updates"]["broken_histories"],
        "one_winner_per_race": report["races"]["one_winner_each"],
        "shared_anonymous_limit": report["anonymous_limit"]["shared"],
        "webhooks_once": webhooks is None
        or (
            webhooks["missing"] == 0
            and webhooks["repeated_events"] == 0
            and webhooks["bad_signatures"] == 0
        ),
        "two_nodes_at_least_90_percent": ratio is None or ratio >= 0.9,
    }


def table(report: dict[str, Any]) -> str:
    """The figures per phase and node, then the checks."""
    header = (
        f"{'phase':<26} {'node':<22} {'requests':>8} {'req/s':>7} {'p50':>7} {'p95':>7} "
        f"{'p99':>7} {'5xx':>4}"
    )
    lines = [header, "-" * len(header)]
    for key, label in (
        ("one_node_two_workers", "one node, 2 workers"),
        ("two_nodes_one_worker_each", "two nodes, 1 worker each"),
    ):
        phase = report.get(key)
        if not phase:
            continue
        rows = [*phase["per_node"].items(), ("total", phase["total"])]
        for number, (node, figures) in enumerate(rows):
            lines.append(
                f"{label if number == 0 else '':<26} {node:<22} {figures['requests']:>8} "
                f"{figures['requests_per_second'] or 0:>7.1f} {figures['p50_ms'] or 0:>7.1f} "
                f"{figures['p95_ms'] or 0:>7.1f} {figures['p99_ms'] or 0:>7.1f} "
                f"{figures['server_errors']:>4}"
            )
    lines.append("")
    ratio = report["throughput_two_nodes_vs_one"]
    lost = report["lost_updates"]
    races = report["races"]
    limit = report["anonymous_limit"]
    webhooks = report["webhooks"]
    passed = report["passed"]

    def verdict(name: str) -> str:
        return "yes" if passed[name] else "NO"

    lines += [
        f"two nodes / one node (req/s): {ratio if ratio is not None else '-'} (at least 0.9): "
        f"{verdict('two_nodes_at_least_90_percent')}",
        f"lost updates: {lost['missing']} missing 201s, {len(lost['broken_histories'])} broken "
        f"histories: {verdict('no_lost_update')}",
        f"racing transitions: {races['races']} races of {races['racers']} across the nodes, one "
        f"201 and the rest 412 each: {verdict('one_winner_per_race')}",
        f"anonymous limit {limit['limit_per_minute']}/minute: {limit['allowed']} allowed over "
        f"both nodes, refused by every node: {limit['refused_by_every_node']}; one shared limit: "
        f"{verdict('shared_anonymous_limit')}",
    ]
    if webhooks is None:
        lines.append("webhooks: not installed, no deliveries measured")
    else:
        lines.append(
            f"webhooks: {webhooks['expected']} events, {webhooks['delivered_once']} delivered "
            f"once, {webhooks['missing']} missing, {webhooks['repeated_events']} repeated, "
            f"{webhooks['bad_signatures']} bad signatures: {verdict('webhooks_once')}"
        )
    return "\n".join(lines)


def write_json(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
