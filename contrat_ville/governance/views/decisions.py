"""Decision pages: the contract's decision register (public on a published contract), record, correct, publish."""

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.models import Contract
from contrat_ville.governance.forms.decisions import DecisionFilterForm, DecisionForm, DecisionUpdateForm
from contrat_ville.governance.models import Decision, Meeting
from contrat_ville.governance.permissions import can_record_decisions
from contrat_ville.governance.presenters import DECISION_TARGET_PARAM
from contrat_ville.governance.selectors import decisions as selectors
from contrat_ville.governance.services import decisions as services
from contrat_ville.governance.views.common import crumbs, form_page, post_action, url
from contrat_ville.ui.page import Crumb, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()


def _crumbs(contract: Contract) -> list[Crumb]:
    return crumbs(contract, Crumb("Décisions", url("decision_list", contract)))


def _decision(request: ContractRequest, decision_id: int) -> Decision:
    """The decision, if the user may see it: a published one for everyone, all of them for the pilot and the State
    (404 otherwise)."""
    return selectors.decision_get(
        contract=request.contract, decision_id=decision_id, access=request.access, user=request.user
    )


def _meeting_intro(meeting: Meeting) -> str:
    when = timezone.localtime(meeting.starts_at)
    return f"Séance : {meeting.title} de l'instance « {meeting.body.name} », le {when:%d/%m/%Y à %H:%M}."


@routes("decisions/")
@contract_view(private=False)
def decision_list(request: ContractRequest) -> HttpResponse:
    """The register of the contract's decisions: all of them for the pilot and the State, published ones for all."""
    contract = request.contract
    access = request.access
    visible = selectors.decisions_visible_to(contract=contract, access=access, user=request.user)
    form = DecisionFilterForm(request.GET or None, bodies=list(selectors.decision_bodies(decisions=visible)))
    verdict, body_id = None, None
    if form.is_bound and form.is_valid():
        verdict, body_id = form.cleaned_data["verdict"] or None, form.cleaned_data["body"]
    decisions = list(
        selectors.decision_list(contract=contract, access=access, user=request.user, verdict=verdict, body_id=body_id)
    )
    return render_page(
        request,
        "governance/decision_list.html",
        f"Décisions — {contract.name}",
        fragment="decision-results",
        parents=crumbs(contract),
        can_record_decisions=can_record_decisions(access),
        form=form,
        decisions=decisions,
        is_filtered=bool(verdict or body_id),
    )


@routes("decisions/<int:decision_id>/")
@contract_view(private=False)
def decision_detail(request: ContractRequest, decision_id: int) -> HttpResponse:
    decision = _decision(request, decision_id)
    return render_page(
        request,
        "governance/decision_detail.html",
        f"Décision du {timezone.localtime(decision.meeting.starts_at):%d/%m/%Y} — {decision.meeting.body.name}",
        parents=_crumbs(request.contract),
        can_record_decisions=can_record_decisions(request.access),
        decision=decision,
        annexes=selectors.decision_annex_sections(decision, access=request.access, user=request.user),
    )


@routes("seances/<int:meeting_id>/decisions/nouvelle/")
@contract_view(private=True, permission=can_record_decisions)
def decision_create(request: ContractRequest, meeting_id: int) -> HttpResponse:
    """Record a decision taken in a meeting (seed 004: the steering committee validates…)."""
    contract = request.contract
    meeting = selectors.decision_meeting_get(contract=contract, meeting_id=meeting_id)
    return form_page(
        request,
        DecisionForm(
            request.POST or None, contract=contract, initial={"target": request.GET.get(DECISION_TARGET_PARAM, "")}
        ),
        save=lambda data: services.decision_record(meeting=meeting, by=request.access.user, **data),
        done=lambda decision: ("La décision a été enregistrée.", _decision_url(decision)),
        title=f"Enregistrer une décision — {meeting.title}",
        parents=_crumbs(contract),
        intro=_meeting_intro(meeting),
        form_testid="decision-form",
        submit_label="Enregistrer la décision",
        cancel_url=url("decision_list", contract),
    )


@routes("decisions/<int:decision_id>/modifier/")
@contract_view(private=True, permission=can_record_decisions)
def decision_update(request: ContractRequest, decision_id: int) -> HttpResponse:
    decision = _decision(request, decision_id)
    initial = {"verdict": decision.verdict, "text": decision.text, "is_published": decision.is_published}
    return form_page(
        request,
        DecisionUpdateForm(request.POST or None, initial=initial),
        save=lambda data: services.decision_update(decision=decision, by=request.access.user, **data),
        done=lambda _: ("La décision a été modifiée.", _decision_url(decision)),
        title="Modifier la décision",
        parents=_crumbs(request.contract),
        intro=_meeting_intro(decision.meeting),
        form_testid="decision-form",
        submit_label="Enregistrer la décision",
        cancel_url=_decision_url(decision),
    )


@routes("decisions/<int:decision_id>/publier/")
@require_POST
@contract_view(private=True, permission=can_record_decisions)
def decision_publish(request: ContractRequest, decision_id: int) -> HttpResponse:
    """Publish or withdraw a decision (``publish=1`` or ``publish=0``)."""
    decision = _decision(request, decision_id)
    publish = request.POST.get("publish", "1") == "1"
    return post_action(
        request,
        act=lambda: services.decision_publish(decision=decision, is_published=publish, by=request.access.user),
        message="La décision est publiée." if publish else "La décision n'est plus publiée.",
        next_url=_decision_url(decision),
    )


def _decision_url(decision: Decision) -> str:
    return url("decision_detail", decision.contract, decision_id=decision.pk)


urlpatterns = routes.urlpatterns
