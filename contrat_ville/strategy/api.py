"""API of the strategic tree and the yearly action plans, mounted under /contracts in config/api.py.

Reads are public on a published contract, like the tree page (visitors see public indicator values only); private
otherwise (404 outside the tenancy, whether the contract exists or not). Writes call the same services as the
pages: 401 without a token, 403 for a member who may not edit, 422 with the French message of a refused rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError

from contrat_ville.contracts.access import (
    api_caller,
    api_contract_access,
    api_removal,
    api_require,
    business_rules_as_http,
)
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.schemas import Id
from contrat_ville.governance.models import Decision
from contrat_ville.governance.selectors.decisions import decision_validates
from contrat_ville.strategy import selectors, services
from contrat_ville.strategy.models import ActionPlan, Objective, Orientation
from contrat_ville.strategy.permissions import can_build_strategy, can_edit_action, can_edit_plan, can_manage_plans
from contrat_ville.strategy.schemas import (
    ActionBody,
    ActionFilters,
    ActionIn,
    ActionOut,
    ActionPlanActionIn,
    ActionPlanDetailOut,
    ActionPlanIn,
    ActionPlanItemOut,
    ActionPlanNotesIn,
    ActionPlanOut,
    ActionStatusIn,
    ActionUpdateIn,
    ObjectiveFilters,
    ObjectiveIn,
    ObjectiveOut,
    ObjectiveUpdateIn,
    OrientationFilters,
    OrientationIn,
    OrientationOut,
)

# --- output ---------------------------------------------------------------------------------------------------


# The fields of an objective's answer that its state (``objective_states``) gives.
STATE_FIELDS = ("latest_value", "latest_year", "status", "status_label")


def _objective_out(objective: Objective, state: selectors.ObjectiveState) -> ObjectiveOut:
    return ObjectiveOut.of(objective, **{name: getattr(state, name) for name in STATE_FIELDS})


def _orientation_out(orientation: Orientation, decision: Decision | None) -> OrientationOut:
    return OrientationOut.of(orientation, is_validated=decision_validates(decision), validation=decision)


def _plan_fields(plan: ActionPlan, item_count: int) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "year": plan.year,
        "status": plan.status,
        "status_label": plan.get_status_display(),
        "previous_id": plan.previous_id,
        "notes": plan.notes,
        "item_count": item_count,
    }


router = Router(tags=["stratégie"])
endpoints = Endpoints(router, "strategy")


# --- reads ----------------------------------------------------------------------------------------------------


@endpoints.reads("/{contract_id}/orientations", list[OrientationOut], summary="Orientations stratégiques")
def orientation_list(request: HttpRequest, contract_id: Id, filters: Query[OrientationFilters]) -> Any:
    """Par pilier, avec leur validation par le comité de pilotage. Public sur un contrat publié. Filtre : `pillar`
    (code du pilier)."""
    access = api_contract_access(request, contract_id, private=False)
    orientations = selectors.orientation_list(contract=access.contract, pillar_code=filters.pillar)
    decisions = selectors.orientation_validations(orientations)
    return [_orientation_out(orientation, decisions.get(orientation.pk)) for orientation in orientations]


@endpoints.reads("/{contract_id}/objectives", list[ObjectiveOut], summary="Objectifs opérationnels")
def objective_list(request: HttpRequest, contract_id: Id, filters: Query[ObjectiveFilters]) -> Any:
    """Avec leur indicateur, leur valeur de référence, leur cible, leur dernière valeur connue et leur statut
    calculé. Filtres : `pillar` (code), `orientation_id`."""
    access = api_contract_access(request, contract_id, private=False)
    objectives = selectors.objective_list(
        contract=access.contract, pillar_code=filters.pillar, orientation_id=filters.orientation_id
    )
    states = selectors.objective_states(objectives, contract=access.contract, access=access)
    return [_objective_out(objective, states[objective.pk]) for objective in objectives]


@endpoints.reads("/{contract_id}/actions", list[ActionOut], summary="Actions")
def action_list(request: HttpRequest, contract_id: Id, filters: Query[ActionFilters]) -> Any:
    """Filtres : `status` (planned, in_progress, done, abandoned), `pillar` (code du pilier), `qpv` (code d'un
    quartier prioritaire), `objective_id`."""
    access = api_contract_access(request, contract_id, private=False)
    actions = selectors.action_list(
        contract=access.contract,
        status=filters.status.value if filters.status else "",
        pillar_code=filters.pillar,
        qpv_code=filters.qpv,
        objective_id=filters.objective_id,
    )
    return actions


@endpoints.reads("/{contract_id}/action-plans", list[ActionPlanOut], summary="Plans d'actions annuels")
def action_plan_list(request: HttpRequest, contract_id: Id) -> Any:
    """Du plus récent au plus ancien, avec leur état (en préparation, validé) et leur nombre d'actions."""
    access = api_contract_access(request, contract_id, private=False)
    return [
        ActionPlanOut(**_plan_fields(plan, plan.item_count))  # type: ignore[attr-defined]
        for plan in selectors.action_plan_list(contract=access.contract)
    ]


def _plan_detail_out(plan: ActionPlan) -> ActionPlanDetailOut:
    rows = selectors.plan_rows(plan=plan)
    return ActionPlanDetailOut(
        **_plan_fields(plan, len(rows)),
        items=[
            ActionPlanItemOut(action_id=row.item.action_id, carried_over=row.item.carried_over, state=row.state)
            for row in rows
        ],
    )


@endpoints.reads(
    "/{contract_id}/action-plans/{plan_id}", ActionPlanDetailOut, summary="Détail d'un plan d'actions annuel"
)
def action_plan_detail(request: HttpRequest, contract_id: Id, plan_id: Id) -> Any:
    """Ses actions, chacune avec son état dans ce plan : figé à la validation par le comité de pilotage, état actuel
    tant que le plan est en préparation."""
    access = api_contract_access(request, contract_id, private=False)
    return _plan_detail_out(selectors.action_plan_get(contract=access.contract, plan_id=plan_id))


# --- writes ---------------------------------------------------------------------------------------------------


def _action_fields(contract: Contract, payload: ActionBody) -> services.ActionFields:
    """The service's fields from an action's body: organisations by their identifiers (those that may lead or
    partner an action), quartiers and axes by their codes; 422 in French for what the contract does not hold."""
    organizations = {
        organization.pk: organization
        for organization in selectors.organization_choices(contract=contract).filter(
            pk__in=[*payload.partner_ids, *([payload.lead_organization_id] if payload.lead_organization_id else [])]
        )
    }
    qpvs = {qpv.code: qpv for qpv in selectors.qpv_list(contract=contract)}
    axes = {axis.code: axis for axis in selectors.axis_list(contract=contract)}
    unknown = [str(pk) for pk in payload.partner_ids if pk not in organizations]
    if payload.lead_organization_id and payload.lead_organization_id not in organizations:
        unknown.append(str(payload.lead_organization_id))
    if unknown:
        raise HttpError(422, f"Organisations inconnues : {', '.join(unknown)}.")
    missing = [code for code in payload.qpv_codes if code not in qpvs] + [
        code for code in payload.axis_codes if code not in axes
    ]
    if missing:
        raise HttpError(422, f"Codes inconnus dans ce contrat : {', '.join(missing)}.")
    return services.ActionFields(
        lead_organization=organizations.get(payload.lead_organization_id) if payload.lead_organization_id else None,
        partners=[organizations[pk] for pk in payload.partner_ids],
        qpvs=[qpvs[code] for code in payload.qpv_codes],
        axes=[axes[code] for code in payload.axis_codes],
        **payload.model_dump(
            include=set(ActionBody.model_fields) - {"lead_organization_id", "partner_ids", "qpv_codes", "axis_codes"}
        ),
    )


@endpoints.creates("/{contract_id}/actions", ActionOut, summary="Créer une action")
def action_create(request: HttpRequest, contract_id: Id, payload: ActionIn) -> Any:
    """Réservé au pilote et à l'État. Quartiers et axes par leurs codes ; organisations par leur identifiant."""
    access = api_contract_access(request, contract_id, private=True, permission=can_build_strategy)
    user = api_caller(request)
    contract = access.contract
    objective = selectors.objective_get(contract=contract, objective_id=payload.objective_id)
    fields = _action_fields(contract, payload)
    with business_rules_as_http():
        action = services.action_create(objective=objective, fields=fields, by=user)
    return Status(201, selectors.action_get(contract=contract, action_id=action.pk))


@endpoints.writes("PUT", "/{contract_id}/actions/{action_id}", ActionOut, summary="Modifier une action")
def action_update(request: HttpRequest, contract_id: Id, action_id: Id, payload: ActionUpdateIn) -> Any:
    """Réservé au pilote, à l'État et à l'organisation pilote de l'action (partenaire). Remplace tous les champs de
    l'action ; un changement d'état est enregistré avec son auteur et le commentaire, les passages interdits sont
    refusés (422)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_action)
    contract = access.contract
    action = selectors.action_get(contract=contract, action_id=action_id)
    api_require(can_edit_action, access, action)
    fields = _action_fields(contract, payload)
    with business_rules_as_http():
        services.action_update(action=action, fields=fields, comment=payload.comment, by=api_caller(request))
    return selectors.action_get(contract=contract, action_id=action.pk)


@endpoints.writes(
    "PATCH", "/{contract_id}/actions/{action_id}", ActionOut, summary="Changer l'état et l'avancement d'une action"
)
def action_update_status(request: HttpRequest, contract_id: Id, action_id: Id, payload: ActionStatusIn) -> Any:
    """Réservé au pilote, à l'État et à l'organisation pilote de l'action (partenaire). Le changement est enregistré
    avec son auteur ; les passages interdits (d'une action réalisée à prévue…) sont refusés."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_action)
    user = api_caller(request)
    action = selectors.action_get(contract=access.contract, action_id=action_id)
    api_require(can_edit_action, access, action)
    with business_rules_as_http():
        services.action_set_status(
            action=action, status=payload.status, progress=payload.progress, comment=payload.comment, by=user
        )
    return selectors.action_get(contract=access.contract, action_id=action.pk)


def _contract_axes(contract: Contract, codes: list[str]) -> list[TransversalAxis]:
    """The contract's axes named by ``codes`` (422 in French for an unknown code)."""
    axes = {axis.code: axis for axis in selectors.axis_list(contract=contract)}
    missing = [code for code in codes if code not in axes]
    if missing:
        raise HttpError(422, f"Codes d'axes inconnus dans ce contrat : {', '.join(missing)}.")
    return [axes[code] for code in codes]


def _pillar(contract: Contract, code: str) -> Pillar:
    """The contract's pillar (or first level of its own) with that code, or 422 in French."""
    pillar = next((item for item in selectors.pillar_list(contract=contract) if item.code == code), None)
    if pillar is None:
        raise HttpError(422, f"Code de pilier inconnu dans ce contrat : « {code} ».")
    return pillar


def _orientation_fields(contract: Contract, payload: OrientationIn, keep: Iterable[int] = ()) -> dict[str, Any]:
    """The service's arguments from an orientation's body: stakes an orientation may be drawn from (or already
    drawn from, ``keep``), by their identifiers."""
    pillar = _pillar(contract, payload.pillar)
    wanted = set(payload.stake_ids)
    stakes = list(selectors.orientation_stakes(contract=contract, keep=keep).filter(pk__in=wanted))
    if len(stakes) != len(wanted):
        raise HttpError(422, "Enjeux inconnus dans ce contrat, écartés ou archivés.")
    return {
        "pillar": pillar,
        "stakes": stakes,
        "axes": _contract_axes(contract, payload.axis_codes),
        **payload.model_dump(include={"title", "code", "description"}),
    }


@endpoints.creates("/{contract_id}/orientations", OrientationOut, summary="Créer une orientation stratégique")
def orientation_create(request: HttpRequest, contract_id: Id, payload: OrientationIn) -> Any:
    """Réservé au pilote et à l'État. Pilier et axes par leurs codes, enjeux (du même pilier) par leur identifiant.
    Elle prend effet une fois validée par le comité de pilotage."""
    access = api_contract_access(request, contract_id, private=True, permission=can_build_strategy)
    contract = access.contract
    fields = _orientation_fields(contract, payload)
    with business_rules_as_http():
        orientation = services.orientation_create(contract=contract, by=api_caller(request), **fields)
    orientation = selectors.orientation_get(contract=contract, orientation_id=orientation.pk)
    return Status(201, _orientation_out(orientation, None))


@endpoints.writes(
    "PUT",
    "/{contract_id}/orientations/{orientation_id}",
    OrientationOut,
    summary="Modifier une orientation stratégique",
)
def orientation_update(request: HttpRequest, contract_id: Id, orientation_id: Id, payload: OrientationIn) -> Any:
    """Réservé au pilote et à l'État. Remplace tous les champs de l'orientation (pilier, intitulé, code,
    description, enjeux du même pilier, axes) ; l'historique garde chaque version. Un enjeu archivé qu'elle cite
    déjà peut le rester."""
    access = api_contract_access(request, contract_id, private=True, permission=can_build_strategy)
    contract = access.contract
    orientation = selectors.orientation_get(contract=contract, orientation_id=orientation_id)
    fields = _orientation_fields(contract, payload, keep=[stake.pk for stake in orientation.stakes.all()])
    with business_rules_as_http():
        services.orientation_update(orientation=orientation, by=api_caller(request), **fields)
    orientation = selectors.orientation_get(contract=contract, orientation_id=orientation.pk)
    decision = selectors.orientation_validations([orientation]).get(orientation.pk)
    return _orientation_out(orientation, decision)


def _objective_out_of(contract: Contract, access: Any, objective_id: int) -> ObjectiveOut:
    objective = selectors.objective_get(contract=contract, objective_id=objective_id)
    state = selectors.objective_states([objective], contract=contract, access=access)[objective.pk]
    return _objective_out(objective, state)


@endpoints.creates("/{contract_id}/objectives", ObjectiveOut, summary="Créer un objectif opérationnel")
def objective_create(request: HttpRequest, contract_id: Id, payload: ObjectiveIn) -> Any:
    """Réservé au pilote et à l'État. Indicateur en texte libre, valeur de référence et cible avec leurs années,
    axes par leurs codes."""
    access = api_contract_access(request, contract_id, private=True, permission=can_build_strategy)
    contract = access.contract
    orientation = selectors.orientation_get(contract=contract, orientation_id=payload.orientation_id)
    fields = services.ObjectiveFields(
        axes=_contract_axes(contract, payload.axis_codes),
        **payload.model_dump(exclude={"orientation_id", "axis_codes"}),
    )
    with business_rules_as_http():
        objective = services.objective_create(orientation=orientation, fields=fields, by=api_caller(request))
    return Status(201, _objective_out_of(contract, access, objective.pk))


@endpoints.writes(
    "PUT", "/{contract_id}/objectives/{objective_id}", ObjectiveOut, summary="Modifier un objectif opérationnel"
)
def objective_update(request: HttpRequest, contract_id: Id, objective_id: Id, payload: ObjectiveUpdateIn) -> Any:
    """Réservé au pilote et à l'État. Remplace l'intitulé, le code, la description, l'indicateur en texte libre, la
    valeur de référence, la cible et les axes ; ce que l'API ne porte pas (indicateur du catalogue, territoire de
    mesure, sens, dernière valeur constatée) reste tel que les pages l'ont saisi."""
    access = api_contract_access(request, contract_id, private=True, permission=can_build_strategy)
    contract = access.contract
    objective = selectors.objective_get(contract=contract, objective_id=objective_id)
    fields = services.ObjectiveFields(
        axes=_contract_axes(contract, payload.axis_codes),
        indicator=objective.indicator,
        territory=objective.territory,
        direction=objective.direction,
        observed_value=objective.observed_value,
        observed_year=objective.observed_year,
        **payload.model_dump(exclude={"axis_codes"}),
    )
    with business_rules_as_http():
        services.objective_update(objective=objective, fields=fields, by=api_caller(request))
    return _objective_out_of(contract, access, objective.pk)


# --- yearly action plans -------------------------------------------------------------------------------------


def _plan_of(contract: Contract, plan_id: int) -> ActionPlan:
    return selectors.action_plan_get(contract=contract, plan_id=plan_id)


def _plan_answer(contract: Contract, plan_id: int) -> ActionPlanDetailOut:
    """The plan as it now stands (re-read: its items and their states changed)."""
    return _plan_detail_out(_plan_of(contract, plan_id))


@endpoints.creates("/{contract_id}/action-plans", ActionPlanDetailOut, summary="Créer un plan d'actions annuel")
def action_plan_create(request: HttpRequest, contract_id: Id, payload: ActionPlanIn) -> Any:
    """Réservé au pilote et à l'État. Le plan d'une année du contrat, en préparation, avec les actions choisies
    (par leur identifiant) ; une action déjà au plan de l'année précédente y est marquée reconduite. Un seul plan
    par année (422 sinon)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_plans)
    contract = access.contract
    wanted = set(payload.action_ids)
    actions = [action for action in selectors.contract_actions(contract=contract) if action.pk in wanted]
    if len(actions) != len(wanted):
        raise HttpError(422, "Actions inconnues dans ce contrat, ou archivées.")
    with business_rules_as_http():
        plan = services.action_plan_create(
            contract=contract, year=payload.year, actions=actions, notes=payload.notes, by=api_caller(request)
        )
    return Status(201, _plan_answer(contract, plan.pk))


@endpoints.writes(
    "PUT", "/{contract_id}/action-plans/{plan_id}", ActionPlanDetailOut, summary="Modifier un plan d'actions annuel"
)
def action_plan_update(request: HttpRequest, contract_id: Id, plan_id: Id, payload: ActionPlanNotesIn) -> Any:
    """Réservé au pilote et à l'État : la présentation d'un plan en préparation (422 une fois le plan validé par le
    comité de pilotage : préparez le plan de l'année suivante)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_plan)
    plan = _plan_of(access.contract, plan_id)
    with business_rules_as_http():
        services.action_plan_update(plan=plan, notes=payload.notes, by=api_caller(request))
    return _plan_answer(access.contract, plan.pk)


@endpoints.creates(
    "/{contract_id}/action-plans/{plan_id}/actions", ActionPlanDetailOut, summary="Ajouter une action à un plan"
)
def action_plan_add_action(request: HttpRequest, contract_id: Id, plan_id: Id, payload: ActionPlanActionIn) -> Any:
    """Réservé au pilote et à l'État, tant que le plan est en préparation (422 sinon, ou si l'action y figure
    déjà). Répond le plan avec ses actions."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_plan)
    contract = access.contract
    plan = _plan_of(contract, plan_id)
    action = next(
        (item for item in selectors.contract_actions(contract=contract) if item.pk == payload.action_id), None
    )
    if action is None:
        raise HttpError(422, "Action inconnue dans ce contrat, ou archivée.")
    with business_rules_as_http():
        services.action_plan_add_action(plan=plan, action=action, by=api_caller(request))
    return Status(201, _plan_answer(contract, plan.pk))


@endpoints.removes(
    "DELETE", "/{contract_id}/action-plans/{plan_id}/actions/{action_id}", summary="Retirer une action d'un plan"
)
def action_plan_remove_action(request: HttpRequest, contract_id: Id, plan_id: Id, action_id: Id) -> Any:
    """Réservé au pilote et à l'État, tant que le plan est en préparation (422 sinon, ou si l'action n'y figure
    pas). L'action reste dans l'arbre stratégique."""
    return api_removal(
        request,
        contract_id,
        permission=can_edit_plan,
        get=lambda contract: (
            _plan_of(contract, plan_id),
            selectors.action_get(contract=contract, action_id=action_id),
        ),
        remove=lambda pair, by: services.action_plan_remove_action(plan=pair[0], action=pair[1], by=by),
    )


@endpoints.creates(
    "/{contract_id}/action-plans/{plan_id}/next",
    ActionPlanDetailOut,
    summary="Préparer le plan d'actions de l'année suivante",
)
def action_plan_prepare_next(request: HttpRequest, contract_id: Id, plan_id: Id) -> Any:
    """Réservé au pilote et à l'État. Crée le plan de l'année suivante, en préparation, avec les actions non
    terminées (prévues ou en cours) de ce plan, reconduites (422 s'il existe déjà, ou après la fin du contrat)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_plans)
    plan = _plan_of(access.contract, plan_id)
    with business_rules_as_http():
        next_plan = services.action_plan_prepare_next(plan=plan, by=api_caller(request))
    return Status(201, _plan_answer(access.contract, next_plan.pk))


# --- deletion and archive (issue 10 §6) -----------------------------------------------------------------------


REMOVAL_DELETE = "Réservé au pilote et à l'État, seulement tant que rien ne le cite (422 sinon : archivez-le)."
REMOVAL_ARCHIVE = (
    "Réservé au pilote et à l'État. Il quitte l'arbre, les listes et les formulaires ; les plans, décisions et pages "
    "qui le citent le gardent."
)


def _register_removals(kind: str, noun: str, get: Callable[..., Any], delete: Callable[..., Any]) -> None:
    """``DELETE /{contract_id}/<kind>s/{<kind>_id}`` (204, or 422 with the French reason: a decision, a plan or a
    child cites it) and ``POST …/archive`` (204), on the path of the node's other writes. The selector ``get`` and
    the service ``delete`` name their argument after the node (``orientation_id=``, ``orientation=``)."""
    path = f"/{{contract_id}}/{kind}s/{{{kind}_id}}"
    node_id_in_path = Path(alias=f"{kind}_id")

    def node_of(node_id: int) -> Callable[[Contract], Any]:
        return lambda contract: get(contract=contract, **{f"{kind}_id": node_id})

    @endpoints.removes("DELETE", path, summary=f"Supprimer {noun}", name=f"{kind}_delete", description=REMOVAL_DELETE)
    def node_delete(request: HttpRequest, contract_id: Id, node_id: Id = node_id_in_path) -> Any:
        return _remove(request, contract_id, node_of(node_id), lambda node, by: delete(**{kind: node}, by=by))

    @endpoints.removes(
        "POST", f"{path}/archive", summary=f"Archiver {noun}", name=f"{kind}_archive", description=REMOVAL_ARCHIVE
    )
    def node_archive(request: HttpRequest, contract_id: Id, node_id: Id = node_id_in_path) -> Any:
        return _remove(
            request,
            contract_id,
            node_of(node_id),
            lambda node, by: services.node_archive(node=node, on=timezone.localdate(), by=by),
        )


def _remove(request: HttpRequest, contract_id: int, get: Callable[[Contract], Any], remove: Callable[..., Any]) -> Any:
    return api_removal(request, contract_id, permission=can_build_strategy, get=get, remove=remove)


for _kind, _noun, _get, _delete in (
    ("orientation", "une orientation stratégique", selectors.orientation_get, services.orientation_delete),
    ("objective", "un objectif opérationnel", selectors.objective_get, services.objective_delete),
    ("action", "une action", selectors.action_get, services.action_delete),
):
    _register_removals(_kind, _noun, _get, _delete)
