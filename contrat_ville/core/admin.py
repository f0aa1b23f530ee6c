from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.db.models import Model

from contrat_ville.core.models import ImportBatch


def tabular(model: type[Model], **options: Any) -> type[admin.TabularInline[Any, Any]]:
    """The table of ``model``'s rows on its parent's admin page, without empty extra rows (the choice of every
    inline of the project); ``options`` are its other attributes (``raw_id_fields``, ``autocomplete_fields``…)."""
    inline = type(f"{model.__name__}Inline", (admin.TabularInline,), {"model": model, "extra": 0, **options})
    return cast("type[admin.TabularInline[Any, Any]]", inline)


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
