"""A search document of the English title alone, with its own GIN index.

Search ranks a match in the title before one in the summary only. Telling them apart on the
weighted document of 0020 means reading that whole document back from the table for every match
(a weighted query is always rechecked, and the document of a long summary is stored out of line),
which made a search cost several times a plain list page at 100,000 proposals. This small column
answers "is it in the title?" for the price of a short vector beside each row. On any other
database than PostgreSQL this migration does nothing, as 0010 and 0020 do.
"""

from django.db import migrations

ADD = [
    """
    ALTER TABLE proposals_proposal ADD COLUMN title_document tsvector GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig, coalesce(title_en, ''))
    ) STORED
    """,
    "CREATE INDEX proposal_title_search_idx ON proposals_proposal USING gin (title_document)",
]
DROP = [
    "DROP INDEX IF EXISTS proposal_title_search_idx",
    "ALTER TABLE proposals_proposal DROP COLUMN IF EXISTS title_document",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("proposals", "0032_source_language_registered")]

    operations = [migrations.RunPython(_run(ADD), _run(DROP), elidable=False)]
