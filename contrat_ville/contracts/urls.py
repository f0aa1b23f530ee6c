from django.urls import path

from contrat_ville.contracts.views import home, lifecycle, structure

app_name = "contracts"

TERM = "<slug:contract_slug>/structure/<slug:kind_slug>/<int:term_id>"

urlpatterns = [
    path("", home.contract_list, name="contract_list"),
    path("nouveau/", lifecycle.contract_open, name="contract_open"),
    path("<slug:contract_slug>/", home.contract_home, name="contract_home"),
    path("<slug:contract_slug>/membres/", home.contract_members, name="contract_members"),
    path("<slug:contract_slug>/parametres/", lifecycle.contract_settings, name="contract_settings"),
    path("<slug:contract_slug>/parametres/etat/", lifecycle.contract_status, name="contract_status"),
    path("<slug:contract_slug>/parametres/publication/", lifecycle.contract_publication, name="contract_publication"),
    path("<slug:contract_slug>/territoires/", lifecycle.contract_territories, name="contract_territories"),
    path("<slug:contract_slug>/structure/", structure.contract_structure, name="contract_structure"),
    path("<slug:contract_slug>/structure/<slug:kind_slug>/ajouter/", structure.term_create, name="term_create"),
    path(f"{TERM}/modifier/", structure.term_update, name="term_update"),
    path(f"{TERM}/retirer/", structure.term_archive, name="term_archive"),
    path(f"{TERM}/supprimer/", structure.term_delete, name="term_delete"),
    path(f"{TERM}/<direction>/", structure.term_move, name="term_move"),
]
