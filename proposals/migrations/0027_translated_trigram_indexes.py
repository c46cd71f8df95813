"""Trigram indexes on the translated titles and the summaries, for the contains search.

Japanese and Chinese queries (and queries no text-search document holds) are matched with LIKE
on every title and summary column (proposals/selectors/search.py); a GIN trigram index on each
of them lets PostgreSQL answer from the indexes (a bitmap OR) instead of reading the table. The
English title has had its index since 0010 (0020 moved it to `title_en`). On any other database
this migration does nothing, as 0010 and 0020 do.
"""

from django.db import migrations

COLUMNS = ["title_ja", "title_zh_hant", "summary_en", "summary_ja", "summary_zh_hant"]


def _index(column: str) -> str:
    return f"proposal_{column}_trgm_idx"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_index(column)} "
            f"ON proposals_proposal USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_index(column)}")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0026_change_as_of_covering")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
