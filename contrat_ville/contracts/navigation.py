"""The contract's side menu, built from ``core.registries.navigation_entries``.

Each app registers its own entries in its ``AppConfig.ready()`` (design.md §2): the menu only shows
what exists. An entry's ``is_visible(membership)`` receives the caller's membership on the contract:
the ``ContractAccess`` of a member (or platform administrator) — with ``role``, ``is_member``,
``user`` — and ``None`` for a visitor of a published contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from contrat_ville.contracts.permissions import can_edit_contract, can_manage_organizations
from contrat_ville.contracts.selectors import ContractAccess, contract_setup_steps
from contrat_ville.core.registries import HomePanel, NavigationEntry, home_panels, navigation_entries, sorted_entries

HOME_ENTRY_KEY = "contracts.home"
MEMBERS_ENTRY_KEY = "contracts.members"
TERRITORY_ENTRY_KEY = "contracts.territory"
ORGANIZATIONS_ENTRY_KEY = "contracts.organizations"
STRUCTURE_ENTRY_KEY = "contracts.structure"
SETTINGS_ENTRY_KEY = "contracts.settings"
SETUP_PANEL_KEY = "contracts.setup"


@dataclass(frozen=True)
class NavigationItem:
    """One link of the side menu, ready for the template."""

    label: str
    url: str
    is_current: bool


def membership_of(access: ContractAccess) -> ContractAccess | None:
    """What registries receive as ``membership``: the access of a member, ``None`` for a visitor."""
    return access if access.is_member else None


def is_member(membership: ContractAccess | None) -> bool:
    return membership is not None


def contract_navigation(*, access: ContractAccess, current_view_name: str | None = None) -> list[NavigationItem]:
    """The side-menu entries visible to ``access`` on its contract, in order; no query.

    The entry whose URL name is ``current_view_name`` (``app:name``) is marked current.
    """
    membership = membership_of(access)
    items = []
    for entry in sorted_entries(navigation_entries):
        if not entry.is_visible(membership):
            continue
        try:
            url = reverse(entry.url_name, kwargs={"contract_slug": access.contract.slug})
        except NoReverseMatch:
            # An entry whose page is not routed (app not mounted) is not shown: no dead link.
            continue
        items.append(NavigationItem(label=entry.label, url=url, is_current=entry.url_name == current_view_name))
    return items


def may_edit_contract(membership: ContractAccess | None) -> bool:
    return membership is not None and can_edit_contract.admits(membership)


def may_manage_organizations(membership: ContractAccess | None) -> bool:
    return membership is not None and can_manage_organizations.admits(membership)


def register_contract_navigation() -> None:
    """The contracts app's own entries (called from ``ContractsConfig.ready()``)."""
    navigation_entries.register(
        HOME_ENTRY_KEY, NavigationEntry(label="Tableau de bord", url_name="contracts:contract_home", order=0)
    )
    navigation_entries.register(
        TERRITORY_ENTRY_KEY,
        NavigationEntry(label="Territoire et signataires", url_name="contracts:contract_territory", order=1),
    )
    navigation_entries.register(
        MEMBERS_ENTRY_KEY,
        NavigationEntry(label="Membres", url_name="contracts:contract_members", order=900, is_visible=is_member),
    )
    navigation_entries.register(
        ORGANIZATIONS_ENTRY_KEY,
        NavigationEntry(
            label="Organisations",
            url_name="contracts:organization_list",
            order=905,
            is_visible=may_manage_organizations,
        ),
    )
    navigation_entries.register(
        STRUCTURE_ENTRY_KEY,
        NavigationEntry(
            label="Structure du contrat", url_name="contracts:contract_structure", order=5, is_visible=is_member
        ),
    )
    navigation_entries.register(
        SETTINGS_ENTRY_KEY,
        NavigationEntry(
            label="Paramètres du contrat",
            url_name="contracts:contract_settings",
            order=910,
            is_visible=may_edit_contract,
        ),
    )
    home_panels.register(
        SETUP_PANEL_KEY,
        HomePanel(
            "Compléter le contrat",
            "contracts/panels/_setup.html",
            lambda contract, membership: {"steps": contract_setup_steps(contract=contract)},
            order=1,
            is_visible=may_edit_contract,
        ),
    )
