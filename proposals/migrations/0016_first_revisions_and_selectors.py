"""
Every source gets its text as revision 1; every citation its revision and W3C selectors.

The TextQuoteSelector's prefix and suffix are up to 32 code points of the text on each side of
the quote, as proposals.anchoring.context_of computes them (repeated here: a migration keeps the
code it ran with).
"""

from django.db import migrations

CONTEXT_LENGTH = 32


def forwards(apps, schema_editor):
    Source = apps.get_model("proposals", "Source")
    SourceRevision = apps.get_model("proposals", "SourceRevision")
    Citation = apps.get_model("proposals", "Citation")
    for source in Source.objects.order_by("pk").iterator():
        revision = SourceRevision.objects.create(
            source=source, number=1, text=source.text, sha256=source.sha256
        )
        text = source.text
        for citation in Citation.objects.filter(source=source).order_by("pk"):
            citation.revision = revision
            citation.prefix = text[max(0, citation.start - CONTEXT_LENGTH) : citation.start]
            citation.suffix = text[citation.end : citation.end + CONTEXT_LENGTH]
            citation.save(update_fields=["revision", "prefix", "suffix"])


class Migration(migrations.Migration):
    dependencies = [("proposals", "0015_source_revisions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
