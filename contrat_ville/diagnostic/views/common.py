"""What every diagnostic page shares: breadcrumbs, the pillar filter of the lists, the form and confirmation pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from contrat_ville.contracts.access import ContractRequest
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.contracts.presenters import contract_crumbs
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.diagnostic.forms.inventory import PillarFilterForm
from contrat_ville.diagnostic.selectors import consultations as consultation_selectors
from contrat_ville.diagnostic.selectors.consultations import ConsultationRow
from contrat_ville.ui import form_pages
from contrat_ville.ui.form_pages import FormPages
from contrat_ville.ui.page import Crumb


def crumbs(contract: Contract, *extra: tuple[str, str], with_overview: bool = True) -> list[Crumb]:
    """Contracts / contract / Diagnostic / ``extra`` (each a (title, url name) pair under the contract)."""
    slug = contract.slug
    items = contract_crumbs(contract)
    if with_overview:
        items.append(Crumb("Diagnostic", reverse("diagnostic:overview", kwargs={"contract_slug": slug})))
    items.extend(Crumb(title, url) for title, url in extra)
    return items


def url(name: str, contract: Contract, **kwargs: Any) -> str:
    return reverse(f"diagnostic:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def pillar_initial(request: HttpRequest, contract: Contract) -> dict[str, Any]:
    """The pillar a creation form starts on: the one whose code is given as ``?pilier=`` (from its group's list)."""
    code = request.GET.get("pilier")
    if not code:
        return {}
    return {"pillar": next((pillar.pk for pillar in contract.pillars.all() if pillar.code == code), None)}


def pillar_filter(request: ContractRequest) -> tuple[PillarFilterForm, Pillar | None, list[Pillar]]:
    """The « ?pilier= » filter of a list: its form, the pillar chosen (``None`` for all) and the pillars shown."""
    filters = PillarFilterForm(request.GET or None, contract=request.contract)
    pillar = filters.selected_pillar()
    return filters, pillar, [pillar] if pillar is not None else filters.pillars


def consultation_rows(request: ContractRequest) -> list[ConsultationRow]:
    """The consultations the caller sees: all of them for the working groups, those addressed to their council for
    a council member."""
    return consultation_selectors.consultation_rows(
        contract=request.contract, access=request.access, user=request.user
    )


def removal_urls(name: str, contract: Contract, **kwargs: Any) -> dict[str, str]:
    """The « Supprimer » and « Archiver » URLs of an object's page (``ui/components/archive_controls.html``)."""
    return form_pages.removal_urls(f"diagnostic:{name}", contract_slug=contract.slug, **kwargs)


# Every diagnostic form page shows the diagnostic's steps under its title (diagnostic/base.html).
pages = FormPages(layout="diagnostic/base.html", refused=BusinessRuleError)
form_page = pages.form_page
post_action = pages.post_action
confirm_page = pages.confirm_page
