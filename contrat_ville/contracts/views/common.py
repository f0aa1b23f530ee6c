"""What the contract pages share: the breadcrumb of a contract and the form pages in the contract's shell."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.ui.form_pages import FormPages
from contrat_ville.ui.page import Crumb

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


def contract_url(name: str, contract: Contract, **kwargs: object) -> str:
    """The URL of the contracts page ``name`` of ``contract``."""
    return reverse(f"contracts:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


@dataclass(frozen=True)
class Section:
    """A page of a contract's space that other pages sit under: its title in the breadcrumb and its URL name
    (« Avenants », ``amendment_list``)."""

    title: str
    url_name: str

    def url(self, contract: Contract) -> str:
        return contract_url(self.url_name, contract)

    def crumbs(self, contract: Contract) -> list[Crumb]:
        """Contracts / the contract / this section: the breadcrumb of the pages under it."""
        return contract_crumbs(contract, Crumb(self.title, self.url(contract)))
