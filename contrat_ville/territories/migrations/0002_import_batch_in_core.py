"""First step of moving import provenance to ``core.ImportBatch`` (one provenance model for every import):
territories and links get a second batch foreign key, to the core model, filled by the next migration."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_import_batch"),
        ("territories", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="territory",
            name="core_import_batch",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.importbatch",
                verbose_name="lot d'import",
            ),
        ),
        migrations.AddField(
            model_name="territorylink",
            name="core_import_batch",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.importbatch",
                verbose_name="lot d'import",
            ),
        ),
    ]
