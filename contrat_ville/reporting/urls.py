from django.urls import path

from contrat_ville.reporting import views

app_name = "reporting"

urlpatterns = [
    path("etat/", views.state_dashboard, name="state_dashboard"),
]
