"""Reads of contracts, and the tenancy boundary: which contracts a user may see, with which role.

Every view and API endpoint of the platform resolves its contract through ``contract_access`` (or
the decorator built on it in ``contrat_ville.contracts.access``). Outside it the answer is 404,
whether the contract exists or not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from contrat_ville.accounts.models import Organization, User, hash_token
from contrat_ville.contracts.enums import AmendmentChangeKind, Role, SignatoryKind
from contrat_ville.contracts.models import (
    Amendment,
    Contract,
    ContractArea,
    ContractQuerySet,
    ContractRole,
    Invitation,
    Pillar,
    Signatory,
    TransversalAxis,
)
from contrat_ville.core.lookups import found_or_404
from contrat_ville.core.selectors import dependants_of_many
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink
from contrat_ville.territories.selectors import departement_codes_of, epcis_in_region


@dataclass(frozen=True)
class ContractAccess:
    """A contract as seen by one caller: who they are, their role there if any, whether they administer the platform.

    What the role allows is asked of the apps' permission predicates (``<app>/permissions.py``), never here.
    """

    contract: Contract
    role: str | None
    is_staff: bool = False
    user: User | None = None

    @property
    def is_member(self) -> bool:
        return self.role is not None or self.is_staff

    @property
    def role_label(self) -> str:
        if self.role:
            return Role(self.role).label
        return "administrateur" if self.is_staff else "visiteur"


def _is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def contracts_visible_to(user: Any) -> ContractQuerySet:
    """Published contracts for everyone; plus, for a signed-in user, the contracts they hold a role on.

    Staff (platform administrators) see every contract.
    """
    contracts = Contract.objects.all()
    if not _is_authenticated(user):
        return contracts.published()
    if user.is_staff:
        return contracts
    return contracts.filter(Q(is_published=True) | Q(roles__user=user)).distinct()


def contracts_of_member(user: Any) -> ContractQuerySet:
    """Contracts on which the user holds a role (their private space)."""
    if not _is_authenticated(user):
        return Contract.objects.none()
    if user.is_staff:
        return Contract.objects.all()
    return Contract.objects.filter(roles__user=user).distinct()


def contract_role_of(*, user: Any, contract: Contract) -> str | None:
    if not _is_authenticated(user):
        return None
    return ContractRole.objects.filter(user=user, contract=contract).values_list("role", flat=True).first()


def contract_access_of(*, user: Any, contract: Contract) -> ContractAccess:
    """How ``user`` sees ``contract`` (their role, if any), for a service that checks a predicate (no 404)."""
    is_staff = bool(_is_authenticated(user) and user.is_staff)
    return ContractAccess(
        contract=contract,
        role=contract_role_of(user=user, contract=contract),
        is_staff=is_staff,
        user=user if isinstance(user, User) else None,
    )


def contract_access(*, user: Any, slug: str, private: bool) -> ContractAccess:
    """Resolve a contract for a user or raise 404.

    ``private=True``: the page shows the contract's private data; only members (and staff) get it.
    ``private=False``: the public page of a published contract; members also see unpublished ones.
    """
    contract = found_or_404(Contract.objects.select_related("epci").filter(slug=slug).first(), "Contrat introuvable.")
    access = contract_access_of(user=user, contract=contract)
    if access.is_member:
        return access
    if not private and contract.is_published:
        return access
    raise Http404("Contrat introuvable.")


def contract_access_by_id(*, user: Any, contract_id: int, private: bool) -> ContractAccess:
    slug = found_or_404(
        Contract.objects.filter(pk=contract_id).values_list("slug", flat=True).first(), "Contrat introuvable."
    )
    return contract_access(user=user, slug=slug, private=private)


def contracts_for_listing(user: Any) -> ContractQuerySet:
    """The contracts visible to the user, with their EPCI and QPV count (``qpv_count``), by name."""
    return (
        contracts_visible_to(user)
        .select_related("epci")
        .annotate(qpv_count=Count("qpvs", distinct=True))
        .order_by("name", "pk")
    )


def contract_list_for(user: Any) -> list[Contract]:
    """Contracts listed for the user, with their EPCI and QPV count, in a fixed number of queries."""
    return list(contracts_for_listing(user))


def contract_roles_of(user: Any) -> dict[int, str]:
    """The user's role on each contract they belong to, by contract id (one query)."""
    if not _is_authenticated(user):
        return {}
    return dict(ContractRole.objects.filter(user=user).values_list("contract_id", "role"))


@dataclass(frozen=True)
class ContractListRow:
    contract: Contract
    role: str | None

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""


@dataclass(frozen=True)
class ContractListing:
    """The contract list of one user: theirs first (« Mes contrats »), then the others they may see."""

    mine: list[ContractListRow]
    others: list[ContractListRow]

    def __len__(self) -> int:
        return len(self.mine) + len(self.others)


def contract_listing_for(user: Any) -> ContractListing:
    """Contracts visible to the user, split between theirs and the others, in two queries."""
    roles = contract_roles_of(user)
    rows = [ContractListRow(contract=contract, role=roles.get(contract.pk)) for contract in contract_list_for(user)]
    return ContractListing(
        mine=[row for row in rows if row.role is not None], others=[row for row in rows if row.role is None]
    )


def published_contract_list() -> list[Contract]:
    """Published contracts (what anyone may see), with their EPCI and QPV count."""
    return contract_list_for(None)


@dataclass(frozen=True)
class QpvRow:
    """A QPV of the contract with the communes it lies in."""

    qpv: Territory
    communes: list[Territory]


@dataclass(frozen=True)
class ContractHome:
    """What the contract's dashboard shows of the contract itself (its terms, QPVs and signatures); the other areas
    add their panels. Built in a fixed number of queries whatever the data; no geometry, no commune."""

    signatories: list[Signatory]
    pillars: list[Pillar]
    axes: list[TransversalAxis]
    qpv_rows: list[QpvRow]

    @property
    def qpvs(self) -> list[Territory]:
        return [row.qpv for row in self.qpv_rows]

    @property
    def qpv_count(self) -> int:
        return len(self.qpv_rows)

    @property
    def qpv_population(self) -> int | None:
        """Sum of the QPVs' populations; ``None`` when no QPV has one."""
        populations = [row.qpv.population for row in self.qpv_rows if row.qpv.population is not None]
        return sum(populations) if populations else None

    @property
    def signed_count(self) -> int:
        return sum(1 for signatory in self.signatories if signatory.signed_on is not None)


@dataclass(frozen=True)
class ContractTerritory(ContractHome):
    """The page « Territoire et signataires »: the dashboard's data, the EPCI's communes and the map."""

    communes: list[Territory]
    map_data: dict[str, Any]

    @property
    def has_map(self) -> bool:
        return bool(
            self.map_data["epci"] or self.map_data["communes"]["features"] or self.map_data["qpvs"]["features"]
        )


def _feature(territory: Territory, **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": territory.geometry,
        "properties": {"code": territory.code, "name": territory.name, **properties},
    }


def _feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def contract_terms(*, contract: Contract) -> tuple[list[Pillar], list[TransversalAxis]]:
    return list(Pillar.objects.filter(contract=contract)), list(TransversalAxis.objects.filter(contract=contract))


def contract_signatories(*, contract: Contract) -> list[Signatory]:
    return list(Signatory.objects.filter(contract=contract).select_related("organization"))


def signatory_get(*, contract: Contract, signatory_id: int) -> Signatory:
    return found_or_404(
        Signatory.objects.select_related("contract", "organization")
        .filter(contract=contract, pk=signatory_id)
        .first(),
        "Signataire introuvable.",
    )


def contract_qpv_rows(*, contract: Contract) -> list[QpvRow]:
    """The contract's QPVs by code, each with the communes it lies in (two queries)."""
    qpvs = list(
        contract.qpvs.order_by("code").prefetch_related(
            Prefetch(
                "parent_links",
                queryset=TerritoryLink.objects.filter(parent__kind=TerritoryKind.COMMUNE)
                .select_related("parent")
                .order_by("parent__name"),
                to_attr="commune_links",
            )
        )
    )
    return [QpvRow(qpv=qpv, communes=[link.parent for link in qpv.commune_links]) for qpv in qpvs]  # type: ignore[attr-defined]


def epci_communes(*, epci: Territory) -> list[Territory]:
    """The communes of an intercommunality, through its territory links (one query)."""
    return list(
        Territory.objects.filter(kind=TerritoryKind.COMMUNE, parent_links__parent=epci)
        .distinct()
        .order_by("name", "code")
    )


def contract_map_data(
    *, contract: Contract, communes: list[Territory], qpv_rows: list[QpvRow], tile_url: str = "", attribution: str = ""
) -> dict[str, Any]:
    """GeoJSON for the contract map: the EPCI contour, its communes and the contract's QPVs (no query)."""
    epci = contract.epci
    return {
        "epci": _feature(epci, kind="epci") if epci.geometry else None,
        "communes": _feature_collection(
            [_feature(commune, kind="commune") for commune in communes if commune.geometry]
        ),
        "qpvs": _feature_collection(
            [
                _feature(row.qpv, kind="qpv", communes=[commune.name for commune in row.communes])
                for row in qpv_rows
                if row.qpv.geometry
            ]
        ),
        "tiles": {"url": tile_url, "attribution": attribution} if tile_url else None,
    }


def contract_home_data(*, contract: Contract) -> ContractHome:
    """What the dashboard shows of the contract itself, in a fixed number of queries whatever the data."""
    pillars, axes = contract_terms(contract=contract)
    return ContractHome(
        signatories=contract_signatories(contract=contract),
        pillars=pillars,
        axes=axes,
        qpv_rows=contract_qpv_rows(contract=contract),
    )


def contract_territory_data(*, contract: Contract, tile_url: str = "", attribution: str = "") -> ContractTerritory:
    """The page « Territoire et signataires », in a fixed number of queries (six) whatever the data."""
    pillars, axes = contract_terms(contract=contract)
    qpv_rows = contract_qpv_rows(contract=contract)
    communes = epci_communes(epci=contract.epci)
    return ContractTerritory(
        signatories=contract_signatories(contract=contract),
        pillars=pillars,
        axes=axes,
        qpv_rows=qpv_rows,
        communes=communes,
        map_data=contract_map_data(
            contract=contract, communes=communes, qpv_rows=qpv_rows, tile_url=tile_url, attribution=attribution
        ),
    )


@dataclass(frozen=True)
class ContractDetail:
    """A contract with what the API detail shows (four queries)."""

    contract: Contract
    qpvs: list[Territory]
    pillars: list[Pillar]
    axes: list[TransversalAxis]
    signatories: list[Signatory]


def contract_detail_get(*, contract: Contract) -> ContractDetail:
    pillars, axes = contract_terms(contract=contract)
    return ContractDetail(
        contract=contract,
        qpvs=list(contract.qpvs.order_by("code")),
        pillars=pillars,
        axes=axes,
        signatories=contract_signatories(contract=contract),
    )


def contract_members(*, contract: Contract) -> list[ContractRole]:
    """The members of a contract with their role, pilots first (order of ``Role``), then by name (one query)."""
    role_rank = Case(
        *(When(role=role, then=Value(rank)) for rank, role in enumerate(Role.values)),
        default=Value(len(Role.values)),
    )
    return list(
        ContractRole.objects.filter(contract=contract)
        .select_related("user", "user__organization")
        .order_by(role_rank, "user__last_name", "user__first_name", "user__email")
    )


def contract_prefetch_terms() -> list[Prefetch[Any]]:
    return [Prefetch("pillars"), Prefetch("axes")]


# --- a contract's structure, as it stands or stood ----------------------------------------------------------------


@dataclass(frozen=True)
class ContractStructure:
    """The contract as it stood on ``day``: its end date, pillars, transversal axes, QPVs and signatories, and the
    avenants signed by then (``contract_structure_as_of``)."""

    day: date
    end_on: date
    pillars: list[Pillar]
    axes: list[TransversalAxis]
    qpvs: list[Territory]
    signatories: list[Signatory]
    amendments: list[Amendment]


def _in_force_on(term: Pillar | TransversalAxis, day: date) -> bool:
    added = term.added_by_amendment
    if added is not None and added.signed_on > day:
        return False
    return term.archived_on is None or term.archived_on > day


def contract_structure_as_of(*, contract: Contract, day: date) -> ContractStructure:
    """The structure of the contract on ``day`` (issue 10 §1), rebuilt from today's by undoing, from the latest
    back, what the avenants signed after ``day`` changed (``AmendmentChange``). Seven queries whatever the data."""
    amendments = list(contract.amendments.prefetch_related("changes").order_by("signed_on", "number"))
    later = [amendment for amendment in amendments if amendment.signed_on > day]
    pillars = [
        p
        for p in Pillar.objects.filter(contract=contract).select_related("added_by_amendment")
        if _in_force_on(p, day)
    ]
    axes = [
        a
        for a in TransversalAxis.objects.filter(contract=contract).select_related("added_by_amendment")
        if _in_force_on(a, day)
    ]
    qpv_ids = set(contract.qpvs.values_list("pk", flat=True))
    signatories = list(Signatory.objects.filter(contract=contract).select_related("organization"))
    end_on = contract.end_on
    for amendment in reversed(later):
        for change in amendment.changes.all():
            if change.kind == AmendmentChangeKind.QPV_ADDED and change.object_id is not None:
                qpv_ids.discard(change.object_id)
            elif change.kind == AmendmentChangeKind.QPV_REMOVED and change.object_id is not None:
                qpv_ids.add(change.object_id)
            elif change.kind == AmendmentChangeKind.SIGNATORY_ADDED:
                signatories = [signatory for signatory in signatories if signatory.pk != change.object_id]
            elif change.kind == AmendmentChangeKind.END_DATE_CHANGED and change.before:
                end_on = date.fromisoformat(change.before)
    return ContractStructure(
        day=day,
        end_on=end_on,
        pillars=pillars,
        axes=axes,
        qpvs=list(Territory.objects.defer("geometry").filter(pk__in=qpv_ids).order_by("code")),
        signatories=signatories,
        amendments=[amendment for amendment in amendments if amendment.signed_on <= day],
    )


def amendment_list(*, contract: Contract) -> list[Amendment]:
    """The contract's avenants, latest first, with what each changed (two queries)."""
    return list(contract.amendments.prefetch_related("changes").order_by("-signed_on", "-number"))


def amendment_get(*, contract: Contract, amendment_id: int) -> Amendment:
    return found_or_404(
        contract.amendments.prefetch_related("changes").filter(pk=amendment_id).first(), "Avenant introuvable."
    )


@dataclass(frozen=True)
class TermRow:
    """A pillar or an axis on the structure page: whether it is in force and whether something cites it."""

    term: Pillar | TransversalAxis
    dependants: list[tuple[str, int]]

    @property
    def is_used(self) -> bool:
        return bool(self.dependants)


def term_rows(*, contract: Contract, kind: str) -> list[TermRow]:
    """The contract's pillars or axes, archived last, each with what cites it (one query, plus one per kind of
    object that may cite a term, whatever their number)."""
    model = Pillar if kind == "pillar" else TransversalAxis
    terms = (
        model.objects.filter(contract=contract)
        .select_related("added_by_amendment")
        .order_by(F("archived_on").asc(nulls_first=True), "order", "pk")
    )
    terms_list = list(terms)
    dependants = dependants_of_many(terms_list)
    return [TermRow(term=term, dependants=dependants.get(term.pk, [])) for term in terms_list]


def term_get(*, contract: Contract, kind: str, term_id: int) -> Pillar | TransversalAxis:
    model: type[Pillar] | type[TransversalAxis] = Pillar if kind == "pillar" else TransversalAxis
    term: Pillar | TransversalAxis | None = model.objects.filter(contract=contract, pk=term_id).first()
    if term is None:
        raise Http404("Terme introuvable.")
    return term


def terms_by_ids(*, contract: Contract, kind: str, ids: list[int]) -> list[Pillar | TransversalAxis]:
    """The contract's pillars (or axes) of these identifiers (one query); those of other contracts are left out."""
    model: type[Pillar] | type[TransversalAxis] = Pillar if kind == "pillar" else TransversalAxis
    return list(model.objects.filter(contract=contract, pk__in=set(ids)))


def signature_warnings(*, contract: Contract) -> list[str]:
    """Who should sign and is not among the signatories (rules R01-R02): the State, the EPCI, the communes
    concerned, the département and the région. Warnings, never blocks (design.md §4)."""
    kinds = set(Signatory.objects.filter(contract=contract).values_list("kind", flat=True))
    expected = {
        SignatoryKind.STATE: "l'État (le préfet)",
        SignatoryKind.EPCI: "l'intercommunalité",
        SignatoryKind.COMMUNE: "les communes concernées",
        SignatoryKind.DEPARTEMENT: "le département",
        SignatoryKind.REGION: "la région",
    }
    return [
        f"Aucun signataire n'est enregistré pour {label} (loi 2014-173 art. 6 I)."
        for kind, label in expected.items()
        if kind not in kinds
    ]


def epci_departement_codes(*, contract: Contract) -> set[str]:
    return departement_codes_of(epci=contract.epci)


# --- members and invitations ------------------------------------------------------------------------------------


def contracts_in_region(region_code: str | None) -> ContractQuerySet:
    """The contracts whose intercommunality lies (wholly or in part) in the région, every contract for ``None`` (an
    administrator's scope). Two queries when evaluated (the région's départements, then the contracts)."""
    if region_code is None:
        return Contract.objects.all()
    return Contract.objects.filter(epci__in=epcis_in_region(region_code).values("pk"))


def invitation_for_token(raw_token: str) -> Invitation | None:
    """The invitation a link carries, whatever its state (``None`` for a token the platform never issued)."""
    return (
        Invitation.objects.select_related("contract", "organization", "invited_by")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )


def invitation_list(*, contract: Contract) -> list[Invitation]:
    """The contract's invitations not yet accepted, latest first (one query)."""
    return list(
        Invitation.objects.filter(contract=contract, accepted_at__isnull=True).select_related(
            "invited_by", "organization"
        )
    )


def invitation_get(*, contract: Contract, invitation_id: int) -> Invitation:
    return found_or_404(
        Invitation.objects.filter(contract=contract, pk=invitation_id).first(), "Invitation introuvable."
    )


def member_get(*, contract: Contract, user_id: int) -> ContractRole:
    return found_or_404(
        ContractRole.objects.select_related("user").filter(contract=contract, user_id=user_id).first(),
        "Membre introuvable.",
    )


def area_list(*, contract: Contract) -> list[ContractArea]:
    """The contract's perimeters beside its QPVs, by kind then name (one query)."""
    return list(ContractArea.objects.filter(contract=contract).select_related("qpv").defer("qpv__geometry"))


def area_get(*, contract: Contract, area_id: int) -> ContractArea:
    return found_or_404(ContractArea.objects.filter(contract=contract, pk=area_id).first(), "Périmètre introuvable.")


# --- organisations ----------------------------------------------------------------------------------------------


def contract_territory_ids(*, contract: Contract) -> set[int]:
    """The contract's own territories: its EPCI, communes concerned and QPVs (two queries)."""
    return {
        contract.epci_id,
        *contract.communes.values_list("pk", flat=True),
        *contract.qpvs.values_list("pk", flat=True),
    }


def contract_territories_served(*, contract: Contract) -> QuerySet[Territory]:
    """The territories an organisation may be said to serve from the contract's space: the contract's own."""
    return (
        Territory.objects.filter(pk__in=contract_territory_ids(contract=contract))
        .defer("geometry")
        .order_by("kind", "name")
    )


def territories_served_by(*, contract: Contract, organization: Organization) -> list[Territory]:
    """The contract's territories ``organization`` serves."""
    return list(contract_territories_served(contract=contract).filter(serving_organizations=organization))


def organizations_of_contract(*, contract: Contract) -> QuerySet[Organization]:
    """The organisations a contract works with (issue 10 §4): those of its EPCI's département(s), its signatories,
    its members' organisations, the local authorities of its EPCI and communes (by SIREN), and those serving one of
    its territories. The organisations page lists them; the invitation form offers them and nothing else."""
    territory_ids = contract_territory_ids(contract=contract)
    sirens = Territory.objects.filter(pk__in=territory_ids).exclude(siren="").values("siren")
    return Organization.objects.filter(
        Q(departement_code__in=epci_departement_codes(contract=contract))
        | Q(pk__in=Signatory.objects.filter(contract=contract).values("organization_id"))
        | Q(pk__in=ContractRole.objects.filter(contract=contract).values("user__organization_id"))
        | Q(siren__in=sirens)
        | Q(
            pk__in=Territory.serving_organizations.through.objects.filter(territory_id__in=territory_ids).values(
                "organization_id"
            )
        )
    ).order_by("name")


def organization_search(organizations: QuerySet[Organization], query: str) -> QuerySet[Organization]:
    """``organizations`` whose name, acronym or former names contain ``query``, or whose SIREN starts with it."""
    query = query.strip()
    if not query:
        return organizations
    compact = query.replace(" ", "")
    by_siren = Q(siren__startswith=compact) if compact.isdigit() else Q(pk__in=[])
    return organizations.filter(
        Q(name__icontains=query) | Q(acronym__icontains=query) | Q(former_names__icontains=query) | by_siren
    )


@dataclass(frozen=True)
class OrganizationRow:
    """An organisation as the contract's organisations page shows it: the contract's territories it serves, and
    whether it is used (members, signatories, seats, invitations…), which forbids deleting it."""

    organization: Organization
    served: list[Territory]
    uses: list[tuple[str, int]]

    @property
    def is_used(self) -> bool:
        return bool(self.uses)


def _uses_of(organizations: Sequence[Organization]) -> dict[int, list[tuple[str, int]]]:
    """What points at each organisation, the territories it serves left aside (they go with it)."""
    served_name = str(Territory._meta.verbose_name)
    served_plural = str(Territory._meta.verbose_name_plural)
    return {
        pk: [(name, count) for name, count in uses if name not in (served_name, served_plural)]
        for pk, uses in dependants_of_many(organizations).items()
    }


def organization_rows(*, contract: Contract, query: str = "") -> list[OrganizationRow]:
    """The contract's organisations matching ``query``, each with the contract's territories it serves and its
    uses (a fixed number of queries, whatever the number of rows)."""
    served = Prefetch(
        "served_territories",
        queryset=Territory.objects.filter(pk__in=contract_territory_ids(contract=contract))
        .defer("geometry")
        .order_by("name"),
        to_attr="served_here",
    )
    organizations = list(
        organization_search(organizations_of_contract(contract=contract), query).prefetch_related(served)
    )
    uses = _uses_of(organizations)
    return [
        OrganizationRow(organization=organization, served=organization.served_here, uses=uses.get(organization.pk, []))
        for organization in organizations
    ]


def organization_get(*, contract: Contract, organization_id: int) -> Organization:
    """An organisation of the contract (``organizations_of_contract``); 404 otherwise."""
    return found_or_404(
        organizations_of_contract(contract=contract).filter(pk=organization_id).first(), "Organisation introuvable."
    )


def organization_uses(organization: Organization) -> list[tuple[str, int]]:
    return _uses_of([organization]).get(organization.pk, [])


@dataclass(frozen=True)
class SetupStep:
    """One thing a new contract needs, done or not, and the page where it is done."""

    label: str
    is_done: bool
    url_name: str


def contract_setup_steps(*, contract: Contract) -> list[SetupStep]:
    """What the pilot completes after the space is opened (issue 10), in order; five queries whatever the data."""
    roles = ContractRole.objects.filter(contract=contract)
    steering_roles = roles.filter(role__in=[Role.PILOT, Role.STATE]).values("role").distinct().count()
    return [
        SetupStep("Rattacher les quartiers prioritaires", contract.qpvs.exists(), "contracts:contract_territories"),
        SetupStep("Vérifier les communes concernées", contract.communes.exists(), "contracts:contract_territories"),
        SetupStep(
            "Inviter le pilote et le délégué de l'État",
            steering_roles >= 2,  # a pilot and a State delegate
            "contracts:contract_members",
        ),
        SetupStep("Inviter les partenaires", roles.filter(role=Role.PARTNER).exists(), "contracts:contract_members"),
        SetupStep("Enregistrer les signataires", contract.signatories.exists(), "contracts:contract_signature"),
    ]
