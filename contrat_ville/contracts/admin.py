from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contrat_ville.contracts.models import Contract, ContractRole, Pillar, Signatory, TransversalAxis


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0
    autocomplete_fields = ["organization"]


class PillarInline(admin.TabularInline):
    model = Pillar
    extra = 0


class TransversalAxisInline(admin.TabularInline):
    model = TransversalAxis
    extra = 0


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["name", "epci", "generation", "status", "is_published", "start_on", "end_on"]
    list_filter = ["generation", "status", "is_published"]
    search_fields = ["name", "slug", "epci__name", "epci__code"]
    list_select_related = ["epci"]
    raw_id_fields = ["epci"]
    filter_horizontal = ["qpvs"]
    inlines = [SignatoryInline, PillarInline, TransversalAxisInline]


@admin.register(ContractRole)
class ContractRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "contract", "role"]
    list_filter = ["role", "contract"]
    search_fields = ["user__email", "contract__name"]
    list_select_related = ["user", "contract"]
    raw_id_fields = ["user"]
