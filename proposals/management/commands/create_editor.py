from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from proposals.services import ensure_editor


def missing_database_problem() -> str | None:
    """Why the database cannot hold editors yet (absent, or not migrated), or None."""
    connection = connections[DEFAULT_DB_ALIAS]
    name = connection.settings_dict["NAME"]
    if (
        connection.vendor == "sqlite"
        and not connection.is_in_memory_db()
        and not Path(str(name)).exists()
    ):
        # Connecting would leave an empty file behind.
        return f"There is no database at {name}."
    if "auth_user" not in connection.introspection.table_names():
        return f"The database {name} has no tables yet."
    return None


class Command(BaseCommand):
    help = "Create (or update) an editor and print its API token as the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="Set this password (for admin logins).")

    def handle(self, *args, **options):
        problem = missing_database_problem()
        if problem:
            raise CommandError(
                f"{problem} For the demo's database run `make editor NAME=...` (after make "
                "demo); otherwise set DATABASE_URL and run `manage.py migrate` first."
            )
        try:
            user, token = ensure_editor(username=options["username"], password=options["password"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Editor {user.username!r} is ready. API token:")
        self.stdout.write(token)
