from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from proposals.models import Proposal


class Command(BaseCommand):
    help = (
        "Load fixtures/*.json into a database that holds no proposals yet. A database that "
        "already holds some is left alone, so that edits made in the demo are never overwritten."
    )

    def handle(self, *args, **options):
        files = sorted(str(path) for path in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
        if not files:
            raise CommandError("No fixtures/*.json to load.")
        existing = Proposal.objects.count()
        if existing:
            self.stdout.write(
                f"The database already holds {existing} proposals; the fixtures are not loaded "
                "again, so nothing edited here is overwritten (make demo-reset starts afresh)."
            )
            return
        call_command("loaddata", *files, stdout=self.stdout)
