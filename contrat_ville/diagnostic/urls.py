"""Diagnostic pages, mounted under /contrats/<contract_slug>/diagnostic/. Each area keeps its own routes."""

from contrat_ville.diagnostic.views import consultations, inventory, overview, stakes

app_name = "diagnostic"

urlpatterns = [*overview.urlpatterns, *inventory.urlpatterns, *stakes.urlpatterns, *consultations.urlpatterns]
