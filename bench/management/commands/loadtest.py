import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import synthetic


class Command(BaseCommand):
    help = (
        "Serve with gunicorn on 127.0.0.1 and load it for a bounded time with a threaded client "
        "(95% reads, 5% transitions); report requests/s, p50/p99, errors and lost updates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=float, default=30, help="Seconds (at most 300).")
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--output", default="bench-results/loadtest.json")
        parser.add_argument(
            "--force", action="store_true", help="Run even on a database with real data."
        )

    def handle(self, *args, **options):
        try:
            # requests is a development dependency: say so rather than fail on import.
            from bench import loadtest
        except ImportError as exc:
            raise CommandError(
                f"The load run needs the dev extra (pip install -e '.[dev]'): {exc}"
            ) from exc
        if connection.vendor != "postgresql":
            raise CommandError(
                "The load run needs PostgreSQL (concurrent writers): set DATABASE_URL to a "
                "throw-away database, such as postgres://postgres@127.0.0.1:5432/bench."
            )
        if not options["force"]:
            reason = synthetic.refusal(seeds_dir=settings.SEEDS_DIR, top_up=True)
            if reason:
                raise CommandError(f"Refusing to load (it records transitions): {reason}")
        try:
            report = loadtest.run(
                database_url=_database_url(),
                duration=options["duration"],
                threads=options["threads"],
                workers=options["workers"],
                port=options["port"],
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        output = Path(options["output"])
        loadtest.write_json(output, report)
        lost = report["lost_updates"]
        self.stdout.write(
            f"{report['requests']} requests in {report['seconds']} s with {report['threads']} "
            f"threads against {report['workers']} gunicorn workers on {report['database']}:\n"
            f"  {report['requests_per_second']} requests/s, p50 {report['p50_ms']} ms, "
            f"p99 {report['p99_ms']} ms\n"
            f"  statuses {report['statuses']}; transitions {report['transitions']}\n"
            f"  5xx: {report['server_errors']}, unexpected 4xx: {report['client_errors']}, "
            f"connection errors: {report['connection_errors']}\n"
            f"  lost updates: {lost['missing']} missing 201s, "
            f"{len(lost['broken_histories'])} broken histories\n"
            f"Figures written to {output}."
        )
        if report["server_errors"] or lost["missing"] or lost["broken_histories"]:
            raise CommandError("The load run saw server errors or lost updates.")


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise CommandError("Set DATABASE_URL: the server must use the same database.")
    return url
