"""The diagnostic's home: the three steps of seed 004 phase 3.1 and where each pillar stands."""

from __future__ import annotations

from django.http import HttpResponse

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.diagnostic.selectors.inventory import pillar_counts
from contrat_ville.diagnostic.views.common import consultation_rows, crumbs
from contrat_ville.participation.permissions import speaks_for_a_council
from contrat_ville.ui.page import render_page
from contrat_ville.ui.routes import Routes

routes = Routes()


@routes("")
@contract_view(private=True)
def overview(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    return render_page(
        request,
        "diagnostic/overview.html",
        "Diagnostic participatif",
        parents=crumbs(contract, with_overview=False),
        counts=pillar_counts(contract=contract),
        open_rows=[row for row in consultation_rows(request) if row.is_open],
        is_council_member=speaks_for_a_council(request.access),
        section="overview",
    )


urlpatterns = routes.urlpatterns
