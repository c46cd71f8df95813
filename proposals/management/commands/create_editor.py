from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from proposals.services import ensure_editor


class Command(BaseCommand):
    help = "Create (or update) an editor and print its API token as the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="Set this password (for admin logins).")

    def handle(self, *args, **options):
        try:
            user, token = ensure_editor(username=options["username"], password=options["password"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Editor {user.username!r} is ready. API token:")
        self.stdout.write(token)
