from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from contrat_ville.core.admin import tabular
from contrat_ville.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Decision,
    Meeting,
    MeetingAttachment,
    Phase,
    PhaseTemplate,
    PhaseTemplateStep,
)


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "contract", "pillar"]
    list_filter = ["kind", "contract"]
    search_fields = ["name", "contract__name"]
    list_select_related = ["contract", "pillar"]
    raw_id_fields = ["contract", "pillar"]
    inlines = [tabular(BodyMember, autocomplete_fields=["organization"], raw_id_fields=["user"])]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "body", "starts_at", "status", "minutes_published"]
    list_filter = ["status", "minutes_published", "body__kind"]
    search_fields = ["title", "body__name", "body__contract__name"]
    list_select_related = ["body"]
    raw_id_fields = ["body"]
    date_hierarchy = "starts_at"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [tabular(AgendaItem), tabular(Attendance, raw_id_fields=["member"]), tabular(MeetingAttachment)]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "contract", "meeting", "verdict", "is_published"]
    list_filter = ["verdict", "is_published"]
    search_fields = ["text", "target_label", "contract__name"]
    list_select_related = ["contract", "meeting"]
    raw_id_fields = ["contract", "meeting"]


@admin.register(PhaseTemplate)
class PhaseTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_default"]
    search_fields = ["name", "code"]
    inlines = [tabular(PhaseTemplateStep)]


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "contract", "planned_start", "planned_end", "manual_status"]
    list_filter = ["manual_status", "contract"]
    search_fields = ["code", "title", "contract__name"]
    list_select_related = ["contract"]
    raw_id_fields = ["contract", "template_step", "status_set_by"]
