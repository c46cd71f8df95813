"""The search document and the title trigram index read the English columns.

Since the translated columns exist (0019), every write of the English text reaches `title_en` and
`summary_en`, while the untranslated `title` and `summary` columns are only refreshed by a model
save (a queryset update, as a bulk update does, leaves them behind). The search therefore reads
the English columns, which every write keeps current. On any other database than PostgreSQL this
migration does nothing, as 0010 does.
"""

from django.db import migrations


def _document(title: str, summary: str) -> str:
    return f"""
    ALTER TABLE proposals_proposal ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce({title}, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce({summary}, '')), 'B')
    ) STORED
    """


def _statements(title: str, summary: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS proposal_title_trgm_idx",
        "DROP INDEX IF EXISTS proposal_search_idx",
        "ALTER TABLE proposals_proposal DROP COLUMN IF EXISTS search_document",
        _document(title, summary),
        "CREATE INDEX proposal_search_idx ON proposals_proposal USING gin (search_document)",
        f"CREATE INDEX proposal_title_trgm_idx ON proposals_proposal USING gin ({title} gin_trgm_ops)",
    ]


def read_english_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in _statements("title_en", "summary_en"):
            schema_editor.execute(statement)


def read_untranslated_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in _statements("title", "summary"):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0019_languages")]

    operations = [
        migrations.RunPython(read_english_columns, read_untranslated_columns, elidable=False),
    ]
