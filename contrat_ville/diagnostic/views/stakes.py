"""Pages of the stakes (*enjeux*): list, detail with versions/opinions/history, edit, redefine, droit commun,
duplicates, the technical committee's synthesis and the request for the steering committee's validation."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import contract_view
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.diagnostic.enums import STAKE_DECIDED_STATUSES, StakeStatus
from contrat_ville.diagnostic.forms.inventory import PillarFilterForm
from contrat_ville.diagnostic.forms.stakes import (
    DuplicateForm,
    MainstreamForm,
    StakeForm,
    StakeRedefineForm,
    ValidationRequestForm,
)
from contrat_ville.diagnostic.models import Stake
from contrat_ville.diagnostic.selectors import stakes as selectors
from contrat_ville.diagnostic.selectors.synthesis import synthesis_columns
from contrat_ville.diagnostic.services import stakes as services
from contrat_ville.diagnostic.views.common import (
    EDITORS,
    STEERING,
    add_error,
    by,
    can_edit,
    can_steer,
    crumbs,
    url,
)
from contrat_ville.governance.selectors.decisions import target_value
from contrat_ville.ui.page import page


def _stake_crumbs(stake: Stake) -> list:
    contract = stake.contract
    return crumbs(
        contract,
        ("Enjeux", url("stake_list", contract)),
        (stake.title, url("stake_detail", contract, stake_id=stake.pk)),
    )


@contract_view(private=True)
def stake_list(request: HttpRequest) -> HttpResponse:
    """The stakes by pillar, with their status, the COPIL's validation and the councils' opinions."""
    contract = request.contract  # type: ignore[attr-defined]
    access = request.access  # type: ignore[attr-defined]
    filters = PillarFilterForm(request.GET or None, contract=contract)
    pillar = filters.selected_pillar()
    rows = selectors.stake_rows(contract=contract, pillar=pillar)
    pillars = [pillar] if pillar is not None else filters.pillars
    groups = [(item, [row for row in rows if row.stake.pillar_id == item.pk]) for item in pillars]
    return render(
        request,
        "diagnostic/stake_list.html",
        page(
            "Enjeux du diagnostic",
            parents=crumbs(contract),
            contract=contract,
            access=access,
            filters=filters,
            groups=groups,
            total=len(rows),
            can_edit=can_edit(access),
            can_steer=can_steer(access),
            section="stakes",
        ),
    )


@contract_view(private=True, roles=EDITORS)
def stake_create(request: HttpRequest) -> HttpResponse:
    contract = request.contract  # type: ignore[attr-defined]
    initial = {}
    if request.GET.get("pilier"):
        initial["pillar"] = next((p.pk for p in contract.pillars.all() if p.code == request.GET["pilier"]), None)
    form = StakeForm(request.POST or None, contract=contract, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            stake = services.stake_create(contract=contract, by=by(request), **form.cleaned_data)
        except BusinessRuleError as error:
            add_error(form, error)
        else:
            messages.success(request, f"Enjeu « {stake.title} » proposé (version 1).")
            return redirect(url("stake_detail", contract, stake_id=stake.pk))
    return render(
        request,
        "diagnostic/form.html",
        page(
            "Nouvel enjeu",
            parents=crumbs(contract, ("Enjeux", url("stake_list", contract))),
            contract=contract,
            form=form,
            intro="Le droit commun identifié s'ajoute ensuite, depuis la page de l'enjeu.",
            submit_label="Proposer l'enjeu",
            cancel_url=url("stake_list", contract),
            section="stakes",
        ),
    )


@contract_view(private=True)
def stake_detail(request: HttpRequest, stake_id: int) -> HttpResponse:
    """A stake: current text, axes, findings, droit commun, its versions side by side with the councils' opinions,
    status changes and decisions; actions (edit, redefine, validate) for those allowed."""
    contract = request.contract  # type: ignore[attr-defined]
    access = request.access  # type: ignore[attr-defined]
    stake = selectors.stake_get(contract=contract, stake_id=stake_id)
    history = selectors.stake_history(stake, access=access, user=request.user)
    decision = selectors.stake_validations([stake]).get(stake.pk)
    steer = can_steer(access)
    return render(
        request,
        "diagnostic/stake_detail.html",
        page(
            stake.title,
            parents=crumbs(contract, ("Enjeux", url("stake_list", contract))),
            contract=contract,
            access=access,
            stake=stake,
            row=selectors.StakeRow(stake=stake, decision=decision),
            history=history,
            findings=list(stake.findings.all()),
            mainstream=list(stake.mainstream.all()),
            duplicates=selectors.stake_duplicates(stake),
            can_edit=can_edit(access) and stake.status not in STAKE_DECIDED_STATUSES,
            can_redefine=can_edit(access) and stake.status == StakeStatus.SUBMITTED,
            can_steer=steer,
            validation_form=ValidationRequestForm(contract=contract) if steer else None,
            section="stakes",
        ),
    )


@contract_view(private=True, roles=EDITORS)
def stake_update(request: HttpRequest, stake_id: int) -> HttpResponse:
    contract = request.contract  # type: ignore[attr-defined]
    stake = selectors.stake_get(contract=contract, stake_id=stake_id)
    initial = {
        "pillar": stake.pillar_id,
        "title": stake.title,
        "description": stake.description,
        "axes": [axis.pk for axis in stake.axes.all()],
        "findings": [finding.pk for finding in stake.findings.all()],
    }
    form = StakeForm(request.POST or None, contract=contract, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.stake_update(stake=stake, by=by(request), **form.cleaned_data)
        except BusinessRuleError as error:
            add_error(form, error)
        else:
            messages.success(request, "Enjeu modifié.")
            return redirect(url("stake_detail", contract, stake_id=stake.pk))
    return render(
        request,
        "diagnostic/form.html",
        page(
            f"Modifier « {stake.title} »",
            parents=_stake_crumbs(stake),
            contract=contract,
            form=form,
            intro="Une version soumise aux conseils citoyens ne change plus : pour en changer le texte, "
            "redéfinissez l'enjeu.",
            submit_label="Enregistrer",
            cancel_url=url("stake_detail", contract, stake_id=stake.pk),
            section="stakes",
        ),
    )


@contract_view(private=True, roles=EDITORS)
def stake_redefine(request: HttpRequest, stake_id: int) -> HttpResponse:
    """« Redéfinir l'enjeu » with the councils' opinions in view: a new version, status « redéfini »."""
    contract = request.contract  # type: ignore[attr-defined]
    access = request.access  # type: ignore[attr-defined]
    stake = selectors.stake_get(contract=contract, stake_id=stake_id)
    initial = {
        "title": stake.title,
        "description": stake.description,
        "axes": [axis.pk for axis in stake.axes.all()],
    }
    form = StakeRedefineForm(request.POST or None, contract=contract, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.stake_redefine(stake=stake, by=by(request), **form.cleaned_data)
        except BusinessRuleError as error:
            add_error(form, error)
        else:
            messages.success(request, f"Enjeu redéfini : version {version.number}.")
            return redirect(url("stake_detail", contract, stake_id=stake.pk))
    history = selectors.stake_history(stake, access=access, user=request.user)
    return render(
        request,
        "diagnostic/stake_redefine.html",
        page(
            f"Redéfinir « {stake.title} »",
            parents=_stake_crumbs(stake),
            contract=contract,
            stake=stake,
            form=form,
            history=history,
            section="stakes",
        ),
    )


@contract_view(private=True, roles=EDITORS)
def stake_mainstream_add(request: HttpRequest, stake_id: int) -> HttpResponse:
    """Identify a partner's droit commun for the stake."""
    contract = request.contract  # type: ignore[attr-defined]
    stake = selectors.stake_get(contract=contract, stake_id=stake_id)
    form = MainstreamForm(request.POST or None, contract=contract)
    detail_url = url("stake_detail", contract, stake_id=stake.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.stake_mainstream_add(stake=stake, by=by(request), **form.cleaned_data)
        except BusinessRuleError as error:
            add_error(form, error)
        else:
            messages.success(request, "Droit commun ajouté à l'enjeu.")
            return redirect(f"{detail_url}#droit-commun")
    return render(
        request,
        "diagnostic/form.html",
        page(
            "Identifier le droit commun",
            parents=_stake_crumbs(stake),
            contract=contract,
            form=form,
            intro=f"Enjeu : « {stake.title} ». Le partenaire et la politique de droit commun qu'il mobilise.",
            submit_label="Ajouter",
            cancel_url=detail_url,
            section="stakes",
        ),
    )


@require_POST
@contract_view(private=True, roles=EDITORS)
def stake_mainstream_remove(request: HttpRequest, stake_id: int, mainstream_id: int) -> HttpResponse:
    contract = request.contract  # type: ignore[attr-defined]
    stake = selectors.stake_get(contract=contract, stake_id=stake_id)
    row = next((item for item in stake.mainstream.all() if item.pk == mainstream_id), None)
    detail_url = url("stake_detail", contract, stake_id=stake.pk)
    if row is None:
        messages.error(request, "Cette ligne de droit commun n'existe plus.")
        return redirect(detail_url)
    try:
        services.stake_mainstream_remove(mainstream=row, by=by(request))
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Droit commun retiré de l'enjeu.")
    return redirect(f"{detail_url}#droit-commun")


@contract_view(private=True, roles=STEERING)
def stake_duplicate(request: HttpRequest, stake_id: int) -> HttpResponse:
    """Flag the stake as a duplicate of another one (technical committee's synthesis), or unflag it."""
    contract = request.contract  # type: ignore[attr-defined]
    stake = selectors.stake_get(contract=contract, stake_id=stake_id)
    form = DuplicateForm(request.POST or None, stake=stake, initial={"duplicate_of": stake.duplicate_of_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.stake_duplicate_set(stake=stake, duplicate_of=form.cleaned_data["duplicate_of"], by=by(request))
        except BusinessRuleError as error:
            add_error(form, error)
        else:
            if stake.duplicate_of is None:
                messages.success(request, f"« {stake.title} » n'est plus signalé comme doublon.")
            else:
                messages.success(request, f"« {stake.title} » est signalé comme doublon de « {stake.duplicate_of} ».")
            back_to_synthesis = request.POST.get("next") == "synthese"
            return redirect(
                url("synthesis", contract) if back_to_synthesis else url("stake_detail", contract, stake_id=stake.pk)
            )
    return render(
        request,
        "diagnostic/form.html",
        page(
            f"Doublon : « {stake.title} »",
            parents=_stake_crumbs(stake),
            contract=contract,
            form=form,
            intro="Un doublon reste visible dans la synthèse, regroupé sous l'enjeu d'origine.",
            next_value=request.GET.get("next", request.POST.get("next", "")),
            submit_label="Enregistrer",
            cancel_url=url("stake_detail", contract, stake_id=stake.pk),
            section="stakes",
        ),
    )


@contract_view(private=True, roles=STEERING)
def stake_validation(request: HttpRequest, stake_id: int) -> HttpResponse:
    """« Faire valider par le comité de pilotage »: choose the COPIL meeting, then record the decision there."""
    contract = request.contract  # type: ignore[attr-defined]
    stake = selectors.stake_get(contract=contract, stake_id=stake_id)
    form = ValidationRequestForm(request.GET if "seance" in request.GET else None, contract=contract)
    if form.is_bound and form.is_valid():
        meeting = form.cleaned_data["seance"]
        target = reverse(
            "governance:decision_create", kwargs={"contract_slug": contract.slug, "meeting_id": meeting.pk}
        )
        return redirect(f"{target}?{urlencode({'cible': target_value(stake)})}")
    return render(
        request,
        "diagnostic/stake_validation.html",
        page(
            "Faire valider par le comité de pilotage",
            parents=_stake_crumbs(stake),
            contract=contract,
            stake=stake,
            form=form,
            section="stakes",
        ),
    )


@contract_view(private=True)
def synthesis(request: HttpRequest) -> HttpResponse:
    """The technical committee's synthesis (seed 004 phase 3.2): the groups' stakes side by side, by pillar."""
    contract = request.contract  # type: ignore[attr-defined]
    access = request.access  # type: ignore[attr-defined]
    return render(
        request,
        "diagnostic/synthesis.html",
        page(
            "Synthèse du comité technique",
            parents=crumbs(contract),
            contract=contract,
            access=access,
            columns=synthesis_columns(contract=contract),
            can_steer=can_steer(access),
            section="synthesis",
        ),
    )


urlpatterns: list[URLPattern] = [
    path("enjeux/", stake_list, name="stake_list"),
    path("enjeux/nouveau/", stake_create, name="stake_create"),
    path("enjeux/<int:stake_id>/", stake_detail, name="stake_detail"),
    path("enjeux/<int:stake_id>/modifier/", stake_update, name="stake_update"),
    path("enjeux/<int:stake_id>/redefinir/", stake_redefine, name="stake_redefine"),
    path("enjeux/<int:stake_id>/droit-commun/ajouter/", stake_mainstream_add, name="stake_mainstream_add"),
    path(
        "enjeux/<int:stake_id>/droit-commun/<int:mainstream_id>/retirer/",
        stake_mainstream_remove,
        name="stake_mainstream_remove",
    ),
    path("enjeux/<int:stake_id>/doublon/", stake_duplicate, name="stake_duplicate"),
    path("enjeux/<int:stake_id>/faire-valider/", stake_validation, name="stake_validation"),
    path("synthese/", synthesis, name="synthesis"),
]
