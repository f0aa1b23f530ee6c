"""Elaboration phases: the timeline (Gantt-like, readable as a table), apply a template, update a phase."""

from typing import Any

from django.db import transaction
from django.http import HttpResponse

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.models import Contract
from contrat_ville.governance.forms.phases import PhaseApplyForm, PhaseUpdateForm
from contrat_ville.governance.permissions import can_manage_phases
from contrat_ville.governance.selectors import decisions as decision_selectors
from contrat_ville.governance.selectors import phases as selectors
from contrat_ville.governance.services import phases as services
from contrat_ville.governance.views.common import crumbs, form_page, url
from contrat_ville.ui.page import Crumb, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()

HAS_PHASES_ALERT = {
    "type": "warning",
    "title": "Le contrat a déjà un calendrier",
    "content": "Appliquer un modèle remplace les phases actuelles. C'est impossible si l'état d'une phase a été "
    "saisi à la main.",
}


def _crumbs(contract: Contract) -> list[Crumb]:
    return crumbs(contract, Crumb("Phases d'élaboration", url("phase_timeline", contract)))


@routes("phases/")
@contract_view(private=True)
def phase_timeline(request: ContractRequest) -> HttpResponse:
    """What is done, what is late and what comes next (issue §5), as a table with a Gantt-like bar per phase."""
    contract = request.contract
    return render_page(
        request,
        "governance/phase_timeline.html",
        f"Phases d'élaboration — {contract.name}",
        parents=crumbs(contract),
        can_manage_phases=can_manage_phases(request.access),
        timeline=selectors.phase_timeline(contract=contract),
    )


@routes("phases/modele/")
@contract_view(private=True, permission=can_manage_phases)
def phase_apply(request: ContractRequest) -> HttpResponse:
    """Give the contract the phases of a template, with dates shifted to a launch date (seed 004 calendar)."""
    contract = request.contract
    initial = {"template_code": services.DEFAULT_TEMPLATE_CODE, "launch_on": contract.start_on}
    return form_page(
        request,
        PhaseApplyForm(request.POST or None, initial=initial),
        save=lambda data: services.phases_apply(contract=contract, by=request.access.user, **data),
        done=lambda phases: (
            f"Le calendrier d'élaboration compte désormais {len(phases)} phases.",
            url("phase_timeline", contract),
        ),
        title="Appliquer un modèle de processus d'élaboration",
        parents=_crumbs(contract),
        intro="Le modèle donne au contrat ses phases d'élaboration ; leurs dates prévues sont calculées à partir de "
        "la date de lancement.",
        alert=HAS_PHASES_ALERT if selectors.contract_has_phases(contract=contract) else None,
        form_testid="phase-apply-form",
        submit_label="Appliquer le modèle",
        cancel_url=url("phase_timeline", contract),
    )


@routes("phases/<int:phase_id>/")
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

    @transaction.atomic
    def save(data: dict[str, Any]) -> None:
        if (data["planned_start"], data["planned_end"]) != (phase.planned_start, phase.planned_end):
            services.phase_reschedule(
                phase=phase,
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                by=request.access.user,
            )
        if data["manual_status"] != phase.manual_status:
            services.phase_set_status(phase=phase, status=data["manual_status"], by=request.access.user)

    return form_page(
        request,
        PhaseUpdateForm(request.POST or None, initial=initial),
        save=save,
        done=lambda _: (f"La phase {phase.code} a été mise à jour.", url("phase_timeline", contract)),
        title=f"Phase {phase.code} — {phase.title}",
        parents=_crumbs(contract),
        intro_template="governance/_phase_state.html",
        after_template="governance/_history.html",
        form_testid="phase-form",
        cancel_url=url("phase_timeline", contract),
        view=view,
        rule=selectors.phase_rule(phase),
        decisions=decision_selectors.decision_history(phase, access=request.access, user=request.user),
        decisions_heading="Décisions sur cette phase",
        decisions_caption="Décisions des instances sur cette phase",
    )


urlpatterns = routes.urlpatterns
