"""Project wiring: the only module that knows every app."""

from django.contrib import admin
from django.urls import include, path

from config.api import api
from contrat_ville.contracts.views import home as contract_pages
from contrat_ville.contracts.views import territory_imports
from contrat_ville.core import views as core_views
from contrat_ville.funding import views as funding_views

admin.site.site_header = "Plateforme des contrats de ville — administration"
admin.site.site_title = "Administration"

urlpatterns = [
    path("", contract_pages.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("a-faire/", contract_pages.awaiting, name="awaiting"),
    path("comptes/", include("contrat_ville.accounts.urls")),
    path("contrats/", include("contrat_ville.contracts.urls")),
    path("contrats/<slug:contract_slug>/gouvernance/", include("contrat_ville.governance.urls")),
    path("contrats/<slug:contract_slug>/diagnostic/", include("contrat_ville.diagnostic.urls")),
    path("contrats/<slug:contract_slug>/strategie/", include("contrat_ville.strategy.urls")),
    path("contrats/<slug:contract_slug>/droit-commun/", include("contrat_ville.funding.urls")),
    path("contrats/<slug:contract_slug>/appels-a-projets/", include("contrat_ville.funding.call_urls")),
    path("contrats/<slug:contract_slug>/conseils-citoyens/", include("contrat_ville.participation.urls")),
    path("contrats/<slug:contract_slug>/observation/", include("contrat_ville.observation.contract_urls")),
    path("observation/", include("contrat_ville.observation.urls")),
    path("conseils-citoyens/", include("contrat_ville.participation.regional_urls")),
    path("droit-commun/", funding_views.balance_across_contracts, name="funding_balance_across_contracts"),
    path("droit-commun/postes/", funding_views.posts_across_contracts, name="funding_posts_across_contracts"),
    path("droit-commun/postes/import/", funding_views.posts_import, name="funding_posts_import"),
    path("territoires/import/", territory_imports.territory_import, name="territory_import"),
    path("territoires/", include("contrat_ville.territories.urls")),
    path("ressources/", include("contrat_ville.resources.urls")),
    path("", include("contrat_ville.reporting.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
