"""Pages of the annual action plans: list, create, detail (items as recorded), edit a draft, carry over to next
year, ask the comité de pilotage to validate, compare with the previous year, export."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.core.spreadsheets import XLSX_CONTENT_TYPE
from contrat_ville.diagnostic.permissions import can_steer_diagnostic
from contrat_ville.diagnostic.selectors.consultations import opinions_on_object
from contrat_ville.strategy import exports, selectors, services
from contrat_ville.strategy.forms import (
    ActionPlanForm,
    ActionPlanNotesForm,
    PlanAddActionForm,
    ValidationRequestForm,
)
from contrat_ville.strategy.models import ActionPlan
from contrat_ville.strategy.permissions import can_edit_plan, can_manage_plans
from contrat_ville.strategy.views.common import (
    form_page,
    plan_crumbs,
    plan_list_url,
    plan_url,
    post_action,
    validation_redirect,
)
from contrat_ville.ui.page import Crumb, download, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()


def _plan(request: ContractRequest, plan_id: int) -> ActionPlan:
    """The plan ``plan_id`` of the request's contract (404 otherwise)."""
    return selectors.action_plan_get(contract=request.contract, plan_id=plan_id)


def _plan_crumbs(plan: ActionPlan) -> list[Crumb]:
    """Contracts / the contract / Plans d'actions / the plan: the breadcrumb of the pages about one plan."""
    return [*plan_crumbs(plan.contract), Crumb(str(plan), plan_url(plan))]


@routes("plans/")
@contract_view(private=False)
def plan_list(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    access = request.access
    return render_page(
        request,
        "strategy/plan_list.html",
        f"Plans d'actions annuels — {contract.name}",
        parents=plan_crumbs(contract)[:-1],
        can_manage_plans=can_manage_plans(access),
        plans=selectors.action_plan_list(contract=contract),
    )


@routes("plans/nouveau/")
@contract_view(private=True, permission=can_manage_plans)
def plan_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    form = ActionPlanForm(request.POST or None, contract=contract, initial={"year": timezone.localdate().year})
    return form_page(
        request,
        form,
        save=lambda _data: services.action_plan_create(
            contract=contract,
            year=form.cleaned_data["year"],
            actions=form.cleaned_data["actions"],
            notes=form.cleaned_data["notes"],
            by=request.access.user,
        ),
        done=lambda plan: (f"Plan d'actions {plan.year} créé en préparation.", plan_url(plan)),
        title="Nouveau plan d'actions annuel",
        parents=plan_crumbs(contract),
        submit_label="Créer le plan",
        cancel_url=plan_list_url(contract),
    )


@routes("plans/<int:plan_id>/")
@contract_view(private=False)
def plan_detail(request: ContractRequest, plan_id: int) -> HttpResponse:
    """A plan: its actions as recorded (frozen once validated), validation, decisions, carry-over to next year."""
    contract = request.contract
    access = request.access
    plan = _plan(request, plan_id)
    is_draft = plan.is_draft
    may_edit = can_edit_plan(access, plan)
    meetings = selectors.copil_meetings(contract=contract) if may_edit else []
    addable = selectors.plan_addable_actions(plan=plan) if may_edit else []
    rows = selectors.plan_rows(plan=plan)
    return render_page(
        request,
        "strategy/plan_detail.html",
        f"Plan d'actions {plan.year}",
        parents=plan_crumbs(contract),
        plan=plan,
        is_draft=is_draft,
        can_edit_plan=may_edit,
        can_manage_plans=can_manage_plans(access),
        rows=rows,
        pending_orientations=selectors.pending_orientation_ids(rows) if is_draft else set(),
        node=selectors.node_page(plan, access=access, user=request.user, with_status=True),
        validation_form=ValidationRequestForm(meetings=meetings) if meetings else None,
        add_form=PlanAddActionForm(actions=addable) if addable else None,
        next_plan_exists=selectors.next_plan_exists(plan) if can_manage_plans(access) else True,
        subject_opinions=opinions_on_object(plan, access=access, user=request.user) if access.is_member else None,
        can_consult_councils=can_steer_diagnostic(access),
    )


@routes("plans/<int:plan_id>/modifier/")
@contract_view(private=True, permission=can_edit_plan)
def plan_update(request: ContractRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    read_only_message = ""
    if not can_edit_plan(request.access, plan):
        read_only_message = (
            f"Le plan d'actions {plan.year} a été validé par le comité de pilotage : il ne peut plus être modifié. "
            "Préparez le plan de l'année suivante."
        )
    # A validated plan's form is left unbound: nothing posted is saved, the page only says why.
    form = ActionPlanNotesForm(None if read_only_message else request.POST or None, initial={"notes": plan.notes})
    return form_page(
        request,
        form,
        save=lambda _data: services.action_plan_update(
            plan=plan, notes=form.cleaned_data["notes"], by=request.access.user
        ),
        done=lambda _: ("Présentation du plan modifiée.", plan_url(plan)),
        title=f"Modifier le plan d'actions {plan.year}",
        parents=_plan_crumbs(plan),
        cancel_url=plan_url(plan),
        read_only_message=read_only_message,
        back_label="Retour au plan",
    )


@routes("plans/<int:plan_id>/actions/ajouter/")
@require_POST
@contract_view(private=True, permission=can_edit_plan)
def plan_add_action(request: ContractRequest, plan_id: int) -> HttpResponse:
    contract = request.contract
    plan = _plan(request, plan_id)
    form = PlanAddActionForm(request.POST, actions=selectors.contract_actions(contract=contract))
    if not form.is_valid():
        messages.error(request, "Choisissez une action du contrat à ajouter au plan.")
        return redirect(plan_url(plan))
    action = selectors.action_get(contract=contract, action_id=form.cleaned_data["action"])
    return post_action(
        request,
        act=lambda: services.action_plan_add_action(plan=plan, action=action, by=request.access.user),
        message=f"Action « {action} » ajoutée au plan {plan.year}.",
        next_url=plan_url(plan),
    )


@routes("plans/<int:plan_id>/actions/<int:action_id>/retirer/")
@require_POST
@contract_view(private=True, permission=can_edit_plan)
def plan_remove_action(request: ContractRequest, plan_id: int, action_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    action = selectors.action_get(contract=request.contract, action_id=action_id)
    return post_action(
        request,
        act=lambda: services.action_plan_remove_action(plan=plan, action=action, by=request.access.user),
        message=f"Action « {action} » retirée du plan {plan.year}.",
        next_url=plan_url(plan),
    )


@routes("plans/<int:plan_id>/annee-suivante/")
@require_POST
@contract_view(private=True, permission=can_manage_plans)
def plan_prepare_next(request: ContractRequest, plan_id: int) -> HttpResponse:
    """« Préparer le plan de l'année suivante »: a draft carrying over the unfinished actions."""
    plan = _plan(request, plan_id)

    def done(next_plan: ActionPlan) -> tuple[str, str]:
        count = next_plan.items.count()
        plural = "s" if count > 1 else ""
        return (
            f"Plan d'actions {next_plan.year} préparé : {count} action{plural} non terminée{plural} "
            f"reconduite{plural}.",
            plan_url(next_plan),
        )

    return post_action(
        request,
        act=lambda: services.action_plan_prepare_next(plan=plan, by=request.access.user),
        done=done,
        next_url=plan_url(plan),
    )


@routes("plans/<int:plan_id>/faire-valider/")
@require_POST
@contract_view(private=True, permission=can_edit_plan)
def plan_request_validation(request: ContractRequest, plan_id: int) -> HttpResponse:
    """« Faire valider par le comité de pilotage »: to the decision form of the chosen meeting, plan preselected."""
    plan = _plan(request, plan_id)
    return validation_redirect(request, plan, plan_url(plan))


@routes("plans/<int:plan_id>/comparaison/")
@contract_view(private=False)
def plan_compare(request: ContractRequest, plan_id: int) -> HttpResponse:
    """Year-to-year comparison: added, changed (field by field), carried-over and stopped actions."""
    plan = _plan(request, plan_id)
    comparison = selectors.plan_comparison(plan=plan)
    return render_page(
        request,
        "strategy/plan_compare.html",
        f"Plan d'actions {plan.year} : évolutions depuis {comparison.previous_year}"
        if comparison.previous_year
        else f"Plan d'actions {plan.year} : évolutions",
        parents=_plan_crumbs(plan),
        plan=plan,
        comparison=comparison,
    )


@routes("plans/<int:plan_id>/export.xlsx")
@contract_view(private=False)
def plan_export_xlsx(request: ContractRequest, plan_id: int) -> HttpResponse:
    return _plan_download(request, plan_id, exports.plan_xlsx, XLSX_CONTENT_TYPE, "xlsx")


@routes("plans/<int:plan_id>/export.csv")
@contract_view(private=False)
def plan_export_csv(request: ContractRequest, plan_id: int) -> HttpResponse:
    return _plan_download(request, plan_id, exports.plan_csv, exports.CSV_CONTENT_TYPE, "csv")


def _plan_download(
    request: ContractRequest,
    plan_id: int,
    export: Callable[[ActionPlan, list[selectors.PlanRow]], bytes],
    content_type: str,
    extension: str,
) -> HttpResponse:
    """The plan's actions as recorded, as a file « plan-actions-<year>-<contract>.<extension> »."""
    plan = _plan(request, plan_id)
    content = export(plan, selectors.plan_rows(plan=plan))
    return download(content, content_type, f"plan-actions-{plan.year}-{request.contract.slug}.{extension}")


urlpatterns = routes.urlpatterns
