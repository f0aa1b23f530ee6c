from django.urls import path

from contrat_ville.contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    path("<slug:contract_slug>/", views.contract_home, name="contract_home"),
    path("<slug:contract_slug>/membres/", views.contract_members, name="contract_members"),
]
