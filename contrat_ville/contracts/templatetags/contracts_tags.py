"""Template tags of the contract pages: the contract side menu."""

from __future__ import annotations

from typing import Any

from django import template

from contrat_ville.contracts.navigation import contract_navigation

register = template.Library()


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
