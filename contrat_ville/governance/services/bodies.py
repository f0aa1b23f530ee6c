"""Constitute the contract's bodies and name their members (seed 004, phases 1.1 to 2.3; loi 2014-173 art. 6-7)."""

from __future__ import annotations

from typing import Required, TypedDict, Unpack

from django.db import transaction

from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.models import Contract, ContractRole, Pillar, TransversalAxis
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.personal_data import ANONYMISED, Person, scrub
from contrat_ville.core.saving import delete_by, save_by
from contrat_ville.governance.enums import AttendanceStatus, BodyKind, MemberRole
from contrat_ville.governance.models import Attendance, Body, BodyMember
from contrat_ville.governance.suggestions import MatchingPool, suggestions_for

# A body that meets more than daily is a typing error.
MAX_MEETINGS_PER_YEAR = 366

# One of each per contract (seed 004: « l'équipe restreinte », « le comité de pilotage »…). Technical committees,
# working groups (« plusieurs groupes ou sous-groupes peuvent être mis en place », phase 2.3.1) and local bodies
# may be several: real contracts have several territorial project teams or technical committees.
SINGLE_BODY_KINDS = frozenset(
    {
        BodyKind.STATE_CORE_TEAM,
        BodyKind.INTERMINISTERIAL_TEAM,
        BodyKind.STEERING_COMMITTEE,
    }
)

# Kinds that may be tied to a pillar or a transversal axis.
THEMATIC_KINDS = frozenset({BodyKind.WORKING_GROUP, BodyKind.LOCAL})

DEFAULT_NAMES: dict[str, str] = {
    BodyKind.STATE_CORE_TEAM: "Équipe restreinte de l'État",
    BodyKind.INTERMINISTERIAL_TEAM: "Équipe interministérielle",
    BodyKind.STEERING_COMMITTEE: "Comité de pilotage",
    BodyKind.TECHNICAL_COMMITTEE: "Comité technique",
}

DEFAULT_MISSIONS: dict[str, str] = {
    BodyKind.STATE_CORE_TEAM: (
        "Préparer la position de l'État sur le contrat de ville, sous l'autorité du préfet ou de son représentant."
    ),
    BodyKind.INTERMINISTERIAL_TEAM: (
        "Mobiliser les services déconcentrés de l'État et les opérateurs publics sur leur droit commun."
    ),
    BodyKind.STEERING_COMMITTEE: "Piloter, valider, suivre et évaluer le contrat de ville.",
    BodyKind.TECHNICAL_COMMITTEE: (
        "Préparer les décisions du comité de pilotage et en assurer le suivi ; organiser les groupes de travail "
        "thématiques et synthétiser leurs travaux."
    ),
    BodyKind.WORKING_GROUP: (
        "Élaborer le diagnostic, les objectifs et le plan d'actions du pilier, actualisé chaque année, en intégrant "
        "les axes transversaux : égalité femmes-hommes, jeunesse, lutte contre les discriminations."
    ),
}

KIND_ARTICLES: dict[str, str] = {
    BodyKind.STATE_CORE_TEAM: "une équipe restreinte de l'État",
    BodyKind.INTERMINISTERIAL_TEAM: "une équipe interministérielle",
    BodyKind.STEERING_COMMITTEE: "un comité de pilotage",
    BodyKind.TECHNICAL_COMMITTEE: "un comité technique",
}


def default_body_name(
    *,
    contract: Contract,
    kind: str,
    pillar: Pillar | None,
    axis: TransversalAxis | None = None,
    local_kind_label: str = "",
) -> str:
    """« Comité de pilotage », « Groupe de travail « Cohésion sociale » » (numbered when the pillar or axis has
    one), « Conférence des financeurs » for a local kind."""
    if kind == BodyKind.LOCAL:
        return local_kind_label.strip()[:1].upper() + local_kind_label.strip()[1:]
    if kind != BodyKind.WORKING_GROUP:
        return DEFAULT_NAMES[kind]
    theme = pillar or axis
    name = f"Groupe de travail « {theme.label} »" if theme is not None else "Groupe de travail"
    existing = Body.objects.filter(contract=contract, kind=BodyKind.WORKING_GROUP, pillar=pillar, axis=axis).count()
    return f"{name} ({existing + 1})" if existing else name


def default_mission(*, kind: str, pillar: Pillar | None) -> str:
    """The seed's role for its kinds; a working group's mentions its pillar's transversal axes."""
    if kind == BodyKind.WORKING_GROUP and pillar is None:
        return ""
    return DEFAULT_MISSIONS.get(kind, "")


class BodyFields(TypedDict, total=False):
    """What the pilot says of a body besides its kind, as its form and the API give it."""

    name: str
    pillar: Pillar | None
    axis: TransversalAxis | None
    mission: str
    local_kind_label: str
    min_meetings_per_year: int | None


def _check_body(
    *,
    contract: Contract,
    kind: str,
    pillar: Pillar | None,
    axis: TransversalAxis | None,
    local_kind_label: str,
    min_meetings_per_year: int | None,
    exclude: Body | None,
) -> None:
    if kind not in BodyKind.values:
        raise BusinessRuleError(f"Nature d'instance inconnue : « {kind} ».", field="kind")
    if kind in SINGLE_BODY_KINDS:
        others = Body.objects.filter(contract=contract, kind=kind)
        if exclude is not None:
            others = others.exclude(pk=exclude.pk)
        if others.exists():
            raise BusinessRuleError(
                f"Ce contrat a déjà {KIND_ARTICLES[kind]} : un contrat n'en compte qu'un(e) "
                "(note de cadrage de 2014). Modifiez l'instance existante.",
                field="kind",
            )
    if kind == BodyKind.LOCAL and not local_kind_label.strip():
        raise BusinessRuleError(
            "Nommez la nature de cette instance locale (« Conférence des financeurs », « Cellule de pilotage »…).",
            field="local_kind_label",
        )
    if kind != BodyKind.LOCAL and local_kind_label.strip():
        raise BusinessRuleError("Seule une instance locale a une nature propre au contrat.", field="local_kind_label")
    if kind not in THEMATIC_KINDS:
        if pillar is not None:
            raise BusinessRuleError(
                "Seul un groupe de travail thématique (ou une instance locale) est rattaché à un pilier.",
                field="pillar",
            )
        if axis is not None:
            raise BusinessRuleError(
                "Seul un groupe de travail thématique (ou une instance locale) est rattaché à un axe transversal.",
                field="axis",
            )
    if pillar is not None and pillar.contract_id != contract.pk:
        raise BusinessRuleError("Ce pilier n'appartient pas à ce contrat.", field="pillar")
    if axis is not None and axis.contract_id != contract.pk:
        raise BusinessRuleError("Cet axe transversal n'appartient pas à ce contrat.", field="axis")
    if min_meetings_per_year is not None and not 0 < min_meetings_per_year <= MAX_MEETINGS_PER_YEAR:
        raise BusinessRuleError(
            f"Le nombre minimal de séances par an est compris entre 1 et {MAX_MEETINGS_PER_YEAR}.",
            field="min_meetings_per_year",
        )


def _body_save(body: Body, *, by: User | None, exclude: Body | None, **fields: Unpack[BodyFields]) -> Body:
    pillar = fields.get("pillar")
    axis = fields.get("axis")
    local_kind_label = fields.get("local_kind_label", "").strip()
    min_meetings = fields.get("min_meetings_per_year")
    _check_body(
        contract=body.contract,
        kind=body.kind,
        pillar=pillar,
        axis=axis,
        local_kind_label=local_kind_label,
        min_meetings_per_year=min_meetings,
        exclude=exclude,
    )
    body.local_kind_label = local_kind_label
    body.pillar = pillar
    body.axis = axis
    body.min_meetings_per_year = min_meetings
    body.name = fields.get("name", "").strip() or default_body_name(
        contract=body.contract, kind=body.kind, pillar=pillar, axis=axis, local_kind_label=local_kind_label
    )
    save_by(body, by)
    return body


@transaction.atomic
def body_create(*, contract: Contract, kind: str, by: User | None, **fields: Unpack[BodyFields]) -> Body:
    """Constitute a body of the contract (seed 004: phase 1.1 State teams, 2.1 COPIL, 2.2 COTECH, 2.3 WGs, or a
    local body the contract describes).

    One State core team, interministerial team and steering committee per contract; working groups may belong
    to one pillar (rule R07) or one transversal axis of the same contract, and may be several. Empty name and
    mission take the seed's defaults (a local body is named after its kind).
    """
    body = Body(contract=contract, kind=kind)
    body.mission = fields.get("mission", "").strip() or default_mission(kind=kind, pillar=fields.get("pillar"))
    return _body_save(body, by=by, exclude=None, **fields)


@transaction.atomic
def body_update(*, body: Body, by: User | None, **fields: Unpack[BodyFields]) -> Body:
    """Rename a body, change its mission, its local kind, its pillar or axis, its minimum number of meetings
    (same rules as ``body_create``).

    Its kind does not change: create the other body instead.
    """
    body.mission = fields.get("mission", "").strip()
    return _body_save(body, by=by, exclude=body, **fields)


@transaction.atomic
def body_delete(*, body: Body, by: User | None) -> None:
    """Delete a body that never met: a body with meetings keeps its history (minutes, decisions)."""
    if body.meetings.exists():
        raise BusinessRuleError(
            "Cette instance a des séances : elle ne peut pas être supprimée, pour garder la trace de ses comptes "
            "rendus et de ses décisions."
        )
    delete_by(body, by)


def _check_user(*, contract: Contract, user: User | None) -> None:
    if user is not None and not ContractRole.objects.filter(contract=contract, user=user).exists():
        raise BusinessRuleError(
            f"{user.display_name} n'a pas de rôle sur ce contrat : invitez-le d'abord parmi les membres du contrat.",
            field="user",
        )


def _check_role(role: str) -> None:
    if role not in MemberRole.values:
        raise BusinessRuleError(f"Rôle inconnu : « {role} ».", field="role")


def _seat_taken(
    *, body: Body, organization: Organization, user: User | None, person_name: str, exclude: BodyMember | None
) -> bool:
    seats = BodyMember.objects.filter(body=body, organization=organization)
    if exclude is not None:
        seats = seats.exclude(pk=exclude.pk)
    if user is not None and seats.filter(user=user).exists():
        return True
    return seats.filter(person_name__iexact=person_name).exists()


class SeatFields(TypedDict, total=False):
    """Who sits in a seat, as its form and the API give it: a role and a platform user, a named person or nobody."""

    role: Required[str]
    user: User | None
    person_name: str
    person_email: str
    enlarged_only: bool


@transaction.atomic
def body_member_add(
    *, body: Body, organization: Organization, by: User | None, **fields: Unpack[SeatFields]
) -> BodyMember:
    """Give ``organization`` a seat in ``body``, represented by a platform user, a named person or nobody yet.

    The user must hold a role on the contract (tenancy); a seat is unique per organisation and person.
    """
    if organization.pk is None:
        raise BusinessRuleError("Cette organisation n'existe pas sur la plateforme.", field="organization")
    return _seat_save(BodyMember(body=body, organization=organization), by=by, **fields)


@transaction.atomic
def body_member_update(*, member: BodyMember, by: User | None, **fields: Unpack[SeatFields]) -> BodyMember:
    """Change a seat's role or representative (same rules as ``body_member_add``); the organisation stays."""
    return _seat_save(member, by=by, **fields)


def _seat_save(
    member: BodyMember,
    *,
    role: str,
    user: User | None = None,
    person_name: str = "",
    person_email: str = "",
    enlarged_only: bool = False,
    by: User | None,
) -> BodyMember:
    """Check and write who sits in the seat: by default the user's name and address."""
    _check_role(role)
    _check_user(contract=member.body.contract, user=user)
    person_name = person_name.strip() or (user.display_name if user is not None else "")
    is_new = member.pk is None
    if _seat_taken(
        body=member.body,
        organization=member.organization,
        user=user,
        person_name=person_name,
        exclude=None if is_new else member,
    ):
        taken = f"{member.organization} siège déjà dans « {member.body.name} »"
        if not is_new:
            raise BusinessRuleError(f"{taken} avec cette personne.")
        raise BusinessRuleError(taken + (f" en la personne de {person_name}." if person_name else "."))
    member.role = role
    member.user = user
    member.person_name = person_name
    member.person_email = person_email.strip() or (user.email if user is not None else "")
    member.enlarged_only = enlarged_only
    save_by(member, by)
    return member


@transaction.atomic
def body_member_remove(*, member: BodyMember, by: User | None) -> None:
    """Remove a seat. A seat whose attendance was recorded at a meeting stays, for the minutes' sake."""
    recorded = Attendance.objects.filter(member=member).exclude(status=AttendanceStatus.INVITED)
    if recorded.exists():
        raise BusinessRuleError(
            f"La présence de {member} a été relevée en séance : ce siège ne peut pas être retiré, "
            "pour garder la trace des comptes rendus."
        )
    delete_by(member, by)


@transaction.atomic
def bodies_constitute_from_suggestions(*, contract: Contract, by: User | None) -> list[Body]:
    """Create the bodies the seed describes that the contract lacks, with the members it suggests.

    Seed 004: phase 1.1 (State core team, interministerial team), 2.1 (steering committee), 2.2 (technical
    committee), 2.3 (one working group per pillar, rule R07). Only organisations the platform already knows
    are seated (see ``suggestions``); existing bodies are left untouched.
    """
    existing_kinds = set(Body.objects.filter(contract=contract).values_list("kind", flat=True))
    covered_pillars = set(
        Body.objects.filter(contract=contract, kind=BodyKind.WORKING_GROUP).values_list("pillar_id", flat=True)
    )
    created = [
        body_create(contract=contract, kind=kind, by=by)
        for kind in (
            BodyKind.STATE_CORE_TEAM,
            BodyKind.INTERMINISTERIAL_TEAM,
            BodyKind.STEERING_COMMITTEE,
            BodyKind.TECHNICAL_COMMITTEE,
        )
        if kind not in existing_kinds
    ]
    created += [
        body_create(contract=contract, kind=BodyKind.WORKING_GROUP, pillar=pillar, by=by)
        for pillar in Pillar.objects.filter(contract=contract).order_by("order", "pk")
        if pillar.pk not in covered_pillars
    ]
    pool = MatchingPool.for_contract(contract)
    for body in created:
        for suggestion in suggestions_for(body, pool, seated=set()):
            if suggestion.organization is not None:
                body_member_add(body=body, organization=suggestion.organization, role=suggestion.role, by=by)
    return created


def body_member_contact_erase(person: Person, apply: bool) -> list[str]:
    """Seats whose named contact has that e-mail: name « Personne anonymisée », e-mail emptied (the seat, its
    organisation and its role stay), in the seats and their history."""
    if not person.normalised_email:
        return []
    seats = list(BodyMember.objects.filter(person_email__iexact=person.normalised_email).select_related("body"))
    lines = [
        f"Siège n° {seat.pk} ({seat.body.name}) : {seat.person_name or '—'}, {seat.person_email}" for seat in seats
    ]
    if apply:
        scrub(seats, {"person_name": ANONYMISED, "person_email": ""})
    return lines
