"""Write everything needed to restore the tracker into one file: `manage.py loaddata` reads it."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# Rebuilt by `migrate` (content types, permissions) or worthless after a restore (sessions,
# login attempts); everything else is data, the admin log (the record of source and actor
# edits) included.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


class Command(BaseCommand):
    help = (
        "Dump every table needed to restore (the admin log, users and tokens included) as XML, "
        "which keeps timestamps to the microsecond; restore with loaddata into a migrated "
        "database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", help="The file to write, such as backup.xml.")

    def handle(self, *args, **options) -> None:
        # JSON and YAML would cut timestamps to the millisecond; XML writes them in full.
        call_command(
            "dumpdata",
            *[arg for app in EXCLUDED for arg in ("--exclude", app)],
            "--natural-foreign",
            "--natural-primary",
            "--format",
            "xml",
            "--output",
            options["output"],
            verbosity=0,
        )
        self.stdout.write(f"Backup written to {options['output']}.")
