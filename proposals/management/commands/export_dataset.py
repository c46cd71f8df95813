"""`manage.py export_dataset DIR`: the open data as files; `--snapshot`: the zip /data/ serves."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from proposals import dataset


class Command(BaseCommand):
    help = (
        "Write the open data (one CSV per table, datapackage.json, the sources' texts, README) "
        "into DIR; with --snapshot, also build the zip that /data/ serves."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="Where to write the files.")
        parser.add_argument(
            "--snapshot",
            action="store_true",
            help="Build the downloadable zip in OPEN_DATA_ROOT (what a periodic job runs).",
        )

    def handle(self, *args, **options):
        if not options["directory"] and not options["snapshot"]:
            raise CommandError("Name a directory to write into, or pass --snapshot.")
        if options["directory"]:
            directory = Path(options["directory"])
            if directory.exists() and not directory.is_dir():
                raise CommandError(f"{directory} exists and is not a directory.")
            try:
                files = dataset.write_dataset(directory)
            except OSError as exc:
                raise CommandError(f"Cannot write into {directory}: {exc.strerror}.") from exc
            self.stdout.write(self.style.SUCCESS(f"{len(files)} files written into {directory}."))
        if options["snapshot"]:
            snapshot = dataset.build_snapshot()
            self.stdout.write(
                self.style.SUCCESS(f"Snapshot {snapshot.path.name} ({snapshot.size:,} bytes).")
            )
