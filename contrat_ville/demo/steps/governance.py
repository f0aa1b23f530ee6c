"""The governance of the demo contract « val-de-sorne-2024 », mid-way through its elaboration (seed 004).

Its bodies are all constituted with named (fictional) people and the demo accounts where they belong; five past
meetings carry their agenda, attendance, published minutes and decisions, and two upcoming ones are convened; the
phases of seed 004 show a contract in phase 3 (1.x and 2.x done, 3 and 3.1 in progress, 3.2 and 4 to come).

Dates. The seed's process takes about four months for phases 1 to 3, and the demo contract started on the first
day of the month four months before « today » (``services.preparation_dates``): launched on that start date, the
whole of phase 3 would already be over. The elaboration is therefore launched two months after the contract's
start (``LAUNCH_DELAY_DAYS``): « today » then always falls 60 to 93 days after the launch, inside phase 3.1 (days 60
to 105), whatever the day of the month. Meetings are dated from the launch too, so that the five past ones are
always past and the two upcoming ones always to come; all dates stay the same within a month.

Idempotent: bodies are looked up by contract and kind (and pillar), seats by body, organisation and person,
meetings by body and title (moved through ``meeting_update`` if the contract's dates moved), decisions by meeting
and text; the manual phase statuses are set only when they differ. Every write goes through the governance
services, so a second load adds no row, not even a history row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Model
from django.utils import timezone

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.demo.context import DemoContext
from contrat_ville.demo.users import SLUG_VAL_DE_SORNE
from contrat_ville.governance.enums import AttendanceStatus, BodyKind, MeetingStatus, MemberRole, PhaseStatus, Verdict
from contrat_ville.governance.models import Attendance, Body, BodyMember, Decision, Meeting, Phase
from contrat_ville.governance.services.bodies import body_create, body_member_add
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.governance.services.meetings import (
    attendance_record,
    meeting_convene,
    meeting_mark_held,
    meeting_schedule,
    meeting_update,
    minutes_publish,
    minutes_save,
)
from contrat_ville.governance.services.phases import phase_reschedule, phase_set_status, phases_apply

LAUNCH_DELAY_DAYS = 60
TEMPLATE_CODE = "processus-2014"  # seed 004's process (``governance.phase_templates.SEED_2014``)

PILOT = "pilote@exemple.fr"
STATE = "etat@exemple.fr"
PARTNER = "partenaire@exemple.fr"
COUNCIL = "conseil@exemple.fr"

CO_CHAIR = MemberRole.CO_CHAIR
MEMBER = MemberRole.MEMBER
TECHNICIAN = MemberRole.TECHNICIAN
FACILITATOR = MemberRole.FACILITATOR

HOTEL_COMMUNAUTAIRE = "Hôtel de communauté du Val de Sorne, salle du conseil, 2 place de la Halle, Sorne-la-Ville"
PREFECTURE = "Préfecture du Val-de-Sorne, salle Jean-Moulin, Sorne-la-Ville"
MAISON_PROJETS = "Maison des projets des Hauts de Sorne, 14 allée des Tilleuls, Sorne-la-Ville"


# --- the bodies -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatSpec:
    organization: str  # key in ``catalogue.ORGANIZATIONS``
    role: str
    person: str  # name and function
    user: str = ""  # e-mail of a demo account holding the seat


@dataclass(frozen=True)
class BodySpec:
    key: str
    kind: str
    name: str
    seats: tuple[SeatSpec, ...]
    pillar: str = ""  # pillar code (working groups)


# Seed 004 phase 1.1: under the authority of the préfet or his representative, DDT(M), DDCS and UT DIRECCTE (today
# DDETS) and the délégués du préfet.
STATE_CORE_TEAM = BodySpec(
    "equipe_restreinte",
    BodyKind.STATE_CORE_TEAM,
    "Équipe restreinte de l'État",
    (
        SeatSpec("prefecture", CO_CHAIR, "Hélène Rousseau, sous-préfète chargée de la politique de la ville"),
        SeatSpec("prefecture", MEMBER, "Karim Haddad, délégué de l'État pour le contrat de ville", user=STATE),
        SeatSpec("ddets", MEMBER, "Nathalie Bernard, directrice départementale adjointe"),
        SeatSpec("ddt", MEMBER, "Olivier Masson, chef du service habitat et renouvellement urbain"),
        SeatSpec("delegues_prefet", MEMBER, "Yasmina Belkacem, déléguée du préfet pour les Hauts de Sorne"),
    ),
)

# Seed 004 phase 1.1: every State service concerned and the public operators (Pôle emploi, today France Travail;
# ARS; CAF).
INTERMINISTERIAL_TEAM = BodySpec(
    "equipe_interministerielle",
    BodyKind.INTERMINISTERIAL_TEAM,
    "Équipe interministérielle",
    (
        SeatSpec("prefecture", CO_CHAIR, "Hélène Rousseau, sous-préfète chargée de la politique de la ville"),
        SeatSpec("prefecture", MEMBER, "Karim Haddad, délégué de l'État pour le contrat de ville", user=STATE),
        SeatSpec("ddets", MEMBER, "Nathalie Bernard, directrice départementale adjointe"),
        SeatSpec("ddt", MEMBER, "Olivier Masson, chef du service habitat et renouvellement urbain"),
        SeatSpec("ddpn", MEMBER, "Éric Lambert, commissaire divisionnaire, directeur départemental"),
        SeatSpec("dasen", MEMBER, "Catherine Morel, directrice académique adjointe"),
        SeatSpec("dtpjj", MEMBER, "Franck Leroy, directeur territorial"),
        SeatSpec("spip", MEMBER, "Aurélie Gauthier, directrice fonctionnelle"),
        SeatSpec("delegues_prefet", MEMBER, "Yasmina Belkacem, déléguée du préfet pour les Hauts de Sorne"),
        SeatSpec("ars", MEMBER, "Dr Sylvie Caron, déléguée départementale"),
        SeatSpec("caf", MEMBER, "Isabelle Renaud, directrice"),
        SeatSpec("france_travail", MEMBER, "Marc Delorme, directeur territorial"),
    ),
)

# Seed 004 phase 2.1: co-chaired by the State, the EPCI and the communes; the main partners and the conseils
# citoyens (loi 2014-173 art. 7).
STEERING_COMMITTEE = BodySpec(
    "copil",
    BodyKind.STEERING_COMMITTEE,
    "Comité de pilotage du contrat de ville",
    (
        SeatSpec("prefecture", CO_CHAIR, "Claire Vasseur, préfète du Val-de-Sorne"),
        SeatSpec("epci_val_de_sorne", CO_CHAIR, "Bernard Chauvin, président de la communauté d'agglomération"),
        SeatSpec("commune_96001", CO_CHAIR, "Jean-Marc Delaunay, maire de Sorne-la-Ville"),
        SeatSpec("commune_96002", CO_CHAIR, "Sandrine Olivier, maire de Saint-Aubin-sur-Sorne"),
        SeatSpec("prefecture", MEMBER, "Karim Haddad, délégué de l'État pour le contrat de ville", user=STATE),
        SeatSpec("epci_val_de_sorne", MEMBER, "Élise Marchand, directrice de la politique de la ville", user=PILOT),
        SeatSpec("departement", MEMBER, "Marie-Laure Besson, vice-présidente chargée des solidarités"),
        SeatSpec("region", MEMBER, "Thierry Vidal, conseiller régional délégué à la politique de la ville"),
        SeatSpec("sorne_habitat", MEMBER, "Philippe Arnaud, directeur général"),
        SeatSpec("banque_des_territoires", MEMBER, "Valérie Chevalier, directrice régionale adjointe"),
        SeatSpec("caf", MEMBER, "Isabelle Renaud, directrice"),
        SeatSpec("france_travail", MEMBER, "Marc Delorme, directeur territorial"),
        SeatSpec("cci", MEMBER, "Gérard Pons, vice-président"),
        SeatSpec("conseil_hauts_de_sorne", MEMBER, "Mamadou Diallo, membre du conseil citoyen", user=COUNCIL),
        SeatSpec("conseil_pre_vert", MEMBER, "Fatou Ndiaye, membre du conseil citoyen"),
    ),
)

# Seed 004 phase 2.2: co-animated by the State, the EPCI and the communes; the technicians of the COPIL's members.
TECHNICAL_COMMITTEE = BodySpec(
    "cotech",
    BodyKind.TECHNICAL_COMMITTEE,
    "Comité technique",
    (
        SeatSpec("delegues_prefet", FACILITATOR, "Yasmina Belkacem, déléguée du préfet pour les Hauts de Sorne"),
        SeatSpec(
            "epci_val_de_sorne", FACILITATOR, "Élise Marchand, directrice de la politique de la ville", user=PILOT
        ),
        SeatSpec("commune_96001", FACILITATOR, "Julien Marchetti, chef de projet politique de la ville"),
        SeatSpec("commune_96002", FACILITATOR, "Émilie Renard, chargée de mission cohésion sociale"),
        SeatSpec("ddets", TECHNICIAN, "Bruno Carpentier, chef du pôle insertion professionnelle"),
        SeatSpec("ddt", TECHNICIAN, "Olivier Masson, chef du service habitat et renouvellement urbain"),
        SeatSpec("departement", TECHNICIAN, "Stéphane Huet, chef du service insertion"),
        SeatSpec("region", TECHNICIAN, "Claire Dumas, chargée de mission politique de la ville"),
        SeatSpec("caf", TECHNICIAN, "Hugo Perrot, conseiller technique territorial"),
        SeatSpec("france_travail", TECHNICIAN, "Rachid Benali, chargé de relations entreprises"),
        SeatSpec("sorne_habitat", TECHNICIAN, "Lucie Martinez, responsable du développement social urbain"),
        SeatSpec("banque_des_territoires", TECHNICIAN, "Antoine Mercier, chargé de développement territorial"),
        SeatSpec("conseil_pre_vert", MEMBER, "Fatou Ndiaye, membre du conseil citoyen"),
    ),
)

# Seed 004 phases 2.3.1 to 2.3.3: one group per pillar, co-chaired by a State head of service (DDETS, ex-DDCS;
# DDT(M); DDETS, ex-UT DIRECCTE), a member of the EPCI and a member of each commune concerned.
WORKING_GROUPS = (
    BodySpec(
        "gt_cohesion",
        BodyKind.WORKING_GROUP,
        "Groupe de travail « Cohésion sociale »",
        (
            SeatSpec("ddets", CO_CHAIR, "Nathalie Bernard, directrice départementale adjointe"),
            SeatSpec("epci_val_de_sorne", CO_CHAIR, "Monique Garnier, vice-présidente chargée de la cohésion sociale"),
            SeatSpec("commune_96001", CO_CHAIR, "Karima Saïdi, adjointe au maire chargée de la politique de la ville"),
            SeatSpec("commune_96002", CO_CHAIR, "Denis Roche, adjoint au maire chargé de la jeunesse"),
            SeatSpec("dasen", MEMBER, "Catherine Morel, directrice académique adjointe"),
            SeatSpec("ars", MEMBER, "Dr Sylvie Caron, déléguée départementale"),
            SeatSpec("caf", MEMBER, "Sophie Lemoine, responsable de l'action sociale", user=PARTNER),
            SeatSpec("departement", MEMBER, "Stéphane Huet, chef du service insertion"),
            SeatSpec("sorne_solidarites", MEMBER, "Julie Fabre, coordinatrice"),
            SeatSpec("ateliers_quartier", MEMBER, "Paul Chenu, animateur socioculturel"),
            SeatSpec("conseil_hauts_de_sorne", MEMBER, "Mamadou Diallo, membre du conseil citoyen", user=COUNCIL),
        ),
        pillar="cohesion_sociale",
    ),
    BodySpec(
        "gt_cadre_de_vie",
        BodyKind.WORKING_GROUP,
        "Groupe de travail « Cadre de vie et renouvellement urbain »",
        (
            SeatSpec("ddt", CO_CHAIR, "Olivier Masson, chef du service habitat et renouvellement urbain"),
            SeatSpec("epci_val_de_sorne", CO_CHAIR, "Alain Besnard, vice-président chargé de l'habitat"),
            SeatSpec("commune_96001", CO_CHAIR, "Patrick Lenoir, adjoint au maire chargé de l'urbanisme"),
            SeatSpec("commune_96002", CO_CHAIR, "Hélène Blanc, adjointe au maire chargée du cadre de vie"),
            SeatSpec("ddpn", MEMBER, "Capitaine Sarah Meunier, cheffe de la mission prévention"),
            SeatSpec("dtpjj", MEMBER, "Franck Leroy, directeur territorial"),
            SeatSpec("spip", MEMBER, "Aurélie Gauthier, directrice fonctionnelle"),
            SeatSpec("delegues_prefet", MEMBER, "Yasmina Belkacem, déléguée du préfet pour les Hauts de Sorne"),
            SeatSpec("sorne_habitat", MEMBER, "Lucie Martinez, responsable du développement social urbain"),
            SeatSpec("banque_des_territoires", MEMBER, "Antoine Mercier, chargé de développement territorial"),
            SeatSpec("departement", MEMBER, "Jérôme Baudry, chargé de mission habitat"),
            SeatSpec("conseil_pre_vert", MEMBER, "Fatou Ndiaye, membre du conseil citoyen"),
        ),
        pillar="cadre_de_vie",
    ),
    BodySpec(
        "gt_emploi",
        BodyKind.WORKING_GROUP,
        "Groupe de travail « Développement économique et emploi »",
        (
            SeatSpec("ddets", CO_CHAIR, "Bruno Carpentier, chef du pôle insertion professionnelle"),
            SeatSpec("epci_val_de_sorne", CO_CHAIR, "Sylvain Roux, vice-président chargé du développement économique"),
            SeatSpec("commune_96001", CO_CHAIR, "Léa Fontaine, adjointe au maire chargée de l'emploi"),
            SeatSpec("commune_96002", CO_CHAIR, "Mehdi Amrani, conseiller municipal délégué à l'insertion"),
            SeatSpec("france_travail", MEMBER, "Rachid Benali, chargé de relations entreprises"),
            SeatSpec("mission_locale", MEMBER, "Nadia Ferreira, directrice"),
            SeatSpec("cci", MEMBER, "Gérard Pons, vice-président"),
            SeatSpec("region", MEMBER, "Claire Dumas, chargée de mission politique de la ville"),
            SeatSpec("banque_des_territoires", MEMBER, "Antoine Mercier, chargé de développement territorial"),
            SeatSpec("ateliers_quartier", MEMBER, "Paul Chenu, animateur socioculturel"),
            SeatSpec("conseil_pre_vert", MEMBER, "Fatou Ndiaye, membre du conseil citoyen"),
        ),
        pillar="developpement_economique",
    ),
)

BODIES: tuple[BodySpec, ...] = (
    STATE_CORE_TEAM,
    INTERMINISTERIAL_TEAM,
    STEERING_COMMITTEE,
    TECHNICAL_COMMITTEE,
    *WORKING_GROUPS,
)


# --- the meetings ---------------------------------------------------------------------------------------------

CONTRACT_TARGET = "contract"


@dataclass(frozen=True)
class DecisionSpec:
    verdict: str
    text: str
    target: str = ""  # CONTRACT_TARGET, a phase code, or "" for none
    is_published: bool = False


@dataclass(frozen=True)
class MeetingSpec:
    body: str  # BodySpec.key
    title: str
    day: int  # days after the launch of the elaboration
    start: time
    location: str
    agenda: tuple[tuple[str, str], ...]
    minutes: str = ""
    decisions: tuple[DecisionSpec, ...] = ()
    duration: timedelta = timedelta(hours=2)
    video_url: str = ""
    upcoming: bool = False
    # (status, represented_by) for the seats of the body, by position; the others are present.
    absences: dict[int, tuple[str, str]] = field(default_factory=dict)


MEETINGS: tuple[MeetingSpec, ...] = (
    MeetingSpec(
        "equipe_restreinte",
        "Réunion de lancement de l'équipe restreinte",
        10,
        time(9, 30),
        PREFECTURE,
        (
            ("Le calendrier d'élaboration du contrat de ville", "Note de cadrage de l'État, phases 1 à 4."),
            ("La répartition des rôles entre services de l'État", "DDETS, DDT, délégués du préfet."),
            ("La préparation de la position de l'État", ""),
        ),
        minutes="""\
<p>La sous-préfète ouvre la réunion en rappelant le calendrier de la note de cadrage : constitution des instances \
dans les deux mois, diagnostic participatif à l'automne, plans d'actions et signature au printemps.</p>
<p>La DDETS coordonnera la contribution de l'État sur la cohésion sociale et l'emploi, la DDT sur le cadre de vie \
et le renouvellement urbain ; la déléguée du préfet assurera le lien avec les conseils citoyens et les associations \
des quartiers.</p>
<p>Chaque service transmettra avant la fin du mois ses données de droit commun sur les trois quartiers \
prioritaires, qui nourriront la note de position de l'État.</p>""",
        decisions=(
            DecisionSpec(
                Verdict.VALIDATED,
                "L'équipe restreinte arrête la liste des services et opérateurs mobilisés au sein de l'équipe "
                "interministérielle et le calendrier de la note de position de l'État.",
                target="1.1",
            ),
        ),
        absences={4: (AttendanceStatus.EXCUSED, "")},
        duration=timedelta(hours=1, minutes=30),
    ),
    MeetingSpec(
        "copil",
        "Séance d'installation du comité de pilotage",
        35,
        time(14, 30),
        HOTEL_COMMUNAUTAIRE,
        (
            ("Accueil par les coprésidents", ""),
            ("La composition du comité de pilotage", "Coprésidence État, intercommunalité et communes concernées."),
            ("Le calendrier d'élaboration du contrat de ville", ""),
            ("Le mandat du comité technique et des groupes de travail thématiques", ""),
        ),
        minutes="""\
<h2>Installation du comité</h2>
<p>La préfète, le président de la communauté d'agglomération et les maires de Sorne-la-Ville et de \
Saint-Aubin-sur-Sorne installent le comité de pilotage, qui pilotera, validera, suivra et évaluera le contrat de \
ville. Les deux conseils citoyens y siègent de plein droit.</p>
<h2>Calendrier</h2>
<p>Le comité adopte le calendrier d'élaboration : diagnostic participatif par les groupes de travail, mise en \
débat des enjeux avec les conseils citoyens, puis validation des orientations stratégiques en comité de \
pilotage.</p>
<h2>Organisation des travaux</h2>
<ul>
<li>un comité technique coanimé par l'État, l'intercommunalité et les communes ;</li>
<li>trois groupes de travail, un par pilier, intégrant l'égalité entre les femmes et les hommes, la jeunesse et la \
lutte contre les discriminations.</li>
</ul>""",
        decisions=(
            DecisionSpec(
                Verdict.VALIDATED,
                "Le comité de pilotage valide sa composition et le calendrier d'élaboration.",
                target=CONTRACT_TARGET,
                is_published=True,
            ),
            DecisionSpec(
                Verdict.VALIDATED_WITH_AMENDMENTS,
                "Le comité de pilotage valide le mandat du comité technique et la constitution de trois groupes de "
                "travail thématiques ; à la demande des conseils citoyens, chaque groupe comptera au moins un "
                "représentant d'un conseil citoyen.",
                target="2.3",
                is_published=True,
            ),
        ),
        absences={
            7: (AttendanceStatus.REPRESENTED, "Jérôme Baudry, chargé de mission habitat"),
            12: (AttendanceStatus.EXCUSED, ""),
        },
    ),
    MeetingSpec(
        "cotech",
        "Installation du comité technique",
        42,
        time(9, 30),
        HOTEL_COMMUNAUTAIRE,
        (
            ("La méthode du diagnostic en trois étapes", "Recensement des données, états des lieux, mise en débat."),
            ("Le calendrier des groupes de travail", ""),
            ("Les données disponibles sur les quartiers prioritaires", "Recensement par les partenaires."),
        ),
        minutes="""\
<p>Le comité technique précise la méthode du diagnostic : chaque groupe de travail recense les données \
existantes, dresse l'état des lieux des handicaps et des ressources des quartiers en identifiant le droit commun, \
puis met ses enjeux en débat avec les conseils citoyens.</p>
<p>La communauté d'agglomération met à disposition l'observatoire territorial ; la CAF, France Travail et le \
bailleur transmettront leurs données à l'échelle des quartiers prioritaires.</p>
<p>Les groupes de travail se réuniront deux fois avant la synthèse du comité technique.</p>""",
        decisions=(
            DecisionSpec(
                Verdict.VALIDATED,
                "Le comité technique arrête la méthode du diagnostic en trois étapes et le calendrier des groupes de "
                "travail.",
                target="3.1",
            ),
        ),
        absences={7: (AttendanceStatus.ABSENT, "")},
    ),
    MeetingSpec(
        "gt_cohesion",
        "Atelier de diagnostic : réussite éducative et accès aux droits",
        52,
        time(14, 0),
        MAISON_PROJETS,
        (
            ("Les données de la réussite éducative", "Taux de réussite au brevet, programme de réussite éducative."),
            ("L'accès aux droits et aux soins", ""),
            ("Les premiers enjeux à mettre en débat avec les conseils citoyens", ""),
        ),
        minutes="""\
<p>La DASEN présente les résultats au diplôme national du brevet des trois collèges du secteur : l'écart avec \
la moyenne de l'agglomération reste marqué au collège des Hauts de Sorne.</p>
<p>La CAF et l'ARS soulignent le non-recours aux droits des familles monoparentales et l'éloignement des \
services de santé. Les associations proposent des permanences d'accès aux droits dans les centres sociaux.</p>
<p>Trois enjeux seront soumis au débat des conseils citoyens : la réussite éducative, l'accès aux droits, la \
santé de proximité.</p>""",
        decisions=(
            DecisionSpec(
                Verdict.VALIDATED,
                "Le groupe de travail retient trois enjeux à mettre en débat avec les conseils citoyens : réussite "
                "éducative, accès aux droits, santé de proximité.",
            ),
        ),
        absences={5: (AttendanceStatus.EXCUSED, ""), 9: (AttendanceStatus.EXCUSED, "")},
        duration=timedelta(hours=2, minutes=30),
    ),
    MeetingSpec(
        "copil",
        "Lancement du diagnostic participatif",
        58,
        time(14, 30),
        HOTEL_COMMUNAUTAIRE,
        (
            ("Le bilan de la constitution des instances", "Comité technique et groupes de travail installés."),
            ("Le lancement de la phase 3 : diagnostic participatif", ""),
            ("La mobilisation des conseils citoyens", ""),
        ),
        minutes="""\
<p>Les coprésidents constatent que les instances sont constituées : le comité technique et les trois groupes de \
travail thématiques se sont réunis, chacun avec un représentant d'un conseil citoyen.</p>
<p>Le comité lance le diagnostic participatif. Les conseils citoyens des Hauts de Sorne et du Pré-Vert \
organiseront chacun une soirée de débat sur les enjeux proposés par les groupes de travail.</p>
<p>Le comité se réunira à nouveau pour valider les enjeux territoriaux et les orientations stratégiques.</p>""",
        decisions=(
            DecisionSpec(
                Verdict.VALIDATED,
                "Le comité de pilotage valide le lancement de la phase 3 (diagnostic participatif) et sa méthode en "
                "trois étapes.",
                target="3",
                is_published=True,
            ),
        ),
        absences={
            5: (AttendanceStatus.REPRESENTED, "Julien Marchetti, chef de projet politique de la ville"),
            9: (AttendanceStatus.EXCUSED, ""),
        },
    ),
    MeetingSpec(
        "cotech",
        "Synthèse des diagnostics des groupes de travail",
        100,
        time(9, 30),
        HOTEL_COMMUNAUTAIRE,
        (
            ("La synthèse des états des lieux des trois groupes", ""),
            ("Le retour des débats avec les conseils citoyens", ""),
            ("La préparation des orientations stratégiques soumises au comité de pilotage", ""),
        ),
        video_url="https://visio.exemple.fr/val-de-sorne/cotech",
        upcoming=True,
    ),
    MeetingSpec(
        "copil",
        "Validation des enjeux et des orientations stratégiques",
        110,
        time(14, 30),
        HOTEL_COMMUNAUTAIRE,
        (
            ("Les enjeux territoriaux issus du diagnostic", ""),
            ("Les orientations stratégiques par pilier", "Synthèse du comité technique."),
            ("Le calendrier des plans d'actions", ""),
        ),
        upcoming=True,
    ),
)


# --- the phases -----------------------------------------------------------------------------------------------

# Phases without a rule computed from governance's data: set by hand, with who and when.
MANUAL_STATUSES: dict[str, tuple[str, str]] = {
    "1.2": (PhaseStatus.DONE, PILOT),
    "3": (PhaseStatus.IN_PROGRESS, PILOT),
    "3.1": (PhaseStatus.IN_PROGRESS, PILOT),
}


# --- the step -------------------------------------------------------------------------------------------------


def launch_date(contract: Contract) -> date:
    return contract.start_on + timedelta(days=LAUNCH_DELAY_DAYS)


def _body_upsert(spec: BodySpec, *, contract: Contract, pillars: dict[str, Pillar], by: User) -> Body:
    pillar = pillars[spec.pillar] if spec.pillar else None
    body = Body.objects.filter(contract=contract, kind=spec.kind, pillar=pillar).order_by("pk").first()
    if body is None:
        body = body_create(contract=contract, kind=spec.kind, name=spec.name, pillar=pillar, by=by)
    return body


def _seats_upsert(spec: BodySpec, body: Body, context: DemoContext, *, by: User) -> list[BodyMember]:
    existing = {
        (member.organization_id, member.person_name): member
        for member in BodyMember.objects.filter(body=body).select_related("organization")
    }
    seats = []
    for seat in spec.seats:
        organization = context.organizations[seat.organization]
        member = existing.get((organization.pk, seat.person))
        if member is None:
            member = body_member_add(
                body=body,
                organization=organization,
                role=seat.role,
                user=context.users[seat.user] if seat.user else None,
                person_name=seat.person,
                by=by,
            )
        seats.append(member)
    return seats


def _starts_at(launch_on: date, spec: MeetingSpec) -> datetime:
    return timezone.make_aware(datetime.combine(launch_on + timedelta(days=spec.day), spec.start))


def _meeting_upsert(spec: MeetingSpec, body: Body, *, launch_on: date, by: User) -> Meeting:
    starts_at = _starts_at(launch_on, spec)
    ends_at = starts_at + spec.duration
    meeting = Meeting.objects.filter(body=body, title=spec.title).order_by("pk").first()
    if meeting is None:
        return meeting_schedule(
            body=body,
            title=spec.title,
            starts_at=starts_at,
            ends_at=ends_at,
            location=spec.location,
            video_url=spec.video_url,
            agenda=spec.agenda,
            by=by,
        )
    if meeting.starts_at != starts_at or meeting.ends_at != ends_at:
        # The contract's dates moved with the day of the load (another month): the meeting moves with them.
        meeting = meeting_update(
            meeting=meeting,
            title=spec.title,
            starts_at=starts_at,
            ends_at=ends_at,
            location=spec.location,
            video_url=spec.video_url,
            by=by,
        )
    return meeting


def _decision_target(target: str, *, contract: Contract, phases: dict[str, Phase]) -> Model | None:
    if not target:
        return None
    if target == CONTRACT_TARGET:
        return contract
    return phases[target]


def _hold(spec: MeetingSpec, meeting: Meeting, seats: list[BodyMember], context: DemoContext, *, by: User) -> None:
    """Attendance, minutes (published) and decisions of a past meeting, each written once."""
    if meeting.starts_at > timezone.now():
        context.log(f"    ⚠ « {meeting.title} » est postérieure à l'heure réelle : présences et décisions omises.")
        return
    recorded = Attendance.objects.filter(meeting=meeting).exclude(status=AttendanceStatus.INVITED).exists()
    if not recorded:
        entries = {
            member.pk: spec.absences.get(index, (AttendanceStatus.PRESENT, "")) for index, member in enumerate(seats)
        }
        attendance_record(meeting=meeting, entries=entries, by=by)
        meeting.refresh_from_db()
    if meeting.status != MeetingStatus.HELD:
        meeting_mark_held(meeting=meeting, by=by)
    if spec.minutes and not meeting.minutes:
        minutes_save(meeting=meeting, html=spec.minutes, by=by)
    if meeting.minutes and not meeting.minutes_published:
        minutes_publish(meeting=meeting, by=by)
    contract = meeting.body.contract
    phases = {phase.code: phase for phase in Phase.objects.filter(contract=contract)}
    recorded_texts = set(Decision.objects.filter(meeting=meeting).values_list("text", flat=True))
    for decision in spec.decisions:
        if decision.text in recorded_texts:
            continue
        decision_record(
            meeting=meeting,
            verdict=decision.verdict,
            text=decision.text,
            target=_decision_target(decision.target, contract=contract, phases=phases),
            is_published=decision.is_published,
            by=by,
        )


def _phases_upsert(contract: Contract, *, launch_on: date, by: User) -> list[Phase]:
    """The seed's phases launched on ``launch_on``; rescheduled (not re-applied) when they exist already."""
    phases = list(Phase.objects.filter(contract=contract).select_related("template_step").order_by("order"))
    if not phases:
        return phases_apply(contract=contract, template_code=TEMPLATE_CODE, launch_on=launch_on, by=by)
    for phase in phases:
        step = phase.template_step
        planned_start = launch_on + timedelta(days=step.start_offset_days)
        planned_end = planned_start + timedelta(days=step.duration_days)
        if (phase.planned_start, phase.planned_end) != (planned_start, planned_end):
            phase_reschedule(phase=phase, planned_start=planned_start, planned_end=planned_end, by=by)
    return phases


def _manual_statuses(phases: list[Phase], context: DemoContext) -> None:
    for phase in phases:
        wanted = MANUAL_STATUSES.get(phase.code)
        if wanted is not None and phase.manual_status != wanted[0]:
            phase_set_status(phase=phase, status=wanted[0], by=context.users[wanted[1]])


def step_governance(context: DemoContext) -> None:
    """Bodies, meetings, decisions and phases of the demo contract in preparation (seed 004)."""
    contract = context.contracts[SLUG_VAL_DE_SORNE]
    pilot = context.users[PILOT]
    launch_on = launch_date(contract)
    phases = _phases_upsert(contract, launch_on=launch_on, by=pilot)

    pillars = {pillar.code: pillar for pillar in Pillar.objects.filter(contract=contract)}
    bodies: dict[str, Body] = {}
    seats: dict[str, list[BodyMember]] = {}
    for spec in BODIES:
        bodies[spec.key] = _body_upsert(spec, contract=contract, pillars=pillars, by=pilot)
        seats[spec.key] = _seats_upsert(spec, bodies[spec.key], context, by=pilot)

    for meeting_spec in MEETINGS:
        meeting = _meeting_upsert(meeting_spec, bodies[meeting_spec.body], launch_on=launch_on, by=pilot)
        if meeting_spec.upcoming:
            if meeting.status == MeetingStatus.PLANNED:
                meeting_convene(meeting=meeting, by=pilot)
        else:
            _hold(meeting_spec, meeting, seats[meeting_spec.body], context, by=pilot)

    _manual_statuses(phases, context)
    context.log(
        f"  {len(BODIES)} instances, {sum(len(spec.seats) for spec in BODIES)} sièges, "
        f"{sum(1 for spec in MEETINGS if not spec.upcoming)} séances tenues et "
        f"{sum(1 for spec in MEETINGS if spec.upcoming)} à venir ; élaboration lancée le {launch_on:%d/%m/%Y}"
    )
