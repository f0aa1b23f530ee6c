from django.contrib import admin

from contrat_ville.observation.models import Indicator, IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "theme", "unit", "direction", "aggregation", "order"]
    list_filter = ["theme", "direction", "aggregation"]
    search_fields = ["code", "label", "source", "producer"]
    ordering = ["order", "code"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    """Read-mostly: values come from imports; the list never counts the whole (national) table."""

    list_display = ["indicator", "territory", "period", "value", "is_confidential", "contract", "batch"]
    list_filter = ["is_confidential", "period"]
    search_fields = ["territory__code", "indicator__code"]
    list_select_related = ["indicator", "territory", "contract", "batch"]
    raw_id_fields = ["indicator", "territory", "contract", "batch"]
    show_full_result_count = False
