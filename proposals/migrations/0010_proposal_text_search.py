"""Text search on PostgreSQL: a weighted search document with its GIN index, trigram indexes.

The search document is a stored generated column, so PostgreSQL itself keeps it in step with
every write (services, bulk loads, COPY) and ranking reads it instead of parsing the text again.
Django does not know the column: proposals/selectors/search.py reads it by name. On any other
database this migration does nothing (SQLite searches with a simple contains).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# Weights: a title match (A) counts for more than a summary match (B).
CREATE_SEARCH = [
    """
    ALTER TABLE proposals_proposal ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX proposal_search_idx ON proposals_proposal USING gin (search_document)",
    "CREATE INDEX proposal_title_trgm_idx ON proposals_proposal USING gin (title gin_trgm_ops)",
]

DROP_SEARCH = [
    "DROP INDEX IF EXISTS proposal_title_trgm_idx",
    "DROP INDEX IF EXISTS proposal_search_idx",
    "ALTER TABLE proposals_proposal DROP COLUMN IF EXISTS search_document",
]


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_SEARCH:
            schema_editor.execute(statement)


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_SEARCH:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0009_status_since_qualifier")]

    operations = [
        # pg_trgm: trigram similarity for partial words and typos (does nothing off PostgreSQL).
        TrigramExtension(),
        migrations.RunPython(create_search, drop_search, elidable=False),
    ]
