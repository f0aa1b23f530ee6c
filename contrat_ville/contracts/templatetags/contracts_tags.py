"""Template tags of the contract pages: the contract side menu and the status badge."""

from __future__ import annotations

from typing import Any

from django import template

from contrat_ville.contracts.enums import ContractStatus
from contrat_ville.contracts.navigation import contract_navigation

register = template.Library()

STATUS_BADGE_CLASSES: dict[str, str] = {
    ContractStatus.IN_PREPARATION: "fr-badge--info",
    ContractStatus.SIGNED: "fr-badge--success",
    ContractStatus.IN_REVISION: "fr-badge--warning",
    ContractStatus.ENDED: "",
}


@register.inclusion_tag("ui/components/sidemenu.html", takes_context=True)
def contract_sidemenu(context: template.Context) -> dict[str, Any]:
    """The contract's side menu, from the navigation registry, for the contract resolved by ``contract_view``."""
    request = context["request"]
    access = getattr(request, "access", None)
    if access is None:
        return {"items": []}
    match = getattr(request, "resolver_match", None)
    return {
        "menu_id": "contract-sidemenu",
        "title": access.contract.name,
        "button_label": "Menu du contrat",
        "aria_label": "Menu du contrat",
        "items": contract_navigation(access=access, current_view_name=match.view_name if match else None),
    }


@register.inclusion_tag("ui/components/status_badge.html")
def contract_status_badge(status: str, small: bool = False) -> dict[str, Any]:
    """A DSFR system badge for a contract's status (« en préparation », « signé »…)."""
    classes = STATUS_BADGE_CLASSES.get(status, "")
    if small:
        classes = f"{classes} fr-badge--sm".strip()
    return {"label": ContractStatus(status).label if status in ContractStatus.values else status, "classes": classes}
