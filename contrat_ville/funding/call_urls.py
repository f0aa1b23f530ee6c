"""The annual call for projects, mounted under /contrats/<contract_slug>/appels-a-projets/."""

from contrat_ville.funding.call_views import routes

app_name = "funding_calls"

urlpatterns = routes.urlpatterns
