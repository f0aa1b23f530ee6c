"""API of the annual call for projects, mounted under /contracts in config/api.py (issue 14 §6).

Private to the contract's members (404 outside the tenancy). Applications follow the pages' predicates: an
association reads and writes its own organisation's applications only — another association's answers 404 as if
it did not exist —, the technical committee reads the deposited ones; 422 with the French message of a refused rule.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from contrat_ville.contracts.access import api_caller, api_contract_access, api_require, business_rules_as_http
from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.schemas import Id
from contrat_ville.funding import selectors, services
from contrat_ville.funding.call_schemas import (
    AmountOut,
    ApplicationFilters,
    ApplicationIn,
    ApplicationOut,
    CallOut,
    FunderOut,
    ReviewIn,
    ReviewOut,
)
from contrat_ville.funding.models import Application, CallForProjects
from contrat_ville.funding.permissions import (
    can_apply,
    can_edit_application,
    can_manage_calls,
    can_review_applications,
)

router = Router(tags=["Appels à projets"])
endpoints = Endpoints(router, "funding")


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _call_out(call: CallForProjects) -> CallOut:
    return CallOut(
        id=call.pk,
        year=call.year,
        title=call.title,
        opens_on=call.opens_on,
        closes_on=call.closes_on,
        status=call.status,
        status_label=call.get_status_display(),
        eligibility=call.eligibility,
        local_priorities=call.local_priorities,
        instruction_steps=call.instruction_steps,
        submission_channel=call.submission_channel,
        documents=call.documents,
        priority_objective_ids=[objective.pk for objective in call.priorities.all()],
        funders=[
            FunderOut(id=funder.pk, name=funder.name, is_p147=funder.is_p147, envelope=_number(funder.envelope))
            for funder in call.funders.all()
        ],
    )


def _application_out(application: Application, *, with_reviews: bool) -> ApplicationOut:
    return ApplicationOut(
        id=application.pk,
        call_id=application.call_id,
        organization=application.organization.name,
        organization_id=application.organization_id,
        title=application.title,
        description=application.description,
        status=application.status,
        status_label=application.get_status_display(),
        submitted_at=application.submitted_at,
        objective_ids=[objective.pk for objective in application.objectives.all()],
        qpv_codes=[qpv.code for qpv in application.qpvs.all()],
        public=application.public,
        expected_beneficiaries=application.expected_beneficiaries,
        total_budget=_number(application.total_budget),
        co_funding=_number(application.co_funding),
        amounts=[
            AmountOut(
                funder_id=amount.funder_id,
                funder=amount.funder.name,
                requested=_number(amount.requested),
                granted=_number(amount.granted),
            )
            for amount in application.amounts.all()
        ],
        reviews=[
            ReviewOut(
                opinion=review.opinion,
                opinion_label=review.get_opinion_display(),
                comment=review.comment,
                reviewer=review.reviewer.display_name if review.reviewer is not None else "",
                organization=str(review.reviewer_organization or ""),
            )
            for review in application.reviews.all()
        ]
        if with_reviews
        else [],
    )


@endpoints.reads("/{contract_id}/calls", list[CallOut], summary="Appels à projets")
def call_list(request: HttpRequest, contract_id: Id) -> Any:
    """Réservé aux membres du contrat : les appels à projets, l'année la plus récente d'abord, avec leurs
    financeurs et enveloppes."""
    access = api_contract_access(request, contract_id, private=True)
    return [_call_out(call) for call in selectors.calls_with_details(contract=access.contract)]


@endpoints.reads("/{contract_id}/calls/{call_id}", CallOut, summary="Un appel à projets")
def call_detail(request: HttpRequest, contract_id: Id, call_id: Id) -> Any:
    """Réservé aux membres du contrat."""
    access = api_contract_access(request, contract_id, private=True)
    return _call_out(selectors.call_get(contract=access.contract, call_id=call_id))


@endpoints.reads("/{contract_id}/applications", list[ApplicationOut], summary="Dossiers de demande de subvention")
def application_list(request: HttpRequest, contract_id: Id, filters: Query[ApplicationFilters]) -> Any:
    """Les dossiers que l'appelant peut lire : tous pour le pilote et l'État ; ceux de son organisation pour un
    porteur de projet ; les dossiers déposés pour un membre du comité technique. Filtres : `call_id`, `status`."""
    access = api_contract_access(request, contract_id, private=True)
    call = selectors.call_get(contract=access.contract, call_id=filters.call_id) if filters.call_id else None
    applications = selectors.application_list(
        access=access, call=call, status=filters.status.value if filters.status else ""
    )
    with_reviews = can_review_applications(access)
    return [_application_out(application, with_reviews=with_reviews) for application in applications]


@endpoints.reads(
    "/{contract_id}/applications/{application_id}", ApplicationOut, summary="Un dossier de demande de subvention"
)
def application_detail(request: HttpRequest, contract_id: Id, application_id: Id) -> Any:
    """404 pour le dossier d'une autre association, comme pour un dossier qui n'existe pas."""
    access = api_contract_access(request, contract_id, private=True)
    application = selectors.application_get(access=access, application_id=application_id)
    return _application_out(application, with_reviews=can_review_applications(access))


def _fields(access: Any, call: CallForProjects, payload: ApplicationIn) -> services.ApplicationFields:
    objectives = {objective.pk: objective for objective in selectors.objective_choices(contract=access.contract)}
    qpvs = {qpv.code: qpv for qpv in selectors.qpv_choices(contract=access.contract)}
    unknown = [str(pk) for pk in payload.objective_ids if pk not in objectives]
    if unknown:
        raise HttpError(422, f"Objectifs inconnus dans ce contrat : {', '.join(unknown)}.")
    strangers = [code for code in payload.qpv_codes if code not in qpvs]
    if strangers:
        raise HttpError(422, f"Quartiers prioritaires inconnus dans ce contrat : {', '.join(strangers)}.")
    return services.ApplicationFields(
        title=payload.title,
        description=payload.description,
        public=payload.public,
        expected_beneficiaries=payload.expected_beneficiaries,
        total_budget=payload.total_budget,
        co_funding=payload.co_funding,
        co_funding_detail=payload.co_funding_detail,
        objectives=tuple(objectives[pk] for pk in payload.objective_ids),
        qpvs=tuple(qpvs[code] for code in payload.qpv_codes),
        requested={item.funder_id: item.amount for item in payload.requested},
    )


@endpoints.creates("/{contract_id}/applications", ApplicationOut, summary="Enregistrer un dossier en brouillon")
def application_create(request: HttpRequest, contract_id: Id, payload: ApplicationIn) -> Any:
    """Un porteur de projet dépose pour sa propre organisation ; le pilote et l'État, pour toute organisation du
    contrat (`organization_id`). Le dossier est un brouillon jusqu'à son dépôt (`…/submit`)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_apply)
    api_require(can_apply, access)
    call = selectors.call_get(contract=access.contract, call_id=payload.call_id)
    if payload.organization_id is not None and can_manage_calls(access):
        organization = (
            selectors.organization_choices(contract=access.contract).filter(pk=payload.organization_id).first()
        )
        if organization is None:
            raise HttpError(422, "Cette organisation ne figure pas parmi les organisations du contrat.")
    else:
        organization = access.user.organization if access.user is not None else None
        if organization is None:
            raise HttpError(422, "Votre compte n'est rattaché à aucune organisation.")
    fields = _fields(access, call, payload)
    with business_rules_as_http():
        application = services.application_create(
            call=call, organization=organization, fields=fields, by=api_caller(request)
        )
    saved = selectors.application_get(access=access, application_id=application.pk)
    return Status(201, _application_out(saved, with_reviews=can_review_applications(access)))


@endpoints.writes(
    "POST", "/{contract_id}/applications/{application_id}/submit", ApplicationOut, summary="Déposer un dossier"
)
def application_submit(request: HttpRequest, contract_id: Id, application_id: Id) -> Any:
    """Le dossier est déposé s'il nomme ses quartiers, son budget et un montant demandé, avant la clôture."""
    access = api_contract_access(request, contract_id, private=True, permission=can_apply)
    application = selectors.application_get(access=access, application_id=application_id)
    api_require(can_edit_application, access, application)
    with business_rules_as_http():
        services.application_submit(application=application, by=api_caller(request))
    saved = selectors.application_get(access=access, application_id=application.pk)
    return _application_out(saved, with_reviews=can_review_applications(access))


@endpoints.writes(
    "PUT", "/{contract_id}/applications/{application_id}/review", ApplicationOut, summary="Donner un avis technique"
)
def application_review(request: HttpRequest, contract_id: Id, application_id: Id, payload: ReviewIn) -> Any:
    """Réservé aux membres du comité technique, au pilote et à l'État ; un avis réservé ou défavorable dit
    pourquoi (`comment`). Donné une seconde fois, il remplace le premier."""
    access = api_contract_access(request, contract_id, private=True, permission=can_review_applications)
    api_require(can_review_applications, access)
    application = selectors.application_get(access=access, application_id=application_id)
    with business_rules_as_http():
        services.review_set(
            application=application, reviewer=api_caller(request), opinion=payload.opinion, comment=payload.comment
        )
    saved = selectors.application_get(access=access, application_id=application.pk)
    return _application_out(saved, with_reviews=True)
