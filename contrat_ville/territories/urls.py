from django.urls import path

from contrat_ville.territories import views

app_name = "territories"

urlpatterns = [
    path("", views.territory_search, name="territory_search"),
    path("<str:kind>/<str:vintage>/<str:code>/", views.territory_detail, name="territory_detail"),
]
