"""
On PostgreSQL, refuse changing the words of a citation that is evidence of a status change.

The service already refuses it (EvidenceIsFixed); the trigger also stops raw SQL and direct ORM
saves. Its locator and role may still change. Other databases keep the service's guard only.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION proposals_refuse_evidence_rewrite() RETURNS trigger AS $$
BEGIN
    IF (NEW.quote, NEW.start, NEW."end", NEW.source_id, NEW.proposal_id)
           IS DISTINCT FROM (OLD.quote, OLD.start, OLD."end", OLD.source_id, OLD.proposal_id)
       AND EXISTS (
           SELECT 1 FROM proposals_statuschangeevidence WHERE citation_id = OLD.id
       ) THEN
        RAISE EXCEPTION 'Citation % is evidence of a status change: its words cannot change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute(
        "CREATE TRIGGER proposals_citation_evidence_fixed BEFORE UPDATE ON proposals_citation "
        "FOR EACH ROW EXECUTE FUNCTION proposals_refuse_evidence_rewrite();"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS proposals_citation_evidence_fixed ON proposals_citation;"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS proposals_refuse_evidence_rewrite();")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0006_constraint_messages")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
