from django.contrib import admin

from contrat_ville.territories.models import Territory, TerritoryLink


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "vintage", "population"]
    list_filter = ["kind", "vintage"]
    search_fields = ["code", "name", "siren"]
    exclude = ["geometry"]


@admin.register(TerritoryLink)
class TerritoryLinkAdmin(admin.ModelAdmin):
    list_display = ["parent", "child", "kind", "share"]
    list_select_related = ["parent", "child"]
    raw_id_fields = ["parent", "child"]
