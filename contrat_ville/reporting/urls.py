from django.urls import path

from contrat_ville.reporting import annual_report_views, document_views, views

app_name = "reporting"

urlpatterns = [
    path("tableau-de-bord/etat/", views.state_dashboard, name="state_dashboard"),
    path("contrats/<slug:contract_slug>/donnees-ouvertes/", views.open_data, name="open_data"),
    path("contrats/<slug:contract_slug>/donnees-ouvertes/contrat.zip", views.open_data_zip, name="open_data_zip"),
    path("contrats/<slug:contract_slug>/donnees-ouvertes/contrat.json", views.open_data_json, name="open_data_json"),
    *annual_report_views.routes.urlpatterns,
]

urlpatterns += document_views.routes.urlpatterns
# The evaluation (issue 12 §5): /contrats/<slug>/evaluation/…
from contrat_ville.reporting.evaluations import views as evaluation_views  # noqa: E402

urlpatterns += evaluation_views.urlpatterns
