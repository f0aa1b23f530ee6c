"""The panels of the contract home page, contributed by higher apps through ``core.registries.home_panels``.

Each panel's ``get_context(contract, membership)`` runs its own bounded queries; ``membership`` is the
same as for the navigation (see ``navigation.membership_of``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from contrat_ville.contracts.navigation import membership_of
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.core.registries import home_panels, sorted_entries


@dataclass(frozen=True)
class RenderedPanel:
    title: str
    html: SafeString
    wide: bool = False


def contract_home_panels(*, request: HttpRequest, access: ContractAccess) -> list[RenderedPanel]:
    """The registered panels visible to ``access``, in order, each rendered from its template."""
    membership = membership_of(access)
    panels = []
    for panel in sorted_entries(home_panels):
        if not panel.is_visible(membership):
            continue
        context = {
            "contract": access.contract,
            "membership": membership,
            **panel.get_context(access.contract, membership),
        }
        html = render_to_string(panel.template, context, request=request)
        panels.append(RenderedPanel(title=panel.title, html=mark_safe(html), wide=panel.wide))  # noqa: S308 - rendered by our templates
    return panels
