from django.contrib import admin

from contrat_ville.funding.models import CommitmentYear, MainstreamCommitment


class CommitmentYearInline(admin.TabularInline[CommitmentYear, MainstreamCommitment]):
    model = CommitmentYear
    extra = 0


@admin.register(MainstreamCommitment)
class MainstreamCommitmentAdmin(admin.ModelAdmin[MainstreamCommitment]):
    list_display = ("title", "partner", "contract", "nature", "unit", "status")
    list_filter = ("nature", "status")
    search_fields = ("title", "partner__name")
    raw_id_fields = ("contract", "partner", "objective", "action", "pillar")
    inlines = [CommitmentYearInline]
