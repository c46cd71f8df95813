"""`manage.py import_transitions FILE [--dry-run]`: bulk status changes from the shell."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from proposals import bulk, errors, exports


class Command(BaseCommand):
    help = (
        "Record the status changes of a bulk file (.csv, .json or .xlsx: the proposals download "
        "with its bulk columns filled in), all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv, .json or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and write nothing."
        )
        parser.add_argument("--user", help="The editor recorded as having made the changes.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        try:
            data = path.read_bytes()
            rows = bulk.rows_from_file(
                path.name, data, other_columns=exports.proposal_download_columns()
            )
            result = bulk.apply_transitions(rows=rows, user=user, dry_run=options["dry_run"])
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        except errors.DomainError as exc:
            raise CommandError(exc.message) from exc
        for row in result.rows:
            if not row.ok:
                self.stdout.write(
                    f"row {row.row} ({row.slug or 'no slug'}): {'; '.join(row.errors)}"
                )
            elif not row.skipped:
                verb = "would move" if result.dry_run else "moved"
                self.stdout.write(f"row {row.row} ({row.slug}): {verb}")
        failed = [row for row in result.rows if not row.ok]
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(result.rows)} rows refused: nothing was written."
            )
        moved = len(result.moved)
        if result.dry_run:
            summary = f"Dry run: {moved} proposals would move; nothing was written."
        else:
            summary = f"{moved} proposals moved; {len(result.rows) - moved} rows left as they were."
        self.stdout.write(self.style.SUCCESS(summary))
