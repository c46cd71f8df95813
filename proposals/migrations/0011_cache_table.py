"""
The database cache table: the shared cache of throttles when Redis is not configured.

Created here (rather than by `createcachetable`) so that `migrate` alone prepares a database.
"""

from django.conf import settings
from django.db import migrations

TABLE = getattr(settings, "CACHE_TABLE", "tracker_cache")


def create_table(apps, schema_editor):
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0010_proposal_text_search")]

    operations = [migrations.RunPython(create_table, drop_table)]
