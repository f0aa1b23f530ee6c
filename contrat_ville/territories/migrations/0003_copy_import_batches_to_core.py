"""Copy every ``territories.ImportBatch`` into ``core.ImportBatch`` and point territories and links at the copy.

One ``UPDATE`` per batch (a handful of batches, tens of thousands of rows each). Observation's value batches are
copied first, keeping their ids (``observation.0003`` runs before this one), so the ids given here follow them.
"""

from django.db import migrations


def copy_batches(apps, schema_editor):
    OldBatch = apps.get_model("territories", "ImportBatch")
    NewBatch = apps.get_model("core", "ImportBatch")
    Territory = apps.get_model("territories", "Territory")
    TerritoryLink = apps.get_model("territories", "TerritoryLink")
    for old in OldBatch.objects.order_by("pk"):
        new = NewBatch.objects.create(
            importer=old.importer,
            source_file=old.source_file,
            producer=old.producer,
            licence=old.licence,
            vintage=old.vintage,
            imported_by_id=old.imported_by_id,
            created_count=old.created_count,
            updated_count=old.updated_count,
            warnings=old.warnings,
        )
        # auto_now_add set the copy's date to now: keep the original one.
        NewBatch.objects.filter(pk=new.pk).update(imported_at=old.imported_at)
        Territory.objects.filter(import_batch_id=old.pk).update(core_import_batch_id=new.pk)
        TerritoryLink.objects.filter(import_batch_id=old.pk).update(core_import_batch_id=new.pk)


def copy_back(apps, schema_editor):
    """Reverse: recreate the territories batches from the core copies their rows point at."""
    OldBatch = apps.get_model("territories", "ImportBatch")
    NewBatch = apps.get_model("core", "ImportBatch")
    Territory = apps.get_model("territories", "Territory")
    TerritoryLink = apps.get_model("territories", "TerritoryLink")
    used = set(Territory.objects.exclude(core_import_batch=None).values_list("core_import_batch_id", flat=True))
    used |= set(TerritoryLink.objects.exclude(core_import_batch=None).values_list("core_import_batch_id", flat=True))
    for new in NewBatch.objects.filter(pk__in=used).order_by("pk"):
        old = OldBatch.objects.create(
            importer=new.importer,
            source_file=new.source_file,
            producer=new.producer,
            licence=new.licence,
            vintage=new.vintage,
            imported_by_id=new.imported_by_id,
            created_count=new.created_count,
            updated_count=new.updated_count,
            warnings=new.warnings,
        )
        OldBatch.objects.filter(pk=old.pk).update(imported_at=new.imported_at)
        Territory.objects.filter(core_import_batch_id=new.pk).update(import_batch_id=old.pk)
        TerritoryLink.objects.filter(core_import_batch_id=new.pk).update(import_batch_id=old.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_import_batch"),
        ("territories", "0002_import_batch_in_core"),
    ]

    operations = [migrations.RunPython(copy_batches, copy_back)]
