"""Meeting pages: calendar, scheduling, detail, convocation, attendance, minutes, attachments and documents.

Mounted under /contrats/<contract_slug>/gouvernance/ (namespace ``governance``). Editors (pilot, State) write;
the members of a body read its meetings, and its minutes once published; everyone else gets 404 (issue 4 §6).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.governance import documents
from contrat_ville.governance.forms.meetings import AttachmentForm, AttendanceForm, MeetingForm, MinutesForm
from contrat_ville.governance.models import Meeting
from contrat_ville.governance.permissions import can_read_minutes, can_run_meetings
from contrat_ville.governance.selectors import meetings as selectors
from contrat_ville.governance.services import meetings as services
from contrat_ville.governance.views.common import crumbs, form_page, post_action, url
from contrat_ville.ui.page import Crumb, download, file_download, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()

# --- helpers ----------------------------------------------------------------------------------------


def _crumbs(request: ContractRequest, *extra: Crumb) -> list[Crumb]:
    contract = request.contract
    return crumbs(contract, Crumb("Séances et calendrier", url("meeting_calendar", contract)), *extra)


def _meeting_crumb(meeting: Meeting) -> Crumb:
    return Crumb(meeting.title, _detail_url(meeting))


def _detail_url(meeting: Meeting) -> str:
    return url("meeting_detail", meeting.body.contract, meeting_id=meeting.pk)


def _meeting(request: ContractRequest, meeting_id: int) -> Meeting:
    """The meeting, if the user may see it (404 otherwise)."""
    return selectors.meeting_get(
        contract=request.contract,
        meeting_id=meeting_id,
        access=request.access,
        user=request.user,
    )


# --- calendar ----------------------------------------------------------------------------------------


@routes("seances/")
@contract_view(private=True)
def meeting_calendar(request: ContractRequest) -> HttpResponse:
    """The contract's meetings: a month grid (``?mois=2026-11``) or a list (``?vue=liste``)."""
    contract = request.contract
    access = request.access
    is_list = request.GET.get("vue") == "liste"
    context: dict[str, Any] = {"contract": contract, "access": access, "is_list": is_list}
    if is_list:
        context["listing"] = selectors.meeting_listing(access=access, user=request.user, contract=contract)
    else:
        first_day = selectors.parse_month(request.GET.get("mois"))
        context["month"] = selectors.calendar_month(
            access=access, user=request.user, contract=contract, first_day=first_day
        )
    if can_run_meetings(access):
        context["bodies"] = selectors.meeting_bodies(contract=contract)
    return render_page(
        request,
        "governance/meeting_calendar.html",
        "Séances et calendrier",
        parents=crumbs(contract),
        **context,
    )


# --- scheduling ------------------------------------------------------------------------------------------


@routes("instances/<int:body_id>/seances/nouvelle/")
@contract_view(private=True, permission=can_run_meetings)
def meeting_create(request: ContractRequest, body_id: int) -> HttpResponse:
    body = selectors.meeting_body_get(contract=request.contract, body_id=body_id)
    form = MeetingForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda _data: services.meeting_schedule(body=body, by=request.access.user, **form.service_kwargs()),
        done=lambda meeting: ("Séance programmée ; les membres de l'instance y sont invités.", _detail_url(meeting)),
        title=f"Nouvelle séance — {body.name}",
        parents=_crumbs(request),
        intro=f"Instance : {body.name}. Tous les membres de l'instance seront invités.",
        submit_label="Programmer la séance",
        cancel_url=url("meeting_calendar", request.contract),
    )


@routes("seances/<int:meeting_id>/modifier/")
@contract_view(private=True, permission=can_run_meetings)
def meeting_update(request: ContractRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    return form_page(
        request,
        form,
        save=lambda _data: services.meeting_update(meeting=meeting, by=request.access.user, **form.service_kwargs()),
        done=lambda _: ("Séance modifiée.", _detail_url(meeting)),
        title=f"Modifier la séance — {meeting.title}",
        parents=_crumbs(request, _meeting_crumb(meeting)),
        intro=f"Instance : {meeting.body.name}.",
        cancel_url=_detail_url(meeting),
    )


def _meeting_action(
    request: ContractRequest, meeting_id: int, action: Callable[..., Any], success: str
) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    return post_action(
        request,
        act=lambda: action(meeting=meeting, by=request.access.user),
        message=success,
        next_url=_detail_url(meeting),
    )


@routes("seances/<int:meeting_id>/convoquer/")
@require_POST
@contract_view(private=True, permission=can_run_meetings)
def meeting_convene(request: ContractRequest, meeting_id: int) -> HttpResponse:
    return _meeting_action(
        request,
        meeting_id,
        services.meeting_convene,
        "Convocation envoyée par courriel aux membres invités qui ont une adresse électronique.",
    )


@routes("seances/<int:meeting_id>/annuler/")
@require_POST
@contract_view(private=True, permission=can_run_meetings)
def meeting_cancel(request: ContractRequest, meeting_id: int) -> HttpResponse:
    return _meeting_action(request, meeting_id, services.meeting_cancel, "Séance annulée.")


# --- detail ------------------------------------------------------------------------------------------------


@routes("seances/<int:meeting_id>/")
@contract_view(private=True)
def meeting_detail(request: ContractRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    detail = selectors.meeting_detail(meeting=meeting, access=request.access)
    return render_page(
        request,
        "governance/meeting_detail.html",
        meeting.title,
        parents=_crumbs(request),
        meeting=meeting,
        detail=detail,
    )


# --- attendance and minutes -----------------------------------------------------------------------------------


@routes("seances/<int:meeting_id>/presences/")
@contract_view(private=True, permission=can_run_meetings)
def meeting_attendance(request: ContractRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = AttendanceForm(request.POST or None, attendances=selectors.meeting_attendances(meeting=meeting))
    return form_page(
        request,
        form,
        save=lambda _data: services.attendance_record(meeting=meeting, entries=form.entries(), by=request.access.user),
        done=lambda _: ("Présences enregistrées.", _detail_url(meeting)),
        title=f"Présences — {meeting.title}",
        parents=_crumbs(request, _meeting_crumb(meeting)),
        intro=f"Séance du {selectors.meeting_when(meeting)}. Pour un membre représenté, indiquez qui le représente.",
        read_only_message="" if form.attendances else "Aucun membre n'a été invité à cette séance.",
        submit_label="Enregistrer les présences",
        cancel_url=_detail_url(meeting),
    )


@routes("seances/<int:meeting_id>/compte-rendu/")
@contract_view(private=True, permission=can_run_meetings)
def meeting_minutes(request: ContractRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = MinutesForm(
        request.POST or None, initial={"minutes": meeting.minutes, "publish": meeting.minutes_published}
    )

    def save(data: dict[str, Any]) -> Meeting:
        try:
            with transaction.atomic():
                services.minutes_save(meeting=meeting, html=data["minutes"], by=request.access.user)
                services.minutes_publish(meeting=meeting, by=request.access.user, publish=data["publish"])
        except BusinessRuleError:
            # The transaction is rolled back: the page shows the meeting as it is stored.
            meeting.refresh_from_db()
            raise
        return meeting

    return form_page(
        request,
        form,
        save=save,
        done=lambda saved: (
            "Compte rendu enregistré et publié." if saved.minutes_published else "Compte rendu enregistré.",
            _detail_url(meeting),
        ),
        title=f"Compte rendu — {meeting.title}",
        parents=_crumbs(request, _meeting_crumb(meeting)),
        intro="Une fois publié, le compte rendu est lisible par les membres de l'instance.",
        submit_label="Enregistrer le compte rendu",
        cancel_url=_detail_url(meeting),
    )


# --- attachments ------------------------------------------------------------------------------------------------


@routes("seances/<int:meeting_id>/pieces-jointes/ajouter/")
@contract_view(private=True, permission=can_run_meetings)
def meeting_attachment_add(request: ContractRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    return form_page(
        request,
        AttachmentForm(request.POST or None, request.FILES or None),
        save=lambda data: services.attachment_add(meeting=meeting, by=request.access.user, **data),
        done=lambda _: ("Pièce jointe ajoutée.", _detail_url(meeting)),
        title=f"Ajouter une pièce jointe — {meeting.title}",
        parents=_crumbs(request, _meeting_crumb(meeting)),
        submit_label="Ajouter la pièce jointe",
        cancel_url=_detail_url(meeting),
    )


@routes("seances/<int:meeting_id>/pieces-jointes/<int:attachment_id>/supprimer/")
@require_POST
@contract_view(private=True, permission=can_run_meetings)
def meeting_attachment_remove(request: ContractRequest, meeting_id: int, attachment_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    attachment = selectors.meeting_attachment_get(meeting=meeting, attachment_id=attachment_id)
    return post_action(
        request,
        act=lambda: services.attachment_remove(attachment=attachment, by=request.access.user),
        message=f"Pièce jointe « {attachment.title} » supprimée.",
        next_url=_detail_url(meeting),
    )


@routes("seances/<int:meeting_id>/pieces-jointes/<int:attachment_id>/")
@contract_view(private=True)
def meeting_attachment_download(request: ContractRequest, meeting_id: int, attachment_id: int) -> HttpResponse:
    """Attachments are served through this view, never from MEDIA_URL: only those who see the meeting get them."""
    meeting = _meeting(request, meeting_id)
    attachment = selectors.meeting_attachment_get(meeting=meeting, attachment_id=attachment_id)
    return file_download(attachment.file)


# --- documents -------------------------------------------------------------------------------------------------


def _minutes_meeting(request: ContractRequest, meeting_id: int) -> Meeting:
    """The meeting whose minutes the user may read: 404 for members while the minutes are unpublished."""
    meeting = _meeting(request, meeting_id)
    if not can_read_minutes(request.access, meeting):
        raise Http404("Compte rendu non publié.")
    return meeting


def _document_view(
    build: Callable[[Meeting], bytes],
    content_type: str,
    stem: str,
    extension: str,
    *,
    minutes: bool = False,
) -> Callable[..., HttpResponse]:
    """A download view of one meeting document (convocation or minutes, DOCX or PDF)."""

    @contract_view(private=True)
    def view(request: ContractRequest, meeting_id: int) -> HttpResponse:
        meeting = _minutes_meeting(request, meeting_id) if minutes else _meeting(request, meeting_id)
        return download(build(meeting), content_type, documents.document_filename(meeting, stem, extension))

    return view


meeting_convocation_docx = _document_view(
    documents.convocation_docx, documents.DOCX_CONTENT_TYPE, "convocation", "docx"
)
meeting_convocation_pdf = _document_view(documents.convocation_pdf, documents.PDF_CONTENT_TYPE, "convocation", "pdf")
meeting_minutes_docx = _document_view(
    documents.minutes_docx, documents.DOCX_CONTENT_TYPE, "compte-rendu", "docx", minutes=True
)
meeting_minutes_pdf = _document_view(
    documents.minutes_pdf, documents.PDF_CONTENT_TYPE, "compte-rendu", "pdf", minutes=True
)


routes.add("seances/<int:meeting_id>/convocation.docx", meeting_convocation_docx, "meeting_convocation_docx")
routes.add("seances/<int:meeting_id>/convocation.pdf", meeting_convocation_pdf, "meeting_convocation_pdf")
routes.add("seances/<int:meeting_id>/compte-rendu.docx", meeting_minutes_docx, "meeting_minutes_docx")
routes.add("seances/<int:meeting_id>/compte-rendu.pdf", meeting_minutes_pdf, "meeting_minutes_pdf")
urlpatterns = routes.urlpatterns
