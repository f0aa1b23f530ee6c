"""Commitment pages, mounted under /contrats/<contract_slug>/droit-commun/."""

from contrat_ville.funding.views import routes

app_name = "funding"

urlpatterns = routes.urlpatterns
