"""Helpers shared by the strategy pages: breadcrumbs, form pages, POST actions and validation
requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from contrat_ville.contracts.access import ContractRequest
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.presenters import contract_crumbs, pages
from contrat_ville.governance.presenters import decision_form_url
from contrat_ville.strategy import selectors
from contrat_ville.strategy.forms import ValidationRequestForm
from contrat_ville.strategy.models import Action, ActionPlan, Objective, Orientation
from contrat_ville.ui.page import Crumb


def tree_url(contract: Contract) -> str:
    return reverse("strategy:tree", kwargs={"contract_slug": contract.slug})


def tree_crumbs(contract: Contract) -> list[Crumb]:
    return [*contract_crumbs(contract), Crumb("Stratégie", tree_url(contract))]


def orientation_url(orientation: Orientation) -> str:
    return reverse(
        "strategy:orientation_detail",
        kwargs={"contract_slug": orientation.contract.slug, "orientation_id": orientation.pk},
    )


def objective_url(objective: Objective) -> str:
    return reverse(
        "strategy:objective_detail",
        kwargs={"contract_slug": objective.orientation.contract.slug, "objective_id": objective.pk},
    )


def action_url(action: Action) -> str:
    return reverse(
        "strategy:action_detail",
        kwargs={"contract_slug": action.objective.orientation.contract.slug, "action_id": action.pk},
    )


def plan_list_url(contract: Contract) -> str:
    return reverse("strategy:plan_list", kwargs={"contract_slug": contract.slug})


def plan_url(plan: ActionPlan) -> str:
    return reverse("strategy:plan_detail", kwargs={"contract_slug": plan.contract.slug, "plan_id": plan.pk})


def plan_crumbs(contract: Contract) -> list[Crumb]:
    return [*contract_crumbs(contract), Crumb("Plans d'actions", plan_list_url(contract))]


def orientation_crumbs(orientation: Orientation) -> list[Crumb]:
    return [*tree_crumbs(orientation.contract), Crumb(str(orientation), orientation_url(orientation))]


def objective_crumbs(objective: Objective) -> list[Crumb]:
    return [*orientation_crumbs(objective.orientation), Crumb(str(objective), objective_url(objective))]


def action_crumbs(action: Action) -> list[Crumb]:
    return [*objective_crumbs(action.objective), Crumb(str(action), action_url(action))]


def decision_redirect(contract: Contract, meeting_id: int, target: Any) -> HttpResponse:
    """To governance's decision form in ``meeting``, with the object preselected."""
    return redirect(decision_form_url(contract, meeting_id, target))


form_page = pages.form_page
post_action = pages.post_action
confirm_page = pages.confirm_page


def validation_redirect(request: ContractRequest, target: Any, back_url: str) -> HttpResponse:
    """« Faire valider par le comité de pilotage »: to the decision form of the meeting chosen in the POST, with
    ``target`` preselected; back to ``back_url`` with an error when no meeting that has started was chosen."""
    contract = request.contract
    form = ValidationRequestForm(request.POST, meetings=selectors.copil_meetings(contract=contract))
    if not form.is_valid():
        messages.error(
            request, "Choisissez une séance du comité de pilotage qui s'est tenue ou a commencé pour faire valider."
        )
        return redirect(back_url)
    return decision_redirect(contract, form.cleaned_data["meeting"], target)
