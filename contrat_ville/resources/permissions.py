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


CENTRES_REFUSAL = "Seuls les administrateurs de la plateforme inscrivent les centres de ressources et leurs membres."


@platform_permission(
    action="inscrire un centre de ressources, la région qu'il couvre et ses membres (comptes)",
    who="administrateur de la plateforme",
)
def can_manage_resource_centres(user: Any) -> bool:
    """A resource centre's regional scope opens its members the councils and contracts of a whole region: the
    platform's administrators grant it."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)
