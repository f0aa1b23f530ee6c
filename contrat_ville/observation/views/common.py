"""What the observation views share: breadcrumbs, export formats, the contract's scope."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import reverse

from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.presenters import contract_crumbs as space_crumbs
from contrat_ville.observation.exports import FORMATS
from contrat_ville.ui.page import Crumb


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404("Format d'export inconnu.")
    return fmt


def catalogue_crumb() -> Crumb:
    return Crumb("Indicateurs", reverse("observation:indicator_list"))


def contract_crumbs(contract: Contract, *, with_home: bool = True) -> list[Crumb]:
    if not with_home:
        return space_crumbs(contract)
    return space_crumbs(
        contract,
        Crumb("Observation", reverse("observation_contract:comparison", kwargs={"contract_slug": contract.slug})),
    )


def export_urls(request: HttpRequest, url_name: str, **kwargs: object) -> dict[str, str]:
    """``csv_url`` and ``xlsx_url`` of the page's export, with the page's query string (same choices)."""
    query = request.GET.urlencode()
    urls = {}
    for fmt in FORMATS:
        url = reverse(url_name, kwargs={**kwargs, "fmt": fmt})
        urls[f"{fmt}_url"] = f"{url}?{query}" if query else url
    return urls
