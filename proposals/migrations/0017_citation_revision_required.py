import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("proposals", "0016_first_revisions_and_selectors")]

    operations = [
        migrations.AlterField(
            model_name="citation",
            name="revision",
            field=models.ForeignKey(
                editable=False,
                help_text="The revision of the source's text the offsets index.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="citations",
                to="proposals.sourcerevision",
            ),
        ),
    ]
