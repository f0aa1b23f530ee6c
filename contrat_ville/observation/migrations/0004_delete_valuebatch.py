"""The observation app's own ``ValueBatch`` goes: its rows live on in ``core.ImportBatch`` (migration 0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("observation", "0003_copy_value_batches_to_core"),
    ]

    operations = [migrations.DeleteModel(name="ValueBatch")]
