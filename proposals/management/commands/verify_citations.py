from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from proposals.verification import verify_all


class Command(BaseCommand):
    help = (
        "Check every revision of every source text against its hash (a seed source's first "
        "revision against seeds/), every quote against its revision at its offsets, and every "
        "status change and position against its proposal's hash chain."
    )

    def handle(self, *args, **options):
        report = verify_all(seeds_dir=settings.SEEDS_DIR)
        for problem in report.problems:
            self.stdout.write(f"FAIL {problem}")
        summary = (
            f"{report.sources_checked} sources, {report.revisions_checked} revisions, "
            f"{report.history_checked} history rows and {report.citations_checked} citations "
            "checked, "
            f"{len(report.problems)} failure(s)."
        )
        if not report.ok:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(f"OK: {summary}"))
