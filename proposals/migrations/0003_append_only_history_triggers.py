"""
On PostgreSQL, refuse UPDATE and DELETE of history rows in the database itself.

The ORM already refuses them; the trigger also stops raw SQL and other clients. An UPDATE that
changes nothing is let through, so that loading the fixtures twice stays possible. TRUNCATE (how
test databases are emptied) is not affected. Other databases keep the ORM's guard only.
"""

from django.db import migrations

TABLES = ("proposals_statuschange", "proposals_statuschangeevidence")

FUNCTION = """
CREATE OR REPLACE FUNCTION proposals_refuse_history_edit() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The status history is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION proposals_refuse_history_edit();"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS proposals_refuse_history_edit();")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0002_editors_group")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
