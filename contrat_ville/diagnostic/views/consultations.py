"""Pages of the debate with the conseils citoyens: consultations, and the opinions council members give."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import contract_view
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.diagnostic.forms.consultations import ConsultationForm, OpinionForm
from contrat_ville.diagnostic.models import Consultation
from contrat_ville.diagnostic.selectors import consultations as selectors
from contrat_ville.diagnostic.services import consultations as services
from contrat_ville.diagnostic.views.common import (
    STEERING,
    add_error,
    by,
    can_steer,
    crumbs,
    form_page,
    post_action,
    url,
)
from contrat_ville.participation.selectors import opinion_of
from contrat_ville.ui.page import page


def _consultation_crumbs(consultation: Consultation) -> list:
    contract = consultation.contract
    return crumbs(
        contract,
        ("Consultations des conseils citoyens", url("consultation_list", contract)),
        (consultation.title, url("consultation_detail", contract, consultation_id=consultation.pk)),
    )


@contract_view(private=True)
def consultation_list(request: HttpRequest) -> HttpResponse:
    """Consultations: all of them for the working groups, those addressed to their council for council members."""
    contract = request.contract  # type: ignore[attr-defined]
    access = request.access  # type: ignore[attr-defined]
    rows = selectors.consultation_rows(contract=contract, access=access, user=request.user)
    return render(
        request,
        "diagnostic/consultation_list.html",
        page(
            "Consultations des conseils citoyens",
            parents=crumbs(contract),
            contract=contract,
            access=access,
            open_rows=[row for row in rows if row.is_open],
            past_rows=[row for row in rows if not row.is_open],
            is_council_member=selectors.is_council_member(access, request.user),
            can_steer=can_steer(access),
            section="consultations",
        ),
    )


@contract_view(private=True, roles=STEERING)
def consultation_create(request: HttpRequest) -> HttpResponse:
    """The pilot submits stakes to conseils citoyens with a deadline."""
    contract = request.contract  # type: ignore[attr-defined]
    form = ConsultationForm(request.POST or None, contract=contract)
    return form_page(
        request,
        form,
        save=lambda data: services.consultation_create(contract=contract, by=by(request), **data),
        done=lambda consultation: (
            f"Enjeux soumis aux conseils citoyens : avis attendus au plus tard le {consultation.deadline:%d/%m/%Y}.",
            url("consultation_detail", contract, consultation_id=consultation.pk),
        ),
        template="diagnostic/consultation_form.html",
        title="Soumettre des enjeux aux conseils citoyens",
        parents=crumbs(contract, ("Consultations des conseils citoyens", url("consultation_list", contract))),
        has_councils=form.has_councils,
        section="consultations",
    )


@contract_view(private=True)
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The stakes submitted, with the councils' opinions; council members give or change theirs from here."""
    contract = request.contract  # type: ignore[attr-defined]
    access = request.access  # type: ignore[attr-defined]
    consultation = selectors.consultation_get(
        contract=contract, consultation_id=consultation_id, access=access, user=request.user
    )
    is_member = selectors.is_council_member(access, request.user)
    return render(
        request,
        "diagnostic/consultation_detail.html",
        page(
            consultation.title,
            parents=crumbs(contract, ("Consultations des conseils citoyens", url("consultation_list", contract))),
            contract=contract,
            access=access,
            consultation=consultation,
            councils=list(consultation.councils.all()),
            items=selectors.consultation_items(consultation=consultation, user=request.user),
            is_open=selectors.consultation_is_open(consultation),
            can_give=is_member,
            can_steer=can_steer(access),
            section="consultations",
        ),
    )


@require_POST
@contract_view(private=True, roles=STEERING)
def consultation_close(request: HttpRequest, consultation_id: int) -> HttpResponse:
    contract = request.contract  # type: ignore[attr-defined]
    access = request.access  # type: ignore[attr-defined]
    consultation = selectors.consultation_get(
        contract=contract, consultation_id=consultation_id, access=access, user=request.user
    )
    return post_action(
        request,
        act=lambda: services.consultation_close(consultation=consultation, by=by(request)),
        message="Consultation close : les avis ne peuvent plus être donnés ni modifiés.",
        next_url=url("consultation_detail", contract, consultation_id=consultation.pk),
    )


@contract_view(private=True)
def opinion_give(request: HttpRequest, consultation_id: int, version_id: int) -> HttpResponse:
    """A council member's opinion on one stake version, editable until the deadline; read-only afterwards."""
    contract = request.contract  # type: ignore[attr-defined]
    access = request.access  # type: ignore[attr-defined]
    consultation = selectors.consultation_get(
        contract=contract, consultation_id=consultation_id, access=access, user=request.user
    )
    version = selectors.consultation_version_get(consultation=consultation, version_id=version_id)
    is_open = selectors.consultation_is_open(consultation)
    council_ids = {council.pk for council in consultation.councils.all()}
    organization_id = getattr(request.user, "organization_id", None)
    may_give = selectors.is_council_member(access, request.user) and organization_id in council_ids
    if request.method == "POST" and not (may_give and is_open):
        raise PermissionDenied(
            "Seuls les membres des conseils citoyens consultés donnent un avis, jusqu'à la date limite."
        )
    mine = opinion_of(target=version, author=request.user) if may_give else None
    initial = {"verdict": mine.verdict, "text": mine.text} if mine else None
    form = OpinionForm(request.POST or None, initial=initial) if may_give and is_open else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.consultation_opinion_give(
                consultation=consultation, version=version, author=request.user, **form.cleaned_data
            )
        except BusinessRuleError as error:
            add_error(form, error)
        else:
            messages.success(request, "Votre avis est enregistré ; vous pouvez le modifier jusqu'à la date limite.")
            return redirect(url("consultation_detail", contract, consultation_id=consultation.pk))
    return render(
        request,
        "diagnostic/opinion_form.html",
        page(
            f"Avis sur « {version.title} »",
            parents=_consultation_crumbs(consultation),
            contract=contract,
            consultation=consultation,
            version=version,
            form=form,
            mine=mine,
            may_give=may_give,
            is_open=is_open,
            section="consultations",
        ),
    )


urlpatterns: list[URLPattern] = [
    path("consultations/", consultation_list, name="consultation_list"),
    path("consultations/nouvelle/", consultation_create, name="consultation_create"),
    path("consultations/<int:consultation_id>/", consultation_detail, name="consultation_detail"),
    path("consultations/<int:consultation_id>/clore/", consultation_close, name="consultation_close"),
    path(
        "consultations/<int:consultation_id>/enjeux/<int:version_id>/avis/",
        opinion_give,
        name="opinion_give",
    ),
]
