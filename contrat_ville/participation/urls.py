"""Pages of the conseils citoyens, mounted under /contrats/<contract_slug>/conseils-citoyens/."""

from contrat_ville.participation import views

app_name = "participation"

urlpatterns = [*views.urlpatterns]
