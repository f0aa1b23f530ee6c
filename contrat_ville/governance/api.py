"""API of a contract's governance: bodies and their members, meetings and attendance, decisions, phases.

Same services and selectors as the web pages: no business rule lives here. Tenancy goes through
``contracts.access.api_contract_access``: outside it the answer is 404 whether the contract exists or not;
anonymous calls to private endpoints get 401; a member who may read but not write (partner, conseil citoyen…) gets
403 on writes; a refused business rule gets 422 with its French message (``business_rules_as_http``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile
from ninja.errors import HttpError

from contrat_ville.contracts.access import api_caller, api_contract_access, api_removal, business_rules_as_http
from contrat_ville.contracts.selectors import ContractAccess, contract_terms
from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.schemas import Id
from contrat_ville.governance.models import Body, Meeting, MeetingAttachment
from contrat_ville.governance.permissions import (
    can_manage_bodies,
    can_manage_phases,
    can_read_minutes,
    can_record_decisions,
    can_run_meetings,
)
from contrat_ville.governance.schemas import (
    AttachmentOut,
    AttendanceIn,
    AttendanceOut,
    BodyDetailOut,
    BodyIn,
    BodyMemberIn,
    BodyMemberOut,
    BodyOut,
    BodyUpdateIn,
    DecisionIn,
    DecisionOut,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MeetingUpdateIn,
    MinutesIn,
    PhaseOut,
    PhasesApplyIn,
    PhaseStatusIn,
    SeatIn,
)
from contrat_ville.governance.selectors import bodies as body_selectors
from contrat_ville.governance.selectors import decisions as decision_selectors
from contrat_ville.governance.selectors import meetings as meeting_selectors
from contrat_ville.governance.selectors import phases as phase_selectors
from contrat_ville.governance.selectors.phases import PhaseView
from contrat_ville.governance.services import bodies as body_services
from contrat_ville.governance.services import decisions as decision_services
from contrat_ville.governance.services import meetings as meeting_services
from contrat_ville.governance.services import phases as phase_services

# --- output ---------------------------------------------------------------------------------------------------


def _body_detail_out(body: Body) -> BodyDetailOut:
    members = list(body.members.all())
    return BodyDetailOut.of(
        body, member_count=len(members), meeting_pace=body_selectors.meeting_pace(body=body), members=members
    )


def _meeting_detail_out(meeting: Meeting, access: ContractAccess) -> MeetingDetailOut:
    decisions = meeting_selectors.meeting_decisions(meeting=meeting, access=access)
    for decision in decisions:
        decision.meeting = meeting  # the same meeting, with its body already loaded
    return MeetingDetailOut.of(
        meeting,
        agenda=meeting.agenda_items.all(),
        attendance=meeting_selectors.meeting_attendances(meeting=meeting),
        minutes=meeting.minutes if can_read_minutes(access, meeting) else None,
        decisions=decisions,
    )


def _phase_out(view: PhaseView) -> PhaseOut:
    return PhaseOut.of(
        view.phase,
        status=view.status,
        status_label=view.status_label,
        status_source=view.source,
        status_source_label=view.source_label,
        rule=view.rule_description,
        is_late=view.is_late,
        is_current=view.is_current,
    )


router = Router(tags=["gouvernance"])
endpoints = Endpoints(router, "governance")


# --- bodies ---------------------------------------------------------------------------------------------------


@endpoints.reads("/{contract_id}/bodies", list[BodyOut], summary="Instances d'un contrat")
def body_list(request: HttpRequest, contract_id: Id) -> Any:
    """Le pilote et l'État voient toutes les instances ; les autres membres du contrat, celles où ils siègent
    (eux-mêmes ou leur organisation). 401 sans jeton, 404 hors du contrat."""
    access = api_contract_access(request, contract_id, private=True)
    user = api_caller(request)
    groups = body_selectors.body_list_for(contract=access.contract, access=access, user=user)
    # ``body_list_for`` prefetches the members and counts this year's meetings: no further query.
    return [
        BodyOut.of(row.body, member_count=len(row.body.members.all()), meeting_pace=row.pace)
        for group in groups
        for row in group.rows
    ]


def _body_terms(access: ContractAccess, payload: BodyUpdateIn) -> dict[str, Any]:
    """The pillar and the axis a body's payload names by their codes (422 in French for an unknown code)."""
    pillars, axes = contract_terms(contract=access.contract)
    pillar = axis = None
    if payload.pillar:
        pillar = next((item for item in pillars if item.code == payload.pillar), None)
        if pillar is None:
            raise HttpError(422, f"Ce contrat n'a pas de pilier « {payload.pillar} ».")
    if payload.axis:
        axis = next((item for item in axes if item.code == payload.axis), None)
        if axis is None:
            raise HttpError(422, f"Ce contrat n'a pas d'axe transversal « {payload.axis} ».")
    return {"pillar": pillar, "axis": axis}


@endpoints.creates("/{contract_id}/bodies", BodyDetailOut, summary="Constituer une instance")
def body_create(request: HttpRequest, contract_id: Id, payload: BodyIn) -> Any:
    """Réservé au pilote et à l'État. Un groupe de travail thématique ou une instance locale peut être rattaché à un
    pilier (`pillar`) ou à un axe transversal (`axis`), par leur code ; une instance locale (`kind` = `local`) nomme
    sa nature (`local_kind_label` : « Conférence des financeurs »…)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_bodies)
    user = api_caller(request)
    terms = _body_terms(access, payload)
    with business_rules_as_http():
        body = body_services.body_create(
            contract=access.contract, by=user, **terms, **payload.model_dump(exclude={"pillar", "axis"})
        )
    created = body_selectors.body_visible_get(contract=access.contract, body_id=body.pk, access=access, user=user)
    return Status(201, _body_detail_out(created))


@endpoints.writes("PUT", "/{contract_id}/bodies/{body_id}", BodyDetailOut, summary="Modifier une instance")
def body_update(request: HttpRequest, contract_id: Id, body_id: Id, payload: BodyUpdateIn) -> Any:
    """Réservé au pilote et à l'État. Nom, nature d'une instance locale, pilier ou axe, mission, nombre minimal de
    séances par an ; sa nature (`kind`) ne change pas : constituez l'autre instance."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_bodies)
    user = api_caller(request)
    body = body_selectors.body_get(contract=access.contract, body_id=body_id)
    terms = _body_terms(access, payload)
    with business_rules_as_http():
        body_services.body_update(body=body, by=user, **terms, **payload.model_dump(exclude={"pillar", "axis"}))
    updated = body_selectors.body_visible_get(contract=access.contract, body_id=body.pk, access=access, user=user)
    return _body_detail_out(updated)


@endpoints.removes("DELETE", "/{contract_id}/bodies/{body_id}", summary="Supprimer une instance")
def body_delete(request: HttpRequest, contract_id: Id, body_id: Id) -> Any:
    """Réservé au pilote et à l'État : une instance qui n'a jamais tenu séance, avec ses membres (422 sinon, pour
    garder la trace de ses comptes rendus et de ses décisions)."""
    return api_removal(
        request,
        contract_id,
        permission=can_manage_bodies,
        get=lambda contract: body_selectors.body_get(contract=contract, body_id=body_id),
        remove=lambda body, by: body_services.body_delete(body=body, by=by),
    )


@endpoints.reads("/{contract_id}/bodies/{body_id}", BodyDetailOut, summary="Détail d'une instance et de ses membres")
def body_detail(request: HttpRequest, contract_id: Id, body_id: Id) -> Any:
    access = api_contract_access(request, contract_id, private=True)
    user = api_caller(request)
    body = body_selectors.body_visible_get(contract=access.contract, body_id=body_id, access=access, user=user)
    return _body_detail_out(body)


@endpoints.reads("/{contract_id}/bodies/{body_id}/members", list[BodyMemberOut], summary="Membres d'une instance")
def body_member_list(request: HttpRequest, contract_id: Id, body_id: Id) -> Any:
    """Coprésidents d'abord, puis membres, techniciens et animateurs."""
    access = api_contract_access(request, contract_id, private=True)
    user = api_caller(request)
    body = body_selectors.body_visible_get(contract=access.contract, body_id=body_id, access=access, user=user)
    return body.members.all()


@endpoints.creates(
    "/{contract_id}/bodies/{body_id}/members", BodyMemberOut, summary="Ajouter un membre à une instance"
)
def body_member_add(request: HttpRequest, contract_id: Id, body_id: Id, payload: BodyMemberIn) -> Any:
    """Réservé au pilote et à l'État. L'organisation siège en la personne d'un compte membre du contrat (`user_id`),
    d'une personne nommée (`person_name`) ou de personne pour l'instant."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_bodies)
    user = api_caller(request)
    body = body_selectors.body_get(contract=access.contract, body_id=body_id)
    organization = (
        body_selectors.organizations_for_seats(contract=access.contract).filter(pk=payload.organization_id).first()
    )
    if organization is None:
        raise HttpError(422, "Organisation inconnue, ou collectivité étrangère à ce contrat.")
    with business_rules_as_http():
        member = body_services.body_member_add(
            body=body, organization=organization, by=user, **_seat_fields(access, payload)
        )
    return Status(201, member)


def _seat_fields(access: ContractAccess, payload: SeatIn) -> dict[str, Any]:
    """Who sits in the seat: the account (one with a role on the contract, 422 otherwise) or a named person."""
    seat_user = None
    if payload.user_id is not None:
        seat_user = body_selectors.contract_users(contract=access.contract).filter(pk=payload.user_id).first()
        if seat_user is None:
            raise HttpError(422, "Ce compte n'a pas de rôle sur ce contrat : invitez-le d'abord parmi ses membres.")
    return {"user": seat_user, **payload.model_dump(include=set(SeatIn.model_fields) - {"user_id"})}


@endpoints.writes(
    "PUT", "/{contract_id}/bodies/{body_id}/members/{member_id}", BodyMemberOut, summary="Modifier un siège"
)
def body_member_update(request: HttpRequest, contract_id: Id, body_id: Id, member_id: Id, payload: SeatIn) -> Any:
    """Réservé au pilote et à l'État. Le rôle du siège et qui l'occupe (compte membre du contrat, personne nommée
    ou personne) ; l'organisation reste : retirez le siège et donnez-en un autre."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_bodies)
    body = body_selectors.body_get(contract=access.contract, body_id=body_id)
    member = body_selectors.body_member_get(body=body, member_id=member_id)
    with business_rules_as_http():
        body_services.body_member_update(member=member, by=api_caller(request), **_seat_fields(access, payload))
    return body_selectors.body_member_get(body=body, member_id=member.pk)


@endpoints.removes(
    "DELETE", "/{contract_id}/bodies/{body_id}/members/{member_id}", summary="Retirer un membre d'une instance"
)
def body_member_remove(request: HttpRequest, contract_id: Id, body_id: Id, member_id: Id) -> Any:
    """Réservé au pilote et à l'État. Un siège dont la présence a été relevée en séance reste (422), pour garder la
    trace des comptes rendus."""
    return api_removal(
        request,
        contract_id,
        permission=can_manage_bodies,
        get=lambda contract: body_selectors.body_member_get(
            body=body_selectors.body_get(contract=contract, body_id=body_id), member_id=member_id
        ),
        remove=lambda member, by: body_services.body_member_remove(member=member, by=by),
    )


# --- meetings -------------------------------------------------------------------------------------------------


@endpoints.reads("/{contract_id}/meetings", list[MeetingOut], summary="Séances des instances")
def meeting_list(request: HttpRequest, contract_id: Id) -> Any:
    """Par date de début. Le pilote et l'État voient toutes les séances ; les autres membres, celles des instances
    où ils siègent."""
    access = api_contract_access(request, contract_id, private=True)
    user = api_caller(request)
    meetings = (
        meeting_selectors.meetings_visible_to(access=access, user=user, contract=access.contract)
        .select_related("body")
        .order_by("starts_at", "pk")
    )
    return meetings


@endpoints.creates("/{contract_id}/meetings", MeetingDetailOut, summary="Programmer une séance")
def meeting_create(request: HttpRequest, contract_id: Id, payload: MeetingIn) -> Any:
    """Réservé au pilote et à l'État. Tous les membres de l'instance sont invités ; un lieu ou un lien de
    visioconférence est requis."""
    access = api_contract_access(request, contract_id, private=True, permission=can_run_meetings)
    user = api_caller(request)
    body = meeting_selectors.meeting_body_get(contract=access.contract, body_id=payload.body_id)
    with business_rules_as_http():
        meeting = meeting_services.meeting_schedule(
            body=body,
            title=payload.title,
            purpose=payload.purpose or "",
            formation=payload.formation or "",
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            location=payload.location,
            video_url=payload.video_url,
            agenda=[(item.title, item.description) for item in payload.agenda],
            by=user,
        )
    meeting = meeting_selectors.meeting_get(contract=access.contract, meeting_id=meeting.pk)
    return Status(201, _meeting_detail_out(meeting, access))


@endpoints.reads("/{contract_id}/meetings/{meeting_id}", MeetingDetailOut, summary="Détail d'une séance")
def meeting_detail(request: HttpRequest, contract_id: Id, meeting_id: Id) -> Any:
    """Ordre du jour, présences, décisions ; le compte rendu (`minutes`) est donné au pilote et à l'État, et aux
    autres membres une fois publié."""
    access = api_contract_access(request, contract_id, private=True)
    user = api_caller(request)
    meeting = meeting_selectors.meeting_get(contract=access.contract, meeting_id=meeting_id, access=access, user=user)
    return _meeting_detail_out(meeting, access)


def _meeting_fields_in(payload: MeetingUpdateIn) -> dict[str, Any]:
    """The service's arguments from a meeting's payload (no purpose or formation: none)."""
    return {
        "title": payload.title,
        "purpose": payload.purpose or "",
        "formation": payload.formation or "",
        "starts_at": payload.starts_at,
        "ends_at": payload.ends_at,
        "location": payload.location,
        "video_url": payload.video_url,
        "agenda": [(item.title, item.description) for item in payload.agenda],
    }


@endpoints.writes("PUT", "/{contract_id}/meetings/{meeting_id}", MeetingDetailOut, summary="Modifier une séance")
def meeting_update(request: HttpRequest, contract_id: Id, meeting_id: Id, payload: MeetingUpdateIn) -> Any:
    """Réservé au pilote et à l'État. Intitulé, objet, formation, horaires, lieu ou lien, ordre du jour (remplacé ;
    un point garde sa description quand son intitulé ne change pas et que la nouvelle entrée n'en a pas). Les
    membres arrivés dans l'instance depuis sont invités à leur tour. Une séance annulée ne se modifie plus (422)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_run_meetings)
    meeting = meeting_selectors.meeting_get(contract=access.contract, meeting_id=meeting_id)
    with business_rules_as_http():
        meeting_services.meeting_update(meeting=meeting, by=api_caller(request), **_meeting_fields_in(payload))
    return _meeting_detail_out(meeting_selectors.meeting_get(contract=access.contract, meeting_id=meeting.pk), access)


def _meeting_act(request: HttpRequest, contract_id: int, meeting_id: int, act: Any) -> MeetingDetailOut:
    """Run ``act(meeting=, by=)`` on a meeting of the contract, for the pilot and the State; answer the meeting."""
    access = api_contract_access(request, contract_id, private=True, permission=can_run_meetings)
    meeting = meeting_selectors.meeting_get(contract=access.contract, meeting_id=meeting_id)
    with business_rules_as_http():
        act(meeting=meeting, by=api_caller(request))
    return _meeting_detail_out(meeting_selectors.meeting_get(contract=access.contract, meeting_id=meeting.pk), access)


@endpoints.writes(
    "POST", "/{contract_id}/meetings/{meeting_id}/cancel", MeetingDetailOut, summary="Annuler une séance"
)
def meeting_cancel(request: HttpRequest, contract_id: Id, meeting_id: Id) -> Any:
    """Réservé au pilote et à l'État. Une séance tenue, ou qui porte des décisions, ne s'annule pas (422) ; une
    séance annulée reste dans l'historique de l'instance."""
    return _meeting_act(request, contract_id, meeting_id, meeting_services.meeting_cancel)


@endpoints.writes(
    "POST", "/{contract_id}/meetings/{meeting_id}/convene", MeetingDetailOut, summary="Convoquer une séance"
)
def meeting_convene(request: HttpRequest, contract_id: Id, meeting_id: Id) -> Any:
    """Réservé au pilote et à l'État. Envoie la convocation par courriel aux membres invités qui ont une adresse
    électronique ; une séance annulée ne se convoque pas (422)."""
    return _meeting_act(request, contract_id, meeting_id, meeting_services.meeting_convene)


@endpoints.writes(
    "PUT", "/{contract_id}/meetings/{meeting_id}/minutes", MeetingDetailOut, summary="Rédiger le compte rendu"
)
def meeting_minutes_update(request: HttpRequest, contract_id: Id, meeting_id: Id, payload: MinutesIn) -> Any:
    """Réservé au pilote et à l'État : le compte rendu, nettoyé, et sa publication aux membres de l'instance
    (`publish`), comme la page du compte rendu. Seul le compte rendu d'une séance tenue se publie (422 sinon, et
    rien n'est enregistré) ; une séance annulée n'en a pas."""
    access = api_contract_access(request, contract_id, private=True, permission=can_run_meetings)
    user = api_caller(request)
    meeting = meeting_selectors.meeting_get(contract=access.contract, meeting_id=meeting_id)
    with business_rules_as_http(), transaction.atomic():
        meeting_services.minutes_save(meeting=meeting, html=payload.minutes, by=user)
        meeting_services.minutes_publish(meeting=meeting, by=user, publish=payload.publish)
    return _meeting_detail_out(meeting_selectors.meeting_get(contract=access.contract, meeting_id=meeting.pk), access)


def _attachment_out(attachment: MeetingAttachment) -> AttachmentOut:
    return AttachmentOut(id=attachment.pk, title=attachment.title, file_name=attachment.file.name.rsplit("/", 1)[-1])


@endpoints.reads(
    "/{contract_id}/meetings/{meeting_id}/attachments", list[AttachmentOut], summary="Pièces jointes d'une séance"
)
def meeting_attachment_list(request: HttpRequest, contract_id: Id, meeting_id: Id) -> Any:
    """Réservé aux membres du contrat qui voient la séance, comme sa page."""
    access = api_contract_access(request, contract_id, private=True)
    meeting = meeting_selectors.meeting_get(
        contract=access.contract, meeting_id=meeting_id, access=access, user=api_caller(request)
    )
    return [_attachment_out(attachment) for attachment in meeting.attachments.order_by("title", "pk")]


@endpoints.creates("/{contract_id}/meetings/{meeting_id}/attachments", AttachmentOut, summary="Joindre un document")
def meeting_attachment_add(
    request: HttpRequest,
    contract_id: Id,
    meeting_id: Id,
    title: Form[str],
    file: File[UploadedFile],
) -> Any:
    """Réservé au pilote et à l'État, en `multipart/form-data` (`title`, `file`) : PDF, DOCX, ODT, XLSX, ODS, PNG ou
    JPG de 10 Mo au plus, comme la page de la séance (422 en français sinon)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_run_meetings)
    meeting = meeting_selectors.meeting_get(contract=access.contract, meeting_id=meeting_id)
    if not title.strip() or len(title) > 255:
        raise HttpError(422, "Donnez un titre à la pièce jointe (255 caractères au plus).")
    with business_rules_as_http():
        attachment = meeting_services.attachment_add(
            meeting=meeting, title=title.strip(), file=file, by=api_caller(request)
        )
    return Status(201, _attachment_out(attachment))


@endpoints.removes(
    "DELETE", "/{contract_id}/meetings/{meeting_id}/attachments/{attachment_id}", summary="Retirer une pièce jointe"
)
def meeting_attachment_remove(request: HttpRequest, contract_id: Id, meeting_id: Id, attachment_id: Id) -> Any:
    """Réservé au pilote et à l'État ; le fichier est supprimé avec elle."""
    access = api_contract_access(request, contract_id, private=True, permission=can_run_meetings)
    meeting = meeting_selectors.meeting_get(contract=access.contract, meeting_id=meeting_id)
    attachment = meeting_selectors.meeting_attachment_get(meeting=meeting, attachment_id=attachment_id)
    with business_rules_as_http():
        meeting_services.attachment_remove(attachment=attachment, by=api_caller(request))
    return Status(204, None)


@endpoints.reads(
    "/{contract_id}/meetings/{meeting_id}/attendance", list[AttendanceOut], summary="Présences à une séance"
)
def meeting_attendance(request: HttpRequest, contract_id: Id, meeting_id: Id) -> Any:
    access = api_contract_access(request, contract_id, private=True)
    user = api_caller(request)
    meeting = meeting_selectors.meeting_get(contract=access.contract, meeting_id=meeting_id, access=access, user=user)
    return meeting_selectors.meeting_attendances(meeting=meeting)


@endpoints.writes(
    "POST", "/{contract_id}/meetings/{meeting_id}/attendance", list[AttendanceOut], summary="Relever les présences"
)
def meeting_attendance_record(request: HttpRequest, contract_id: Id, meeting_id: Id, payload: AttendanceIn) -> Any:
    """Réservé au pilote et à l'État, une fois la séance commencée. `represented` demande le nom du représentant.
    Dès qu'une présence est connue, la séance est marquée comme tenue."""
    access = api_contract_access(request, contract_id, private=True, permission=can_run_meetings)
    user = api_caller(request)
    meeting = meeting_selectors.meeting_get(contract=access.contract, meeting_id=meeting_id)
    entries = {entry.member_id: (str(entry.status), entry.represented_by) for entry in payload.entries}
    with business_rules_as_http():
        meeting_services.attendance_record(meeting=meeting, entries=entries, by=user)
    return meeting_selectors.meeting_attendances(meeting=meeting)


# --- decisions ------------------------------------------------------------------------------------------------


@endpoints.reads("/{contract_id}/decisions", list[DecisionOut], summary="Décisions des instances")
def decision_list(request: HttpRequest, contract_id: Id) -> Any:
    """Public sur un contrat publié : sans jeton, les décisions publiées seulement. Le pilote et l'État voient
    toutes les décisions ; les autres membres, les publiées et celles des instances où ils siègent."""
    access = api_contract_access(request, contract_id, private=False)
    user = api_caller(request)
    decisions = decision_selectors.decision_list(contract=access.contract, access=access, user=user)
    return decisions


@endpoints.creates("/{contract_id}/decisions", DecisionOut, summary="Enregistrer une décision")
def decision_create(request: HttpRequest, contract_id: Id, payload: DecisionIn) -> Any:
    """Réservé au pilote et à l'État, dans une séance qui a commencé. L'objet décidé (`target_type`, `target_id`)
    est facultatif : le contrat (`contracts.contract`), une phase (`governance.phase`)…"""
    access = api_contract_access(request, contract_id, private=True, permission=can_record_decisions)
    user = api_caller(request)
    meeting = decision_selectors.decision_meeting_get(contract=access.contract, meeting_id=payload.meeting_id)
    target = None
    if payload.target_type:
        target = decision_selectors.decision_target_resolve(
            contract=access.contract, value=f"{payload.target_type}:{payload.target_id or ''}"
        )
        if target is None:
            raise HttpError(
                422,
                "Objet de la décision introuvable dans ce contrat, ou d'un type qui ne peut pas faire l'objet "
                "d'une décision.",
            )
    with business_rules_as_http():
        decision = decision_services.decision_record(
            meeting=meeting,
            verdict=payload.verdict,
            text=payload.text,
            target=target,
            is_published=payload.is_published,
            by=user,
        )
    return Status(201, decision)


# --- phases ---------------------------------------------------------------------------------------------------


@endpoints.reads("/{contract_id}/phases", list[PhaseOut], summary="Phases d'élaboration")
def phase_list(request: HttpRequest, contract_id: Id) -> Any:
    """Dans l'ordre, avec leur état calculé à partir des données quand une règle existe, saisi à la main sinon, ou
    déduit du calendrier."""
    access = api_contract_access(request, contract_id, private=True)
    return [_phase_out(view) for view in phase_selectors.phase_list(contract=access.contract)]


@endpoints.creates("/{contract_id}/phases", list[PhaseOut], summary="Appliquer un modèle de phases")
def phase_apply(request: HttpRequest, contract_id: Id, payload: PhasesApplyIn) -> Any:
    """Réservé au pilote et à l'État. Remplace les phases du contrat par celles du modèle (par défaut celui de la
    note de cadrage de 2014), datées à partir de `launch_on` (par défaut le début du contrat). Refusé quand
    l'état d'une phase a été saisi à la main."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_phases)
    user = api_caller(request)
    with business_rules_as_http():
        phase_services.phases_apply(
            contract=access.contract, template_code=payload.template_code, launch_on=payload.launch_on, by=user
        )
    return Status(201, [_phase_out(view) for view in phase_selectors.phase_list(contract=access.contract)])


@endpoints.reads("/{contract_id}/phases/{phase_id}", PhaseOut, summary="Détail d'une phase")
def phase_detail(request: HttpRequest, contract_id: Id, phase_id: Id) -> Any:
    access = api_contract_access(request, contract_id, private=True)
    return _phase_out(phase_selectors.phase_view_get(contract=access.contract, phase_id=phase_id))


@endpoints.writes("PATCH", "/{contract_id}/phases/{phase_id}", PhaseOut, summary="Saisir l'état d'une phase")
def phase_update(request: HttpRequest, contract_id: Id, phase_id: Id, payload: PhaseStatusIn) -> Any:
    """Réservé au pilote et à l'État ; l'auteur et la date sont enregistrés. Quand une règle calcule l'état de la
    phase à partir des données, c'est elle qui l'emporte."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_phases)
    user = api_caller(request)
    phase = phase_selectors.phase_get(contract=access.contract, phase_id=phase_id)
    with business_rules_as_http():
        phase_services.phase_set_status(phase=phase, status=payload.status, by=user)
    return _phase_out(phase_selectors.phase_view_get(contract=access.contract, phase_id=phase_id))
