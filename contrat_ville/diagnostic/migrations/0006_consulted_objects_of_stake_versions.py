"""Every stake version already submitted in a consultation becomes one of its items (issue 11 §4)."""

from django.db import migrations


def stake_versions_to_items(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Consultation = apps.get_model("diagnostic", "Consultation")
    ConsultedObject = apps.get_model("diagnostic", "ConsultedObject")
    if not Consultation.objects.exists():
        return
    version_type, _ = ContentType.objects.get_or_create(app_label="diagnostic", model="stakeversion")
    stake_type, _ = ContentType.objects.get_or_create(app_label="diagnostic", model="stake")
    rows = []
    for consultation in Consultation.objects.prefetch_related("stake_versions__stake__pillar"):
        versions = sorted(
            consultation.stake_versions.all(), key=lambda v: (v.stake.pillar.order, v.stake.order, v.stake_id, v.number)
        )
        for order, version in enumerate(versions):
            rows.append(
                ConsultedObject(
                    consultation=consultation,
                    kind="diagnostic.stake",
                    target_type=version_type,
                    target_id=version.pk,
                    subject_type=stake_type,
                    subject_id=version.stake_id,
                    label=f"{version.stake.pillar.label} — {version.title} (v{version.number})"[:500],
                    order=order,
                )
            )
    ConsultedObject.objects.bulk_create(rows, ignore_conflicts=True)


def items_back(apps, schema_editor):
    apps.get_model("diagnostic", "ConsultedObject").objects.filter(kind="diagnostic.stake").delete()


class Migration(migrations.Migration):
    dependencies = [("diagnostic", "0005_consulted_objects")]

    operations = [migrations.RunPython(stake_versions_to_items, items_back)]
