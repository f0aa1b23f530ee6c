"""Last step: the territories' own ``ImportBatch`` goes; ``import_batch`` now points at ``core.ImportBatch``."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_import_batch"),
        ("territories", "0003_copy_import_batches_to_core"),
    ]

    operations = [
        migrations.RemoveField(model_name="territory", name="import_batch"),
        migrations.RemoveField(model_name="territorylink", name="import_batch"),
        migrations.DeleteModel(name="ImportBatch"),
        migrations.RenameField(model_name="territory", old_name="core_import_batch", new_name="import_batch"),
        migrations.RenameField(model_name="territorylink", old_name="core_import_batch", new_name="import_batch"),
    ]
