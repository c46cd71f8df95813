"""Seal the history rows already recorded into their proposals' hash chains (proposals.chain)."""

from django.db import migrations, models

from proposals import chain

# The fields each hash covers, as they stood when the chains began (models.ChainedRow).
CHAINS = [
    (
        "StatusChange",
        "StatusChangeEvidence",
        "status_change_id",
        "status_change",
        (
            "proposal_id",
            "from_status",
            "to_status",
            "effective_date",
            "effective_precision",
            "effective_qualifier",
            "note",
            "recorded_at",
            "recorded_by_id",
        ),
    ),
    (
        "Position",
        "PositionEvidence",
        "position_id",
        "position",
        (
            "proposal_id",
            "actor_id",
            "stance",
            "effective_date",
            "effective_precision",
            "effective_qualifier",
            "note",
            "recorded_at",
            "recorded_by_id",
        ),
    ),
]


def seal_existing_rows(apps, schema_editor):
    for model_name, link_name, link_column, kind, fields in CHAINS:
        model = apps.get_model("proposals", model_name)
        links = apps.get_model("proposals", link_name)
        evidence: dict[int, list[int]] = {}
        for row_id, citation_id in links.objects.values_list(link_column, "citation_id"):
            evidence.setdefault(row_id, []).append(citation_id)
        previous: dict[int, str] = {}
        table = schema_editor.quote_name(model._meta.db_table)
        postgresql = schema_editor.connection.vendor == "postgresql"
        if postgresql:
            # The append-only triggers refuse this one rewrite of the history.
            schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for row in model.objects.order_by("proposal_id", "id").iterator():
            content = {name: getattr(row, name) for name in fields}
            sealed = chain.digest(
                kind,
                content,
                evidence.get(row.pk, ()),
                previous.get(row.proposal_id, chain.GENESIS),
            )
            model.objects.filter(pk=row.pk).update(chain_sha256=sealed)
            previous[row.proposal_id] = sealed
        if postgresql:
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0021_proposal_editor_notes"),
    ]

    operations = [
        migrations.AddField(
            model_name="statuschange",
            name="chain_sha256",
            field=models.CharField(
                default="",
                editable=False,
                help_text=(
                    "sha256 of this change, its evidence and the previous change of its proposal."
                ),
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="position",
            name="chain_sha256",
            field=models.CharField(
                default="",
                editable=False,
                help_text="sha256 of this position, its evidence and the previous one of its proposal.",
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing_rows, migrations.RunPython.noop),
    ]
