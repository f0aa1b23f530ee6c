from django.contrib import admin

from contrat_ville.core.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "importer",
        "source_file",
        "vintage",
        "imported_at",
        "created_count",
        "updated_count",
        "replaced_count",
        "rejected_count",
    ]
    list_filter = ["importer"]
    readonly_fields = [field.name for field in ImportBatch._meta.fields]
