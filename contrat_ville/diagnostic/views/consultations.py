"""Pages of the debate with the conseils citoyens: consultations, and the opinions council members give."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view, require
from contrat_ville.core.registries import consultable_kinds
from contrat_ville.diagnostic.forms.consultations import ConsultationForm, OpinionForm
from contrat_ville.diagnostic.models import Consultation, ConsultedObject
from contrat_ville.diagnostic.permissions import can_give_opinion, can_steer_diagnostic
from contrat_ville.diagnostic.selectors import consultations as selectors
from contrat_ville.diagnostic.services import consultations as services
from contrat_ville.diagnostic.views.common import (
    consultation_rows,
    crumbs,
    form_page,
    post_action,
    url,
)
from contrat_ville.participation.permissions import speaks_for_a_council
from contrat_ville.ui.forms import Form
from contrat_ville.ui.page import render_page
from contrat_ville.ui.routes import Routes

routes = Routes()

NO_COUNCIL_ALERT = {
    "type": "warning",
    "title": "Aucun conseil citoyen connu pour ce contrat",
    "content": "Inscrivez les conseils citoyens du contrat (Conseils citoyens), faites-les siéger dans ses instances "
    "(Gouvernance) ou donnez un rôle à l'un de leurs membres.",
}
OPINION_CLOSED = (
    "La consultation est close ou sa date limite est passée : votre avis ne peut plus être donné ni modifié."
)
OPINION_NOT_ALLOWED = "Seuls les membres des conseils citoyens consultés donnent un avis sur cet objet."


def _consultation(request: ContractRequest, consultation_id: int) -> Consultation:
    """The consultation, if the user may see it: a council member sees those addressed to their council (404
    otherwise)."""
    return selectors.consultation_get(
        contract=request.contract, consultation_id=consultation_id, access=request.access, user=request.user
    )


def _preselect(request: ContractRequest) -> dict[str, list[int]] | None:
    """Objects to check when the pilot comes from an object's page: ``?orientations=3&action_plans=7``."""
    chosen = {
        kind.form_field: [
            int(value) for value in request.GET.getlist(kind.form_field) if value.isdigit() and len(value) < 19
        ]
        for kind in consultable_kinds
    }
    return {name: ids for name, ids in chosen.items() if ids} or None


def _consultation_crumbs(consultation: Consultation) -> list:
    contract = consultation.contract
    return crumbs(
        contract,
        ("Consultations des conseils citoyens", url("consultation_list", contract)),
        (consultation.title, url("consultation_detail", contract, consultation_id=consultation.pk)),
    )


@routes("consultations/")
@contract_view(private=True)
def consultation_list(request: ContractRequest) -> HttpResponse:
    rows = consultation_rows(request)
    return render_page(
        request,
        "diagnostic/consultation_list.html",
        "Consultations des conseils citoyens",
        parents=crumbs(request.contract),
        open_rows=[row for row in rows if row.is_open],
        past_rows=[row for row in rows if not row.is_open],
        is_council_member=speaks_for_a_council(request.access),
        can_steer_diagnostic=can_steer_diagnostic(request.access),
        section="consultations",
    )


@routes("consultations/nouvelle/")
@contract_view(private=True, permission=can_steer_diagnostic)
def consultation_create(request: ContractRequest) -> HttpResponse:
    """The pilot submits stakes to conseils citoyens with a deadline."""
    contract = request.contract
    form = ConsultationForm(request.POST or None, contract=contract, preselect=_preselect(request))
    return form_page(
        request,
        form,
        save=lambda data: services.consultation_create(
            contract=contract, by=request.access.user, **form.consultation_data(data)
        ),
        done=lambda consultation: (
            f"Soumis aux conseils citoyens : avis attendus au plus tard le {consultation.deadline:%d/%m/%Y}.",
            url("consultation_detail", contract, consultation_id=consultation.pk),
        ),
        title="Soumettre aux conseils citoyens",
        parents=crumbs(contract, ("Consultations des conseils citoyens", url("consultation_list", contract))),
        intro="Choisissez ce que les conseils citoyens doivent examiner : enjeux du diagnostic, orientations "
        "stratégiques, plans d'actions annuels. Les enjeux sont soumis dans leur version actuelle, qui est figée : "
        "les avis porteront sur elle, et ils passent à l'état « soumis aux conseils citoyens ».",
        alert=None if form.has_councils else NO_COUNCIL_ALERT,
        form_testid="consultation-form",
        submit_label="Soumettre aux conseils citoyens",
        cancel_url=url("consultation_list", contract),
        section="consultations",
    )


@routes("consultations/<int:consultation_id>/")
@contract_view(private=True)
def consultation_detail(request: ContractRequest, consultation_id: int) -> HttpResponse:
    """The stakes submitted, with the councils' opinions; council members give or change theirs from here."""
    contract = request.contract
    access = request.access
    consultation = _consultation(request, consultation_id)
    items = selectors.consultation_items(consultation=consultation, user=request.user, access=access)
    return render_page(
        request,
        "diagnostic/consultation_detail.html",
        consultation.title,
        parents=crumbs(contract, ("Consultations des conseils citoyens", url("consultation_list", contract))),
        consultation=consultation,
        councils=list(consultation.councils.all()),
        items=items,
        answers=selectors.council_answers(consultation=consultation, items=items),
        is_open=selectors.consultation_is_open(consultation),
        can_give=speaks_for_a_council(access),
        can_steer_diagnostic=can_steer_diagnostic(access),
        section="consultations",
    )


@routes("consultations/<int:consultation_id>/clore/")
@require_POST
@contract_view(private=True, permission=can_steer_diagnostic)
def consultation_close(request: ContractRequest, consultation_id: int) -> HttpResponse:
    contract = request.contract
    consultation = _consultation(request, consultation_id)
    return post_action(
        request,
        act=lambda: services.consultation_close(consultation=consultation, by=request.access.user),
        message="Consultation close : les avis ne peuvent plus être donnés ni modifiés.",
        next_url=url("consultation_detail", contract, consultation_id=consultation.pk),
    )


@routes("consultations/<int:consultation_id>/enjeux/<int:version_id>/avis/")
@contract_view(private=True)
def opinion_give(request: ContractRequest, consultation_id: int, version_id: int) -> HttpResponse:
    """A council member's opinion on one stake version (the first URL of the opinions, kept): the item's page."""
    consultation = _consultation(request, consultation_id)
    version = selectors.consultation_version_get(consultation=consultation, version_id=version_id)
    item = selectors.consultation_item_of_version(consultation=consultation, version=version)
    return _opinion_page(request, consultation, item)


@routes("consultations/<int:consultation_id>/objets/<int:item_id>/avis/")
@contract_view(private=True)
def item_opinion_give(request: ContractRequest, consultation_id: int, item_id: int) -> HttpResponse:
    """A council member's opinion on one object of the consultation, editable until the deadline; read-only
    afterwards; with what the steering committee decided on it since (« suites données »)."""
    consultation = _consultation(request, consultation_id)
    item = selectors.consultation_item_get(consultation=consultation, item_id=item_id)
    return _opinion_page(request, consultation, item)


def _opinion_page(request: ContractRequest, consultation: Consultation, item: ConsultedObject) -> HttpResponse:
    contract = request.contract
    access = request.access
    # The consultation is visible to a council member only when addressed to their council.
    may_give = speaks_for_a_council(access)
    if request.method == "POST":
        require(can_give_opinion, access, consultation)
    row = next(
        row
        for row in selectors.consultation_items(consultation=consultation, user=request.user, access=access)
        if row.item.pk == item.pk
    )
    mine = row.mine if may_give else None
    initial = {"verdict": mine.verdict, "text": mine.text} if mine else None
    can_give = can_give_opinion(access, consultation)
    detail_url = url("consultation_detail", contract, consultation_id=consultation.pk)
    return form_page(
        request,
        OpinionForm(request.POST or None, initial=initial) if can_give else Form(),
        save=lambda data: services.consultation_opinion_give(
            consultation=consultation, item=item, author=request.user, **data
        ),
        done=lambda _: ("Votre avis est enregistré ; vous pouvez le modifier jusqu'à la date limite.", detail_url),
        title=f"Avis sur « {row.version.title if row.version else item.label} »",
        parents=_consultation_crumbs(consultation),
        intro_template="diagnostic/_opinion_version.html",
        read_only_message="" if can_give else OPINION_CLOSED if may_give else OPINION_NOT_ALLOWED,
        after_template="diagnostic/_opinion_mine.html",
        form_testid="opinion-form",
        submit_label="Enregistrer mon avis",
        cancel_url=detail_url,
        consultation=consultation,
        row=row,
        version=row.version,
        mine=None if can_give else mine,
        section="consultations",
    )


urlpatterns = routes.urlpatterns
