"""Who publishes in the resource centre (domain.md §8): the resource centres themselves — a user acting for an
organisation of kind « centre de ressources » — and the platform's administrators. Everyone reads it."""

from __future__ import annotations

from typing import Any

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.contracts.permissions import platform_permission

PUBLISH_REFUSAL = "Seuls les centres de ressources et les administrateurs publient dans le centre de ressources."


@platform_permission(
    action="publier, modifier et retirer des documents, des journées d'échanges et des cycles de qualification",
    who="administrateur de la plateforme ; personne agissant pour un centre de ressources politique de la ville",
)
def can_publish_resources(user: Any) -> bool:
    """A resource centre qualifies, networks and capitalises (cadre de référence des CRPV, 16 mars 2017)."""
    if not getattr(user, "is_authenticated", False):
        return False
    organization = user.organization
    return bool(user.is_staff) or (organization is not None and organization.kind == OrganizationKind.RESOURCE_CENTRE)
