"""Pages of the tree's nodes: orientations, operational objectives and actions (detail, create, edit), and the
« Faire valider par le comité de pilotage » request of an orientation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import BaseForm
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view, require
from contrat_ville.diagnostic.permissions import can_steer_diagnostic
from contrat_ville.diagnostic.selectors.consultations import opinions_on_object
from contrat_ville.governance.selectors.decisions import decision_validates
from contrat_ville.strategy import selectors, services
from contrat_ville.strategy.forms import (
    ActionForm,
    ActionProgressForm,
    ObjectiveForm,
    OrientationForm,
    ValidationRequestForm,
)
from contrat_ville.strategy.models import Action, Objective, Orientation
from contrat_ville.strategy.permissions import can_build_strategy, can_edit_action
from contrat_ville.strategy.presenters import level_names
from contrat_ville.strategy.views.common import (
    action_crumbs,
    action_url,
    form_page,
    objective_crumbs,
    objective_url,
    orientation_crumbs,
    orientation_url,
    pages,
    tree_crumbs,
    tree_url,
    validation_redirect,
)
from contrat_ville.ui import form_pages
from contrat_ville.ui.form_pages import Fragment, Removal
from contrat_ville.ui.page import Crumb, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()

# --- orientations ---------------------------------------------------------------------------------------------


@routes("orientations/<int:orientation_id>/")
@contract_view(private=False)
def orientation_detail(request: ContractRequest, orientation_id: int) -> HttpResponse:
    """An orientation: its stakes, validation, objectives (with their status), decisions and history."""
    contract = request.contract
    access = request.access
    orientation = selectors.orientation_get(contract=contract, orientation_id=orientation_id)
    node = selectors.node_page(orientation, access=access, user=request.user)
    validation = selectors.orientation_validation(orientation)
    meetings = selectors.copil_meetings(contract=contract) if can_build_strategy(access) else []
    return render_page(
        request,
        "strategy/orientation_detail.html",
        str(orientation),
        parents=tree_crumbs(contract),
        orientation=orientation,
        can_build_strategy=can_build_strategy(access),
        is_validated=decision_validates(validation),
        validation=validation,
        stakes=selectors.orientation_stake_rows(orientation),
        objectives=selectors.orientation_objectives(orientation=orientation, access=access),
        node=node,
        validation_form=ValidationRequestForm(meetings=meetings) if meetings else None,
        objective_rule=selectors.OBJECTIVE_RULE,
        levels=level_names(contract),
        subject_opinions=opinions_on_object(orientation, access=access, user=request.user)
        if access.is_member
        else None,
        can_consult_councils=can_steer_diagnostic(access),
        **(removal_urls(orientation, contract.slug) if can_build_strategy(access) else {}),
    )


@routes("orientations/nouvelle/")
@contract_view(private=True, permission=can_build_strategy)
def orientation_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    initial = {"pillar": request.GET["pilier"]} if request.GET.get("pilier", "").isdigit() else {}
    form = OrientationForm(
        request.POST or None, contract=contract, stake_rows=selectors.stake_rows(contract=contract), initial=initial
    )
    return form_page(
        request,
        form,
        save=lambda _data: services.orientation_create(contract=contract, **form.cleaned_data, by=request.access.user),
        done=lambda orientation: (
            f"Orientation « {orientation} » créée : faites-la valider par le comité de pilotage.",
            orientation_url(orientation),
        ),
        title=level_names(contract).orientation.new_title,
        parents=tree_crumbs(contract),
        submit_label="Créer l'orientation",
        cancel_url=tree_url(contract),
        intro="Une orientation stratégique traduit des enjeux retenus d'un pilier ; elle prend effet une fois "
        "validée par le comité de pilotage.",
    )


@routes("orientations/<int:orientation_id>/modifier/")
@contract_view(private=True, permission=can_build_strategy)
def orientation_update(request: ContractRequest, orientation_id: int) -> HttpResponse:
    contract = request.contract
    orientation = selectors.orientation_get(contract=contract, orientation_id=orientation_id)
    form = OrientationForm(
        request.POST or None,
        contract=contract,
        stake_rows=selectors.stake_rows(contract=contract),
        initial=OrientationForm.initial_from(orientation),
    )
    return form_page(
        request,
        form,
        save=lambda _data: services.orientation_update(
            orientation=orientation, **form.cleaned_data, by=request.access.user
        ),
        done=lambda _: ("Orientation modifiée.", orientation_url(orientation)),
        title=f"Modifier l'orientation « {orientation} »",
        parents=orientation_crumbs(orientation),
        cancel_url=orientation_url(orientation),
    )


@routes("orientations/<int:orientation_id>/faire-valider/")
@require_POST
@contract_view(private=True, permission=can_build_strategy)
def orientation_request_validation(request: ContractRequest, orientation_id: int) -> HttpResponse:
    """« Faire valider par le comité de pilotage »: to the decision form of the chosen meeting, object preselected."""
    contract = request.contract
    orientation = selectors.orientation_get(contract=contract, orientation_id=orientation_id)
    return validation_redirect(request, orientation, orientation_url(orientation))


# --- objectives -----------------------------------------------------------------------------------------------


@routes("objectifs/<int:objective_id>/")
@contract_view(private=False)
def objective_detail(request: ContractRequest, objective_id: int) -> HttpResponse:
    contract = request.contract
    access = request.access
    objective = selectors.objective_get(contract=contract, objective_id=objective_id)
    state = selectors.objective_states([objective], contract=contract, access=access)[objective.pk]
    validation = selectors.orientation_validation(objective.orientation)
    return render_page(
        request,
        "strategy/objective_detail.html",
        str(objective),
        parents=orientation_crumbs(objective.orientation),
        objective=objective,
        can_build_strategy=can_build_strategy(access),
        orientation=objective.orientation,
        orientation_validated=decision_validates(validation),
        state=state,
        actions=selectors.objective_actions(objective=objective),
        node=selectors.node_page(objective, access=access, user=request.user),
        objective_rule=selectors.OBJECTIVE_RULE,
        levels=level_names(contract),
        **(removal_urls(objective, contract.slug) if can_build_strategy(access) else {}),
    )


@routes("orientations/<int:orientation_id>/objectifs/nouveau/")
@contract_view(private=True, permission=can_build_strategy)
def objective_create(request: ContractRequest, orientation_id: int) -> HttpResponse:
    contract = request.contract
    orientation = selectors.orientation_get(contract=contract, orientation_id=orientation_id)
    form = ObjectiveForm(request.POST or None, contract=contract)
    return form_page(
        request,
        form,
        save=lambda _data: services.objective_create(
            orientation=orientation, fields=form.objective_fields(), by=request.access.user
        ),
        done=lambda objective: (f"Objectif « {objective} » créé.", objective_url(objective)),
        title=level_names(contract).objective.new_title,
        parents=orientation_crumbs(orientation),
        submit_label="Créer l'objectif",
        cancel_url=orientation_url(orientation),
        intro=f"Sous l'orientation « {orientation} ». Un objectif se mesure par un indicateur, avec une valeur "
        "de référence et une cible à atteindre.",
    )


@routes("objectifs/<int:objective_id>/modifier/")
@contract_view(private=True, permission=can_build_strategy)
def objective_update(request: ContractRequest, objective_id: int) -> HttpResponse:
    contract = request.contract
    objective = selectors.objective_get(contract=contract, objective_id=objective_id)
    form = ObjectiveForm(request.POST or None, contract=contract, initial=ObjectiveForm.initial_from(objective))
    return form_page(
        request,
        form,
        save=lambda _data: services.objective_update(
            objective=objective, fields=form.objective_fields(), by=request.access.user
        ),
        done=lambda _: ("Objectif modifié.", objective_url(objective)),
        title=f"Modifier l'objectif « {objective} »",
        parents=objective_crumbs(objective),
        cancel_url=objective_url(objective),
    )


# --- actions --------------------------------------------------------------------------------------------------


def _progress_context(request: ContractRequest, action_id: int, form: BaseForm | None = None) -> dict[str, Any]:
    """What the « action-progress » fragment of an action's page shows: its status, progress and validation badges
    and, for those who may change them, the form (``form`` with its errors, or a fresh one)."""
    action = selectors.action_get(contract=request.contract, action_id=action_id)
    may_edit = can_edit_action(request.access, action)
    if form is None and may_edit:
        form = ActionProgressForm(initial=ActionProgressForm.initial_for(action))
    return {
        "contract": request.contract,
        "action": action,
        "can_edit_action": may_edit,
        "orientation_validated": decision_validates(selectors.orientation_validation(action.objective.orientation)),
        "progress_form": form if may_edit else None,
    }


@routes("actions/<int:action_id>/")
@contract_view(private=False)
def action_detail(request: ContractRequest, action_id: int) -> HttpResponse:
    context = _progress_context(request, action_id)
    action = context["action"]
    return render_page(
        request,
        "strategy/action_detail.html",
        str(action),
        parents=objective_crumbs(action.objective),
        plans=selectors.action_plans(action),
        node=selectors.node_page(action, access=request.access, user=request.user, with_status=True),
        **(removal_urls(action, request.contract.slug) if can_build_strategy(request.access) else {}),
        **context,
    )


@routes("actions/<int:action_id>/avancement/")
@contract_view(private=True, permission=can_edit_action)
def action_progress(request: ContractRequest, action_id: int) -> HttpResponse:
    """Change an action's status and progress from its page: htmx swaps the page's « action-progress » fragment;
    without JavaScript, this is a form page of its own."""
    contract = request.contract
    action = selectors.action_get(contract=contract, action_id=action_id)
    require(can_edit_action, request.access, action)
    return form_page(
        request,
        ActionProgressForm(request.POST or None, initial=ActionProgressForm.initial_for(action)),
        save=lambda data: services.action_set_status(action=action, by=request.access.user, **data),
        done=lambda _: ("État et avancement de l'action enregistrés.", action_url(action)),
        title=f"État et avancement — {action}",
        parents=action_crumbs(action),
        submit_label="Enregistrer l'état et l'avancement",
        cancel_url=action_url(action),
        fragment=Fragment(
            "strategy/action_detail.html#action-progress", lambda form: _progress_context(request, action.pk, form)
        ),
    )


@routes("objectifs/<int:objective_id>/actions/nouvelle/")
@contract_view(private=True, permission=can_build_strategy)
def action_create(request: ContractRequest, objective_id: int) -> HttpResponse:
    contract = request.contract
    objective = selectors.objective_get(contract=contract, objective_id=objective_id)
    form = ActionForm(request.POST or None, contract=contract)
    del form.fields["comment"]
    return form_page(
        request,
        form,
        save=lambda _data: services.action_create(
            objective=objective, fields=form.action_fields(), by=request.access.user
        ),
        done=lambda action: (f"Action « {action} » créée.", action_url(action)),
        title=level_names(contract).action.new_title,
        parents=objective_crumbs(objective),
        submit_label="Créer l'action",
        cancel_url=objective_url(objective),
        intro=f"Au service de l'objectif « {objective} ».",
    )


@routes("actions/<int:action_id>/modifier/")
@contract_view(private=True, permission=can_edit_action)
def action_update(request: ContractRequest, action_id: int) -> HttpResponse:
    """Pilot and State edit every action; a partner edits the actions its organisation leads."""
    contract = request.contract
    action = selectors.action_get(contract=contract, action_id=action_id)
    require(can_edit_action, request.access, action)
    form = ActionForm(request.POST or None, contract=contract, initial=ActionForm.initial_from(action))
    return form_page(
        request,
        form,
        save=lambda _data: services.action_update(
            action=action, fields=form.action_fields(), comment=form.cleaned_data["comment"], by=request.access.user
        ),
        done=lambda _: ("Action modifiée.", action_url(action)),
        title=f"Modifier l'action « {action} »",
        parents=action_crumbs(action),
        cancel_url=action_url(action),
    )


# --- deletion and archive (issue 10 §6) -------------------------------------------------------------------------

Node = Orientation | Objective | Action


def removal_urls(node: Node, slug: str) -> dict[str, str]:
    """The « Supprimer » and « Archiver » URLs of a node's page (``ui/components/archive_controls.html``)."""
    name = type(node).__name__.lower()
    return form_pages.removal_urls(f"strategy:{name}", contract_slug=slug, **{f"{name}_id": node.pk})


# Who builds the strategy removes its nodes.
builder = contract_view(private=True, permission=can_build_strategy)


def _route_node_removal(
    name: str,
    prefix: str,
    *,
    get: Callable[..., Node],
    delete: Callable[..., None],
    crumbs: Callable[[Any], list[Crumb]],
) -> None:
    """Route the removal of one kind of node (``name``: orientation, objective or action), named with the contract's
    term for it (``orientation_term``…): ``get`` the node the URL names, ``delete(<name>=node, by=…)`` it. Its page is
    the last of its ``crumbs``; deleting it goes to the page above it."""

    def describe(request: ContractRequest, **ids: int) -> Removal:
        node = get(contract=request.contract, **ids)
        parents = crumbs(node)
        by = request.access.user
        term = getattr(request.contract, f"{name}_term").capitalize()
        return Removal(
            delete=lambda: delete(**{name: node}, by=by),
            archive=lambda on: services.node_archive(node=node, on=on, by=by),
            title=f"Supprimer « {node} »",
            explanation=f"{term} « {node} » sera supprimé(e) : rien ne cite encore cet élément (ni décision, ni plan, "
            "ni élément rattaché), et la suppression reste inscrite dans l'historique. Un élément validé ou cité "
            "s'archive.",
            submit_label="Supprimer",
            deleted=f"{term} « {node} » supprimé(e).",
            archived=f"{term} « {node} » archivé(e) : retiré(e) de l'arbre et des formulaires, sa page reste lisible.",
            back_url=parents[-1].url,
            after_url=parents[-2].url,
            parents=parents,
        )

    pages.route_removal(routes, prefix, name, guard=builder, describe=describe)


_route_node_removal(
    "orientation",
    "orientations/<int:orientation_id>/",
    get=selectors.orientation_get,
    delete=services.orientation_delete,
    crumbs=orientation_crumbs,
)
_route_node_removal(
    "objective",
    "objectifs/<int:objective_id>/",
    get=selectors.objective_get,
    delete=services.objective_delete,
    crumbs=objective_crumbs,
)
_route_node_removal(
    "action", "actions/<int:action_id>/", get=selectors.action_get, delete=services.action_delete, crumbs=action_crumbs
)


urlpatterns = routes.urlpatterns
