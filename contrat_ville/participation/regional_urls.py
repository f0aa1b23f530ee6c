"""The conseils citoyens of a region (questionnaire, state of play), mounted under /conseils-citoyens/."""

from contrat_ville.participation.regional_views import routes

app_name = "councils"

urlpatterns = routes.urlpatterns
