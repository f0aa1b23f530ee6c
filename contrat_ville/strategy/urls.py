"""Strategy pages, mounted under /contrats/<contract_slug>/strategie/. Each area keeps its own routes."""

from contrat_ville.strategy.views import nodes, plans, tree

app_name = "strategy"

urlpatterns = [*tree.urlpatterns, *nodes.urlpatterns, *plans.urlpatterns]
