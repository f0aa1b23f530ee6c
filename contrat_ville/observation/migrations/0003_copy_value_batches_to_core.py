"""Copy every ``observation.ValueBatch`` into ``core.ImportBatch`` (one provenance model for every import).

The copies keep their ids, so that the 25 million ``IndicatorValue.batch_id`` of a national load need no update:
the foreign key has no database constraint, only its target changes (state only). Should core batches exist
already, ids are shifted past them and the values' ``batch_id`` shifted in one set-based ``UPDATE``. This
migration runs before the territories' copy (``run_before``), which then takes the next ids.
"""

from django.core.management.color import no_style
from django.db import migrations, models
from django.db.models import F


def copy_batches(apps, schema_editor):
    ValueBatch = apps.get_model("observation", "ValueBatch")
    ImportBatch = apps.get_model("core", "ImportBatch")
    IndicatorValue = apps.get_model("observation", "IndicatorValue")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ValueBatch.objects.exists():
        return
    offset = ImportBatch.objects.aggregate(top=models.Max("pk"))["top"] or 0
    contract_type = None
    copies = []
    for old in ValueBatch.objects.order_by("pk"):
        if old.contract_id is not None and contract_type is None:
            contract_type, _ = ContentType.objects.get_or_create(app_label="contracts", model="contract")
        copies.append(
            ImportBatch(
                pk=old.pk + offset,
                importer=old.importer,
                source_file=old.source_file,
                producer=old.producer,
                licence=old.licence,
                vintage=old.vintage,
                imported_by_id=old.imported_by_id,
                scope_type=contract_type if old.contract_id is not None else None,
                scope_id=old.contract_id,
                created_count=old.added_count,
                replaced_count=old.replaced_count,
                rejected_count=old.rejected_count,
                warnings=old.warnings,
            )
        )
    ImportBatch.objects.bulk_create(copies, batch_size=500)
    for old in ValueBatch.objects.order_by("pk"):  # auto_now_add set the copies' date to now: keep the originals
        ImportBatch.objects.filter(pk=old.pk + offset).update(imported_at=old.imported_at)
    if offset:
        IndicatorValue.objects.exclude(batch_id=None).update(batch_id=F("batch_id") + offset)
    with schema_editor.connection.cursor() as cursor:
        for statement in schema_editor.connection.ops.sequence_reset_sql(no_style(), [ImportBatch]):
            cursor.execute(statement)


def copy_back(apps, schema_editor):
    """Reverse: recreate the value batches, with the same ids, from the core batches values point at."""
    ValueBatch = apps.get_model("observation", "ValueBatch")
    ImportBatch = apps.get_model("core", "ImportBatch")
    IndicatorValue = apps.get_model("observation", "IndicatorValue")
    used = set(IndicatorValue.objects.exclude(batch_id=None).values_list("batch_id", flat=True).distinct())
    copies = [
        ValueBatch(
            pk=new.pk,
            importer=new.importer,
            source_file=new.source_file,
            producer=new.producer,
            licence=new.licence,
            vintage=new.vintage,
            imported_by_id=new.imported_by_id,
            contract_id=new.scope_id if new.scope_type_id is not None else None,
            added_count=new.created_count,
            replaced_count=new.replaced_count,
            rejected_count=new.rejected_count,
            warnings=new.warnings,
        )
        for new in ImportBatch.objects.filter(pk__in=used)
    ]
    ValueBatch.objects.bulk_create(copies, batch_size=500)
    with schema_editor.connection.cursor() as cursor:
        for statement in schema_editor.connection.ops.sequence_reset_sql(no_style(), [ValueBatch]):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_import_batch"),
        ("observation", "0002_indicatorvalue_indexes"),
    ]
    run_before = [("territories", "0003_copy_import_batches_to_core")]

    operations = [
        migrations.RunPython(copy_batches, copy_back),
        # Same column, same ids, no database constraint: only Django's state changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="indicatorvalue",
                    name="batch",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.SET_NULL,
                        related_name="+",
                        to="core.importbatch",
                        verbose_name="lot d'import",
                    ),
                ),
            ],
        ),
    ]
