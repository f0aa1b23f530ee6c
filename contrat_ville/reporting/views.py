"""Pages of the reporting app: the State delegate's dashboard across their contracts (issue 12 §1)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from contrat_ville.contracts.access import ContractRequest, contract_view, platform_view
from contrat_ville.contracts.presenters import contract_crumbs, contracts_crumb
from contrat_ville.reporting import opendata, selectors
from contrat_ville.reporting.permissions import STATE_DASHBOARD_REFUSAL, can_view_state_dashboard
from contrat_ville.ui.page import download, render_page


@platform_view(can_view_state_dashboard, refusal=STATE_DASHBOARD_REFUSAL)
def state_dashboard(request: HttpRequest) -> HttpResponse:
    """Where each of the delegate's contracts stands, by département; each figure links to its detail."""
    dashboard = selectors.state_dashboard(user=request.user, today=timezone.localdate())
    return render_page(
        request,
        "reporting/state_dashboard.html",
        "Tableau de bord de l'État",
        parents=[contracts_crumb()],
        dashboard=dashboard,
    )


@contract_view(private=False)
def open_data(request: ContractRequest) -> HttpResponse:
    """The contract's published data: what the files hold, and the zip (CSV + datapackage.json) and JSON downloads."""
    contract = request.contract
    return render_page(
        request,
        "reporting/open_data.html",
        "Données ouvertes",
        parents=contract_crumbs(contract),
        resources=opendata.contract_resources(contract),
        licence=opendata.LICENCE,
    )


@contract_view(private=False)
def open_data_zip(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    return download(opendata.package_zip(contract), "application/zip", f"contrat-de-ville-{contract.slug}.zip")


@contract_view(private=False)
def open_data_json(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    content = json.dumps(opendata.package_json(contract), ensure_ascii=False, indent=2).encode()
    return download(content, "application/json", f"contrat-de-ville-{contract.slug}.json")
