"""Decision pages: the contract's decision register (public on a published contract), record, correct, publish."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.governance.forms.decisions import DecisionFilterForm, DecisionForm, DecisionUpdateForm
from contrat_ville.governance.permissions import can_record_decisions
from contrat_ville.governance.selectors import decisions as selectors
from contrat_ville.governance.services import decisions as services
from contrat_ville.ui.page import Crumb, page


def _crumbs(contract: Contract, *, with_list: bool = True) -> list[Crumb]:
    crumbs = [
        Crumb("Contrats de ville", reverse("contracts:contract_list")),
        Crumb(contract.name, reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})),
    ]
    if with_list:
        crumbs.append(Crumb("Décisions", reverse("governance:decision_list", kwargs={"contract_slug": contract.slug})))
    return crumbs


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
    return render(
        request,
        "governance/decision_list.html",
        page(
            f"Décisions — {contract.name}",
            parents=_crumbs(contract, with_list=False),
            contract=contract,
            access=access,
            can_record_decisions=can_record_decisions(access),
            form=form,
            decisions=decisions,
            is_filtered=bool(verdict or body_id),
        ),
    )


@contract_view(private=False)
def decision_detail(request: ContractRequest, decision_id: int) -> HttpResponse:
    contract = request.contract
    access = request.access
    decision = selectors.decision_get(contract=contract, decision_id=decision_id, access=access, user=request.user)
    return render(
        request,
        "governance/decision_detail.html",
        page(
            f"Décision du {timezone.localtime(decision.meeting.starts_at):%d/%m/%Y} — {decision.meeting.body.name}",
            parents=_crumbs(contract),
            contract=contract,
            access=access,
            can_record_decisions=can_record_decisions(access),
            decision=decision,
        ),
    )


@contract_view(private=True, permission=can_record_decisions)
def decision_create(request: ContractRequest, meeting_id: int) -> HttpResponse:
    """Record a decision taken in a meeting (seed 004: the steering committee validates…)."""
    contract = request.contract
    meeting = selectors.decision_meeting_get(contract=contract, meeting_id=meeting_id)
    # « ?cible=app.model:id » preselects the object, so a stake or a plan page can send the user here.
    form = DecisionForm(request.POST or None, contract=contract, initial={"target": request.GET.get("cible", "")})
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(
                meeting=meeting,
                verdict=form.cleaned_data["verdict"],
                text=form.cleaned_data["text"],
                target=form.cleaned_data["target"],
                is_published=form.cleaned_data["is_published"],
                by=request.access.user,
            )
        except BusinessRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "La décision a été enregistrée.")
            return redirect("governance:decision_detail", contract_slug=contract.slug, decision_id=decision.pk)
    return render(
        request,
        "governance/decision_form.html",
        page(
            f"Enregistrer une décision — {meeting.title}",
            parents=_crumbs(contract),
            contract=contract,
            meeting=meeting,
            form=form,
        ),
    )


@contract_view(private=True, permission=can_record_decisions)
def decision_update(request: ContractRequest, decision_id: int) -> HttpResponse:
    contract = request.contract
    access = request.access
    decision = selectors.decision_get(contract=contract, decision_id=decision_id, access=access, user=request.user)
    initial = {"verdict": decision.verdict, "text": decision.text, "is_published": decision.is_published}
    form = DecisionUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(decision=decision, by=request.access.user, **form.cleaned_data)
        except BusinessRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "La décision a été modifiée.")
            return redirect("governance:decision_detail", contract_slug=contract.slug, decision_id=decision.pk)
    return render(
        request,
        "governance/decision_form.html",
        page(
            "Modifier la décision",
            parents=_crumbs(contract),
            contract=contract,
            meeting=decision.meeting,
            decision=decision,
            form=form,
        ),
    )


@require_POST
@contract_view(private=True, permission=can_record_decisions)
def decision_publish(request: ContractRequest, decision_id: int) -> HttpResponse:
    """Publish or withdraw a decision (``publish=1`` or ``publish=0``)."""
    contract = request.contract
    access = request.access
    decision = selectors.decision_get(contract=contract, decision_id=decision_id, access=access, user=request.user)
    publish = request.POST.get("publish", "1") == "1"
    services.decision_publish(decision=decision, is_published=publish, by=request.access.user)
    messages.success(request, "La décision est publiée." if publish else "La décision n'est plus publiée.")
    return redirect("governance:decision_detail", contract_slug=contract.slug, decision_id=decision.pk)


urlpatterns: list[URLPattern] = [
    path("decisions/", decision_list, name="decision_list"),
    path("decisions/<int:decision_id>/", decision_detail, name="decision_detail"),
    path("decisions/<int:decision_id>/modifier/", decision_update, name="decision_update"),
    path("decisions/<int:decision_id>/publier/", decision_publish, name="decision_publish"),
    path("seances/<int:meeting_id>/decisions/nouvelle/", decision_create, name="decision_create"),
]
