"""Reads of the contract's bodies and their members, and who may see them (issue « gouvernance » §6).

Who reads what is asked of ``governance.permissions``: the steering roles every body, other members the bodies
they sit in (their organisation holds a seat, or they hold one themselves).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.models import Contract, ContractRole, Signatory
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.core.lookups import found_or_404
from contrat_ville.governance.enums import BodyKind, MemberRole
from contrat_ville.governance.models import Body, BodyMember
from contrat_ville.governance.permissions import can_read_all_governance, can_read_seated_bodies
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink

# Display order of the kinds on the pages: the State's teams first, then the partnership's bodies.
BODY_KIND_ORDER: tuple[str, ...] = (
    BodyKind.STATE_CORE_TEAM,
    BodyKind.INTERMINISTERIAL_TEAM,
    BodyKind.STEERING_COMMITTEE,
    BodyKind.TECHNICAL_COMMITTEE,
    BodyKind.WORKING_GROUP,
)


def members_prefetch() -> Prefetch[Any]:
    """The seats of a body with their organisation and user, co-chairs first (one query for all bodies)."""
    return Prefetch(
        "members",
        queryset=BodyMember.objects.select_related("organization", "user").order_by(
            "role", "organization__name", "person_name", "pk"
        ),
    )


def _is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def bodies_visible_to(*, contract: Contract, access: ContractAccess, user: Any) -> QuerySet[Body]:
    """The bodies of ``contract`` the user may read (issue §6).

    ``can_read_all_governance``: all of them; ``can_read_seated_bodies``: the bodies where the member's
    organisation holds a seat or where they hold one themselves; anyone else reads none.
    """
    bodies = Body.objects.filter(contract=contract)
    if can_read_all_governance(access):
        return bodies
    if not can_read_seated_bodies(access) or not _is_authenticated(user):
        return bodies.none()
    seat = Q(members__user=user)
    if user.organization_id:
        seat |= Q(members__organization_id=user.organization_id)
    return bodies.filter(pk__in=Body.objects.filter(contract=contract).filter(seat).values("pk"))


def can_see_body(*, body: Body, access: ContractAccess, user: Any) -> bool:
    """Whether the user may read ``body`` (same rule as ``bodies_visible_to``)."""
    if body.contract_id != access.contract.pk:
        return False
    if can_read_all_governance(access):
        return True
    return bodies_visible_to(contract=access.contract, access=access, user=user).filter(pk=body.pk).exists()


def body_get(*, contract: Contract, body_id: int) -> Body:
    """A body of ``contract`` (404 otherwise, whether it exists elsewhere or not)."""
    return found_or_404(
        Body.objects.filter(contract=contract, pk=body_id).select_related("contract", "pillar").first(),
        "Instance introuvable.",
    )


def body_visible_get(*, contract: Contract, body_id: int, access: ContractAccess, user: Any) -> Body:
    """A body the user may read, with its members prefetched; 404 for a body they may not read."""
    return found_or_404(
        (
            bodies_visible_to(contract=contract, access=access, user=user)
            .filter(pk=body_id)
            .select_related("contract", "pillar")
            .prefetch_related(members_prefetch())
            .first()
        ),
        "Instance introuvable.",
    )


def body_member_get(*, body: Body, member_id: int) -> BodyMember:
    return found_or_404(
        BodyMember.objects.filter(body=body, pk=member_id).select_related("organization", "user").first(),
        "Membre introuvable.",
    )


@dataclass(frozen=True)
class BodyGroup:
    """The bodies of one kind, for the list page."""

    kind: str
    label: str
    bodies: Sequence[Body]

    @property
    def is_working_group(self) -> bool:
        """Working groups have one more column: their pillar."""
        return self.kind == BodyKind.WORKING_GROUP


def body_list_for(*, contract: Contract, access: ContractAccess, user: Any) -> list[BodyGroup]:
    """The bodies the user may read, grouped by kind in the seed's order, with their members (two queries).

    Each body carries ``member_count`` and its members prefetched (``body.members.all()``), so the page
    shows counts and co-chairs without further queries.
    """
    bodies = list(
        bodies_visible_to(contract=contract, access=access, user=user)
        .select_related("pillar")
        .prefetch_related(members_prefetch())
        .annotate(member_count=Count("members", distinct=True))
        .order_by("kind", "pillar__order", "name", "pk")
    )
    groups = []
    for kind in BODY_KIND_ORDER:
        of_kind = [body for body in bodies if body.kind == kind]
        if of_kind:
            groups.append(BodyGroup(kind=kind, label=BodyKind(kind).label, bodies=of_kind))
    return groups


def body_cochairs(body: Body) -> list[BodyMember]:
    """The co-chairs of a body, from its prefetched members when available."""
    return [member for member in body.members.all() if member.role == MemberRole.CO_CHAIR]


def contract_has_bodies(*, contract: Contract) -> bool:
    return Body.objects.filter(contract=contract).exists()


def communes_concerned(*, contract: Contract) -> list[Territory]:
    """The communes hosting the contract's QPVs (« communes concernées », loi 2014-173 art. 6), by name."""
    commune_ids = TerritoryLink.objects.filter(
        child__in=contract.qpvs.all(), parent__kind=TerritoryKind.COMMUNE
    ).values("parent_id")
    return list(Territory.objects.filter(pk__in=commune_ids).order_by("name", "code"))


def commune_organization_names(commune: Territory) -> list[str]:
    """How a commune's organisation may be named when its territory has no SIREN (the COG carries none)."""
    elided = f"d'{commune.name}" if commune.name[:1].lower() in "aeiouyéèêîôâh" else f"de {commune.name}"
    return [commune.name, *(f"{prefix} {elided}" for prefix in ("Commune", "Ville", "Mairie"))]


@dataclass(frozen=True)
class LocalAuthorities:
    """The EPCI and the communes concerned of a contract, each with the organisation that represents it.

    An organisation represents a territory when it has the territory's SIREN or, for a local authority
    without SIREN match, its name (« Commune de Bourg »): the SIREN is the link (accounts.Organization).
    """

    epci: Territory
    epci_organization: Organization | None
    communes: list[tuple[Territory, Organization | None]]

    @property
    def organizations(self) -> list[Organization]:
        found = [self.epci_organization, *(organization for _, organization in self.communes)]
        return [organization for organization in found if organization is not None]


def local_authorities(*, contract: Contract) -> LocalAuthorities:
    """The contract's EPCI and communes concerned with their organisations (two queries)."""
    communes = communes_concerned(contract=contract)
    epci = contract.epci
    territories = [epci, *communes]
    sirens = [territory.siren for territory in territories if territory.siren]
    names = [name for commune in communes for name in commune_organization_names(commune)] + [epci.name]
    candidates = list(
        Organization.objects.filter(
            Q(siren__in=sirens) | Q(kind=OrganizationKind.LOCAL_AUTHORITY, name__in=names)
        ).order_by("pk")
    )

    def organization_of(territory: Territory, territory_names: list[str]) -> Organization | None:
        by_siren = [item for item in candidates if territory.siren and item.siren == territory.siren]
        by_name = [
            item
            for item in candidates
            if item.kind == OrganizationKind.LOCAL_AUTHORITY and item.name in territory_names
        ]
        matches = by_siren or by_name
        return matches[0] if matches else None

    return LocalAuthorities(
        epci=epci,
        epci_organization=organization_of(epci, [epci.name]),
        communes=[(commune, organization_of(commune, commune_organization_names(commune))) for commune in communes],
    )


def contract_organizations(*, contract: Contract) -> QuerySet[Organization]:
    """Organisations tied to the contract: signatories, seats in its bodies, its members' organisations,
    and the organisations of its EPCI and communes concerned."""
    authorities = [organization.pk for organization in local_authorities(contract=contract).organizations]
    return Organization.objects.filter(
        Q(pk__in=Signatory.objects.filter(contract=contract).values("organization_id"))
        | Q(pk__in=BodyMember.objects.filter(body__contract=contract).values("organization_id"))
        | Q(pk__in=ContractRole.objects.filter(contract=contract).values("user__organization_id"))
        | Q(pk__in=authorities)
    ).distinct()


def organizations_for_seats(*, contract: Contract) -> QuerySet[Organization]:
    """Organisations offered when adding a seat: every organisation except the local authorities that are
    foreign to the contract (communes and EPCI of other territories)."""
    tied = contract_organizations(contract=contract).values("pk")
    return Organization.objects.filter(~Q(kind=OrganizationKind.LOCAL_AUTHORITY) | Q(pk__in=tied)).order_by("name")


def contract_users(*, contract: Contract) -> QuerySet[User]:
    """Users holding a role on the contract (those who may represent a seat on the platform)."""
    return (
        User.objects.filter(contract_roles__contract=contract)
        .select_related("organization")
        .order_by("last_name", "first_name", "email")
    )
