"""Pages of the stakes (*enjeux*): list, detail with versions/opinions/history, edit, redefine, droit commun,
duplicates, the technical committee's synthesis and the request for the steering committee's validation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.models import Contract
from contrat_ville.diagnostic.forms.stakes import (
    DuplicateForm,
    MainstreamForm,
    StakeForm,
    StakeRedefineForm,
    ValidationRequestForm,
)
from contrat_ville.diagnostic.models import Stake
from contrat_ville.diagnostic.permissions import (
    can_edit_stake,
    can_redefine_stake,
    can_steer_diagnostic,
    can_write_diagnostic,
)
from contrat_ville.diagnostic.selectors import stakes as selectors
from contrat_ville.diagnostic.selectors.synthesis import synthesis_columns
from contrat_ville.diagnostic.services import stakes as services
from contrat_ville.diagnostic.views.common import (
    crumbs,
    form_page,
    pages,
    pillar_filter,
    pillar_initial,
    post_action,
    removal_urls,
    url,
)
from contrat_ville.governance.presenters import decision_form_url
from contrat_ville.ui.form_pages import FORM_TEMPLATE, Removal
from contrat_ville.ui.page import render_page
from contrat_ville.ui.routes import Routes

routes = Routes()

NO_COPIL_MEETING = (
    "Aucune séance du comité de pilotage n'a encore commencé : programmez-en une dans « Séances et calendrier »."
)


def _stake(request: ContractRequest, stake_id: int) -> Stake:
    """The stake ``stake_id`` of the request's contract (404 otherwise)."""
    return selectors.stake_get(contract=request.contract, stake_id=stake_id)


def _stake_url(stake: Stake) -> str:
    return url("stake_detail", stake.contract, stake_id=stake.pk)


def _stake_crumbs(stake: Stake) -> list:
    contract = stake.contract
    return crumbs(
        contract,
        ("Enjeux", url("stake_list", contract)),
        (stake.title, _stake_url(stake)),
    )


def _stake_text(stake: Stake) -> dict[str, object]:
    """The text of the stake as its forms start from: title, description, transversal axes."""
    return {"title": stake.title, "description": stake.description, "axes": [axis.pk for axis in stake.axes.all()]}


@routes("enjeux/")
@contract_view(private=True)
def stake_list(request: ContractRequest) -> HttpResponse:
    """The stakes by pillar, with their status, the COPIL's validation and the councils' opinions."""
    filters, pillar, pillars = pillar_filter(request)
    rows = selectors.stake_rows(contract=request.contract, pillar=pillar)
    return render_page(
        request,
        "diagnostic/stake_list.html",
        "Enjeux du diagnostic",
        fragment="pillar-results",
        parents=crumbs(request.contract),
        filters=filters,
        can_write_diagnostic=can_write_diagnostic(request.access),
        groups=[(item, [row for row in rows if row.stake.pillar_id == item.pk]) for item in pillars],
        total=len(rows),
        can_steer_diagnostic=can_steer_diagnostic(request.access),
        section="stakes",
    )


@routes("enjeux/nouveau/")
@contract_view(private=True, permission=can_write_diagnostic)
def stake_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    return form_page(
        request,
        StakeForm(request.POST or None, contract=contract, initial=pillar_initial(request, contract)),
        save=lambda data: services.stake_create(contract=contract, by=request.access.user, **data),
        done=lambda stake: (
            f"Enjeu « {stake.title} » proposé (version 1).",
            _stake_url(stake),
        ),
        title="Nouvel enjeu",
        parents=crumbs(contract, ("Enjeux", url("stake_list", contract))),
        intro="Le droit commun identifié s'ajoute ensuite, depuis la page de l'enjeu.",
        submit_label="Proposer l'enjeu",
        cancel_url=url("stake_list", contract),
        section="stakes",
    )


@routes("enjeux/<int:stake_id>/")
@contract_view(private=True)
def stake_detail(request: ContractRequest, stake_id: int) -> HttpResponse:
    """A stake: current text, axes, findings, droit commun, its versions side by side with the councils' opinions,
    status changes and decisions; actions (edit, redefine, validate) for those allowed."""
    contract = request.contract
    access = request.access
    stake = _stake(request, stake_id)
    history = selectors.stake_history(stake, access=access, user=request.user)
    decision = selectors.stake_validations([stake]).get(stake.pk)
    steer = can_steer_diagnostic(access)
    validation_form = ValidationRequestForm(contract=contract) if steer else None
    if validation_form is not None and not validation_form.fields["seance"].queryset.exists():
        validation_form = None  # No meeting of the steering committee has started yet.
    return render_page(
        request,
        "diagnostic/stake_detail.html",
        stake.title,
        parents=crumbs(contract, ("Enjeux", url("stake_list", contract))),
        stake=stake,
        row=selectors.StakeRow(stake=stake, decision=decision),
        history=history,
        findings=list(stake.findings.all()),
        mainstream=list(stake.mainstream.all()),
        duplicates=selectors.stake_duplicates(stake),
        can_edit_stake=can_edit_stake(access, stake),
        can_redefine_stake=can_redefine_stake(access, stake),
        can_steer_diagnostic=steer,
        validation_form=validation_form,
        section="stakes",
        **(removal_urls("stake", contract, stake_id=stake.pk) if steer else {}),
    )


@routes("enjeux/<int:stake_id>/modifier/")
@contract_view(private=True, permission=can_edit_stake)
def stake_update(request: ContractRequest, stake_id: int) -> HttpResponse:
    contract = request.contract
    stake = _stake(request, stake_id)
    initial = {
        **_stake_text(stake),
        "pillar": stake.pillar_id,
        "findings": [finding.pk for finding in stake.findings.all()],
    }
    detail_url = _stake_url(stake)
    return form_page(
        request,
        StakeForm(request.POST or None, contract=contract, initial=initial),
        save=lambda data: services.stake_update(stake=stake, by=request.access.user, **data),
        done=lambda _: ("Enjeu modifié.", detail_url),
        title=f"Modifier « {stake.title} »",
        parents=_stake_crumbs(stake),
        intro="Une version soumise aux conseils citoyens ne change plus : pour en changer le texte, "
        "redéfinissez l'enjeu.",
        cancel_url=detail_url,
        section="stakes",
    )


@routes("enjeux/<int:stake_id>/redefinir/")
@contract_view(private=True, permission=can_redefine_stake)
def stake_redefine(request: ContractRequest, stake_id: int) -> HttpResponse:
    """« Redéfinir l'enjeu » with the councils' opinions in view: a new version, status « redéfini »."""
    contract = request.contract
    access = request.access
    stake = _stake(request, stake_id)
    initial = _stake_text(stake)
    return form_page(
        request,
        StakeRedefineForm(request.POST or None, contract=contract, initial=initial),
        save=lambda data: services.stake_redefine(stake=stake, by=request.access.user, **data),
        done=lambda version: (
            f"Enjeu redéfini : version {version.number}.",
            _stake_url(stake),
        ),
        title=f"Redéfinir « {stake.title} »",
        parents=_stake_crumbs(stake),
        intro=f"Redéfinissez l'enjeu avec les avis des conseils citoyens sous les yeux : une nouvelle version "
        f"(v{stake.version + 1}) est créée, les avis restent attachés à la version sur laquelle ils ont été donnés.",
        form_heading="Nouvelle version",
        side_template="diagnostic/_redefine_opinions.html",
        form_testid="stake-redefine-form",
        submit_label="Redéfinir l'enjeu",
        cancel_url=_stake_url(stake),
        history=selectors.stake_history(stake, access=access, user=request.user),
        section="stakes",
    )


@routes("enjeux/<int:stake_id>/droit-commun/ajouter/")
@contract_view(private=True, permission=can_edit_stake)
def stake_mainstream_add(request: ContractRequest, stake_id: int) -> HttpResponse:
    """Identify a partner's droit commun for the stake."""
    contract = request.contract
    stake = _stake(request, stake_id)
    detail_url = _stake_url(stake)
    return form_page(
        request,
        MainstreamForm(request.POST or None, contract=contract),
        save=lambda data: services.stake_mainstream_add(stake=stake, by=request.access.user, **data),
        done=lambda _: ("Droit commun ajouté à l'enjeu.", f"{detail_url}#droit-commun"),
        title="Identifier le droit commun",
        parents=_stake_crumbs(stake),
        intro=f"Enjeu : « {stake.title} ». Le partenaire et la politique de droit commun qu'il mobilise.",
        submit_label="Ajouter",
        cancel_url=detail_url,
        section="stakes",
    )


@routes("enjeux/<int:stake_id>/droit-commun/<int:mainstream_id>/retirer/")
@require_POST
@contract_view(private=True, permission=can_edit_stake)
def stake_mainstream_remove(request: ContractRequest, stake_id: int, mainstream_id: int) -> HttpResponse:
    stake = _stake(request, stake_id)
    row = next((item for item in stake.mainstream.all() if item.pk == mainstream_id), None)
    detail_url = _stake_url(stake)
    if row is None:
        messages.error(request, "Cette ligne de droit commun n'existe plus.")
        return redirect(detail_url)
    return post_action(
        request,
        act=lambda: services.stake_mainstream_remove(mainstream=row, by=request.access.user),
        message="Droit commun retiré de l'enjeu.",
        next_url=f"{detail_url}#droit-commun",
    )


def _duplicate_done(request: ContractRequest, contract: Contract, stake: Stake) -> tuple[str, str]:
    """The message once the flag is saved, and where to go: back to the synthesis when the form came from it."""
    if stake.duplicate_of is None:
        message = f"« {stake.title} » n'est plus signalé comme doublon."
    else:
        message = f"« {stake.title} » est signalé comme doublon de « {stake.duplicate_of} »."
    if request.POST.get("next") == "synthese":
        return message, url("synthesis", contract)
    return message, _stake_url(stake)


@routes("enjeux/<int:stake_id>/doublon/")
@contract_view(private=True, permission=can_steer_diagnostic)
def stake_duplicate(request: ContractRequest, stake_id: int) -> HttpResponse:
    """Flag the stake as a duplicate of another one (technical committee's synthesis), or unflag it."""
    contract = request.contract
    stake = _stake(request, stake_id)
    return form_page(
        request,
        DuplicateForm(request.POST or None, stake=stake, initial={"duplicate_of": stake.duplicate_of_id}),
        save=lambda data: services.stake_duplicate_set(
            stake=stake, duplicate_of=data["duplicate_of"], by=request.access.user
        ),
        done=lambda _: _duplicate_done(request, contract, stake),
        title=f"Doublon : « {stake.title} »",
        parents=_stake_crumbs(stake),
        intro="Un doublon reste visible dans la synthèse, regroupé sous l'enjeu d'origine.",
        next_value=request.GET.get("next", request.POST.get("next", "")),
        cancel_url=_stake_url(stake),
        section="stakes",
    )


@routes("enjeux/<int:stake_id>/faire-valider/")
@contract_view(private=True, permission=can_steer_diagnostic)
def stake_validation(request: ContractRequest, stake_id: int) -> HttpResponse:
    """« Faire valider par le comité de pilotage »: choose the COPIL meeting, then record the decision there."""
    contract = request.contract
    stake = _stake(request, stake_id)
    form = ValidationRequestForm(request.GET if "seance" in request.GET else None, contract=contract)
    if form.is_bound and form.is_valid():
        return redirect(decision_form_url(contract, form.cleaned_data["seance"].pk, stake))
    has_meetings = form.fields["seance"].queryset.exists()
    return render_page(
        request,
        FORM_TEMPLATE,
        "Faire valider par le comité de pilotage",
        parents=_stake_crumbs(stake),
        layout=pages.layout,
        form=form,
        intro=f"Enjeu : « {stake.title} ». Choisissez la séance du comité de pilotage qui se prononce : la "
        "décision s'y enregistre, avec l'enjeu déjà choisi comme objet. Une décision « validé » le retient, "
        "« rejeté » l'écarte.",
        read_only_message="" if has_meetings else NO_COPIL_MEETING,
        form_method="get",
        form_testid="stake-validation-form",
        submit_label="Enregistrer la décision",
        cancel_url=_stake_url(stake),
        section="stakes",
    )


def _stake_removal(request: ContractRequest, stake_id: int) -> Removal:
    contract = request.contract
    stake = _stake(request, stake_id)
    by = request.access.user
    return Removal(
        delete=lambda: services.stake_delete(stake=stake, by=by),
        archive=lambda on: services.stake_archive(stake=stake, on=on, by=by),
        title=f"Supprimer l'enjeu « {stake} »",
        explanation="L'enjeu sera supprimé avec ses versions ; la suppression reste inscrite dans l'historique. "
        "Un enjeu soumis aux conseils citoyens, cité par une orientation ou visé par une décision ne se supprime "
        "pas : archivez-le.",
        submit_label="Supprimer l'enjeu",
        deleted=f"Enjeu « {stake} » supprimé.",
        archived=f"Enjeu « {stake} » archivé : retiré des listes et des formulaires, sa page reste lisible.",
        back_url=_stake_url(stake),
        after_url=url("stake_list", contract),
        parents=_stake_crumbs(stake),
        context={"section": "stakes"},
    )


pages.route_removal(
    routes,
    "enjeux/<int:stake_id>/",
    "stake",
    guard=contract_view(private=True, permission=can_steer_diagnostic),
    describe=_stake_removal,
)


@routes("synthese/")
@contract_view(private=True)
def synthesis(request: ContractRequest) -> HttpResponse:
    """The technical committee's synthesis (seed 004 phase 3.2): the groups' stakes side by side, by pillar."""
    contract = request.contract
    access = request.access
    return render_page(
        request,
        "diagnostic/synthesis.html",
        "Synthèse du comité technique",
        parents=crumbs(contract),
        columns=synthesis_columns(contract=contract),
        can_steer_diagnostic=can_steer_diagnostic(access),
        section="synthesis",
    )


urlpatterns = routes.urlpatterns
