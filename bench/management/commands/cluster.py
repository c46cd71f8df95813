import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import synthetic


def _ports(value: str) -> tuple[int, int]:
    try:
        first, second = (int(port) for port in value.split(","))
    except ValueError:
        raise CommandError(
            f"--ports takes two ports separated by a comma, not {value!r}."
        ) from None
    return first, second


class Command(BaseCommand):
    help = (
        "On 127.0.0.1: one gunicorn node with two workers, then two nodes with one worker each, "
        "against one PostgreSQL database and one Redis, with two RQ task workers and a webhook "
        "receiver; a bounded load over the nodes (reads, transitions with If-Match, citations); "
        "report per node and in total, and check racing transitions, the shared rate limit, lost "
        "updates and webhook deliveries."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--duration", type=float, default=60, help="Seconds of load on two nodes (<= 300)."
        )
        parser.add_argument(
            "--compare-duration",
            type=float,
            default=60,
            help="Seconds of the same load on one node with two workers first (0: skip).",
        )
        parser.add_argument("--threads", type=int, default=8, help="Client threads.")
        parser.add_argument("--ports", default="8001,8002", help="The two nodes' ports.")
        parser.add_argument("--receiver-port", type=int, default=8009)
        parser.add_argument("--output", default="bench-results/cluster.json")
        parser.add_argument(
            "--force", action="store_true", help="Run even on a database with real data."
        )

    def handle(self, *args, **options):
        try:
            # requests is a development dependency: say so rather than fail on import.
            from bench import cluster
        except ImportError as exc:
            raise CommandError(
                f"The cluster run needs the dev extra (pip install -e '.[dev]'): {exc}"
            ) from exc
        if connection.vendor != "postgresql":
            raise CommandError(
                "The cluster run needs PostgreSQL: set DATABASE_URL to a throw-away database, "
                "such as postgres://postgres@127.0.0.1:5432/cluster."
            )
        database_url = os.environ.get("DATABASE_URL")
        if not database_url:
            raise CommandError("Set DATABASE_URL: the nodes must use the same database.")
        if not options["force"]:
            reason = synthetic.refusal(seeds_dir=settings.SEEDS_DIR, top_up=True)
            if reason:
                raise CommandError(f"Refusing to load (it records transitions): {reason}")
        try:
            report = cluster.run(
                database_url=database_url,
                redis_url=cluster.redis_url(),
                ports=_ports(options["ports"]),
                receiver_port=options["receiver_port"],
                duration=options["duration"],
                compare_duration=options["compare_duration"],
                threads=options["threads"],
            )
        except (RuntimeError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        output = Path(options["output"])
        cluster.write_json(output, report)
        self.stdout.write(cluster.table(report))
        self.stdout.write(f"Figures written to {output}.")
        failed = [name for name, ok in report["passed"].items() if not ok]
        if failed:
            raise CommandError(f"The cluster run failed: {', '.join(failed)}.")
