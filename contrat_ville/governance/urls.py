"""Governance pages, mounted under /contrats/<contract_slug>/gouvernance/. Each area keeps its own routes."""

from contrat_ville.governance.views import bodies, decisions, meetings, phases

app_name = "governance"

urlpatterns = [*bodies.urlpatterns, *meetings.urlpatterns, *decisions.urlpatterns, *phases.urlpatterns]
