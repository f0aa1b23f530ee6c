"""What the governance pages share: the contract's breadcrumb and the form pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.presenters import contract_crumbs, pages
from contrat_ville.ui.page import Crumb

form_page = pages.form_page
post_action = pages.post_action
confirm_page = pages.confirm_page


def crumbs(contract: Contract, *extra: Crumb) -> list[Crumb]:
    """Contracts / the contract / ``extra``."""
    return contract_crumbs(contract, *extra)


def query_initial(request: HttpRequest, *names: str) -> dict[str, str]:
    """What a link preselects in a creation form (« ?kind=working_group&pillar=3 »): the ``names`` it gives."""
    return {name: request.GET[name] for name in names if name in request.GET}


def url(name: str, contract: Contract, **kwargs: object) -> str:
    """The URL of the governance page ``name`` of ``contract``."""
    return reverse(f"governance:{name}", kwargs={"contract_slug": contract.slug, **kwargs})
