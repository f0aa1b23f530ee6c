"""What the contract pages share: the breadcrumb of a contract and the form pages in the contract's shell (both from
``contracts.presenters``, which the other apps use too), and the sections other pages sit under."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.presenters import contract_crumbs, contracts_crumb, pages
from contrat_ville.ui.page import Crumb

__all__ = ["Section", "contract_crumbs", "contract_url", "contracts_crumb", "pages"]


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
