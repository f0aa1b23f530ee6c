from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contrat_ville.contracts.models import Contract, ContractRole, Pillar, Signatory, TransversalAxis
from contrat_ville.core.admin import tabular


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["name", "epci", "generation", "status", "is_published", "start_on", "end_on"]
    list_filter = ["generation", "status", "is_published"]
    search_fields = ["name", "slug", "epci__name", "epci__code"]
    list_select_related = ["epci"]
    raw_id_fields = ["epci"]
    filter_horizontal = ["qpvs"]
    inlines = [tabular(Signatory, autocomplete_fields=["organization"]), tabular(Pillar), tabular(TransversalAxis)]


@admin.register(ContractRole)
class ContractRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "contract", "role"]
    list_filter = ["role", "contract"]
    search_fields = ["user__email", "contract__name"]
    list_select_related = ["user", "contract"]
    raw_id_fields = ["user"]
