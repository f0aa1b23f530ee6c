"""Resource centre pages, mounted under /ressources/."""

from contrat_ville.resources.views import routes

app_name = "resources"

urlpatterns = routes.urlpatterns
