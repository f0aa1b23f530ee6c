"""Contract-scoped observation pages, mounted under /contrats/<contract_slug>/observation/."""

from contrat_ville.observation.views import contract, imports, indicators, portraits

app_name = "observation_contract"

urlpatterns = [
    *contract.contract_urlpatterns,
    *portraits.contract_urlpatterns,
    *indicators.contract_urlpatterns,
    *imports.contract_urlpatterns,
]
