"""API of the diagnostic: the data inventory and the findings (état des lieux), stakes (with versions, axes, droit
commun, status, COPIL validation), consultations, and the opinions council members give on them.

Same services and selectors as the web pages. Private to the contract's members: 401 without token, 404 outside
the contract, 403 for a member whose role may not write, 422 with the French message of a refused rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Status
from ninja.errors import HttpError

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.access import (
    api_caller,
    api_contract_access,
    api_removal,
    api_require,
    business_rules_as_http,
)
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.registries import consultable_kinds
from contrat_ville.core.schemas import Id, InputSchema
from contrat_ville.diagnostic.enums import STAKE_OPEN_STATUSES, StakeStatus
from contrat_ville.diagnostic.models import Finding, Stake
from contrat_ville.diagnostic.permissions import (
    can_edit_stake,
    can_redefine_stake,
    can_steer_diagnostic,
    can_write_diagnostic,
)
from contrat_ville.diagnostic.schemas import (
    ConsultationIn,
    ConsultationOut,
    ConsultedObjectIn,
    DataSourceIn,
    DataSourceOut,
    EvidenceIn,
    FindingIn,
    FindingOut,
    MainstreamIn,
    OpinionGivenOut,
    OpinionIn,
    StakeDetailOut,
    StakeDuplicateIn,
    StakeIn,
    StakeOut,
    StakeRedefineIn,
    StakeUpdateIn,
)
from contrat_ville.diagnostic.selectors import consultations as consultation_selectors
from contrat_ville.diagnostic.selectors import inventory as inventory_selectors
from contrat_ville.diagnostic.selectors import stakes as stake_selectors
from contrat_ville.diagnostic.selectors.inventory import pillar_by_code
from contrat_ville.diagnostic.services import consultations as consultation_services
from contrat_ville.diagnostic.services import inventory as inventory_services
from contrat_ville.diagnostic.services import stakes as stake_services
from contrat_ville.governance.selectors.bodies import organizations_for_seats
from contrat_ville.participation.permissions import speaks_for_a_council


def _stake_detail_out(stake: Stake, access: ContractAccess, user: Any) -> StakeDetailOut:
    history = stake_selectors.stake_history(stake, access=access, user=user)
    return StakeDetailOut.of(
        stake,
        is_validated=stake_selectors.is_stake_validated(stake),
        status_history=[row.change for row in history.status_changes],
    )


def _pillar(contract: Contract, code: str) -> Pillar:
    """The contract's pillar with that code, or 422 in French."""
    pillar = pillar_by_code(contract=contract, code=code)
    if pillar is None:
        raise HttpError(422, f"Ce contrat n'a pas de pilier « {code} ».")
    return pillar


def _findings(contract: Contract, finding_ids: list[int]) -> list[Finding]:
    """The contract's findings named by ``finding_ids`` (422 in French for one it does not hold)."""
    findings = list(Finding.objects.filter(contract=contract, pk__in=finding_ids))
    if len(findings) != len(set(finding_ids)):
        raise HttpError(422, "Un constat cité n'existe pas dans ce contrat.")
    return findings


def _axes(contract: Contract, codes: list[str]) -> list[TransversalAxis]:
    """The contract's transversal axes named by ``codes`` (422 in French for an unknown code)."""
    axes = list(TransversalAxis.objects.filter(contract=contract, code__in=codes))
    if len(axes) != len(set(codes)):
        raise HttpError(422, "Un axe transversal demandé n'existe pas dans ce contrat.")
    return axes


router = Router(tags=["diagnostic"])
endpoints = Endpoints(router, "diagnostic")


class PillarFilters(InputSchema):
    pillar: str | None = Field(None, max_length=32, description="Code du pilier.")


class StakeFilters(PillarFilters):
    status: StakeStatus | None = None


# --- data inventory (recensement des données) -----------------------------------------------------------------


@endpoints.reads("/{contract_id}/data-sources", list[DataSourceOut], summary="Recensement des données")
def data_source_list(request: HttpRequest, contract_id: Id, filters: Query[PillarFilters]) -> Any:
    """Les sources de données en vigueur du contrat, par pilier (groupe de travail) puis producteur. Filtre :
    `pillar` (code)."""
    access = api_contract_access(request, contract_id, private=True)
    pillar = _pillar(access.contract, filters.pillar) if filters.pillar else None
    return inventory_selectors.data_source_list(contract=access.contract, pillar=pillar)


def _source_fields(contract: Contract, payload: DataSourceIn) -> dict[str, Any]:
    pillar = _pillar(contract, payload.pillar) if payload.pillar else None
    return {"pillar": pillar, **payload.model_dump(exclude={"pillar"})}


@endpoints.creates("/{contract_id}/data-sources", DataSourceOut, summary="Ajouter une source de données")
def data_source_create(request: HttpRequest, contract_id: Id, payload: DataSourceIn) -> Any:
    """Réservé au pilote, à l'État et aux partenaires. Sans pilier : une source commune à tout le contrat."""
    access = api_contract_access(request, contract_id, private=True, permission=can_write_diagnostic)
    with business_rules_as_http():
        source = inventory_services.data_source_create(
            contract=access.contract, by=access.user, **_source_fields(access.contract, payload)
        )
    return Status(201, source)


@endpoints.writes(
    "PUT", "/{contract_id}/data-sources/{source_id}", DataSourceOut, summary="Modifier une source de données"
)
def data_source_update(request: HttpRequest, contract_id: Id, source_id: Id, payload: DataSourceIn) -> Any:
    """Réservé au pilote, à l'État et aux partenaires. Remplace tous les champs de la source."""
    access = api_contract_access(request, contract_id, private=True, permission=can_write_diagnostic)
    source = inventory_selectors.data_source_get(contract=access.contract, source_id=source_id)
    with business_rules_as_http():
        source = inventory_services.data_source_update(
            source=source, by=access.user, **_source_fields(access.contract, payload)
        )
    return source


@endpoints.removes("DELETE", "/{contract_id}/data-sources/{source_id}", summary="Supprimer une source de données")
def data_source_delete(request: HttpRequest, contract_id: Id, source_id: Id) -> Any:
    """Réservé au pilote, à l'État et aux partenaires, tant qu'aucun constat ne la cite (422 sinon : archivez-la)."""
    return api_removal(
        request,
        contract_id,
        permission=can_write_diagnostic,
        get=lambda contract: inventory_selectors.data_source_get(contract=contract, source_id=source_id),
        remove=lambda source, by: inventory_services.data_source_delete(source=source, by=by),
    )


@endpoints.removes("POST", "/{contract_id}/data-sources/{source_id}/archive", summary="Archiver une source de données")
def data_source_archive(request: HttpRequest, contract_id: Id, source_id: Id) -> Any:
    """Réservé au pilote, à l'État et aux partenaires. La source quitte l'inventaire et les formulaires ; les
    constats qui la citent la gardent."""
    return api_removal(
        request,
        contract_id,
        permission=can_write_diagnostic,
        get=lambda contract: inventory_selectors.data_source_get(contract=contract, source_id=source_id),
        remove=lambda source, by: inventory_services.data_source_archive(
            source=source, on=timezone.localdate(), by=by
        ),
    )


# --- findings (état des lieux) ---------------------------------------------------------------------------------


@endpoints.reads("/{contract_id}/findings", list[FindingOut], summary="État des lieux : atouts et handicaps")
def finding_list(request: HttpRequest, contract_id: Id, filters: Query[PillarFilters]) -> Any:
    """Les constats en vigueur du contrat, par pilier, quartier et nature, avec les sources et les indicateurs
    qu'ils citent. Filtre : `pillar` (code)."""
    access = api_contract_access(request, contract_id, private=True)
    pillar = _pillar(access.contract, filters.pillar) if filters.pillar else None
    return inventory_selectors.finding_list(contract=access.contract, pillar=pillar)


@endpoints.reads("/{contract_id}/findings/{finding_id}", FindingOut, summary="Détail d'un constat")
def finding_detail(request: HttpRequest, contract_id: Id, finding_id: Id) -> Any:
    """Un constat avec les sources et les indicateurs qu'il cite."""
    access = api_contract_access(request, contract_id, private=True)
    return inventory_selectors.finding_get(contract=access.contract, finding_id=finding_id)


def _finding_fields(contract: Contract, payload: FindingIn, keep: list[int]) -> dict[str, Any]:
    """The service's arguments: pillar and quartier by their codes, sources in force (or already cited, ``keep``)
    by their identifiers; 422 in French for what the contract does not hold."""
    territory = None
    if payload.territory:
        territory = inventory_selectors.contract_qpvs(contract=contract).filter(code=payload.territory).first()
        if territory is None:
            raise HttpError(422, f"Ce contrat n'a pas de quartier prioritaire de code « {payload.territory} ».")
    wanted = set(payload.data_source_ids)
    sources = list(inventory_selectors.data_source_list(contract=contract, keep=keep).filter(pk__in=wanted))
    if len(sources) != len(wanted):
        raise HttpError(422, "Une source citée n'existe pas dans ce contrat, ou elle est archivée.")
    return {
        "pillar": _pillar(contract, payload.pillar),
        "territory": territory,
        "kind": payload.kind.value,
        "text": payload.text,
        "data_sources": sources,
    }


@endpoints.creates("/{contract_id}/findings", FindingOut, summary="Ajouter un constat")
def finding_create(request: HttpRequest, contract_id: Id, payload: FindingIn) -> Any:
    """Réservé au pilote, à l'État et aux partenaires. Un atout ou un handicap d'un quartier prioritaire du contrat
    (par son code), ou de tout le contrat, pour un pilier ; sources par leur identifiant."""
    access = api_contract_access(request, contract_id, private=True, permission=can_write_diagnostic)
    contract = access.contract
    with business_rules_as_http():
        finding = inventory_services.finding_create(
            contract=contract, by=access.user, **_finding_fields(contract, payload, keep=[])
        )
    return Status(201, inventory_selectors.finding_get(contract=contract, finding_id=finding.pk))


@endpoints.writes("PUT", "/{contract_id}/findings/{finding_id}", FindingOut, summary="Modifier un constat")
def finding_update(request: HttpRequest, contract_id: Id, finding_id: Id, payload: FindingIn) -> Any:
    """Réservé au pilote, à l'État et aux partenaires. Remplace tous les champs du constat ; une source archivée
    qu'il cite déjà peut le rester."""
    access = api_contract_access(request, contract_id, private=True, permission=can_write_diagnostic)
    contract = access.contract
    finding = inventory_selectors.finding_get(contract=contract, finding_id=finding_id)
    keep = [source.pk for source in finding.data_sources.all()]
    with business_rules_as_http():
        inventory_services.finding_update(
            finding=finding, by=access.user, **_finding_fields(contract, payload, keep=keep)
        )
    return inventory_selectors.finding_get(contract=contract, finding_id=finding.pk)


@endpoints.removes("DELETE", "/{contract_id}/findings/{finding_id}", summary="Supprimer un constat")
def finding_delete(request: HttpRequest, contract_id: Id, finding_id: Id) -> Any:
    """Réservé au pilote, à l'État et aux partenaires, tant qu'aucun enjeu n'en découle (422 sinon : archivez-le).
    Les indicateurs qu'il cite partent avec lui."""
    return api_removal(
        request,
        contract_id,
        permission=can_write_diagnostic,
        get=lambda contract: inventory_selectors.finding_get(contract=contract, finding_id=finding_id),
        remove=lambda finding, by: inventory_services.finding_delete(finding=finding, by=by),
    )


@endpoints.removes("POST", "/{contract_id}/findings/{finding_id}/archive", summary="Archiver un constat")
def finding_archive(request: HttpRequest, contract_id: Id, finding_id: Id) -> Any:
    """Réservé au pilote, à l'État et aux partenaires. Le constat quitte l'état des lieux et les formulaires ; les
    enjeux qui en découlent le gardent."""
    return api_removal(
        request,
        contract_id,
        permission=can_write_diagnostic,
        get=lambda contract: inventory_selectors.finding_get(contract=contract, finding_id=finding_id),
        remove=lambda finding, by: inventory_services.finding_archive(finding=finding, on=timezone.localdate(), by=by),
    )


@endpoints.creates("/{contract_id}/findings/{finding_id}/evidence", FindingOut, summary="Citer un indicateur")
def finding_evidence_add(request: HttpRequest, contract_id: Id, finding_id: Id, payload: EvidenceIn) -> Any:
    """Réservé au pilote, à l'État et aux partenaires. Un chiffre du catalogue : indicateur (par son code),
    territoire (un quartier prioritaire du contrat, une commune concernée ou l'EPCI, par son code officiel) et
    année ; sa valeur vient des indicateurs importés. Répond le constat."""
    access = api_contract_access(request, contract_id, private=True, permission=can_write_diagnostic)
    contract = access.contract
    finding = inventory_selectors.finding_get(contract=contract, finding_id=finding_id)
    indicator = inventory_selectors.indicator_choices().filter(code=payload.indicator_code).first()
    if indicator is None:
        raise HttpError(422, f"Indicateur inconnu : « {payload.indicator_code} ».")
    territory = next(
        (
            item
            for item in inventory_selectors.evidence_territories(contract=contract)
            if item.code == payload.territory_code
        ),
        None,
    )
    if territory is None:
        raise HttpError(
            422,
            f"« {payload.territory_code} » n'est ni un quartier, ni une commune concernée, ni l'intercommunalité du "
            "contrat.",
        )
    with business_rules_as_http():
        inventory_services.finding_evidence_add(
            finding=finding, indicator=indicator, territory=territory, period=payload.period, by=access.user
        )
    return Status(201, inventory_selectors.finding_get(contract=contract, finding_id=finding.pk))


@endpoints.removes(
    "DELETE", "/{contract_id}/findings/{finding_id}/evidence/{evidence_id}", summary="Retirer un indicateur cité"
)
def finding_evidence_remove(request: HttpRequest, contract_id: Id, finding_id: Id, evidence_id: Id) -> Any:
    """Réservé au pilote, à l'État et aux partenaires."""
    return api_removal(
        request,
        contract_id,
        permission=can_write_diagnostic,
        get=lambda contract: inventory_selectors.finding_evidence_get(
            finding=inventory_selectors.finding_get(contract=contract, finding_id=finding_id), evidence_id=evidence_id
        ),
        remove=lambda evidence, by: inventory_services.finding_evidence_remove(evidence=evidence, by=by),
    )


# --- stakes ---------------------------------------------------------------------------------------------------


@endpoints.reads("/{contract_id}/stakes", list[StakeOut], summary="Enjeux du diagnostic")
def stake_list(request: HttpRequest, contract_id: Id, filters: Query[StakeFilters]) -> Any:
    """Les enjeux du contrat par pilier, avec leurs versions, axes transversaux, droit commun identifié, état et
    validation par le comité de pilotage. Filtres : `pillar` (code), `status`."""
    access = api_contract_access(request, contract_id, private=True)
    pillar = _pillar(access.contract, filters.pillar) if filters.pillar else None
    rows = stake_selectors.stake_rows(
        contract=access.contract, pillar=pillar, status=filters.status.value if filters.status else None
    )
    return [StakeOut.of(row.stake, is_validated=row.is_validated) for row in rows]


@endpoints.reads("/{contract_id}/stakes/{stake_id}", StakeDetailOut, summary="Détail d'un enjeu")
def stake_detail(request: HttpRequest, contract_id: Id, stake_id: Id) -> Any:
    """Un enjeu avec ses versions, les constats dont il découle et l'historique de ses états."""
    access = api_contract_access(request, contract_id, private=True)
    user = api_caller(request)
    stake = stake_selectors.stake_get(contract=access.contract, stake_id=stake_id)
    return _stake_detail_out(stake, access, user)


@endpoints.creates("/{contract_id}/stakes", StakeDetailOut, summary="Proposer un enjeu")
def stake_create(request: HttpRequest, contract_id: Id, payload: StakeIn) -> Any:
    """Réservé au pilote, à l'État et aux partenaires. L'enjeu est créé à l'état « proposé », en version 1."""
    access = api_contract_access(request, contract_id, private=True, permission=can_write_diagnostic)
    user = api_caller(request)
    contract = access.contract
    pillar = _pillar(contract, payload.pillar)
    axes = _axes(contract, payload.axes)
    findings = _findings(contract, payload.finding_ids)
    organizations = Organization.objects.in_bulk([row.organization_id for row in payload.mainstream])
    if len(organizations) != len({row.organization_id for row in payload.mainstream}):
        raise HttpError(422, "Un partenaire du droit commun est inconnu.")
    with business_rules_as_http():
        stake = stake_services.stake_create(
            contract=contract,
            pillar=pillar,
            title=payload.title,
            description=payload.description,
            axes=axes,
            findings=findings,
            mainstream=[(organizations[row.organization_id], row.policy) for row in payload.mainstream],
            by=user,
        )
    created = stake_selectors.stake_get(contract=contract, stake_id=stake.pk)
    return Status(201, _stake_detail_out(created, access, user))


@endpoints.writes("PUT", "/{contract_id}/stakes/{stake_id}", StakeDetailOut, summary="Modifier un enjeu")
def stake_update(request: HttpRequest, contract_id: Id, stake_id: Id, payload: StakeUpdateIn) -> Any:
    """Réservé au pilote, à l'État et aux partenaires, tant que le comité de pilotage ne l'a ni retenu ni écarté
    (422 sinon). Pilier, intitulé, description, axes et constats ; une version soumise aux conseils citoyens ne
    change plus de texte (422 : redéfinissez l'enjeu). Le droit commun se gère à part."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_stake)
    user = api_caller(request)
    contract = access.contract
    stake = stake_selectors.stake_get(contract=contract, stake_id=stake_id)
    pillar = _pillar(contract, payload.pillar)
    axes = _axes(contract, payload.axes)
    findings = _findings(contract, payload.finding_ids)
    with business_rules_as_http():
        stake_services.stake_update(
            stake=stake,
            pillar=pillar,
            title=payload.title,
            description=payload.description,
            axes=axes,
            findings=findings,
            by=user,
        )
    updated = stake_selectors.stake_get(contract=contract, stake_id=stake.pk)
    return _stake_detail_out(updated, access, user)


@endpoints.writes(
    "POST", "/{contract_id}/stakes/{stake_id}/redefine", StakeDetailOut, summary="Redéfinir un enjeu soumis"
)
def stake_redefine(request: HttpRequest, contract_id: Id, stake_id: Id, payload: StakeRedefineIn) -> Any:
    """Réservé au pilote, à l'État et aux partenaires, pour un enjeu soumis aux conseils citoyens (422 sinon) : une
    nouvelle version avec son motif, état « redéfini » ; les avis restent attachés à la version sur laquelle ils ont
    été donnés."""
    access = api_contract_access(request, contract_id, private=True, permission=can_redefine_stake)
    user = api_caller(request)
    contract = access.contract
    stake = stake_selectors.stake_get(contract=contract, stake_id=stake_id)
    axes = _axes(contract, payload.axes)
    with business_rules_as_http():
        stake_services.stake_redefine(
            stake=stake,
            title=payload.title,
            description=payload.description,
            axes=axes,
            reason=payload.reason,
            by=user,
        )
    return _stake_detail_out(stake_selectors.stake_get(contract=contract, stake_id=stake.pk), access, user)


@endpoints.creates(
    "/{contract_id}/stakes/{stake_id}/mainstream", StakeDetailOut, summary="Identifier le droit commun d'un enjeu"
)
def stake_mainstream_add(request: HttpRequest, contract_id: Id, stake_id: Id, payload: MainstreamIn) -> Any:
    """Réservé au pilote, à l'État et aux partenaires, tant que le comité de pilotage n'a pas décidé de l'enjeu
    (422 sinon) : le partenaire (par son identifiant) et la politique de droit commun qu'il mobilise."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_stake)
    user = api_caller(request)
    contract = access.contract
    stake = stake_selectors.stake_get(contract=contract, stake_id=stake_id)
    organization = organizations_for_seats(contract=contract).filter(pk=payload.organization_id).first()
    if organization is None:
        raise HttpError(422, "Un partenaire du droit commun est inconnu.")
    with business_rules_as_http():
        stake_services.stake_mainstream_add(stake=stake, organization=organization, policy=payload.policy, by=user)
    return Status(
        201, _stake_detail_out(stake_selectors.stake_get(contract=contract, stake_id=stake.pk), access, user)
    )


@endpoints.removes(
    "DELETE",
    "/{contract_id}/stakes/{stake_id}/mainstream/{mainstream_id}",
    summary="Retirer le droit commun d'un enjeu",
)
def stake_mainstream_remove(request: HttpRequest, contract_id: Id, stake_id: Id, mainstream_id: Id) -> Any:
    """Réservé au pilote, à l'État et aux partenaires, tant que le comité de pilotage n'a pas décidé de l'enjeu."""

    def row_of(contract: Contract) -> Any:
        stake = stake_selectors.stake_get(contract=contract, stake_id=stake_id)
        row = next((item for item in stake.mainstream.all() if item.pk == mainstream_id), None)
        if row is None:
            raise HttpError(404, "Cette ligne de droit commun n'existe pas.")
        return row

    return api_removal(
        request,
        contract_id,
        permission=can_edit_stake,
        get=row_of,
        remove=lambda row, by: stake_services.stake_mainstream_remove(mainstream=row, by=by),
    )


@endpoints.writes(
    "PUT", "/{contract_id}/stakes/{stake_id}/duplicate", StakeDetailOut, summary="Signaler un enjeu en doublon"
)
def stake_duplicate(request: HttpRequest, contract_id: Id, stake_id: Id, payload: StakeDuplicateIn) -> Any:
    """Réservé au pilote et à l'État (synthèse du comité technique) : l'enjeu d'origine dont celui-ci est le
    doublon, ou `null` pour lever le signalement. Pas de chaîne de doublons (422)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_steer_diagnostic)
    user = api_caller(request)
    contract = access.contract
    stake = stake_selectors.stake_get(contract=contract, stake_id=stake_id)
    original = None
    if payload.duplicate_of is not None:
        original = stake_selectors.stake_find(contract=contract, stake_id=payload.duplicate_of)
        if original is None:
            raise HttpError(422, "L'enjeu d'origine n'existe pas dans ce contrat.")
    with business_rules_as_http():
        stake_services.stake_duplicate_set(stake=stake, duplicate_of=original, by=user)
    return _stake_detail_out(stake_selectors.stake_get(contract=contract, stake_id=stake.pk), access, user)


def _stake_removed(
    request: HttpRequest, contract_id: int, stake_id: int, remove: Callable[[Stake, Any], object]
) -> Any:
    """Delete or archive a stake: reserved to the pilot and the State."""
    return api_removal(
        request,
        contract_id,
        permission=can_steer_diagnostic,
        get=lambda contract: stake_selectors.stake_get(contract=contract, stake_id=stake_id),
        remove=remove,
    )


@endpoints.removes("DELETE", "/{contract_id}/stakes/{stake_id}", summary="Supprimer un enjeu", name="stake_delete")
def stake_delete(request: HttpRequest, contract_id: Id, stake_id: Id) -> Any:
    """Réservé au pilote et à l'État, tant que l'enjeu n'a été ni soumis aux conseils citoyens, ni visé par une
    décision, ni cité par une orientation (422 sinon : archivez-le)."""
    return _stake_removed(
        request, contract_id, stake_id, lambda stake, by: stake_services.stake_delete(stake=stake, by=by)
    )


@endpoints.removes(
    "POST", "/{contract_id}/stakes/{stake_id}/archive", summary="Archiver un enjeu", name="stake_archive"
)
def stake_archive(request: HttpRequest, contract_id: Id, stake_id: Id) -> Any:
    """Réservé au pilote et à l'État. L'enjeu quitte les listes et les formulaires ; les orientations, décisions et
    avis qui le citent le gardent."""
    return _stake_removed(
        request,
        contract_id,
        stake_id,
        lambda stake, by: stake_services.stake_archive(stake=stake, on=timezone.localdate(), by=by),
    )


@endpoints.reads("/{contract_id}/consultations", list[ConsultationOut], summary="Consultations des conseils citoyens")
def consultation_list(request: HttpRequest, contract_id: Id) -> Any:
    """Les consultations sur les enjeux ; un membre de conseil citoyen ne voit que celles adressées à son conseil."""
    access = api_contract_access(request, contract_id, private=True)
    user = api_caller(request)
    consultations = consultation_selectors.consultations_visible_to(contract=access.contract, access=access, user=user)
    return consultations.order_by("-created_at")


def _consulted_objects(contract: Contract, wanted: list[ConsultedObjectIn]) -> list[Model]:
    """The objects of ``wanted`` among what the contract may submit (each kind's candidates), or 422."""
    found: list[Model] = []
    for entry in wanted:
        kind = consultable_kinds.get(entry.kind)
        if kind is None:
            raise HttpError(422, f"« {entry.kind} » ne peut pas être soumis aux conseils citoyens.")
        obj = kind.candidates(contract).filter(pk=entry.id).first()
        if obj is None:
            raise HttpError(422, f"L'objet {entry.kind} n° {entry.id} ne peut pas être soumis dans ce contrat.")
        found.append(obj)
    return found


@endpoints.creates(
    "/{contract_id}/consultations", ConsultationOut, summary="Soumettre des objets aux conseils citoyens"
)
def consultation_create(request: HttpRequest, contract_id: Id, payload: ConsultationIn) -> Any:
    """Réservé au pilote et à l'État. Les enjeux choisis (ni décidés, ni doublons) passent « soumis » : leur version
    actuelle est figée ; les autres objets (``objects`` : orientations stratégiques, plans d'actions annuels…) sont
    soumis tels quels. Les conseils citoyens du contrat consultés donnent leur avis jusqu'à la date limite."""
    access = api_contract_access(request, contract_id, private=True, permission=can_steer_diagnostic)
    user = api_caller(request)
    contract = access.contract
    councils = list(Organization.objects.filter(pk__in=payload.council_ids))
    if len(councils) != len(set(payload.council_ids)):
        raise HttpError(422, "Un conseil citoyen indiqué est inconnu.")
    stakes = list(
        Stake.objects.filter(
            contract=contract, pk__in=payload.stake_ids, status__in=STAKE_OPEN_STATUSES, duplicate_of__isnull=True
        )
    )
    if len(stakes) != len(set(payload.stake_ids)):
        raise HttpError(422, "Un enjeu indiqué n'existe pas dans ce contrat, est déjà décidé ou est un doublon.")
    with business_rules_as_http():
        consultation = consultation_services.consultation_create(
            contract=contract,
            title=payload.title,
            message=payload.message,
            deadline=payload.deadline,
            councils=councils,
            stakes=stakes,
            objects=_consulted_objects(contract, payload.objects),
            by=user,
        )
    created = consultation_selectors.consultation_get(
        contract=contract, consultation_id=consultation.pk, access=access, user=user
    )
    return Status(201, created)


@endpoints.writes(
    "POST",
    "/{contract_id}/consultations/{consultation_id}/close",
    ConsultationOut,
    summary="Clore une consultation",
)
def consultation_close(request: HttpRequest, contract_id: Id, consultation_id: Id) -> Any:
    """Réservé au pilote et à l'État, avant ou après la date limite : les avis ne se donnent ni ne se modifient
    plus (422 si elle est déjà close)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_steer_diagnostic)
    user = api_caller(request)
    consultation = consultation_selectors.consultation_get(
        contract=access.contract, consultation_id=consultation_id, access=access, user=user
    )
    with business_rules_as_http():
        consultation_services.consultation_close(consultation=consultation, by=user)
    return consultation_selectors.consultation_get(
        contract=access.contract, consultation_id=consultation.pk, access=access, user=user
    )


@endpoints.creates(
    "/{contract_id}/consultations/{consultation_id}/opinions",
    OpinionGivenOut,
    summary="Donner un avis sur un objet soumis",
)
def opinion_give(request: HttpRequest, contract_id: Id, consultation_id: Id, payload: OpinionIn) -> Any:
    """Réservé aux membres des conseils citoyens consultés, jusqu'à la date limite. L'objet jugé est désigné par
    ``item_id`` (un objet de la consultation) ou ``stake_version_id`` (une version d'enjeu soumise). Un seul avis par
    membre et par objet : un nouvel envoi le remplace. 422 après la date limite, sans objet désigné, ou sans
    commentaire pour des réserves ou un désaccord."""
    access = api_contract_access(request, contract_id, private=True)
    user = api_caller(request)
    consultation = consultation_selectors.consultation_get(
        contract=access.contract, consultation_id=consultation_id, access=access, user=user
    )
    api_require(speaks_for_a_council, access)
    if payload.item_id is not None:
        item = consultation_selectors.consultation_item_get(consultation=consultation, item_id=payload.item_id)
    elif payload.stake_version_id is not None:
        version = consultation_selectors.consultation_version_get(
            consultation=consultation, version_id=payload.stake_version_id
        )
        item = consultation_selectors.consultation_item_of_version(consultation=consultation, version=version)
    else:
        raise HttpError(422, "Indiquez l'objet jugé : item_id ou stake_version_id.")
    with business_rules_as_http():
        opinion = consultation_services.consultation_opinion_give(
            consultation=consultation, item=item, author=user, verdict=payload.verdict.value, text=payload.text
        )
    return Status(201, opinion)
