"""Reads of the contract's bodies and their members, and who may see them (issue « gouvernance » §6).

Who reads what is asked of ``governance.permissions``: the steering roles every body, other members the bodies
they sit in (their organisation holds a seat, or they hold one themselves).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.models import Contract, ContractRole, Signatory
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.core.lookups import found_or_404
from contrat_ville.governance.enums import BodyKind, MeetingStatus, MemberRole
from contrat_ville.governance.models import Body, BodyMember, Meeting
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
    BodyKind.LOCAL,
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
            .select_related("contract", "pillar", "axis")
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
class MeetingPace:
    """A body's meetings of the current year (held, convened or planned: not cancelled) against the minimum
    number a year the contract sets for it."""

    year: int
    minimum: int
    count: int

    @property
    def is_short(self) -> bool:
        return self.count < self.minimum

    @property
    def warning_fr(self) -> str:
        held = f"{self.count} séance{'s' if self.count > 1 else ''} tenue{'s' if self.count > 1 else ''} ou prévue"
        held += "s" if self.count > 1 else ""
        return (
            f"{held} en {self.year} pour {self.minimum} au minimum par an : "
            f"programmez-en {self.minimum - self.count} de plus."
        )


def _counted_meetings(year: int) -> Q:
    """The meetings of ``year`` that count towards the minimum: held, convened or planned (not cancelled)."""
    return Q(meetings__starts_at__year=year) & ~Q(meetings__status=MeetingStatus.CANCELLED)


def meeting_pace(*, body: Body, count: int | None = None) -> MeetingPace | None:
    """The body's pace this year when it has a minimum number of meetings a year (None otherwise).

    ``count``: the number of this year's meetings when already annotated (``body_list_for``).
    """
    if body.min_meetings_per_year is None:
        return None
    year = timezone.localdate().year
    if count is None:
        count = Meeting.objects.filter(body=body, starts_at__year=year).exclude(status=MeetingStatus.CANCELLED).count()
    return MeetingPace(year=year, minimum=body.min_meetings_per_year, count=count)


@dataclass(frozen=True)
class BodyRow:
    """A body of the list page and its meetings this year against its minimum (None without a minimum)."""

    body: Body
    pace: MeetingPace | None


@dataclass(frozen=True)
class BodyGroup:
    """The bodies of one kind (or one local kind), for the list page."""

    kind: str
    label: str
    rows: Sequence[BodyRow]

    @property
    def bodies(self) -> list[Body]:
        return [row.body for row in self.rows]

    @property
    def is_working_group(self) -> bool:
        """Working groups and local bodies have one more column: their pillar or transversal axis."""
        return self.kind in {BodyKind.WORKING_GROUP, BodyKind.LOCAL}


def body_list_for(*, contract: Contract, access: ContractAccess, user: Any) -> list[BodyGroup]:
    """The bodies the user may read, grouped by kind in the seed's order then by local kind, with their members
    (two queries).

    Each row carries its pace (its meetings this year against its minimum, if any); each body ``member_count`` and
    its members prefetched (``body.members.all()``), so the page shows counts and co-chairs without further queries.
    """
    bodies = list(
        bodies_visible_to(contract=contract, access=access, user=user)
        .select_related("pillar", "axis")
        .prefetch_related(members_prefetch())
        .annotate(
            member_count=Count("members", distinct=True),
            year_meeting_count=Count("meetings", filter=_counted_meetings(timezone.localdate().year), distinct=True),
        )
        .order_by("kind", "pillar__order", "axis__order", "name", "pk")
    )
    rows = [BodyRow(body=body, pace=meeting_pace(body=body, count=body.year_meeting_count)) for body in bodies]
    groups = []
    for kind in BODY_KIND_ORDER:
        of_kind = [row for row in rows if row.body.kind == kind]
        if kind != BodyKind.LOCAL:
            if of_kind:
                groups.append(BodyGroup(kind=kind, label=BodyKind(kind).label, rows=of_kind))
            continue
        labels = sorted({row.body.local_kind_label for row in of_kind}, key=str.casefold)
        groups += [
            BodyGroup(kind=kind, label=label, rows=[row for row in of_kind if row.body.local_kind_label == label])
            for label in labels
        ]
    return groups


def seats_of_organization(*, organization: Organization, contract: Contract) -> list[BodyMember]:
    """The seats an organisation holds in the contract's bodies, steering committee first (one query)."""
    return list(
        BodyMember.objects.filter(organization=organization, body__contract=contract)
        .select_related("body")
        .order_by("body__kind", "body__name", "pk")
    )


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
