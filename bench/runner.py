"""
The benchmark: each page timed through Django's test client against its floor view.

For every measured endpoint: warm-up requests, then `repeat` timed ones; the median and the 95th
percentile; the queries of one more request; and the ratio of its median to its floor's (see
`bench.floor`). Nothing here asserts anything: it prints a table and writes JSON.
"""

from __future__ import annotations

import datetime
import gc
import itertools
import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from proposals import services, workflow
from proposals.models import Actor, Citation, Proposal, Source, StatusChange

AS_OF_DAY = datetime.date(2012, 6, 30)
PAGE_SIZE = 100
SAMPLES = 20  # proposals (and sources) that detail pages cycle through
EDITOR = "bench-editor"

# Kinds of endpoint and the ratio to their floor each should stay within.
TARGETS = {"api-list": 3.0, "api-detail": 3.0, "api-history": 3.0, "site": 4.0}
# At 100,000 proposals on PostgreSQL (--targets scale), the API's lists and details come closer.
SCALE_TARGETS = {**TARGETS, "api-list": 1.5, "api-detail": 1.5}
# Text search: a place name, in about 2% of the synthetic summaries, as a visitor would look for
# one (held to the target); and a word of the small summary vocabulary, in about a third of them,
# printed for what it costs: its exact count must visit every match, which no index spares.
SEARCH_TEXT = "Kinmen"
COMMON_SEARCH_TEXT = "coast"
SEARCH_VS_LIST_FLOOR_TARGET = 2.0
NAMES = (
    "api list",
    "api list status",
    "api list q",
    "api list q common",
    "api list as_of",
    "api detail",
    "api history",
    "api transition",
    "site home",
    "site list",
    "site proposal",
    "site source",
    "site board",
    "admin changelist",
)
AS_OF_VS_PLAIN_TARGET = 2.0
AS_OF_GROWTH_TARGET = 2.0
SCALE_AS_OF_VS_PLAIN_TARGET = 1.2
SCALE_AS_OF_GROWTH_TARGET = 1.3  # from 10,000 to 100,000 proposals

Request = Callable[[int], Any]  # iteration number -> response


@dataclass
class Measurement:
    """The figures of one endpoint (and of its floor, when it has one)."""

    name: str
    kind: str
    path: str
    median_ms: float
    p95_ms: float
    queries: int
    floor_path: str | None = None
    floor_median_ms: float | None = None
    floor_p95_ms: float | None = None
    floor_queries: int | None = None
    target: float | None = None
    samples: list[float] = field(default_factory=list, repr=False)

    @property
    def ratio(self) -> float | None:
        if not self.floor_median_ms:
            return None
        return self.median_ms / self.floor_median_ms

    @property
    def met(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        return self.ratio <= self.target

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("samples")
        data.update(ratio=self.ratio, met=self.met)
        return data


@dataclass
class Options:
    repeat: int = 40
    warmup: int = 5
    gc_freeze: bool = True
    only: set[str] | None = None  # names of the endpoints to measure; None for all
    log: Callable[[str], Any] = print
    scale: bool = False  # the stricter targets of a run at 100,000 proposals

    @property
    def targets(self) -> dict[str, float]:
        return SCALE_TARGETS if self.scale else TARGETS

    @property
    def as_of_targets(self) -> tuple[float, float]:
        """The as-of list's targets: against the plain list, and against the baseline's size."""
        if self.scale:
            return SCALE_AS_OF_VS_PLAIN_TARGET, SCALE_AS_OF_GROWTH_TARGET
        return AS_OF_VS_PLAIN_TARGET, AS_OF_GROWTH_TARGET


def _time_one(request: Request, index: int) -> float:
    started = time.perf_counter()
    response = request(index)
    elapsed = (time.perf_counter() - started) * 1000
    _check(response)
    return elapsed


def _check(response: Any) -> None:
    if response.status_code >= 400:
        body = getattr(response, "content", b"")[:500]
        raise RuntimeError(f"{response.status_code} from {response.wsgi_request.path}: {body!r}")


def _count_queries(request: Request, index: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        _check(request(index))
    return len(captured.captured_queries)


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def measure(
    name: str,
    kind: str,
    path: str,
    request: Request,
    options: Options,
    *,
    floor_path: str | None = None,
    floor: Request | None = None,
) -> Measurement:
    """Time `request` and its `floor`, interleaved so that both see the same machine state."""
    for index in range(options.warmup):
        _check(request(index))
        if floor is not None:
            _check(floor(index))
    samples: list[float] = []
    floor_samples: list[float] = []
    for index in range(options.warmup, options.warmup + options.repeat):
        samples.append(_time_one(request, index))
        if floor is not None:
            floor_samples.append(_time_one(floor, index))
    last = options.warmup + options.repeat
    result = Measurement(
        name=name,
        kind=kind,
        path=path,
        median_ms=statistics.median(samples),
        p95_ms=_p95(samples),
        queries=_count_queries(request, last),
        target=options.targets.get(kind),
        samples=samples,
    )
    if floor is not None:
        result.floor_path = floor_path
        result.floor_median_ms = statistics.median(floor_samples)
        result.floor_p95_ms = _p95(floor_samples)
        result.floor_queries = _count_queries(floor, last)
    return result


# --- What is measured -----------------------------------------------------------------------


@dataclass
class Subjects:
    """The rows the endpoints are measured on, picked once, evenly across the table."""

    proposals: list[str]
    sources: list[str]
    actors: list[str]
    movable: Iterator[tuple[str, int, str, list[int]]]


def _spread(values: list[Any], count: int) -> list[Any]:
    if not values:
        raise RuntimeError("The database holds no data: run generate_synthetic first.")
    step = max(1, len(values) // count)
    return values[::step][:count]


def _movable(today: datetime.date) -> Iterator[tuple[str, int, str, list[int]]]:
    """Proposals that may still move: (slug, version, next status, evidence ids), each once."""
    open_statuses = [s for s in workflow.Status.values if not workflow.is_terminal(s)]
    rows = (
        Proposal.objects.filter(status__in=open_statuses, status_since__lte=today)
        .order_by("id")
        .values_list("id", "slug", "version", "status")
    )
    # A list, not .iterator(): callers stop early, and on PostgreSQL an abandoned server-side
    # cursor is closed whenever the generator is collected, inside whatever transaction runs then.
    for proposal_id, slug, version, status in list(rows):
        to_status = workflow.allowed_next(status)[0]
        evidence: list[int] = []
        if workflow.requires_evidence(to_status):
            evidence = list(
                Citation.objects.filter(proposal_id=proposal_id).values_list("id", flat=True)[:1]
            )
        yield slug, version, to_status, evidence


def pick_subjects() -> Subjects:
    slugs = list(Proposal.objects.order_by("id").values_list("slug", flat=True))
    sources = list(Source.objects.order_by("id").values_list("slug", flat=True))
    actors = list(Actor.objects.order_by("id").values_list("slug", flat=True))
    return Subjects(
        proposals=_spread(slugs, SAMPLES),
        sources=_spread(sources, SAMPLES),
        actors=_spread(actors, SAMPLES),
        movable=_movable(timezone.localdate()),
    )


def _cycle(values: list[str]) -> Callable[[int], str]:
    return lambda index: values[index % len(values)]


def run(options: Options) -> list[Measurement]:
    """Measure every endpoint on the configured database; return the measurements."""
    subjects = pick_subjects()
    anon = APIClient()
    editor_user, token = services.ensure_editor(username=EDITOR)
    editor = APIClient()
    editor.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    admin = Client()
    admin.force_login(editor_user)
    site = Client()
    proposal, source = _cycle(subjects.proposals), _cycle(subjects.sources)
    day = AS_OF_DAY.isoformat()
    results: list[Measurement] = []

    def want(name: str) -> bool:
        return options.only is None or name in options.only

    def get(client: Client, path: Callable[[int], str]) -> Request:
        return lambda index: client.get(path(index))

    def add(name: str, kind: str, path: Callable[[int], str], floor: Callable[[int], str] | None):
        if not want(name):
            return
        options.log(f"  measuring {name} ...")
        results.append(
            measure(
                name,
                kind,
                path(0),
                get(site if kind == "site" else anon, path),
                options,
                floor_path=floor(0) if floor else None,
                floor=get(anon, floor) if floor else None,
            )
        )

    list_query = f"page_size={PAGE_SIZE}"
    api = "/api/v1/proposals/"
    floor_list = "/__floor__/proposals/"
    add(
        "api list",
        "api-list",
        lambda i: f"{api}?{list_query}",
        lambda i: f"{floor_list}?{list_query}",
    )
    add(
        "api list status",
        "api-list",
        lambda i: f"{api}?{list_query}&status=stalled",
        lambda i: f"{floor_list}?{list_query}&status=stalled",
    )
    add(
        "api list q",
        "api-list",
        lambda i: f"{api}?{list_query}&q={SEARCH_TEXT}",
        lambda i: f"{floor_list}?{list_query}&q={SEARCH_TEXT}",
    )
    add(
        "api list q common",
        "api-list",
        lambda i: f"{api}?{list_query}&q={COMMON_SEARCH_TEXT}",
        lambda i: f"{floor_list}?{list_query}&q={COMMON_SEARCH_TEXT}",
    )
    add(
        "api list as_of",
        "api-list",
        lambda i: f"{api}?{list_query}&as_of={day}",
        lambda i: f"{floor_list}?{list_query}&as_of={day}",
    )
    add(
        "api detail",
        "api-detail",
        lambda i: f"{api}{proposal(i)}/",
        lambda i: f"/__floor__/proposals/{proposal(i)}/",
    )
    add(
        "api history",
        "api-history",
        lambda i: f"{api}{proposal(i)}/history/",
        lambda i: f"/__floor__/proposals/{proposal(i)}/history/",
    )
    if want("api transition"):
        options.log("  measuring api transition ...")
        results.append(_measure_transition(editor, subjects, options))
    add("site home", "site", lambda i: "/", lambda i: "/__floor__/site/")
    add(
        "site list",
        "site",
        lambda i: f"/proposals/?page={i % 5 + 1}",
        lambda i: f"/__floor__/site/proposals/?page={i % 5 + 1}",
    )
    add(
        "site proposal",
        "site",
        lambda i: f"/proposals/{proposal(i)}/",
        lambda i: f"/__floor__/site/proposals/{proposal(i)}/",
    )
    add(
        "site source",
        "site",
        lambda i: f"/sources/{source(i)}/",
        lambda i: f"/__floor__/site/sources/{source(i)}/",
    )
    add(
        "site board",
        "site",
        lambda i: f"/board/?as_of={day}",
        lambda i: f"/__floor__/site/board/?as_of={day}",
    )
    if want("admin changelist"):
        options.log("  measuring admin changelist ...")
        results.append(
            measure(
                "admin changelist",
                "admin",
                "/admin/proposals/proposal/",
                get(admin, lambda i: "/admin/proposals/proposal/"),
                options,
                floor_path="/__floor__/admin/",
                floor=get(anon, lambda i: "/__floor__/admin/"),
            )
        )
    return results


def _measure_transition(editor: APIClient, subjects: Subjects, options: Options) -> Measurement:
    """POST transitions, each to another proposal that may still move, with its If-Match."""
    today = timezone.localdate().isoformat()
    prepared = list(itertools.islice(subjects.movable, options.warmup + options.repeat + 1))
    if len(prepared) < options.warmup + options.repeat + 1:
        raise RuntimeError("Not enough proposals that may still move to measure transitions.")

    def request(index: int) -> Any:
        slug, version, to_status, evidence = prepared[index]
        return editor.post(
            f"/api/v1/proposals/{slug}/transitions/",
            {
                "to_status": to_status,
                "note": "Benchmark transition.",
                "effective_date": today,
                "evidence": evidence,
            },
            format="json",
            HTTP_IF_MATCH=f'"{version}"',
        )

    return measure(
        "api transition", "write", "/api/v1/proposals/{slug}/transitions/", request, options
    )


# --- Running it -----------------------------------------------------------------------------


def environment(options: Options) -> ExitStack:
    """The settings of a benchmark run: no debug, plain static files, the floor views routed.

    Throttle rates are raised (not removed): the throttles still run, as in production.
    """
    # Not setup_test_environment(): it instruments template rendering (a signal and a copy of the
    # context per template), which production does not pay and which would swamp the site pages.
    stack = ExitStack()
    rates = {"anon": "10000000/minute", "user": "10000000/minute"}
    stack.enter_context(
        override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            ROOT_URLCONF="bench.urls",
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
            SECURE_SSL_REDIRECT=False,
            AXES_ENABLED=False,
            REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates},
        )
    )
    if options.gc_freeze:
        # What gunicorn.conf.py does in each worker after start-up.
        gc.collect()
        gc.freeze()
    return stack


def database_summary() -> dict[str, Any]:
    return {
        "vendor": connection.vendor,
        "proposals": Proposal.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "citations": Citation.objects.count(),
        "sources": Source.objects.count(),
        "actors": Actor.objects.count(),
    }


def _fmt(value: float | None, suffix: str = "") -> str:
    return "-" if value is None else f"{value:.1f}{suffix}"


def table(results: list[Measurement], extras: list[tuple[str, float | None, float | None]]) -> str:
    """The results as a fixed-width table, the targets beside the ratios."""
    header = (
        f"{'endpoint':<18} {'median ms':>9} {'p95 ms':>8} {'queries':>7} "
        f"{'floor ms':>8} {'floor p95':>9} {'floor q':>7} {'ratio':>6} {'target':>7}  met"
    )
    lines = [header, "-" * len(header)]
    for item in results:
        met = {True: "yes", False: "NO", None: "-"}[item.met]
        target = f"<={item.target:g}x" if item.target else "-"
        lines.append(
            f"{item.name:<18} {item.median_ms:>9.1f} {item.p95_ms:>8.1f} {item.queries:>7} "
            f"{_fmt(item.floor_median_ms):>8} {_fmt(item.floor_p95_ms):>9} "
            f"{item.floor_queries if item.floor_queries is not None else '-':>7} "
            f"{_fmt(item.ratio, 'x'):>6} {target:>7}  {met}"
        )
    if extras:
        lines.append("")
    for label, ratio, target in extras:
        if target is None:  # printed for what it costs, held to no target
            lines.append(f"{label:<58} {_fmt(ratio, 'x'):>6} {'-':>7}  -")
            continue
        met = "-" if ratio is None else ("yes" if ratio <= target else "NO")
        lines.append(f"{label:<58} {_fmt(ratio, 'x'):>6} {f'<={target:g}x':>7}  {met}")
    return "\n".join(lines)


def extras(
    results: list[Measurement], baseline: dict | None, options: Options | None = None
) -> list[tuple[str, float | None, float | None]]:
    """The as-of targets (against the plain list, growth from the baseline's size) and search's."""
    as_of_vs_plain, as_of_growth = (options or Options()).as_of_targets
    by_name = {item.name: item for item in results}
    found = []
    if "api list as_of" in by_name and "api list" in by_name:
        ratio = by_name["api list as_of"].median_ms / by_name["api list"].median_ms
        found.append(("as-of list / plain list (median)", ratio, as_of_vs_plain))
    if baseline and "api list as_of" in by_name:
        before = {item["name"]: item for item in baseline["results"]}.get("api list as_of")
        if before:
            now = database_summary()["proposals"]
            label = f"as-of list at {now} / at {baseline['database']['proposals']} proposals"
            ratio = by_name["api list as_of"].median_ms / before["median_ms"]
            found.append((label, ratio, as_of_growth))
    plain = by_name.get("api list")
    for name, label, target in (
        ("api list q", f"search {SEARCH_TEXT!r} / plain list floor", SEARCH_VS_LIST_FLOOR_TARGET),
        ("api list q common", f"search {COMMON_SEARCH_TEXT!r} (a third match) / floor", None),
    ):
        if name in by_name and plain is not None and plain.floor_median_ms:
            ratio = by_name[name].median_ms / plain.floor_median_ms
            found.append((label, ratio, target))
    return found


def write_json(
    path: Path, results: list[Measurement], summary: dict, found: list, options: Options
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "database": summary,
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "repeat": options.repeat,
        "warmup": options.warmup,
        "gc_freeze": options.gc_freeze,
        "targets": {
            **options.targets,
            "as_of_vs_plain": options.as_of_targets[0],
            "as_of_growth": options.as_of_targets[1],
            "search_vs_list_floor": SEARCH_VS_LIST_FLOOR_TARGET,
        },
        "results": [item.as_dict() for item in results],
        "as_of": [
            {"label": label, "ratio": ratio, "target": target} for label, ratio, target in found
        ],
    }
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
