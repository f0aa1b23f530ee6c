"""Global observation pages, mounted under /observation/: the catalogue, indicator pages, territory portraits."""

from contrat_ville.observation.views import indicators, portraits

app_name = "observation"

urlpatterns = [*indicators.urlpatterns, *portraits.urlpatterns]
