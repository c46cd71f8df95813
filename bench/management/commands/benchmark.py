import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import runner, synthetic


class Command(BaseCommand):
    help = (
        "Time the API, site and admin pages through the test client against their floor views; "
        "print a table and write JSON. Writes a few status changes: use a synthetic database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=40, help="Timed requests per endpoint.")
        parser.add_argument("--warmup", type=int, default=5, help="Untimed requests first.")
        parser.add_argument(
            "--only", action="append", help="Measure this endpoint only (repeatable)."
        )
        parser.add_argument("--output", default="bench-results/benchmark.json")
        parser.add_argument(
            "--baseline", help="JSON of an earlier run at a smaller size: report as-of growth."
        )
        parser.add_argument(
            "--targets",
            choices=("default", "scale"),
            default="default",
            help="'scale': the stricter targets of a run at 100,000 proposals on PostgreSQL.",
        )
        parser.add_argument(
            "--no-gc-freeze",
            action="store_true",
            help="Leave the cyclic GC as Python starts it (gunicorn.conf.py freezes it).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even on a database with real data."
        )

    def handle(self, *args, **options):
        if not options["force"]:
            reason = synthetic.refusal(seeds_dir=settings.SEEDS_DIR, top_up=True)
            if reason:
                raise CommandError(f"Refusing to benchmark (it records transitions): {reason}")
        unknown = set(options["only"] or ()) - set(runner.NAMES)
        if unknown:
            known = ", ".join(runner.NAMES)
            raise CommandError(f"Unknown endpoint(s) {', '.join(sorted(unknown))}; known: {known}.")
        baseline = None
        if options["baseline"]:
            try:
                baseline = json.loads(Path(options["baseline"]).read_text())
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read the baseline: {exc}") from exc
        bench_options = runner.Options(
            repeat=options["repeat"],
            warmup=options["warmup"],
            gc_freeze=not options["no_gc_freeze"],
            only=set(options["only"]) if options["only"] else None,
            log=self.stdout.write,
            scale=options["targets"] == "scale",
        )
        summary = runner.database_summary()
        self.stdout.write(
            f"Benchmark on {summary['vendor']}: {summary['proposals']} proposals, "
            f"{summary['status_changes']} status changes, {summary['citations']} citations; "
            f"{bench_options.warmup} warm-up and {bench_options.repeat} timed requests each, "
            f"gc.freeze {'on' if bench_options.gc_freeze else 'off'}."
        )
        with runner.environment(bench_options):
            results = runner.run(bench_options)
        found = runner.extras(results, baseline, bench_options)
        self.stdout.write("")
        self.stdout.write(runner.table(results, found))
        output = Path(options["output"])
        runner.write_json(output, results, summary, found, bench_options)
        self.stdout.write(f"\nFigures written to {output}.")
