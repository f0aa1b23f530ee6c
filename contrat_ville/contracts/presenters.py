"""How every page of a contract's space shows the contract the same way, whichever app serves it: the breadcrumb that
starts each page (« Contrats de ville / the contract / … ») and the form pages in the contract's shell."""

from __future__ import annotations

from django.urls import reverse

from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.ui.form_pages import FormPages
from contrat_ville.ui.page import Crumb

# The form, confirmation and removal pages of a contract's space, in its shell, refusing with the services' rules.
pages = FormPages(layout="contracts/base.html", refused=BusinessRuleError)


def contracts_crumb() -> Crumb:
    return Crumb("Contrats de ville", reverse("contracts:contract_list"))


def contract_crumbs(contract: Contract, *extra: Crumb) -> list[Crumb]:
    """Contracts / the contract / ``extra``: the breadcrumb of every page of a contract's space."""
    return [
        contracts_crumb(),
        Crumb(contract.name, reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})),
        *extra,
    ]
