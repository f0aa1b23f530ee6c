"""The strategic tree and the annual action plans of the demo (seed 004, phases 3.2 and 4, « Synthèse » and its three
« Exemples de déclinaison orientation/objectif/plan d'actions »).

Contract « val-de-sorne-2024 » (in preparation). Each pillar has its orientations drawn from the retained stakes of
``steps.diagnostic`` — the seed's three worked examples word for word, plus one or two more —, validated by the
steering committee in its latest past meeting (``M``), except « 3.3 », drawn from a stake the committee will examine
at its next meeting, so that « non validée » shows. Objectives carry an indicator (from the catalogue where one fits:
CS-08 brevet, CV-06 incivilities, DE-04 youth unemployment; free text otherwise), the territory it is measured on,
a baseline (the latest figure of the observation data when the observation step loaded it, a plausible figure
otherwise) and a target at the end of the contract. In the seed's wording « x% » stays in the titles; the
description says which figure it stands for in the demo. Actions have their lead, partners, QPVs, axes, dates,
status and progress.

Two yearly plans: the plan of ``M``'s year, validated by the committee in ``M`` (its items frozen as they were),
then — the actions having progressed since — next year's plan, prepared with « Préparer le plan de l'année suivante »
(unfinished actions carried over), with two new actions and one carried-over action abandoned, so that the comparison
shows added, changed, carried-over and stopped actions.

Contract « coteaux-orbe-2024 » (published, signed in March 2024): a small validated tree, one orientation per pillar
with an objective and an action, and its 2024 plan, validated in the steering committee of 14 March 2024, so that
the public tree and plan pages have content.

Idempotent: nodes are looked up by their numéro in the contract, plans by contract (the years are those of the first
load), decisions by meeting and text; the year-to-year changes (progress, carry-over, new and abandoned actions) are
made only when next year's plan does not exist yet. Every write goes through the services of ``strategy`` and
``governance``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.demo.context import DemoContext
from contrat_ville.demo.steps.diagnostic import (
    CADRE_DE_VIE,
    CENTRE_ANCIEN,
    COHESION,
    DISCRIMINATION,
    EMPLOI,
    EPCI_VAL_DE_SORNE,
    EQUALITY,
    HAUTS_DE_SORNE_QPV,
    PRE_VERT_QPV,
    YOUTH,
    demo_territory,
    latest_figure,
    record_decision,
    stakes_by_key,
    steering_meeting,
)
from contrat_ville.demo.users import SLUG_COTEAUX_ORBE, SLUG_VAL_DE_SORNE
from contrat_ville.governance.enums import AttendanceStatus, BodyKind, MemberRole, Verdict
from contrat_ville.governance.models import Body, BodyMember, Meeting
from contrat_ville.governance.services.bodies import body_create, body_member_add
from contrat_ville.governance.services.meetings import attendance_record, meeting_schedule
from contrat_ville.observation.enums import Direction
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.presenters import format_value
from contrat_ville.observation.services import catalogue_load
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.models import Action, ActionPlan, Objective, Orientation
from contrat_ville.strategy.services import (
    ActionFields,
    ObjectiveFields,
    action_create,
    action_plan_add_action,
    action_plan_create,
    action_plan_prepare_next,
    action_plan_update,
    action_set_status,
    objective_create,
    orientation_create,
)

PILOT = "pilote@exemple.fr"
PILOT_COTEAUX = "pilote2@exemple.fr"
STATE = "etat@exemple.fr"
PARTNER = "partenaire@exemple.fr"

PLANNED = ActionStatus.PLANNED
IN_PROGRESS = ActionStatus.IN_PROGRESS
DONE = ActionStatus.DONE
UP = Direction.HIGHER_IS_BETTER
DOWN = Direction.LOWER_IS_BETTER

ALL_QPVS = (CENTRE_ANCIEN, PRE_VERT_QPV, HAUTS_DE_SORNE_QPV)
TERRASSES = "QN09604M"
EPCI_COTEAUX = "200099919"

# The seed's three worked examples (seed 004, « Exemples de déclinaison orientation/objectif/plan d'actions »),
# word for word: (pillar code, orientation, operational objective, action plan).
SEED_EXAMPLES: tuple[tuple[str, str, str, str], ...] = (
    (
        COHESION,
        "Améliorer le taux de réussite des élèves des quartiers prioritaires au brevet des collèges",
        "Faire progresser le taux de réussite au brevet des collèges de x%",
        "Mobiliser ou réorienter les dispositifs de droit commun existants et/ou les dispositifs spécifiques (PRE...) "
        "sur des établissements ciblés",
    ),
    (
        CADRE_DE_VIE,
        "Améliorer la sécurité des habitants",
        "Réduire les incivilités dans les halls d'immeuble",
        "Mettre en place des correspondants de nuit, des mesures de médiation sociale",
    ),
    (
        EMPLOI,
        "Réduire le taux de chômage des jeunes des quartiers",
        "Réduire de x% le taux de chômage des jeunes femmes",
        "Mobiliser ou réorienter les dispositifs emplois d'avenir, écoles de l'entrepreneuriat, renforcer les modes "
        "de garde des jeunes enfants",
    ),
)
(BREVET, BREVET_OBJECTIVE, BREVET_ACTIONS) = SEED_EXAMPLES[0][1:]
(SECURITE, SECURITE_OBJECTIVE, SECURITE_ACTIONS) = SEED_EXAMPLES[1][1:]
(CHOMAGE, CHOMAGE_OBJECTIVE, CHOMAGE_ACTIONS) = SEED_EXAMPLES[2][1:]


# --- specifications -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Where an action stands some months after the first plan's validation (before next year's plan)."""

    status: str
    progress: int
    comment: str = ""


FIRST = "first"  # in the validated plan (carried over to next year's plan while unfinished)
NEXT = "next"  # added to next year's draft plan


@dataclass(frozen=True)
class ActionSpec:
    code: str
    title: str
    description: str
    lead: str  # organisation key in the demo catalogue
    lead_contact: str = ""
    lead_email: str = ""
    partners: tuple[str, ...] = ()
    qpvs: tuple[str, ...] = ()
    axes: tuple[str, ...] = ()
    start_month: int = 1  # in the year of its plan
    end_month: int = 0  # in the year of its plan; 0: runs until the end of the contract
    status: str = PLANNED  # when the first plan is validated
    progress: int = 0
    later: Progress | None = None
    plan: str = FIRST
    abandoned: str = ""  # reason: abandoned in next year's plan


@dataclass(frozen=True)
class ObjectiveSpec:
    code: str
    title: str
    # May use {baseline}, {baseline_year}, {target}, {target_year} and {change} (formatted in French).
    description: str
    territory: str  # QPV or EPCI code
    baseline: float  # when the observation data has no figure for the indicator on the territory
    change: float  # target = baseline + change, or baseline * (1 + change) when ``relative``
    # The year of reference: the latest figure up to that year when the observation data has one; 0: the year before
    # the first plan (a figure the working group records).
    baseline_year: int = 0
    relative: bool = False
    indicator: str = ""  # catalogue code
    indicator_text: str = ""
    direction: str = ""
    unit: str = "%"
    decimals: int = 1
    # The last figure the working group recorded, in the first plan's year (indicators without published figures).
    observed: float | None = None
    actions: tuple[ActionSpec, ...] = ()


@dataclass(frozen=True)
class OrientationSpec:
    code: str
    pillar: str
    title: str
    description: str
    objectives: tuple[ObjectiveSpec, ...]
    stakes: tuple[str, ...] = ()  # StakeSpec keys of ``steps.diagnostic``
    verdict: str = Verdict.VALIDATED  # "" : left for the steering committee's next meeting
    decision_text: str = ""

    @property
    def text(self) -> str:
        return (
            self.decision_text
            or f"Le comité de pilotage valide l'orientation stratégique {self.code} « {self.title} »."
        )


@dataclass
class TreeContext:
    """What building a tree needs: the contract, who writes, the plan's year, the end of the contract."""

    context: DemoContext
    contract: Contract
    by: User
    year: int
    pillars: dict[str, Pillar] = field(default_factory=dict)
    axes: dict[str, TransversalAxis] = field(default_factory=dict)


VAL_DE_SORNE_TREE: tuple[OrientationSpec, ...] = (
    # --- Cohésion sociale -------------------------------------------------------------------------------------
    OrientationSpec(
        "1.1",
        COHESION,
        BREVET,
        "Exemple de déclinaison de la note de cadrage (pilier « cohésion sociale »), tiré de l'enjeu de la réussite "
        "scolaire des collégiens, redéfini avec les parents à la demande du conseil citoyen des Hauts de Sorne.",
        stakes=("reussite",),
        objectives=(
            ObjectiveSpec(
                "1.1.1",
                BREVET_OBJECTIVE,
                "Dans la démonstration, « x % » vaut {change} : le taux de réussite au diplôme national du brevet des "
                "collégiens des Hauts de Sorne doit passer de {baseline} (session {baseline_year}) à {target} en "
                "{target_year}, le niveau actuel de l'agglomération.",
                HAUTS_DE_SORNE_QPV,
                baseline=76.7,
                baseline_year=2024,
                change=8.0,
                indicator="CS-08",
                actions=(
                    ActionSpec(
                        "1.1.1.a",
                        BREVET_ACTIONS,
                        "Exemple de plan d'actions de la note de cadrage. Les moyens de l'éducation prioritaire "
                        "(« Devoirs faits », scolarisation des moins de trois ans) et le programme de réussite "
                        "éducative sont concentrés sur deux collèges ciblés : Jean-Moulin et les Hauts de Sorne.",
                        "dasen",
                        "Catherine Morel, directrice académique adjointe",
                        partners=("commune_96001", "caf", "departement", "ateliers_quartier"),
                        qpvs=(HAUTS_DE_SORNE_QPV, PRE_VERT_QPV),
                        axes=(YOUTH,),
                        status=IN_PROGRESS,
                        progress=25,
                        later=Progress(
                            IN_PROGRESS,
                            45,
                            "Heures de « Devoirs faits » doublées dans les deux collèges ciblés.",
                        ),
                    ),
                    ActionSpec(
                        "1.1.1.b",
                        "Parcours individualisés du programme de réussite éducative pour les collégiens",
                        "Une équipe pluridisciplinaire (éducateur, psychologue, référent de parcours) accompagne les "
                        "collégiens repérés par les établissements et leurs familles.",
                        "commune_96001",
                        "Julien Marchetti, chef de projet politique de la ville",
                        partners=("dasen", "caf", "departement"),
                        qpvs=ALL_QPVS,
                        axes=(YOUTH,),
                        status=IN_PROGRESS,
                        progress=40,
                        later=Progress(IN_PROGRESS, 55),
                    ),
                    ActionSpec(
                        "1.1.1.c",
                        "Stages de révision du brevet pendant les vacances de printemps",
                        "Une semaine de révisions encadrées par des enseignants volontaires et des étudiants, au "
                        "centre social des Hauts de Sorne.",
                        "ateliers_quartier",
                        "Paul Chenu, animateur socioculturel",
                        partners=("dasen", "commune_96001"),
                        qpvs=(HAUTS_DE_SORNE_QPV,),
                        axes=(YOUTH, EQUALITY),
                        start_month=4,
                        end_month=6,
                        later=Progress(DONE, 100, "64 élèves accueillis, 52 admis au brevet."),
                    ),
                    ActionSpec(
                        "1.1.1.d",
                        "Café des parents et ateliers de français au collège des Hauts de Sorne",
                        "Réponse à l'avis du conseil citoyen des Hauts de Sorne : accueillir les parents au collège, "
                        "avec des ateliers de français et des rencontres avec les enseignants.",
                        "sorne_solidarites",
                        "Julie Fabre, coordinatrice",
                        "association@exemple.fr",
                        partners=("dasen", "caf"),
                        qpvs=(HAUTS_DE_SORNE_QPV,),
                        axes=(EQUALITY, DISCRIMINATION),
                        plan=NEXT,
                    ),
                ),
            ),
        ),
        decision_text=f"Le comité de pilotage valide l'orientation stratégique 1.1 « {BREVET} ».",
    ),
    OrientationSpec(
        "1.2",
        COHESION,
        "Favoriser l'accès aux droits et aux soins des habitants des quartiers",
        "Tirée des enjeux de l'accès aux droits et de l'accès aux soins de premier recours ; l'enjeu de l'accès aux "
        "services publics, doublon, y est fusionné.",
        stakes=("droits", "sante"),
        objectives=(
            ObjectiveSpec(
                "1.2.1",
                "Faire reculer le non-recours aux droits des familles des quartiers",
                "Rendez-vous des droits réalisés par la CAF auprès des habitants des quartiers : {baseline} en "
                "{baseline_year}, {target} visés en {target_year}.",
                PRE_VERT_QPV,
                baseline=180,
                change=220,
                observed=236,
                indicator_text="Rendez-vous des droits réalisés par la CAF auprès des habitants des quartiers "
                "(par an)",
                direction=UP,
                unit="",
                decimals=0,
                actions=(
                    ActionSpec(
                        "1.2.1.a",
                        "Permanences d'accès aux droits dans les centres sociaux des Hauts de Sorne et du Pré-Vert",
                        "Une demi-journée par semaine dans chaque centre social : CAF, Département et écrivain "
                        "public, avec un accompagnement aux démarches en ligne.",
                        "caf",
                        "Sophie Lemoine, responsable de l'action sociale",
                        PARTNER,
                        partners=("departement", "sorne_solidarites", "commune_96002"),
                        qpvs=(HAUTS_DE_SORNE_QPV, PRE_VERT_QPV),
                        axes=(DISCRIMINATION, EQUALITY),
                        status=IN_PROGRESS,
                        progress=30,
                        later=Progress(IN_PROGRESS, 50),
                    ),
                ),
            ),
            ObjectiveSpec(
                "1.2.2",
                "Maintenir une offre de médecine générale de proximité dans le centre ancien",
                "Médecins généralistes installés dans le quartier : {baseline} en {baseline_year}, au moins "
                "{target} en {target_year}.",
                CENTRE_ANCIEN,
                baseline=3,
                change=1,
                indicator_text="Médecins généralistes installés dans le quartier",
                direction=UP,
                unit="",
                decimals=0,
                actions=(
                    ActionSpec(
                        "1.2.2.a",
                        "Étude de faisabilité d'une maison de santé pluriprofessionnelle dans le centre ancien",
                        "Recensement des professionnels intéressés, recherche d'un local, montage financier avec "
                        "l'ARS.",
                        "commune_96001",
                        "Julien Marchetti, chef de projet politique de la ville",
                        partners=("ars", "epci_val_de_sorne"),
                        qpvs=(CENTRE_ANCIEN,),
                        later=Progress(
                            IN_PROGRESS,
                            20,
                            "Cabinet d'études retenu ; premiers entretiens avec les professionnels de santé.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    # --- Cadre de vie et renouvellement urbain --------------------------------------------------------------------
    OrientationSpec(
        "2.1",
        CADRE_DE_VIE,
        SECURITE,
        "Exemple de déclinaison de la note de cadrage (pilier « cadre de vie et renouvellement urbain »), tiré de "
        "l'enjeu de la tranquillité publique, redéfini à la demande des deux conseils citoyens : une présence humaine "
        "le soir et le week-end.",
        stakes=("tranquillite",),
        objectives=(
            ObjectiveSpec(
                "2.1.1",
                SECURITE_OBJECTIVE,
                "Incivilités signalées dans les parties communes des immeubles de Sorne Habitat aux Hauts de Sorne "
                "(registre du bailleur, saisie locale) : {baseline} en {baseline_year}, au plus {target} en "
                "{target_year}.",
                HAUTS_DE_SORNE_QPV,
                baseline=236,
                change=-0.4,
                observed=228,
                relative=True,
                indicator="CV-06",
                unit="",
                decimals=0,
                actions=(
                    ActionSpec(
                        "2.1.1.a",
                        SECURITE_ACTIONS,
                        "Exemple de plan d'actions de la note de cadrage : le bailleur, les communes et la police "
                        "coordonnent la présence humaine dans les halls (correspondants de nuit, médiateurs) dans le "
                        "cadre du conseil local de sécurité et de prévention de la délinquance.",
                        "sorne_habitat",
                        "Lucie Martinez, responsable du développement social urbain",
                        partners=("commune_96001", "commune_96002", "ddpn", "delegues_prefet"),
                        qpvs=(HAUTS_DE_SORNE_QPV, PRE_VERT_QPV),
                        axes=(YOUTH,),
                        status=IN_PROGRESS,
                        progress=20,
                        later=Progress(IN_PROGRESS, 35),
                    ),
                    ActionSpec(
                        "2.1.1.b",
                        "Équipe de quatre correspondants de nuit aux Hauts de Sorne et au Pré-Vert",
                        "De 18 heures à 1 heure, sept jours sur sept : présence dans les halls, médiation des "
                        "conflits de voisinage, signalement des dégradations au bailleur.",
                        "commune_96001",
                        "Julien Marchetti, chef de projet politique de la ville",
                        partners=("sorne_habitat", "commune_96002"),
                        qpvs=(HAUTS_DE_SORNE_QPV, PRE_VERT_QPV),
                        axes=(YOUTH,),
                        start_month=3,
                        later=Progress(
                            IN_PROGRESS,
                            30,
                            "Quatre correspondants recrutés et formés ; premières tournées dans les halls.",
                        ),
                    ),
                    ActionSpec(
                        "2.1.1.c",
                        "Médiation sociale dans les halls et aux abords des collèges",
                        "Deux médiateurs de l'association Sorne Solidarités, en journée et à la sortie des collèges.",
                        "sorne_solidarites",
                        "Julie Fabre, coordinatrice",
                        "association@exemple.fr",
                        partners=("sorne_habitat", "dasen", "ddpn"),
                        qpvs=ALL_QPVS,
                        axes=(YOUTH, DISCRIMINATION),
                        status=IN_PROGRESS,
                        progress=40,
                        later=Progress(IN_PROGRESS, 60),
                    ),
                    ActionSpec(
                        "2.1.1.d",
                        "Vidéoprotection des halls d'immeuble du Pré-Vert",
                        "Installation de caméras dans les six halls les plus touchés par les dégradations.",
                        "sorne_habitat",
                        "Lucie Martinez, responsable du développement social urbain",
                        partners=("ddpn", "commune_96002"),
                        qpvs=(PRE_VERT_QPV,),
                        abandoned="Abandonnée à la demande du conseil citoyen du Pré-Vert : les crédits sont reportés "
                        "sur la présence humaine (correspondants de nuit).",
                    ),
                ),
            ),
        ),
        decision_text=f"Le comité de pilotage valide l'orientation stratégique 2.1 « {SECURITE} ».",
    ),
    OrientationSpec(
        "2.2",
        CADRE_DE_VIE,
        "Améliorer la qualité des logements et du cadre de vie",
        "Tirée des enjeux de la gestion urbaine de proximité et de la réhabilitation des logements sociaux du "
        "Pré-Vert.",
        stakes=("gusp", "rehabilitation"),
        verdict=Verdict.VALIDATED_WITH_AMENDMENTS,
        decision_text="Le comité de pilotage valide l'orientation stratégique 2.2 « Améliorer la qualité des "
        "logements et du cadre de vie », avec un amendement : la réhabilitation du Pré-Vert comprendra la rénovation "
        "thermique et le remplacement des ascenseurs.",
        objectives=(
            ObjectiveSpec(
                "2.2.1",
                "Réhabiliter les 420 logements sociaux du Pré-Vert",
                "Logements réhabilités (nombre cumulé) : {baseline} en {baseline_year}, {target} en {target_year}.",
                PRE_VERT_QPV,
                baseline=0,
                change=420,
                indicator_text="Logements sociaux réhabilités au Pré-Vert (nombre cumulé)",
                direction=UP,
                unit="",
                decimals=0,
                actions=(
                    ActionSpec(
                        "2.2.1.a",
                        "Réhabilitation thermique et remplacement des ascenseurs du Pré-Vert (tranche 1 : 140 "
                        "logements)",
                        "Isolation par l'extérieur, menuiseries, ventilation et ascenseurs des résidences "
                        "des Acacias et des Tilleuls ; concertation des locataires immeuble par immeuble.",
                        "sorne_habitat",
                        "Lucie Martinez, responsable du développement social urbain",
                        partners=("banque_des_territoires", "ddt", "commune_96001", "commune_96002"),
                        qpvs=(PRE_VERT_QPV,),
                        status=IN_PROGRESS,
                        progress=10,
                        later=Progress(IN_PROGRESS, 15),
                    ),
                ),
            ),
            ObjectiveSpec(
                "2.2.2",
                "Associer les habitants à la gestion urbaine de proximité",
                "Diagnostics en marchant réalisés avec les habitants : {baseline} en {baseline_year}, {target} "
                "par an en {target_year}.",
                EPCI_VAL_DE_SORNE,
                baseline=2,
                change=4,
                observed=4,
                indicator_text="Diagnostics en marchant réalisés avec les habitants (par an)",
                direction=UP,
                unit="",
                decimals=0,
                actions=(
                    ActionSpec(
                        "2.2.2.a",
                        "Diagnostics en marchant avec les conseils citoyens et les locataires",
                        "Deux fois par an dans chaque quartier, suivis d'un plan de petits travaux du bailleur et des "
                        "communes.",
                        "epci_val_de_sorne",
                        "Élise Marchand, directrice de la politique de la ville",
                        PILOT,
                        partners=(
                            "sorne_habitat",
                            "commune_96001",
                            "commune_96002",
                            "conseil_hauts_de_sorne",
                            "conseil_pre_vert",
                        ),
                        qpvs=ALL_QPVS,
                        status=IN_PROGRESS,
                        progress=50,
                        later=Progress(IN_PROGRESS, 75),
                    ),
                ),
            ),
        ),
    ),
    # --- Développement économique et emploi -----------------------------------------------------------------------
    OrientationSpec(
        "3.1",
        EMPLOI,
        CHOMAGE,
        "Exemple de déclinaison de la note de cadrage (pilier « développement économique et emploi »), tiré de "
        "l'enjeu de l'insertion professionnelle des jeunes, redéfini avec la garde des jeunes enfants à la demande du "
        "conseil citoyen du Pré-Vert.",
        stakes=("insertion_jeunes",),
        objectives=(
            ObjectiveSpec(
                "3.1.1",
                CHOMAGE_OBJECTIVE,
                "Dans la démonstration, « x % » vaut {change} : le taux de chômage des femmes de 15 à 24 ans des "
                "Hauts de Sorne doit passer de {baseline} ({baseline_year}) à {target} en {target_year}. Indicateur "
                "hors catalogue : exploitation complémentaire du recensement demandée à l'Insee.",
                HAUTS_DE_SORNE_QPV,
                baseline=47.6,
                baseline_year=2022,
                change=-0.2,
                relative=True,
                indicator_text="Taux de chômage des femmes de 15 à 24 ans (recensement, exploitation complémentaire)",
                direction=DOWN,
                actions=(
                    ActionSpec(
                        "3.1.1.a",
                        CHOMAGE_ACTIONS,
                        "Exemple de plan d'actions de la note de cadrage : contrats aidés réservés aux jeunes des "
                        "quartiers (héritiers des emplois d'avenir), école de l'entrepreneuriat, places d'accueil du "
                        "jeune enfant pour les jeunes mères en recherche d'emploi.",
                        "ddets",
                        "Bruno Carpentier, chef du pôle insertion professionnelle",
                        partners=("france_travail", "mission_locale", "caf", "cci", "region"),
                        qpvs=ALL_QPVS,
                        axes=(YOUTH, EQUALITY),
                        status=IN_PROGRESS,
                        progress=20,
                        later=Progress(IN_PROGRESS, 35),
                    ),
                    ActionSpec(
                        "3.1.1.b",
                        "Places de crèche à vocation d'insertion professionnelle pour les mères de jeunes enfants",
                        "Douze places réservées à la crèche des Tilleuls aux parents en parcours d'insertion, le "
                        "temps de leur recherche d'emploi ou de leur formation.",
                        "caf",
                        "Sophie Lemoine, responsable de l'action sociale",
                        PARTNER,
                        partners=("commune_96001", "france_travail"),
                        qpvs=(HAUTS_DE_SORNE_QPV, PRE_VERT_QPV),
                        axes=(EQUALITY,),
                        start_month=9,
                        later=Progress(IN_PROGRESS, 25, "Douze places ouvertes à la crèche des Tilleuls."),
                    ),
                ),
            ),
            ObjectiveSpec(
                "3.1.2",
                "Faire baisser le taux de chômage des 15-24 ans des Hauts de Sorne",
                "De {baseline} ({baseline_year}, recensement) à {target} en {target_year}.",
                HAUTS_DE_SORNE_QPV,
                baseline=44.9,
                baseline_year=2022,
                change=-10.0,
                indicator="DE-04",
                actions=(
                    ActionSpec(
                        "3.1.2.a",
                        "Parcours emploi compétences réservés aux jeunes des quartiers",
                        "Contrats aidés avec formation et tutorat chez les employeurs publics et associatifs, dans la "
                        "lignée des emplois d'avenir.",
                        "france_travail",
                        "Rachid Benali, chargé de relations entreprises",
                        partners=("mission_locale", "ddets", "commune_96001"),
                        qpvs=ALL_QPVS,
                        axes=(YOUTH,),
                        status=IN_PROGRESS,
                        progress=30,
                        later=Progress(IN_PROGRESS, 45),
                    ),
                    ActionSpec(
                        "3.1.2.b",
                        "Repérage des jeunes « invisibles » en bas des immeubles",
                        "Réponse à l'avis du conseil citoyen des Hauts de Sorne : la Mission locale et les médiateurs "
                        "vont au-devant des jeunes qui ne sont suivis par aucun service.",
                        "mission_locale",
                        "Nadia Ferreira, directrice",
                        partners=("sorne_solidarites", "france_travail"),
                        qpvs=(HAUTS_DE_SORNE_QPV, PRE_VERT_QPV),
                        axes=(YOUTH, DISCRIMINATION),
                        status=IN_PROGRESS,
                        progress=15,
                        later=Progress(IN_PROGRESS, 30),
                    ),
                ),
            ),
        ),
        decision_text=f"Le comité de pilotage valide l'orientation stratégique 3.1 « {CHOMAGE} ».",
    ),
    OrientationSpec(
        "3.2",
        EMPLOI,
        "Soutenir la création d'activité dans les quartiers",
        "Tirée de l'enjeu de la création d'activité et du commerce de proximité.",
        stakes=("creation",),
        objectives=(
            ObjectiveSpec(
                "3.2.1",
                "Accompagner la création d'entreprises par les habitants des quartiers",
                "Entreprises créées par des habitants des quartiers accompagnés : {baseline} en {baseline_year}, "
                "{target} par an en {target_year}.",
                EPCI_VAL_DE_SORNE,
                baseline=9,
                change=16,
                indicator_text="Entreprises créées par des habitants des quartiers accompagnés (par an)",
                direction=UP,
                unit="",
                decimals=0,
                actions=(
                    ActionSpec(
                        "3.2.1.a",
                        "École de l'entrepreneuriat des quartiers",
                        "Douze semaines pour tester son idée, construire son projet et lancer son activité, avec des "
                        "chefs d'entreprise parrains ; une session par an dans chaque quartier.",
                        "cci",
                        "Gérard Pons, vice-président",
                        partners=("banque_des_territoires", "region", "france_travail", "epci_val_de_sorne"),
                        qpvs=ALL_QPVS,
                        axes=(EQUALITY, DISCRIMINATION),
                        start_month=2,
                        status=IN_PROGRESS,
                        progress=35,
                        later=Progress(
                            IN_PROGRESS, 60, "Première promotion : quatorze porteurs de projet, dont neuf femmes."
                        ),
                    ),
                ),
            ),
        ),
    ),
    OrientationSpec(
        "3.3",
        EMPLOI,
        "Faciliter la mobilité vers l'emploi des habitants des quartiers",
        "Tirée de l'enjeu de la mobilité, redéfini après l'avis des deux conseils citoyens (horaires de bus, coût du "
        "permis) : enjeu et orientation seront soumis au prochain comité de pilotage.",
        stakes=("mobilite",),
        verdict="",
        objectives=(
            ObjectiveSpec(
                "3.3.1",
                "Aider les demandeurs d'emploi des quartiers à obtenir leur permis de conduire",
                "Permis de conduire obtenus avec l'aide du contrat : {baseline} en {baseline_year}, {target} par an "
                "en {target_year}.",
                EPCI_VAL_DE_SORNE,
                baseline=0,
                change=60,
                indicator_text="Permis de conduire obtenus avec l'aide du contrat (par an)",
                direction=UP,
                unit="",
                decimals=0,
                actions=(
                    ActionSpec(
                        "3.3.1.a",
                        "Plateforme de mobilité : auto-école sociale et location de deux-roues",
                        "Code et conduite à tarif solidaire, location de scooters pour les postes en horaires décalés "
                        "de la zone d'activité des Grands Prés.",
                        "mission_locale",
                        "Nadia Ferreira, directrice",
                        partners=("region", "france_travail", "epci_val_de_sorne"),
                        qpvs=ALL_QPVS,
                        axes=(YOUTH,),
                        plan=NEXT,
                    ),
                ),
            ),
        ),
    ),
)

COTEAUX_PRIORITY = "Priorité retenue avec les habitants lors de l'élaboration du contrat."


def _coteaux_orientation(
    code: str, pillar: str, title: str, objective: ObjectiveSpec, action: ActionSpec
) -> OrientationSpec:
    """An orientation of the Coteaux de l'Orbe's small tree: a priority retained with the residents, with one
    objective measured on the Terrasses and one action under way there."""
    action = replace(action, qpvs=(TERRASSES,), status=IN_PROGRESS)
    objective = replace(objective, actions=(action,))
    return OrientationSpec(code, pillar, title, COTEAUX_PRIORITY, objectives=(objective,))


COTEAUX_ORBE_TREE: tuple[OrientationSpec, ...] = (
    _coteaux_orientation(
        "1",
        COHESION,
        "Favoriser la réussite éducative des enfants des Terrasses de l'Orbe",
        ObjectiveSpec(
            "1.1",
            "Rapprocher le taux de réussite au brevet des collégiens des Terrasses de celui de la communauté",
            "De {baseline} (session {baseline_year}) à {target} en {target_year}.",
            TERRASSES,
            baseline=77.8,
            baseline_year=2023,
            change=6.0,
            indicator="CS-08",
        ),
        ActionSpec(
            "1.1.a",
            "Programme de réussite éducative de Bourg-d'Orbe",
            "Parcours individualisés pour une cinquantaine d'enfants et de collégiens par an.",
            "commune_96101",
            partners=("dasen", "caf"),
            axes=(YOUTH,),
            progress=60,
        ),
    ),
    _coteaux_orientation(
        "2",
        CADRE_DE_VIE,
        "Améliorer la tranquillité et le cadre de vie des Terrasses de l'Orbe",
        ObjectiveSpec(
            "2.1",
            "Réduire les incivilités dans les parties communes des Terrasses",
            "Incivilités signalées au bailleur : {baseline} en {baseline_year}, au plus {target} en {target_year}.",
            TERRASSES,
            baseline=84,
            baseline_year=2023,
            change=-0.3,
            relative=True,
            indicator="CV-06",
            unit="",
            decimals=0,
        ),
        ActionSpec(
            "2.1.a",
            "Médiation sociale de jour et de soirée aux Terrasses",
            "Un médiateur à temps plein, en lien avec le bailleur et la gendarmerie.",
            "sorne_habitat",
            partners=("commune_96101", "prefecture"),
            axes=(YOUTH,),
            progress=50,
        ),
    ),
    _coteaux_orientation(
        "3",
        EMPLOI,
        "Favoriser l'accès à l'emploi des jeunes et des femmes des Terrasses de l'Orbe",
        ObjectiveSpec(
            "3.1",
            "Faire baisser le taux de chômage des 15-24 ans des Terrasses",
            "De {baseline} ({baseline_year}, recensement) à {target} en {target_year}.",
            TERRASSES,
            baseline=41.7,
            baseline_year=2021,
            change=-8.0,
            indicator="DE-04",
        ),
        ActionSpec(
            "3.1.a",
            "Permanences de la Mission locale et de France Travail au centre social des Terrasses",
            "Une journée par semaine, avec un atelier « garde d'enfants et emploi » pour les jeunes mères.",
            "france_travail",
            partners=("mission_locale", "caf"),
            axes=(YOUTH, EQUALITY),
            progress=70,
        ),
    ),
)

VAL_DE_SORNE_FIRST_PLAN_NOTES = (
    "Premier plan d'actions annuel du contrat : les actions engagées sur les orientations validées par le comité de "
    "pilotage, avec les engagements de droit commun des partenaires."
)
VAL_DE_SORNE_NEXT_PLAN_NOTES = (
    "Plan préparé à partir du plan de l'année précédente : les actions non terminées sont reconduites ; deux "
    "actions nouvelles répondent aux avis des conseils citoyens (café des parents, plateforme de mobilité — dont "
    "l'orientation attend la validation du comité de pilotage) ; la vidéoprotection du Pré-Vert est abandonnée."
)

# The Coteaux de l'Orbe's steering committee (a few seats: the co-chairs and the main partners) and the meeting that
# validated its tree and its 2024 plan, two weeks before the signature of the contract.
COTEAUX_COPIL_NAME = "Comité de pilotage du contrat de ville des Coteaux de l'Orbe"
COTEAUX_SEATS: tuple[tuple[str, str, str, str], ...] = (
    ("prefecture", MemberRole.CO_CHAIR, "Claire Vasseur, préfète du Val-de-Sorne", ""),
    ("epci_coteaux_orbe", MemberRole.CO_CHAIR, "Henri Lachaud, président de la communauté", PILOT_COTEAUX),
    ("commune_96101", MemberRole.CO_CHAIR, "Martine Soulier, maire de Bourg-d'Orbe", ""),
    ("prefecture", MemberRole.MEMBER, "Karim Haddad, délégué de l'État pour le contrat de ville", STATE),
    ("departement", MemberRole.MEMBER, "Anne Perret, présidente du conseil départemental", ""),
    ("caf", MemberRole.MEMBER, "Isabelle Renaud, directrice", ""),
    ("france_travail", MemberRole.MEMBER, "Marc Delorme, directeur territorial", ""),
)
COTEAUX_MEETING_TITLE = "Validation des orientations stratégiques et du plan d'actions 2024"
COTEAUX_MEETING_AT = (date(2024, 3, 14), time(14, 30))
COTEAUX_PLAN_YEAR = 2024
COTEAUX_LOCATION = "Mairie de Bourg-d'Orbe, salle des fêtes"


# --- building the tree ------------------------------------------------------------------------------------------


def _objective_fields(spec: ObjectiveSpec, tree: TreeContext, indicators: dict[str, Indicator]) -> ObjectiveFields:
    territory = demo_territory(tree.context, spec.territory)
    indicator = indicators.get(spec.indicator) if spec.indicator else None
    baseline_year = spec.baseline_year or tree.year - 1
    baseline = float(spec.baseline)
    figure = None
    if indicator is not None:
        figure = latest_figure(indicator, territory, tree.contract, until=spec.baseline_year or None)
    if figure is not None:
        baseline_year, baseline = figure[0], round(figure[1], spec.decimals)
    target = baseline * (1 + spec.change) if spec.relative else baseline + spec.change
    target = round(target, spec.decimals)
    target_year = max(tree.contract.end_on.year, baseline_year)
    if spec.relative:
        change = format_value(abs(spec.change) * 100, decimals=0, unit="%")
    elif spec.unit == "%":
        change = f"{format_value(abs(spec.change), decimals=0, unit='')} points"
    else:
        change = format_value(abs(spec.change), decimals=spec.decimals, unit=spec.unit)
    description = spec.description.format(
        baseline=format_value(baseline, decimals=spec.decimals, unit=spec.unit),
        baseline_year=baseline_year,
        target=format_value(target, decimals=spec.decimals, unit=spec.unit),
        target_year=target_year,
        change=change,
    )
    return ObjectiveFields(
        title=spec.title,
        code=spec.code,
        description=description,
        indicator=indicator,
        indicator_text=spec.indicator_text,
        territory=territory,
        baseline_value=baseline,
        baseline_year=baseline_year,
        target_value=target,
        target_year=target_year,
        direction=spec.direction,
        observed_value=spec.observed,
        observed_year=tree.year if spec.observed is not None else None,
    )


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _action_fields(spec: ActionSpec, tree: TreeContext) -> ActionFields:
    organizations = tree.context.organizations
    year = tree.year + (1 if spec.plan == NEXT else 0)
    end_on = _last_day(year, spec.end_month) if spec.end_month else tree.contract.end_on
    # The contract in preparation starts some months before « today »: an action of its first year starts no earlier.
    start_on = max(date(year, spec.start_month, 1), tree.contract.start_on)
    return ActionFields(
        title=spec.title,
        code=spec.code,
        description=spec.description,
        lead_organization=organizations[spec.lead],
        lead_contact=spec.lead_contact,
        lead_email=spec.lead_email,
        partners=[organizations[key] for key in spec.partners],
        qpvs=[demo_territory(tree.context, code) for code in spec.qpvs],
        axes=[tree.axes[code] for code in spec.axes],
        start_on=start_on,
        end_on=max(end_on, start_on),
    )


def _tree_upsert(
    specs: tuple[OrientationSpec, ...], tree: TreeContext, stakes: dict[str, Any]
) -> tuple[dict[str, Orientation], dict[str, Action]]:
    """Orientations, objectives and actions of ``specs``, created once each (looked up by numéro)."""
    contract = tree.contract
    indicators = {item.code: item for item in Indicator.objects.all()}
    orientations = {item.code: item for item in Orientation.objects.filter(contract=contract)}
    objectives = {item.code: item for item in Objective.objects.filter(orientation__contract=contract)}
    actions = {item.code: item for item in Action.objects.filter(objective__orientation__contract=contract)}
    for order, spec in enumerate(specs, start=1):
        orientation = orientations.get(spec.code)
        if orientation is None:
            orientation = orientations[spec.code] = orientation_create(
                contract=contract,
                pillar=tree.pillars[spec.pillar],
                title=spec.title,
                code=spec.code,
                description=spec.description,
                stakes=[stakes[key] for key in spec.stakes],
                order=order * 10,
                by=tree.by,
            )
        for objective_order, objective_spec in enumerate(spec.objectives, start=1):
            objective = objectives.get(objective_spec.code)
            if objective is None:
                objective = objectives[objective_spec.code] = objective_create(
                    orientation=orientation,
                    fields=_objective_fields(objective_spec, tree, indicators),
                    order=objective_order * 10,
                    by=tree.by,
                )
            for action_spec in objective_spec.actions:
                if action_spec.code in actions:
                    continue
                action = action_create(objective=objective, fields=_action_fields(action_spec, tree), by=tree.by)
                if action_spec.status != PLANNED or action_spec.progress:
                    action_set_status(
                        action=action,
                        status=action_spec.status,
                        progress=action_spec.progress,
                        comment="Lancement de l'action.",
                        by=tree.by,
                    )
                actions[action_spec.code] = action
    return orientations, actions


def _action_specs(specs: tuple[OrientationSpec, ...]) -> list[ActionSpec]:
    return [action for spec in specs for objective in spec.objectives for action in objective.actions]


def _validate_tree(
    specs: tuple[OrientationSpec, ...], orientations: dict[str, Orientation], meeting: Meeting, by: User
) -> None:
    for spec in specs:
        if spec.verdict:
            record_decision(meeting, verdict=spec.verdict, text=spec.text, target=orientations[spec.code], by=by)


def _plan_text(year: int) -> str:
    return (
        f"Le comité de pilotage valide le plan d'actions {year}, après la synthèse des propositions des groupes de "
        "travail par le comité technique."
    )


def _tree_context(context: DemoContext, contract: Contract, by: User, year: int) -> TreeContext:
    return TreeContext(
        context=context,
        contract=contract,
        by=by,
        year=year,
        pillars={pillar.code: pillar for pillar in Pillar.objects.filter(contract=contract)},
        axes={axis.code: axis for axis in TransversalAxis.objects.filter(contract=contract)},
    )


# --- contract « val-de-sorne-2024 » -------------------------------------------------------------------------------


def _next_year(first: ActionPlan, actions: dict[str, Action], by: User) -> ActionPlan:
    """The year after the validated plan: progress since, « Préparer le plan de l'année suivante », two new
    actions and one abandoned (done once: only when next year's plan does not exist yet)."""
    specs = _action_specs(VAL_DE_SORNE_TREE)
    for spec in specs:
        if spec.plan == FIRST and spec.later is not None:
            action_set_status(
                action=actions[spec.code],
                status=spec.later.status,
                progress=spec.later.progress,
                comment=spec.later.comment,
                by=by,
            )
    plan = action_plan_prepare_next(plan=first, by=by)
    action_plan_update(plan=plan, notes=VAL_DE_SORNE_NEXT_PLAN_NOTES, by=by)
    for spec in specs:
        if spec.plan == NEXT:
            action_plan_add_action(plan=plan, action=actions[spec.code], by=by)
        if spec.abandoned:
            action_set_status(action=actions[spec.code], status=ActionStatus.ABANDONED, comment=spec.abandoned, by=by)
    return plan


def _val_de_sorne(context: DemoContext) -> tuple[int, int]:
    contract = context.contracts[SLUG_VAL_DE_SORNE]
    pilot = context.users[PILOT]
    meeting = steering_meeting(contract, context)
    plans = list(ActionPlan.objects.filter(contract=contract).order_by("year"))
    if plans:
        year = plans[0].year
    else:
        year = timezone.localtime(meeting.starts_at).year if meeting is not None else context.today.year
    tree = _tree_context(context, contract, pilot, year)
    orientations, actions = _tree_upsert(VAL_DE_SORNE_TREE, tree, stakes_by_key(contract))

    first = plans[0] if plans else None
    if first is None:
        in_first = [actions[spec.code] for spec in _action_specs(VAL_DE_SORNE_TREE) if spec.plan == FIRST]
        first = action_plan_create(
            contract=contract, year=year, actions=in_first, notes=VAL_DE_SORNE_FIRST_PLAN_NOTES, by=pilot
        )
    if meeting is not None:
        _validate_tree(VAL_DE_SORNE_TREE, orientations, meeting, pilot)
        record_decision(meeting, verdict=Verdict.VALIDATED, text=_plan_text(first.year), target=first, by=pilot)
        first.refresh_from_db()
    else:
        context.log("    ⚠ aucune séance passée du comité de pilotage : orientations et plan restent à valider.")
    if not ActionPlan.objects.filter(contract=contract, year=first.year + 1).exists():
        _next_year(first, actions, pilot)
    return first.year, first.year + 1


# --- contract « coteaux-orbe-2024 » -------------------------------------------------------------------------------


def _coteaux_meeting(context: DemoContext, contract: Contract, by: User) -> Meeting:
    """The Coteaux de l'Orbe's steering committee and its meeting of 14 March 2024, held, through governance."""
    body = Body.objects.filter(contract=contract, kind=BodyKind.STEERING_COMMITTEE).first()
    if body is None:
        body = body_create(contract=contract, kind=BodyKind.STEERING_COMMITTEE, name=COTEAUX_COPIL_NAME, by=by)
        for organization, role, person, user in COTEAUX_SEATS:
            body_member_add(
                body=body,
                organization=context.organizations[organization],
                role=role,
                user=context.users[user] if user else None,
                person_name=person,
                by=by,
            )
    meeting = Meeting.objects.filter(body=body, title=COTEAUX_MEETING_TITLE).first()
    if meeting is None:
        day, hour = COTEAUX_MEETING_AT
        starts_at = timezone.make_aware(datetime.combine(day, hour))
        meeting = meeting_schedule(
            body=body,
            title=COTEAUX_MEETING_TITLE,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            location=COTEAUX_LOCATION,
            agenda=(
                ("Les orientations stratégiques du contrat de ville", ""),
                ("Le plan d'actions 2024", ""),
                ("Le calendrier de signature", ""),
            ),
            by=by,
        )
        members = BodyMember.objects.filter(body=body).values_list("pk", flat=True)
        attendance_record(meeting=meeting, entries=dict.fromkeys(members, (AttendanceStatus.PRESENT, "")), by=by)
    return meeting


def _coteaux_orbe(context: DemoContext) -> None:
    contract = context.contracts[SLUG_COTEAUX_ORBE]
    pilot = context.users[PILOT_COTEAUX]
    tree = _tree_context(context, contract, pilot, COTEAUX_PLAN_YEAR)
    orientations, actions = _tree_upsert(COTEAUX_ORBE_TREE, tree, {})
    meeting = _coteaux_meeting(context, contract, pilot)
    _validate_tree(COTEAUX_ORBE_TREE, orientations, meeting, pilot)
    plan = ActionPlan.objects.filter(contract=contract, year=COTEAUX_PLAN_YEAR).first()
    if plan is None:
        plan = action_plan_create(
            contract=contract,
            year=COTEAUX_PLAN_YEAR,
            actions=[actions[spec.code] for spec in _action_specs(COTEAUX_ORBE_TREE)],
            notes="Plan d'actions de la première année du contrat, validé avant sa signature.",
            by=pilot,
        )
    record_decision(meeting, verdict=Verdict.VALIDATED, text=_plan_text(plan.year), target=plan, by=pilot)


def step_strategy(context: DemoContext) -> None:
    """Strategic trees and annual action plans of both demo contracts."""
    catalogue_load()  # the indicators the objectives refer to (idempotent; the observation step loads it too)
    first_year, next_year = _val_de_sorne(context)
    _coteaux_orbe(context)
    context.log(
        f"  arbres stratégiques des deux contrats (dont les trois exemples de la note de cadrage) ; plans d'actions "
        f"{first_year} (validé) et {next_year} (en préparation) du Val de Sorne, 2024 (validé) des Coteaux de l'Orbe"
    )
