"""Pages of the reporting app: the State delegate's dashboard across their contracts (issue 12 §1)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from contrat_ville.contracts.access import platform_view
from contrat_ville.reporting import selectors
from contrat_ville.reporting.permissions import STATE_DASHBOARD_REFUSAL, can_view_state_dashboard
from contrat_ville.ui.page import Crumb, render_page


@platform_view(can_view_state_dashboard, refusal=STATE_DASHBOARD_REFUSAL)
def state_dashboard(request: HttpRequest) -> HttpResponse:
    """Where each of the delegate's contracts stands, by département; each figure links to its detail."""
    dashboard = selectors.state_dashboard(user=request.user, today=timezone.localdate())
    return render_page(
        request,
        "reporting/state_dashboard.html",
        "Tableau de bord de l'État",
        parents=[Crumb("Contrats de ville", reverse("contracts:contract_list"))],
        dashboard=dashboard,
    )
