"""API of the annual call for projects, mounted under /contracts in config/api.py (issue 14 §6).

Private to the contract's members (404 outside the tenancy). Applications follow the pages' predicates: an
association reads and writes its own organisation's applications only — another association's answers 404 as if
it did not exist —, the technical committee reads the deposited ones; 422 with the French message of a refused rule.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Status, UploadedFile
from ninja.errors import HttpError

from contrat_ville.contracts.access import api_caller, api_contract_access, api_require, business_rules_as_http
from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.bounds import FIRST_YEAR, LAST_YEAR
from contrat_ville.core.schemas import Id
from contrat_ville.funding import exports, selectors, services
from contrat_ville.funding.call_schemas import (
    ApplicationAttachmentOut,
    ApplicationFilters,
    ApplicationIn,
    ApplicationOut,
    ApplicationStatusIn,
    ApplicationUpdateIn,
    CallIn,
    CallOut,
    CallStatusIn,
    FinalReportIn,
    FunderIn,
    GrantsIn,
    OpenDataGrantOut,
    ReviewIn,
    ReviewRequestIn,
)
from contrat_ville.funding.enums import CallStatus
from contrat_ville.funding.models import Application, CallForProjects
from contrat_ville.funding.permissions import (
    can_apply,
    can_edit_application,
    can_manage_calls,
    can_review_applications,
)

router = Router(tags=["Appels à projets"])
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
endpoints = Endpoints(router, "funding")


def _application_out(application: Application, *, with_reviews: bool) -> ApplicationOut:
    """The application; its reviews only for those who read them (``can_review_applications``)."""
    return ApplicationOut.of(application, reviews=application.reviews.all() if with_reviews else [])


@endpoints.reads("/{contract_id}/calls", list[CallOut], summary="Appels à projets")
def call_list(request: HttpRequest, contract_id: Id) -> Any:
    """Réservé aux membres du contrat : les appels à projets, l'année la plus récente d'abord, avec leurs
    financeurs et enveloppes."""
    access = api_contract_access(request, contract_id, private=True)
    return selectors.calls_with_details(contract=access.contract)


@endpoints.reads("/{contract_id}/calls/{call_id}", CallOut, summary="Un appel à projets")
def call_detail(request: HttpRequest, contract_id: Id, call_id: Id) -> Any:
    """Réservé aux membres du contrat."""
    access = api_contract_access(request, contract_id, private=True)
    return selectors.call_get(contract=access.contract, call_id=call_id)


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


def _fields(
    access: Any, call: CallForProjects, payload: ApplicationIn | ApplicationUpdateIn
) -> services.ApplicationFields:
    objectives = {objective.pk: objective for objective in selectors.objective_choices(contract=access.contract)}
    qpvs = {qpv.code: qpv for qpv in selectors.qpv_choices(contract=access.contract)}
    unknown = [str(pk) for pk in payload.objective_ids if pk not in objectives]
    if unknown:
        raise HttpError(422, f"Objectifs inconnus dans ce contrat : {', '.join(unknown)}.")
    strangers = [code for code in payload.qpv_codes if code not in qpvs]
    if strangers:
        raise HttpError(422, f"Quartiers prioritaires inconnus dans ce contrat : {', '.join(strangers)}.")
    return services.ApplicationFields(
        **payload.model_dump(exclude={"objective_ids", "qpv_codes", "requested", "call_id", "organization_id"}),
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


def _saved(access: Any, application: Application) -> ApplicationOut:
    saved = selectors.application_get(access=access, application_id=application.pk)
    return _application_out(saved, with_reviews=can_review_applications(access))


def _own_application(request: HttpRequest, contract_id: int, application_id: int) -> tuple[Any, Application]:
    """An application its applicant (or the pilot and the State) writes: 404 for another association's."""
    access = api_contract_access(request, contract_id, private=True, permission=can_apply)
    application = selectors.application_get(access=access, application_id=application_id)
    api_require(can_edit_application, access, application)
    return access, application


@endpoints.writes(
    "PUT", "/{contract_id}/applications/{application_id}", ApplicationOut, summary="Modifier un dossier en brouillon"
)
def application_update(request: HttpRequest, contract_id: Id, application_id: Id, payload: ApplicationUpdateIn) -> Any:
    """Son porteur, ou le pilote et l'État, tant que le dossier est un brouillon (422 sinon) ; mêmes règles que le
    formulaire : budget équilibré, quartiers et objectifs du contrat, financeurs de l'appel."""
    access, application = _own_application(request, contract_id, application_id)
    fields = _fields(access, application.call, payload)
    with business_rules_as_http():
        services.application_update(application=application, fields=fields, by=api_caller(request))
    return _saved(access, application)


@endpoints.writes(
    "POST", "/{contract_id}/applications/{application_id}/status", ApplicationOut, summary="Suivre un dossier"
)
def application_status(request: HttpRequest, contract_id: Id, application_id: Id, payload: ApplicationStatusIn) -> Any:
    """Réservé au pilote et à l'État : renvoyer au porteur (brouillon), prendre en instruction, enregistrer la
    convention signée et le versement. Programmer ou refuser revient au comité de pilotage (422)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_calls)
    application = selectors.application_get(access=access, application_id=application_id)
    with business_rules_as_http():
        services.application_follow(
            application=application, to_status=payload.status.value, comment=payload.comment, by=api_caller(request)
        )
    return _saved(access, application)


@endpoints.writes(
    "PUT", "/{contract_id}/applications/{application_id}/grants", ApplicationOut, summary="Proposer les montants"
)
def application_grants(request: HttpRequest, contract_id: Id, application_id: Id, payload: GrantsIn) -> Any:
    """Réservé au pilote et à l'État, pendant l'instruction : ce que chaque financeur accorderait (jamais plus que
    le montant demandé) ; le comité de pilotage l'arrête en programmant."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_calls)
    application = selectors.application_get(access=access, application_id=application_id)
    by_funder = {amount.funder_id: amount.pk for amount in application.amounts.all()}
    unknown = [str(item.funder_id) for item in payload.granted if item.funder_id not in by_funder]
    if unknown:
        raise HttpError(422, f"Ce dossier ne demande rien à ces financeurs : {', '.join(unknown)}.")
    with business_rules_as_http():
        services.application_grant_set(
            application=application,
            granted={by_funder[item.funder_id]: item.granted for item in payload.granted},
            by=api_caller(request),
        )
    return _saved(access, application)


@endpoints.writes(
    "POST",
    "/{contract_id}/applications/{application_id}/review-requests",
    ApplicationOut,
    summary="Demander l'avis du comité technique",
)
def application_review_requests(
    request: HttpRequest, contract_id: Id, application_id: Id, payload: ReviewRequestIn
) -> Any:
    """Réservé au pilote et à l'État : les membres du contrat qui siègent au comité technique (`reviewer_ids`)
    reçoivent un courriel, une seule fois par dossier, et retrouvent le dossier dans « Ce qui vous attend »."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_calls)
    application = selectors.application_get(access=access, application_id=application_id)
    candidates = {user.pk: user for user in selectors.technical_committee_reviewers(contract=access.contract)}
    strangers = [str(pk) for pk in payload.reviewer_ids if pk not in candidates]
    if strangers:
        raise HttpError(422, f"Ne siègent pas au comité technique de ce contrat : {', '.join(strangers)}.")
    with business_rules_as_http():
        services.reviews_request(
            application=application,
            reviewers=[candidates[pk] for pk in dict.fromkeys(payload.reviewer_ids)],
            by=api_caller(request),
        )
    return _saved(access, application)


@endpoints.writes(
    "PUT",
    "/{contract_id}/applications/{application_id}/final-report",
    ApplicationOut,
    summary="Transmettre le compte rendu",
)
def application_final_report(request: HttpRequest, contract_id: Id, application_id: Id, payload: FinalReportIn) -> Any:
    """Le porteur, une fois la subvention versée (Cerfa n° 15059 et bilan) : actions réalisées, bénéficiaires par
    sexe, tranche d'âge et résidence en quartier prioritaire, budget réalisé. Transmis à nouveau, il remplace le
    premier."""
    access, application = _own_application(request, contract_id, application_id)
    with business_rules_as_http():
        services.final_report_set(
            application=application,
            fields=services.ReportFields(**payload.model_dump()),
            by=api_caller(request),
        )
    return _saved(access, application)


@endpoints.reads(
    "/{contract_id}/applications/{application_id}/attachments",
    list[ApplicationAttachmentOut],
    summary="Pièces jointes d'un dossier",
)
def application_attachment_list(request: HttpRequest, contract_id: Id, application_id: Id) -> Any:
    """Pour qui lit le dossier ; 404, comme pour le dossier lui-même, pour le dossier d'une autre association ou
    pour un membre du contrat qui ne lit pas les dossiers."""
    access = api_contract_access(request, contract_id, private=True)
    application = selectors.application_get(access=access, application_id=application_id)
    return application.attachments.all()


@endpoints.creates(
    "/{contract_id}/applications/{application_id}/attachments", ApplicationAttachmentOut, summary="Joindre un document"
)
def application_attachment_add(
    request: HttpRequest, contract_id: Id, application_id: Id, title: Form[str], file: File[UploadedFile]
) -> Any:
    """Le porteur, tant que le dossier est un brouillon, en `multipart/form-data` (`title`, `file`) : PDF, DOCX, ODT,
    XLSX, ODS, PNG ou JPG de 10 Mo au plus, comme la page du dossier (422 en français sinon)."""
    _, application = _own_application(request, contract_id, application_id)
    if len(title) > 255:
        raise HttpError(422, "Le titre d'une pièce jointe compte 255 caractères au plus.")
    with business_rules_as_http():
        attachment = services.application_attachment_add(
            application=application, title=title, file=file, by=api_caller(request)
        )
    return Status(201, attachment)


@endpoints.removes(
    "DELETE",
    "/{contract_id}/applications/{application_id}/attachments/{attachment_id}",
    summary="Retirer une pièce jointe",
)
def application_attachment_remove(request: HttpRequest, contract_id: Id, application_id: Id, attachment_id: Id) -> Any:
    """Le porteur, tant que le dossier est un brouillon ; le fichier est supprimé avec elle."""
    _, application = _own_application(request, contract_id, application_id)
    attachment = selectors.application_attachment_get(application=application, attachment_id=attachment_id)
    with business_rules_as_http():
        services.application_attachment_remove(attachment=attachment, by=api_caller(request))
    return Status(204, None)


# --- calls: the pilot's and the State's writes ----------------------------------------------------------------


def _call_fields(access: Any, payload: CallIn) -> services.CallFields:
    objectives = {objective.pk: objective for objective in selectors.objective_choices(contract=access.contract)}
    unknown = [str(pk) for pk in payload.priority_objective_ids if pk not in objectives]
    if unknown:
        raise HttpError(422, f"Objectifs inconnus dans ce contrat : {', '.join(unknown)}.")
    return services.CallFields(
        **payload.model_dump(exclude={"priority_objective_ids"}),
        priorities=tuple(objectives[pk] for pk in payload.priority_objective_ids),
    )


def _call_saved(access: Any, call: CallForProjects) -> CallForProjects:
    return selectors.call_get(contract=access.contract, call_id=call.pk)


@endpoints.creates("/{contract_id}/calls", CallOut, summary="Préparer un appel à projets")
def call_create(request: HttpRequest, contract_id: Id, payload: CallIn) -> Any:
    """Réservé au pilote et à l'État : l'appel est « en préparation » ; il s'ouvre une fois ses financeurs
    nommés (`…/funders`, puis `…/status`)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_calls)
    fields = _call_fields(access, payload)
    with business_rules_as_http():
        call = services.call_create(contract=access.contract, fields=fields, by=api_caller(request))
    return Status(201, _call_saved(access, call))


@endpoints.writes("PUT", "/{contract_id}/calls/{call_id}", CallOut, summary="Modifier un appel à projets")
def call_update(request: HttpRequest, contract_id: Id, call_id: Id, payload: CallIn) -> Any:
    """Réservé au pilote et à l'État."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_calls)
    call = selectors.call_get(contract=access.contract, call_id=call_id)
    fields = _call_fields(access, payload)
    with business_rules_as_http():
        services.call_update(call=call, fields=fields, by=api_caller(request))
    return _call_saved(access, call)


@endpoints.writes("POST", "/{contract_id}/calls/{call_id}/status", CallOut, summary="Ouvrir ou clore un appel")
def call_status(request: HttpRequest, contract_id: Id, call_id: Id, payload: CallStatusIn) -> Any:
    """Réservé au pilote et à l'État : ouvrir (un financeur au moins), clore, revenir d'un pas. « Programmé » vient
    de la décision du comité de pilotage sur la programmation (422)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_calls)
    call = selectors.call_get(contract=access.contract, call_id=call_id)
    with business_rules_as_http():
        services.call_set_status(
            call=call, to_status=payload.status.value, comment=payload.comment, by=api_caller(request)
        )
    return _call_saved(access, call)


@endpoints.creates("/{contract_id}/calls/{call_id}/funders", CallOut, summary="Ajouter un financeur")
def call_funder_add(request: HttpRequest, contract_id: Id, call_id: Id, payload: FunderIn) -> Any:
    """Réservé au pilote et à l'État : le financeur, son enveloppe et l'organisation qui attribue (son SIRET
    identifie l'attribuant dans les données ouvertes)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_calls)
    call = selectors.call_get(contract=access.contract, call_id=call_id)
    organization = None
    if payload.organization_id is not None:
        organization = (
            selectors.organization_choices(contract=access.contract).filter(pk=payload.organization_id).first()
        )
        if organization is None:
            raise HttpError(422, "Cette organisation ne figure pas parmi les organisations du contrat.")
    with business_rules_as_http():
        services.call_funder_add(
            call=call,
            name=payload.name,
            is_p147=payload.is_p147,
            envelope=payload.envelope,
            organization=organization,
        )
    return Status(201, _call_saved(access, call))


@endpoints.removes("DELETE", "/{contract_id}/calls/{call_id}/funders/{funder_id}", summary="Retirer un financeur")
def call_funder_delete(request: HttpRequest, contract_id: Id, call_id: Id, funder_id: Id) -> Any:
    """Réservé au pilote et à l'État, tant qu'aucun dossier ne lui demande de crédits (422 sinon)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_calls)
    call = selectors.call_get(contract=access.contract, call_id=call_id)
    funder = selectors.funder_get(call=call, funder_id=funder_id)
    with business_rules_as_http():
        services.call_funder_delete(funder=funder)
    return Status(204, None)


# --- open data ------------------------------------------------------------------------------------------------


@endpoints.reads(
    "/{contract_id}/calls/{call_id}/open-data",
    list[OpenDataGrantOut],
    summary="Subventions en données ouvertes (SCDL)",
)
def call_open_data(request: HttpRequest, contract_id: Id, call_id: Id) -> Any:
    """Les subventions de l'appel dont la convention est signée, une par financeur et par projet, sous les noms du
    schéma national SCDL « subventions » 2.1.1 (le fichier CSV se télécharge depuis la page de l'appel). Public
    sur un contrat publié une fois la programmation décidée ; 422 en français quand un SIRET ou un numéro RNA
    manque, plutôt qu'un fichier invalide."""
    access = api_contract_access(request, contract_id, private=False)
    call = selectors.call_get(contract=access.contract, call_id=call_id)
    if not access.is_member and call.status != CallStatus.PROGRAMMED:
        raise HttpError(404, "Appel à projets introuvable.")
    grants = selectors.open_data_grants(calls=[call])
    if grants.missing:
        raise HttpError(422, " ".join(grants.missing))
    return [exports.scdl_values(grant) for grant in grants.grants]


@endpoints.reads(
    "/{contract_id}/open-data/{year}",
    list[OpenDataGrantOut],
    summary="Subventions d'une année en données ouvertes (SCDL)",
)
def year_open_data(request: HttpRequest, contract_id: Id, year: Year) -> Any:
    """Les subventions de tous les appels à projets d'une année de programmation, comme `…/calls/{call_id}/open-data`
    (le public : les programmations décidées d'un contrat publié ; 404 sans aucune)."""
    access = api_contract_access(request, contract_id, private=False)
    calls = selectors.open_data_calls(contract=access.contract, year=year, public=not access.is_member)
    if not calls:
        raise HttpError(404, "Aucun appel à projets cette année-là.")
    grants = selectors.open_data_grants(calls=calls)
    if grants.missing:
        raise HttpError(422, " ".join(grants.missing))
    return [exports.scdl_values(grant) for grant in grants.grants]
