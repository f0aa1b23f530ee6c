"""Global observation pages, mounted under /observation/: the catalogue, indicator pages, territory portraits, the
national table."""

from contrat_ville.observation.views import indicators, national, portraits

app_name = "observation"

urlpatterns = [*indicators.urlpatterns, *portraits.urlpatterns, *national.urlpatterns]
