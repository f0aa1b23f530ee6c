"""Pages of the annual call for projects (domain.md §4.2), mounted under /contrats/<contract_slug>/appels-a-projets/:
the contract's calls, a call (open: apply), an association's application and « Mes dossiers », the instruction
page of the technical committee, the programme table with its XLSX export and the contract's financial annex."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view, require
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.presenters import contract_crumbs, pages
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.selectors import status_rows
from contrat_ville.core.spreadsheets import XLSX_CONTENT_TYPE
from contrat_ville.funding import exports, presenters, selectors, services
from contrat_ville.funding.enums import ApplicationStatus, CallStatus
from contrat_ville.funding.forms import (
    ApplicationAttachmentForm,
    ApplicationForm,
    CallForm,
    CallFunderForm,
    FinalReportForm,
    GrantForm,
    ProgrammingRequestForm,
    ReviewForm,
    ReviewRequestForm,
)
from contrat_ville.funding.models import Application, CallForProjects
from contrat_ville.funding.permissions import (
    can_apply,
    can_edit_application,
    can_manage_calls,
    can_review_applications,
    can_view_application,
)
from contrat_ville.governance.presenters import decision_form_url
from contrat_ville.strategy.selectors import copil_meetings
from contrat_ville.ui.page import Crumb, download, file_download, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()

LIST_TITLE = "Appels à projets"


def url(name: str, contract: Contract, **kwargs: Any) -> str:
    return reverse(f"funding_calls:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def call_url(call: CallForProjects) -> str:
    return url("call_detail", call.contract, call_id=call.pk)


def application_url(application: Application) -> str:
    return url("application_detail", application.contract, application_id=application.pk)


def crumbs(contract: Contract, *extra: Crumb) -> list[Crumb]:
    return contract_crumbs(contract, Crumb(LIST_TITLE, url("call_list", contract)), *extra)


def call_crumbs(call: CallForProjects, *extra: Crumb) -> list[Crumb]:
    return crumbs(call.contract, Crumb(call.title, call_url(call)), *extra)


def _application(request: ContractRequest, application_id: int) -> Application:
    """The application the URL names, if the caller may read it (404 otherwise, as for one that does not exist)."""
    return selectors.application_get(access=request.access, application_id=application_id)


def _editable_application(request: ContractRequest, application_id: int) -> Application:
    """The application the URL names, which the caller must be allowed to edit (403 otherwise)."""
    application = _application(request, application_id)
    require(can_edit_application, request.access, application)
    return application


def application_crumbs(application: Application) -> list[Crumb]:
    """The breadcrumb of the pages under an application: its call, then the application."""
    return call_crumbs(application.call, Crumb(application.title, application_url(application)))


@routes("")
@contract_view(private=True)
def call_list(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    access = request.access
    return render_page(
        request,
        "funding/calls/call_list.html",
        f"{LIST_TITLE} — {contract.name}",
        parents=crumbs(contract)[:-1],
        calls=selectors.call_list(contract=contract),
        can_manage=can_manage_calls(access),
        can_apply=can_apply(access),
    )


def _call_form_page(request: ContractRequest, call: CallForProjects | None) -> HttpResponse:
    contract = request.contract
    form = CallForm(request.POST or None, contract=contract, call=call)

    def save(_data: dict[str, Any]) -> CallForProjects:
        if call is None:
            return services.call_create(contract=contract, fields=form.call_fields(), by=request.access.user)
        return services.call_update(call=call, fields=form.call_fields(), by=request.access.user)

    return pages.form_page(
        request,
        form,
        save=save,
        done=lambda saved: (
            f"Appel à projets « {saved} » enregistré."
            + (" Indiquez maintenant ses financeurs et leur enveloppe." if call is None else ""),
            call_url(saved),
        ),
        title="Préparer un appel à projets" if call is None else f"Modifier « {call} »",
        parents=crumbs(contract) if call is None else call_crumbs(call),
        cancel_url=url("call_list", contract) if call is None else call_url(call),
        intro="L'appel à projets annuel du contrat, lancé par l'intercommunalité et l'État avec les cofinanceurs "
        "(à l'automne de l'année précédente) : calendrier, critères d'éligibilité, priorités parmi les objectifs "
        "du contrat, étapes de l'instruction et modalités de dépôt.",
    )


@routes("nouveau/")
@contract_view(private=True, permission=can_manage_calls)
def call_create(request: ContractRequest) -> HttpResponse:
    return _call_form_page(request, None)


@routes("<int:call_id>/")
@contract_view(private=True)
def call_detail(request: ContractRequest, call_id: int) -> HttpResponse:
    contract = request.contract
    access = request.access
    call = selectors.call_get(contract=contract, call_id=call_id)
    can_manage = can_manage_calls(access)
    can_review = can_review_applications(access)
    applications = selectors.application_list(access=access, call=call) if can_review else []
    mine = selectors.application_list(access=access, call=call, mine=True) if can_apply(access) else []
    return render_page(
        request,
        "funding/calls/call_detail.html",
        call.title,
        parents=crumbs(contract),
        call=call,
        report_due_on=selectors.report_due_on(call),
        funders=presenters.funder_rows(call),
        applications=presenters.application_rows(applications, request.access.user),
        counts=selectors.status_counts(applications),
        mine=presenters.application_rows(mine, request.access.user),
        can_manage=can_manage,
        can_review=can_review,
        can_apply=can_apply(access) and call.status == CallStatus.OPEN,
        moves=presenters.call_moves(call) if can_manage else [],
        history=status_rows(call),
        programming_form=_programming_form(contract) if can_manage and call.status == CallStatus.CLOSED else None,
        show_programming=can_manage and call.status == CallStatus.CLOSED,
    )


@routes("<int:call_id>/modifier/")
@contract_view(private=True, permission=can_manage_calls)
def call_update(request: ContractRequest, call_id: int) -> HttpResponse:
    return _call_form_page(request, selectors.call_get(contract=request.contract, call_id=call_id))


@routes("<int:call_id>/etat/")
@require_POST
@contract_view(private=True, permission=can_manage_calls)
def call_status(request: ContractRequest, call_id: int) -> HttpResponse:
    """Open, close or reopen the call (``to``: the new status)."""
    call = selectors.call_get(contract=request.contract, call_id=call_id)
    to_status = request.POST.get("to", "")
    return pages.post_action(
        request,
        act=lambda: services.call_set_status(call=call, to_status=to_status, by=request.access.user),
        message=f"Appel à projets « {call} » : {dict(CallStatus.choices).get(to_status, to_status)}.",
        next_url=call_url(call),
    )


@routes("<int:call_id>/financeurs/")
@contract_view(private=True, permission=can_manage_calls)
def call_funder_add(request: ContractRequest, call_id: int) -> HttpResponse:
    call = selectors.call_get(contract=request.contract, call_id=call_id)
    return pages.form_page(
        request,
        CallFunderForm(request.POST or None, contract=request.contract),
        save=lambda data: services.call_funder_add(
            call=call,
            name=data["name"],
            is_p147=data["is_p147"],
            envelope=data["envelope"],
            organization=data["organization"],
        ),
        done=lambda funder: (f"Financeur « {funder} » ajouté.", call_url(call)),
        title=f"Ajouter un financeur — {call}",
        parents=call_crumbs(call),
        submit_label="Ajouter le financeur",
        cancel_url=call_url(call),
        intro="L'État au titre du programme 147, l'intercommunalité, le département, la CAF… et l'enveloppe que "
        "chacun consacre à l'appel à projets.",
    )


@routes("<int:call_id>/financeurs/<int:funder_id>/supprimer/")
@require_POST
@contract_view(private=True, permission=can_manage_calls)
def call_funder_delete(request: ContractRequest, call_id: int, funder_id: int) -> HttpResponse:
    call = selectors.call_get(contract=request.contract, call_id=call_id)
    funder = selectors.funder_get(call=call, funder_id=funder_id)
    return pages.post_action(
        request,
        act=lambda: services.call_funder_delete(funder=funder),
        message=f"Financeur « {funder} » retiré.",
        next_url=call_url(call),
    )


def _programming_form(contract: Contract) -> ProgrammingRequestForm | None:
    meetings = copil_meetings(contract=contract)
    return ProgrammingRequestForm(meetings=meetings) if meetings else None


def _decision_redirect(request: ContractRequest, target: Any, back_url: str) -> HttpResponse:
    """« Faire programmer par le comité de pilotage »: to governance's decision form in the meeting chosen, with
    ``target`` preselected (as the strategy's plans do)."""
    contract = request.contract
    form = ProgrammingRequestForm(request.POST, meetings=copil_meetings(contract=contract))
    if not form.is_valid():
        messages.error(request, "Choisissez une séance du comité de pilotage qui s'est tenue ou a commencé.")
        return redirect(back_url)
    return redirect(decision_form_url(contract, form.cleaned_data["meeting"], target))


@routes("<int:call_id>/programmer/")
@require_POST
@contract_view(private=True, permission=can_manage_calls)
def call_request_decision(request: ContractRequest, call_id: int) -> HttpResponse:
    """The programme of a closed call goes to the steering committee: one decision programmes every application
    in instruction with an amount proposed, and refuses the others."""
    call = selectors.call_get(contract=request.contract, call_id=call_id)
    return _decision_redirect(request, call, call_url(call))


# --- applications -------------------------------------------------------------------------------------------------


def _deposited_message(application: Application | None) -> str:
    """Why the application's form or documents page shows no form: it was deposited (empty while a draft)."""
    if application is None or application.status == ApplicationStatus.DRAFT:
        return ""
    return services.APPLICATION_DEPOSITED


def _application_form_page(
    request: ContractRequest, call: CallForProjects, application: Application | None
) -> HttpResponse:
    access = request.access
    steering = can_manage_calls(access)
    organizations = (
        selectors.organization_choices(contract=request.contract) if steering and application is None else None
    )
    read_only_message = _deposited_message(application)
    # A deposited application's form is left unbound: nothing posted is saved, the page only says why.
    form = ApplicationForm(
        None if read_only_message else request.POST or None,
        call=call,
        organizations=organizations,
        application=application,
    )

    def save(data: dict[str, Any]) -> Application:
        if application is not None:
            return services.application_update(
                application=application, fields=form.application_fields(), by=access.user
            )
        organization = data.get("organization") or (access.user.organization if access.user else None)
        if organization is None:
            raise BusinessRuleError("Votre compte n'est rattaché à aucune organisation.")
        return services.application_create(
            call=call, organization=organization, fields=form.application_fields(), by=access.user
        )

    return pages.form_page(
        request,
        form,
        save=save,
        done=lambda saved: (
            f"Dossier « {saved} » enregistré en brouillon : relisez-le, puis déposez-le.",
            application_url(saved),
        ),
        title=f"Déposer un dossier — {call}" if application is None else f"Modifier le dossier « {application} »",
        parents=call_crumbs(call),
        submit_label="Enregistrer le dossier",
        cancel_url=call_url(call) if application is None else application_url(application),
        form_testid="application-form",
        read_only_message=read_only_message,
        back_label="Retour au dossier",
        intro="Le dossier de demande de subvention (formulaire unique, Cerfa n° 12156) : le projet, les quartiers et "
        "le public qu'il sert, son budget et ce qu'il demande à chaque financeur de l'appel. Il s'enregistre en "
        "brouillon ; vous le déposez ensuite, avant la clôture. Les demandes au titre du programme 147 se déposent "
        "aussi sur Dauphin, la plateforme de l'ANCT.",
    )


@routes("<int:call_id>/deposer/")
@contract_view(private=True, permission=can_apply)
def application_create(request: ContractRequest, call_id: int) -> HttpResponse:
    call = selectors.call_get(contract=request.contract, call_id=call_id)
    require(can_apply, request.access)
    return _application_form_page(request, call, None)


@routes("dossiers/<int:application_id>/")
@contract_view(private=True, permission=can_view_application)
def application_detail(request: ContractRequest, application_id: int) -> HttpResponse:
    access = request.access
    application = _application(request, application_id)
    can_manage = can_manage_calls(access)
    can_edit = can_edit_application(access, application)
    return render_page(
        request,
        "funding/calls/application_detail.html",
        application.title,
        parents=call_crumbs(application.call),
        application=application,
        row=presenters.application_row(application, access.user),
        can_manage=can_manage,
        can_edit=can_edit and application.status == ApplicationStatus.DRAFT,
        can_submit=can_edit and application.status == ApplicationStatus.DRAFT,
        can_report=can_edit and application.status in services.REPORTABLE,
        can_review=can_review_applications(access) and application.status in services.REVIEWABLE,
        can_request_reviews=can_manage and application.status in services.REVIEWABLE,
        review_requests=selectors.review_requests(application) if can_manage else [],
        can_attach=can_edit and application.status == ApplicationStatus.DRAFT,
        can_grant=can_manage and application.status == ApplicationStatus.UNDER_REVIEW,
        moves=presenters.application_moves(application) if can_manage else [],
        history=status_rows(application),
        programming_form=_programming_form(request.contract) if can_manage else None,
        show_programming=can_manage and application.status in services.DECIDABLE,
    )


@routes("dossiers/<int:application_id>/modifier/")
@contract_view(private=True, permission=can_apply)
def application_update(request: ContractRequest, application_id: int) -> HttpResponse:
    application = _editable_application(request, application_id)
    return _application_form_page(request, application.call, application)


@routes("dossiers/<int:application_id>/deposer/")
@require_POST
@contract_view(private=True, permission=can_apply)
def application_submit(request: ContractRequest, application_id: int) -> HttpResponse:
    application = _editable_application(request, application_id)
    return pages.post_action(
        request,
        act=lambda: services.application_submit(application=application, by=request.access.user),
        message=f"Dossier « {application} » déposé : le comité technique va l'instruire.",
        next_url=application_url(application),
    )


@routes("dossiers/<int:application_id>/suivi/")
@require_POST
@contract_view(private=True, permission=can_manage_calls)
def application_follow(request: ContractRequest, application_id: int) -> HttpResponse:
    """The pilot's and the State's moves (``to``): back to the applicant, into instruction, agreement, payment."""
    application = _application(request, application_id)
    to_status = request.POST.get("to", "")
    return pages.post_action(
        request,
        act=lambda: services.application_follow(
            application=application,
            to_status=to_status,
            comment=request.POST.get("comment", ""),
            by=request.access.user,
        ),
        message=f"Dossier « {application} » : {dict(ApplicationStatus.choices).get(to_status, to_status)}.",
        next_url=application_url(application),
    )


@routes("dossiers/<int:application_id>/programmer/")
@require_POST
@contract_view(private=True, permission=can_manage_calls)
def application_request_decision(request: ContractRequest, application_id: int) -> HttpResponse:
    application = _application(request, application_id)
    return _decision_redirect(request, application, application_url(application))


@routes("dossiers/<int:application_id>/montants/")
@contract_view(private=True, permission=can_manage_calls)
def application_grant(request: ContractRequest, application_id: int) -> HttpResponse:
    application = _application(request, application_id)
    form = GrantForm(request.POST or None, application=application)
    return pages.form_page(
        request,
        form,
        save=lambda _data: services.application_grant_set(
            application=application, granted=form.granted(), by=request.access.user
        ),
        done=lambda _saved: ("Montants proposés enregistrés.", application_url(application)),
        title=f"Montants proposés — {application}",
        parents=application_crumbs(application),
        submit_label="Enregistrer les montants",
        cancel_url=application_url(application),
        intro="La proposition de l'instruction, que le comité de pilotage arrête en programmant le dossier. Un "
        "financeur qui ne finance pas le projet reste vide.",
    )


@routes("dossiers/<int:application_id>/avis/")
@contract_view(private=True, permission=can_review_applications)
def application_review(request: ContractRequest, application_id: int) -> HttpResponse:
    access = request.access
    require(can_review_applications, access)
    application = _application(request, application_id)
    mine = selectors.review_summary(application, access.user).mine
    initial = {"opinion": mine.opinion, "comment": mine.comment} if mine is not None else {}
    return pages.form_page(
        request,
        ReviewForm(request.POST or None, initial=initial),
        save=lambda data: services.review_set(
            application=application, reviewer=access.user, opinion=data["opinion"], comment=data["comment"]
        ),
        done=lambda _review: ("Avis enregistré.", url("call_review", request.contract, call_id=application.call_id)),
        title=f"Avis technique — {application}",
        parents=application_crumbs(application),
        submit_label="Enregistrer l'avis",
        cancel_url=application_url(application),
        intro=f"Projet de {application.organization}. Votre avis est lu par le pilote, l'État et le comité de "
        "pilotage qui programme ; donné une seconde fois, il remplace le premier.",
    )


@routes("dossiers/<int:application_id>/demander-avis/")
@contract_view(private=True, permission=can_manage_calls)
def application_request_reviews(request: ContractRequest, application_id: int) -> HttpResponse:
    """The pilot asks members of the technical committee for their opinion (each is e-mailed)."""
    access = request.access
    application = _application(request, application_id)
    candidates = selectors.technical_committee_reviewers(contract=request.contract)
    asked = {request_.reviewer_id for request_ in selectors.review_requests(application)}
    form = ReviewRequestForm(
        request.POST or None,
        candidates=candidates,
        initial={"reviewers": [user.pk for user in candidates if user.pk not in asked]},
    )
    return pages.form_page(
        request,
        form,
        save=lambda data: services.reviews_request(
            application=application, reviewers=data["reviewers"], by=access.user
        ),
        done=lambda created: (
            f"Avis demandé à {len(created)} membre(s) du comité technique."
            if created
            else "Ces membres avaient déjà été sollicités : aucun nouveau courriel.",
            application_url(application),
        ),
        title=f"Demander l'avis du comité technique — {application}",
        parents=application_crumbs(application),
        submit_label="Demander les avis",
        cancel_url=application_url(application),
        intro="Les membres du contrat qui siègent au comité technique, en personne ou par leur organisation. "
        "Un membre déjà sollicité ne reçoit pas de second courriel."
        if candidates
        else "Personne ne siège encore au comité technique de ce contrat : ajoutez ses membres dans les instances.",
    )


# --- attachments: the applicant's documents, served by this view only ---------------------------------------------


@routes("dossiers/<int:application_id>/pieces-jointes/ajouter/")
@contract_view(private=True, permission=can_apply)
def application_attachment_add(request: ContractRequest, application_id: int) -> HttpResponse:
    application = _editable_application(request, application_id)
    read_only_message = _deposited_message(application)
    form = ApplicationAttachmentForm(
        None if read_only_message else request.POST or None, None if read_only_message else request.FILES or None
    )
    return pages.form_page(
        request,
        form,
        save=lambda data: services.application_attachment_add(application=application, by=request.access.user, **data),
        done=lambda attachment: (f"Pièce jointe « {attachment} » ajoutée.", application_url(application)),
        title=f"Joindre un document — {application}",
        parents=application_crumbs(application),
        submit_label="Joindre le document",
        cancel_url=application_url(application),
        form_testid="attachment-form",
        read_only_message=read_only_message,
        back_label="Retour au dossier",
        intro=f"Les pièces que demande l'appel à projets : {application.call.documents}"
        if application.call.documents
        else "Le formulaire Cerfa n° 12156, les statuts, le budget de l'association, un RIB…",
    )


@routes("dossiers/<int:application_id>/pieces-jointes/<int:attachment_id>/")
@contract_view(private=True, permission=can_view_application)
def application_attachment_download(request: ContractRequest, application_id: int, attachment_id: int) -> HttpResponse:
    """Whoever reads the application (its applicant, the pilot and the State, the technical committee once it is
    deposited) downloads its documents; another association gets 404, as for the application."""
    application = _application(request, application_id)
    attachment = selectors.application_attachment_get(application=application, attachment_id=attachment_id)
    return file_download(attachment.file)


@routes("dossiers/<int:application_id>/pieces-jointes/<int:attachment_id>/supprimer/")
@require_POST
@contract_view(private=True, permission=can_apply)
def application_attachment_remove(request: ContractRequest, application_id: int, attachment_id: int) -> HttpResponse:
    application = _editable_application(request, application_id)
    attachment = selectors.application_attachment_get(application=application, attachment_id=attachment_id)
    return pages.post_action(
        request,
        act=lambda: services.application_attachment_remove(attachment=attachment, by=request.access.user),
        message=f"Pièce jointe « {attachment} » retirée.",
        next_url=application_url(application),
    )


@routes("dossiers/<int:application_id>/compte-rendu/")
@contract_view(private=True, permission=can_apply)
def application_report(request: ContractRequest, application_id: int) -> HttpResponse:
    application = _editable_application(request, application_id)
    report = getattr(application, "final_report", None)
    initial = FinalReportForm.initial_from(report) if report is not None else {}
    form = FinalReportForm(request.POST or None, initial=initial)
    return pages.form_page(
        request,
        form,
        save=lambda _data: services.final_report_set(
            application=application, fields=form.report_fields(), by=request.access.user
        ),
        done=lambda _report: ("Compte rendu transmis.", application_url(application)),
        title=f"Compte rendu — {application}",
        parents=application_crumbs(application),
        submit_label="Transmettre le compte rendu",
        cancel_url=application_url(application),
        intro="Le bilan du projet financé (Cerfa n° 15059), dû dans les six mois suivant la fin de l'exercice : "
        "actions réalisées, bénéficiaires par sexe, tranche d'âge et lieu de résidence, budget réalisé.",
    )


@routes("mes-dossiers/")
@contract_view(private=True, permission=can_apply)
def my_applications(request: ContractRequest) -> HttpResponse:
    """An association's own page: its applications, and the calls open to a new one."""
    access = request.access
    user = access.user
    rows = presenters.application_rows(selectors.application_list(access=access, mine=True), user)
    return render_page(
        request,
        "funding/calls/my_applications.html",
        "Mes dossiers",
        parents=crumbs(request.contract),
        organization=user.organization if user is not None else None,
        rows=rows,
        open_calls=selectors.open_calls(contract=request.contract),
    )


@routes("<int:call_id>/instruction/")
@contract_view(private=True, permission=can_review_applications)
def call_review(request: ContractRequest, call_id: int) -> HttpResponse:
    """The technical committee's page: the deposited applications of the call, with the opinions given."""
    access = request.access
    require(can_review_applications, access)
    call = selectors.call_get(contract=request.contract, call_id=call_id)
    applications = [
        application
        for application in selectors.application_list(access=access, call=call)
        if application.status != ApplicationStatus.DRAFT
    ]
    return render_page(
        request,
        "funding/calls/call_review.html",
        f"Instruction — {call}",
        parents=call_crumbs(call),
        call=call,
        rows=presenters.application_rows(applications, access.user),
    )


@routes("<int:call_id>/programmation/")
@contract_view(private=True)
def call_programme(request: ContractRequest, call_id: int) -> HttpResponse:
    call = selectors.call_get(contract=request.contract, call_id=call_id)
    programme = selectors.call_programme(call=call)
    return render_page(
        request,
        "funding/calls/call_programme.html",
        f"Programmation — {call}",
        parents=call_crumbs(call),
        call=call,
        programme=presenters.programme_text(programme),
    )


@routes("<int:call_id>/programmation/export.xlsx")
@contract_view(private=True)
def call_programme_export(request: ContractRequest, call_id: int) -> HttpResponse:
    call = selectors.call_get(contract=request.contract, call_id=call_id)
    content = exports.programme_xlsx(selectors.call_programme(call=call))
    return download(content, XLSX_CONTENT_TYPE, f"programmation-{call.year}-{request.contract.slug}.xlsx")


# --- open data: the grants in the SCDL « subventions » schema ------------------------------------------------------


def _open_data_call(request: ContractRequest, call_id: int) -> CallForProjects:
    """Members read any call's open data; the public, on a published contract, the calls whose programme is
    decided (404 otherwise, as for a call that does not exist)."""
    call = selectors.call_get(contract=request.contract, call_id=call_id)
    if not request.access.is_member and call.status != CallStatus.PROGRAMMED:
        raise Http404("Appel à projets introuvable.")
    return call


def open_data_filename(call: CallForProjects) -> str:
    return f"subventions-{call.year}-{call.contract.slug}.csv"


def _open_data_page(
    request: ContractRequest,
    calls: list[CallForProjects],
    *,
    title: str,
    subject: str,
    parents: list[Crumb],
    csv_url: str,
    filename: str,
) -> HttpResponse:
    member = request.access.is_member
    return render_page(
        request,
        "funding/calls/call_open_data.html",
        title,
        parents=parents if member else [],
        subject=subject,
        grants=selectors.open_data_grants(calls=calls),
        csv_url=csv_url,
        filename=filename,
        organizations_url=reverse("contracts:organization_list", kwargs={"contract_slug": request.contract.slug})
        if member
        else "",
    )


def _open_data_csv(
    request: ContractRequest, calls: list[CallForProjects], filename: str, page_url: str
) -> HttpResponse:
    """The SCDL file itself; never produced incomplete: a missing SIRET or date sends to the page that says which."""
    grants = selectors.open_data_grants(calls=calls)
    if grants.missing:
        messages.error(
            request, "Le fichier des données ouvertes ne peut pas encore être produit : " + " ".join(grants.missing)
        )
        return redirect(page_url)
    return download(exports.open_data_csv(grants.grants), "text/csv; charset=utf-8", filename)


@routes("<int:call_id>/donnees-ouvertes/")
@contract_view(private=False)
def call_open_data(request: ContractRequest, call_id: int) -> HttpResponse:
    """The call's grants as open data (décret n° 2017-779, SCDL « subventions » 2.1.1): what the file holds, or
    the fields to fill in before it can be produced."""
    call = _open_data_call(request, call_id)
    return _open_data_page(
        request,
        [call],
        title=f"Données ouvertes — {call}",
        subject=f"de l'appel à projets « {call} »",
        parents=call_crumbs(call),
        csv_url=url("call_open_data_csv", request.contract, call_id=call.pk),
        filename=open_data_filename(call),
    )


@routes("<int:call_id>/donnees-ouvertes/subventions.csv")
@contract_view(private=False)
def call_open_data_csv(request: ContractRequest, call_id: int) -> HttpResponse:
    call = _open_data_call(request, call_id)
    return _open_data_csv(
        request, [call], open_data_filename(call), url("call_open_data", request.contract, call_id=call.pk)
    )


def _open_data_year(request: ContractRequest, year: int) -> list[CallForProjects]:
    """A programming year's calls (the public's: those whose programme is decided), or 404."""
    calls = selectors.open_data_calls(contract=request.contract, year=year, public=not request.access.is_member)
    if not calls:
        raise Http404("Aucun appel à projets cette année-là.")
    return calls


@routes("donnees-ouvertes/<int:year>/")
@contract_view(private=False)
def year_open_data(request: ContractRequest, year: int) -> HttpResponse:
    """The grants of every call of a programming year of the contract, in one SCDL file."""
    calls = _open_data_year(request, year)
    contract = request.contract
    return _open_data_page(
        request,
        calls,
        title=f"Données ouvertes — subventions {year} — {contract.name}",
        subject=f"des appels à projets {year} du contrat ({', '.join(call.title for call in calls)})",
        parents=crumbs(contract),
        csv_url=url("year_open_data_csv", contract, year=year),
        filename=f"subventions-{year}-{contract.slug}-annee.csv",
    )


@routes("donnees-ouvertes/<int:year>/subventions.csv")
@contract_view(private=False)
def year_open_data_csv(request: ContractRequest, year: int) -> HttpResponse:
    calls = _open_data_year(request, year)
    contract = request.contract
    return _open_data_csv(
        request, calls, f"subventions-{year}-{contract.slug}-annee.csv", url("year_open_data", contract, year=year)
    )


@routes("annexe-financiere/")
@contract_view(private=True)
def financial_annex(request: ContractRequest) -> HttpResponse:
    """The contract's financial annex: each call's programme per pillar and per funder."""
    contract = request.contract
    annex = selectors.contract_annex(contract=contract)
    return render_page(
        request,
        "funding/calls/financial_annex.html",
        f"Annexe financière — {contract.name}",
        parents=crumbs(contract),
        open_data_years=sorted({programme.call.year for programme in annex}, reverse=True),
        programmes=[presenters.programme_text(programme) for programme in annex],
    )
