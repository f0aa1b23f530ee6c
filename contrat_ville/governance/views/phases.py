"""Elaboration phases: the timeline (Gantt-like, readable as a table), apply a template, update a phase."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.governance.forms.phases import PhaseApplyForm, PhaseUpdateForm
from contrat_ville.governance.permissions import can_manage_phases
from contrat_ville.governance.selectors import decisions as decision_selectors
from contrat_ville.governance.selectors import phases as selectors
from contrat_ville.governance.services import phases as services
from contrat_ville.ui.page import Crumb, page


def _crumbs(contract: Contract, *, with_timeline: bool = True) -> list[Crumb]:
    crumbs = [
        Crumb("Contrats de ville", reverse("contracts:contract_list")),
        Crumb(contract.name, reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})),
    ]
    if with_timeline:
        url = reverse("governance:phase_timeline", kwargs={"contract_slug": contract.slug})
        crumbs.append(Crumb("Phases d'élaboration", url))
    return crumbs


@contract_view(private=True)
def phase_timeline(request: ContractRequest) -> HttpResponse:
    """What is done, what is late and what comes next (issue §5), as a table with a Gantt-like bar per phase."""
    contract = request.contract
    return render(
        request,
        "governance/phase_timeline.html",
        page(
            f"Phases d'élaboration — {contract.name}",
            parents=_crumbs(contract, with_timeline=False),
            contract=contract,
            can_manage_phases=can_manage_phases(request.access),
            timeline=selectors.phase_timeline(contract=contract),
        ),
    )


@contract_view(private=True, permission=can_manage_phases)
def phase_apply(request: ContractRequest) -> HttpResponse:
    """Give the contract the phases of a template, with dates shifted to a launch date (seed 004 calendar)."""
    contract = request.contract
    initial = {"template_code": services.DEFAULT_TEMPLATE_CODE, "launch_on": contract.start_on}
    form = PhaseApplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            phases = services.phases_apply(
                contract=contract,
                template_code=form.cleaned_data["template_code"],
                launch_on=form.cleaned_data["launch_on"],
                by=request.access.user,
            )
        except BusinessRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Le calendrier d'élaboration compte désormais {len(phases)} phases.")
            return redirect("governance:phase_timeline", contract_slug=contract.slug)
    return render(
        request,
        "governance/phase_apply.html",
        page(
            "Appliquer un modèle de processus d'élaboration",
            parents=_crumbs(contract),
            contract=contract,
            form=form,
            has_phases=selectors.contract_has_phases(contract=contract),
        ),
    )


@contract_view(private=True, permission=can_manage_phases)
def phase_update(request: ContractRequest, phase_id: int) -> HttpResponse:
    """Set a phase's manual status and planned dates; a registered rule, when it answers, prevails."""
    contract = request.contract
    view = selectors.phase_view_get(contract=contract, phase_id=phase_id)
    phase = view.phase
    initial = {
        "manual_status": phase.manual_status,
        "planned_start": phase.planned_start,
        "planned_end": phase.planned_end,
    }
    form = PhaseUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if (data["planned_start"], data["planned_end"]) != (phase.planned_start, phase.planned_end):
                services.phase_reschedule(
                    phase=phase,
                    planned_start=data["planned_start"],
                    planned_end=data["planned_end"],
                    by=request.access.user,
                )
            if data["manual_status"] != phase.manual_status:
                services.phase_set_status(phase=phase, status=data["manual_status"], by=request.access.user)
        except BusinessRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"La phase {phase.code} a été mise à jour.")
            return redirect("governance:phase_timeline", contract_slug=contract.slug)
    return render(
        request,
        "governance/phase_form.html",
        page(
            f"Phase {phase.code} — {phase.title}",
            parents=_crumbs(contract),
            contract=contract,
            view=view,
            rule=selectors.phase_rule(phase),
            form=form,
            decisions=decision_selectors.decision_history(
                phase,
                access=request.access,
                user=request.user,
            ),
        ),
    )


urlpatterns: list[URLPattern] = [
    path("phases/", phase_timeline, name="phase_timeline"),
    path("phases/modele/", phase_apply, name="phase_apply"),
    path("phases/<int:phase_id>/", phase_update, name="phase_update"),
]
