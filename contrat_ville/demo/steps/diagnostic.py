"""The participatory diagnostic of the demo contract « val-de-sorne-2024 » (seed 004, phases 3 and 3.1).

For each pillar, the working group's data inventory (the sources an officer would really gather: INSEE census and
Filosofi, France Travail, CAF, DEPP, RPLS, the landlord's registers…), its *état des lieux* (strengths and handicaps of
each QPV or of the whole contract, citing the sources and, when the observation step has loaded them, the indicator
figures), and its stakes with the transversal axes and the *droit commun* of the partners of the demo catalogue.

The stakes are then debated with BOTH conseils citoyens (one consultation; opinions of conseil@ for the Hauts de Sorne
and conseil2@ for the Pré-Vert, with varied verdicts), redefined where the councils asked for it (version 2 with its
reason, the opinions staying on version 1), one duplicate is flagged in the technical committee's synthesis, and the
steering committee decides in its latest past meeting: eight stakes retained, the duplicate rejected, one redefined
stake left for its next meeting (so that « non validé » shows somewhere).

Dates. The steering committee's latest past meeting (« Lancement du diagnostic participatif », 58 days after the
launch of the elaboration in ``steps.governance``) is the reference ``M``: the consultation opens 13 days before it,
opinions come in the following days, the deadline is 2 days before ``M``. Everything moves with the day of the load as
governance's meetings do. Without such a meeting (a ``--today`` in the future), the decisions are left out.

Idempotent: sources and findings are looked up by their text, stakes by the title of their first version, the
consultation by its title, opinions by author and version, decisions by meeting and text; a stake is redefined only
while it is still at version 1. Every write goes through the services of ``diagnostic``, ``participation`` (through
``consultation_opinion_give``) and ``governance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.demo.context import DemoContext
from contrat_ville.demo.users import SLUG_VAL_DE_SORNE
from contrat_ville.diagnostic.enums import ConsultationStatus, FindingKind, StakeStatus
from contrat_ville.diagnostic.models import Consultation, DataSource, Finding, FindingEvidence, Stake
from contrat_ville.diagnostic.selectors.stakes import steering_meetings_for_validation
from contrat_ville.diagnostic.services import (
    consultation_close,
    consultation_create,
    consultation_opinion_give,
    data_source_create,
    finding_create,
    finding_evidence_add,
    stake_create,
    stake_duplicate_set,
    stake_redefine,
)
from contrat_ville.governance.enums import MeetingStatus, Verdict
from contrat_ville.governance.models import Decision, Meeting
from contrat_ville.governance.selectors.decisions import decisions_for
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.selectors import Scope, latest_measured_values
from contrat_ville.observation.services import catalogue_load
from contrat_ville.participation.enums import OpinionVerdict
from contrat_ville.participation.selectors import opinion_of
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory

PILOT = "pilote@exemple.fr"
HAUTS_DE_SORNE = "conseil@exemple.fr"  # Mamadou Diallo, conseil citoyen des Hauts de Sorne
PRE_VERT = "conseil2@exemple.fr"  # Nadia Benali, conseil citoyen du Pré-Vert
COUNCILS = ("conseil_hauts_de_sorne", "conseil_pre_vert")

# The QPVs of the contract (``generator.QPVS``) and its intercommunality.
CENTRE_ANCIEN = "QN09601M"
PRE_VERT_QPV = "QN09602M"
HAUTS_DE_SORNE_QPV = "QN09603N"
EPCI_VAL_DE_SORNE = "200099901"

COHESION = "cohesion_sociale"
CADRE_DE_VIE = "cadre_de_vie"
EMPLOI = "developpement_economique"
EQUALITY = "egalite_femmes_hommes"
YOUTH = "jeunesse"
DISCRIMINATION = "lutte_discriminations"

STRENGTH = FindingKind.STRENGTH
HANDICAP = FindingKind.HANDICAP

AGREE = OpinionVerdict.AGREE
RESERVATIONS = OpinionVerdict.AGREE_WITH_RESERVATIONS
DISAGREE = OpinionVerdict.DISAGREE

# Days relative to the steering committee's meeting ``M``.
CONSULTATION_OPENS = -13
CONSULTATION_DEADLINE = -2

CONSULTATION_TITLE = "Mise en débat des enjeux du diagnostic avec les conseils citoyens"
# A second round, open on the demo's today, so that a council member who logs in has something to give an opinion on.
SECOND_ROUND_TITLE = "Second tour : les enjeux redéfinis après les avis"
SECOND_ROUND_DAYS = 21
SECOND_ROUND_MESSAGE = (
    "Après vos avis, le groupe de travail a redéfini cet enjeu ; avant que le comité de pilotage ne se prononce, "
    "dites-nous si la nouvelle rédaction vous convient."
)
CONSULTATION_MESSAGE = """\
Bonjour,

Les trois groupes de travail thématiques ont dressé l'état des lieux des quartiers et proposent les enjeux \
ci-dessous. Conformément à la note de cadrage, ils sont mis en débat avec les conseils citoyens avant leur \
présentation au comité de pilotage.

Chaque conseil peut en discuter lors de sa soirée de débat à la maison des projets, puis donner son avis en ligne, \
enjeu par enjeu : d'accord, d'accord avec réserves ou pas d'accord, avec un commentaire. Les groupes de travail \
redéfiniront les enjeux au vu de vos avis.

Élise Marchand, directrice de la politique de la ville"""


# --- specifications ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceSpec:
    key: str
    producer: str
    dataset: str
    level: str
    year: int | None
    url: str = ""
    notes: str = ""


@dataclass(frozen=True)
class FindingSpec:
    key: str
    kind: str
    text: str
    qpv: str = ""  # QPV code; "" for the whole contract
    sources: tuple[str, ...] = ()  # SourceSpec keys
    # (indicator code, territory code): cited at the latest year that has a figure, when the observation step ran.
    evidence: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class OpinionSpec:
    author: str  # e-mail of a council member
    verdict: str
    text: str
    day: int  # days after the consultation opened


@dataclass(frozen=True)
class RedefinitionSpec:
    title: str
    description: str
    reason: str
    axes: tuple[str, ...] | None = None  # None: the axes of version 1


@dataclass(frozen=True)
class StakeSpec:
    key: str
    title: str
    description: str
    axes: tuple[str, ...]
    findings: tuple[str, ...]  # FindingSpec keys
    mainstream: tuple[tuple[str, str], ...]  # (organisation key in the catalogue, policy named)
    opinions: tuple[OpinionSpec, ...] = ()
    redefinition: RedefinitionSpec | None = None
    verdict: str = ""  # the steering committee's decision; "" = left for its next meeting
    decision_text: str = ""
    duplicate_of: str = ""  # StakeSpec key


@dataclass(frozen=True)
class PillarDiagnostic:
    pillar: str  # pillar code
    sources: tuple[SourceSpec, ...]
    findings: tuple[FindingSpec, ...]
    stakes: tuple[StakeSpec, ...]


INSEE_STATS = "https://www.insee.fr/fr/statistiques"
SIG_VILLE = "https://sig.ville.gouv.fr"

COHESION_DIAGNOSTIC = PillarDiagnostic(
    COHESION,
    sources=(
        SourceSpec(
            "dnb",
            "Direction des services départementaux de l'Éducation nationale (DEPP)",
            "Résultats au diplôme national du brevet par collège et par quartier de résidence",
            "collège, QPV",
            2024,
            "https://data.education.gouv.fr",
            "Sessions 2019 à 2024 ; taux de réussite des élèves résidant en quartier prioritaire.",
        ),
        SourceSpec(
            "filosofi",
            "Insee",
            "Revenus, pauvreté et niveau de vie (Filosofi)",
            "IRIS, QPV, commune",
            2021,
            INSEE_STATS,
            "Taux de pauvreté au seuil de 60 %, niveau de vie médian ; secret statistique sur les petits IRIS.",
        ),
        SourceSpec(
            "rp_familles",
            "Insee",
            "Couples, familles, ménages (recensement de la population)",
            "IRIS, QPV",
            2022,
            INSEE_STATS,
        ),
        SourceSpec(
            "caf",
            "Caisse d'allocations familiales du Val-de-Sorne",
            "Allocataires, prestations et rendez-vous des droits par quartier prioritaire",
            "QPV",
            2024,
            notes="Extraction transmise par la CAF pour le diagnostic.",
        ),
        SourceSpec(
            "pre",
            "Commune de Sorne-la-Ville",
            "Bilan annuel du programme de réussite éducative",
            "QPV",
            2024,
            notes="Enfants suivis, parcours individualisés, partenaires mobilisés.",
        ),
        SourceSpec(
            "cpam",
            "Caisse primaire d'assurance maladie",
            "Bénéficiaires de la complémentaire santé solidaire",
            "QPV",
            2022,
            SIG_VILLE,
        ),
    ),
    findings=(
        FindingSpec(
            "brevet_hauts",
            HANDICAP,
            "Les collégiens des Hauts de Sorne réussissent moins bien le diplôme national du brevet : leur taux de "
            "réussite reste inférieur d'environ neuf points à celui de l'agglomération, sans rattrapage depuis 2019.",
            qpv=HAUTS_DE_SORNE_QPV,
            sources=("dnb",),
            evidence=(("CS-08", HAUTS_DE_SORNE_QPV), ("CS-08", EPCI_VAL_DE_SORNE)),
        ),
        FindingSpec(
            "pauvrete_pre_vert",
            HANDICAP,
            "Au Pré-Vert, près d'un habitant sur deux vit sous le seuil de pauvreté, trois fois plus que dans "
            "l'agglomération ; les familles monoparentales y sont presque deux fois plus nombreuses.",
            qpv=PRE_VERT_QPV,
            sources=("filosofi", "rp_familles"),
            evidence=(("CS-02", PRE_VERT_QPV), ("CS-02", EPCI_VAL_DE_SORNE), ("CTX-05", PRE_VERT_QPV)),
        ),
        FindingSpec(
            "pre_hauts",
            STRENGTH,
            "Le programme de réussite éducative suit chaque année plus de cent enfants des Hauts de Sorne et "
            "s'appuie sur un réseau associatif actif (centres sociaux, accompagnement à la scolarité).",
            qpv=HAUTS_DE_SORNE_QPV,
            sources=("pre",),
            evidence=(("CS-13", HAUTS_DE_SORNE_QPV),),
        ),
        FindingSpec(
            "non_recours",
            HANDICAP,
            "Dans les trois quartiers, les familles monoparentales renoncent souvent à leurs droits (prestations, "
            "complémentaire santé solidaire) faute d'accompagnement dans les démarches en ligne.",
            sources=("caf", "cpam"),
            evidence=(("CS-07", HAUTS_DE_SORNE_QPV), ("CS-07", EPCI_VAL_DE_SORNE)),
        ),
        FindingSpec(
            "medecins_centre",
            HANDICAP,
            "Dans le centre ancien - Saint-Éloi, deux médecins généralistes sur trois partiront à la retraite d'ici "
            "trois ans et aucun remplaçant n'est annoncé.",
            qpv=CENTRE_ANCIEN,
            sources=("cpam",),
        ),
        FindingSpec(
            "centres_sociaux",
            STRENGTH,
            "Les deux centres sociaux et la maison des projets sont bien identifiés des habitants et accueillent "
            "déjà des permanences de la CAF et du Département.",
            sources=("caf",),
        ),
    ),
    stakes=(
        StakeSpec(
            "reussite",
            "La réussite scolaire des collégiens des quartiers prioritaires",
            "Réduire l'écart de réussite au brevet entre les collégiens des quartiers et ceux de l'agglomération, en "
            "mobilisant d'abord les moyens de l'éducation prioritaire et le programme de réussite éducative.",
            (YOUTH, EQUALITY),
            ("brevet_hauts", "pre_hauts"),
            (
                ("dasen", "Réseau d'éducation prioritaire (REP) et dispositif « Devoirs faits »"),
                ("commune_96001", "Programme de réussite éducative de Sorne-la-Ville"),
                ("caf", "Contrats locaux d'accompagnement à la scolarité (CLAS)"),
            ),
            opinions=(
                OpinionSpec(
                    HAUTS_DE_SORNE,
                    RESERVATIONS,
                    "D'accord sur le fond, mais on ne parle pas des parents. Beaucoup de parents du quartier ne "
                    "maîtrisent pas bien le français et n'osent pas aller au collège : il faut les associer.",
                    3,
                ),
                OpinionSpec(
                    PRE_VERT,
                    AGREE,
                    "C'est la priorité des familles du Pré-Vert. Pensez aussi aux élèves qui prennent le bus pour le "
                    "collège Jean-Moulin.",
                    6,
                ),
            ),
            redefinition=RedefinitionSpec(
                "La réussite scolaire des collégiens des quartiers prioritaires, avec leurs parents",
                "Réduire l'écart de réussite au brevet entre les collégiens des quartiers et ceux de l'agglomération, "
                "en mobilisant les moyens de l'éducation prioritaire et le programme de réussite éducative, et en "
                "associant les parents (accueil au collège, ateliers de français, café des parents).",
                "Avis du conseil citoyen des Hauts de Sorne : associer les parents, notamment ceux qui maîtrisent mal "
                "le français.",
            ),
            verdict=Verdict.VALIDATED,
            decision_text="Le comité de pilotage retient l'enjeu de la réussite scolaire des collégiens des "
            "quartiers, avec leurs parents.",
        ),
        StakeSpec(
            "droits",
            "L'accès aux droits des habitants des quartiers",
            "Faire reculer le non-recours aux prestations et à la complémentaire santé solidaire, en allant vers les "
            "familles et en accompagnant les démarches en ligne.",
            (DISCRIMINATION, EQUALITY),
            ("non_recours", "centres_sociaux"),
            (
                ("caf", "Rendez-vous des droits et accompagnement au numérique"),
                ("departement", "Maisons départementales des solidarités"),
                ("prefecture", "Labellisation des espaces France services"),
            ),
            opinions=(
                OpinionSpec(
                    HAUTS_DE_SORNE,
                    AGREE,
                    "Oui. Les permanences au centre social marchent bien quand elles sont annoncées à l'avance.",
                    2,
                ),
                OpinionSpec(PRE_VERT, AGREE, "", 7),
            ),
            verdict=Verdict.VALIDATED,
            decision_text="Le comité de pilotage retient l'enjeu de l'accès aux droits des habitants des quartiers.",
        ),
        StakeSpec(
            "sante",
            "La prévention santé dans les quartiers",
            "Développer les actions de prévention (nutrition, santé mentale, dépistages) avec le contrat local de "
            "santé.",
            (EQUALITY,),
            ("medecins_centre",),
            (
                ("ars", "Contrat local de santé et atelier santé ville"),
                ("commune_96001", "Service communal d'hygiène et de santé"),
            ),
            opinions=(
                OpinionSpec(
                    PRE_VERT,
                    DISAGREE,
                    "Pas d'accord tel quel : la prévention c'est bien, mais le vrai problème c'est qu'on ne trouve "
                    "plus de médecin traitant. Des familles vont aux urgences pour une angine.",
                    4,
                ),
                OpinionSpec(
                    HAUTS_DE_SORNE,
                    RESERVATIONS,
                    "Il faut parler de l'accès aux médecins, pas seulement de prévention.",
                    8,
                ),
            ),
            redefinition=RedefinitionSpec(
                "L'accès aux soins de premier recours et la prévention santé dans les quartiers",
                "Maintenir une offre de médecine générale de proximité (maison de santé, centre de santé) et "
                "développer les actions de prévention avec le contrat local de santé.",
                "Avis des deux conseils citoyens : l'accès à un médecin traitant passe avant la prévention.",
            ),
            verdict=Verdict.VALIDATED,
            decision_text="Le comité de pilotage retient l'enjeu de l'accès aux soins de premier recours et de la "
            "prévention santé.",
        ),
    ),
)

CADRE_DE_VIE_DIAGNOSTIC = PillarDiagnostic(
    CADRE_DE_VIE,
    sources=(
        SourceSpec(
            "rpls",
            "Service des données et études statistiques (SDES)",
            "Répertoire des logements locatifs des bailleurs sociaux (RPLS)",
            "QPV, commune",
            2024,
            "https://www.statistiques.developpement-durable.gouv.fr",
        ),
        SourceSpec(
            "incivilites",
            "Sorne Habitat",
            "Registre des incivilités et des réclamations des locataires",
            "résidence",
            2025,
            notes="Dégradations, regroupements, encombrants, pannes d'ascenseur, par hall.",
        ),
        SourceSpec(
            "rp_logement",
            "Insee",
            "Logement (recensement de la population, bases infracommunales)",
            "IRIS, QPV",
            2022,
            INSEE_STATS,
        ),
        SourceSpec(
            "delinquance",
            "Direction départementale de la police nationale du Val-de-Sorne",
            "Faits de délinquance enregistrés et mains courantes",
            "commune, secteur",
            2024,
        ),
        SourceSpec(
            "gusp",
            "Communauté d'agglomération du Val de Sorne",
            "Comptes rendus des diagnostics en marchant (gestion urbaine et sociale de proximité)",
            "QPV",
            2025,
        ),
    ),
    findings=(
        FindingSpec(
            "halls_hauts",
            HANDICAP,
            "Aux Hauts de Sorne, les halls des tours de l'allée des Tilleuls concentrent l'essentiel des incivilités "
            "signalées au bailleur : dégradations, regroupements nocturnes, sentiment d'insécurité des locataires.",
            qpv=HAUTS_DE_SORNE_QPV,
            sources=("incivilites", "delinquance"),
        ),
        FindingSpec(
            "logements_pre_vert",
            HANDICAP,
            "Le parc social du Pré-Vert, construit entre 1968 et 1974, n'a jamais été réhabilité : logements "
            "énergivores, humidité, ascenseurs souvent en panne.",
            qpv=PRE_VERT_QPV,
            sources=("rpls", "gusp"),
            evidence=(("CV-01", PRE_VERT_QPV),),
        ),
        FindingSpec(
            "parc_pre_vert",
            STRENGTH,
            "Le parc du Pré-Vert et ses jardins partagés sont très fréquentés ; l'association des jardiniers est un "
            "relais reconnu auprès des familles.",
            qpv=PRE_VERT_QPV,
            sources=("gusp",),
        ),
        FindingSpec(
            "centre_ancien_bati",
            HANDICAP,
            "Dans le centre ancien - Saint-Éloi, des immeubles privés dégradés sont loués à des familles en situation "
            "de suroccupation.",
            qpv=CENTRE_ANCIEN,
            sources=("rp_logement",),
        ),
        FindingSpec(
            "desserte",
            STRENGTH,
            "Les trois quartiers sont desservis par le réseau de bus communautaire et à moins de quinze minutes du "
            "centre-ville.",
            sources=("gusp",),
        ),
    ),
    stakes=(
        StakeSpec(
            "tranquillite",
            "La tranquillité publique dans les halls et aux abords des immeubles",
            "Faire reculer les incivilités dans les parties communes par la présence humaine, la médiation et la "
            "coordination entre le bailleur, la police et les communes.",
            (YOUTH,),
            ("halls_hauts",),
            (
                ("ddpn", "Police de sécurité du quotidien et groupe de partenariat opérationnel"),
                ("sorne_habitat", "Abattement de TFPB : renforcement du gardiennage et de la médiation"),
                ("commune_96001", "Conseil local de sécurité et de prévention de la délinquance (CLSPD)"),
            ),
            opinions=(
                OpinionSpec(
                    HAUTS_DE_SORNE,
                    RESERVATIONS,
                    "Des médiateurs, oui, mais présents le soir et le week-end : c'est là que ça se passe. En "
                    "journée, tout le monde est au travail.",
                    1,
                ),
                OpinionSpec(
                    PRE_VERT,
                    RESERVATIONS,
                    "Nous ne voulons pas seulement des caméras, nous voulons des gens. Et des halls éclairés.",
                    5,
                ),
            ),
            redefinition=RedefinitionSpec(
                "La tranquillité publique dans les halls, le soir et le week-end, par une présence humaine",
                "Faire reculer les incivilités dans les parties communes par une présence humaine le soir et le "
                "week-end (correspondants de nuit, médiateurs), la médiation et la coordination entre le bailleur, "
                "la police et les communes.",
                "Avis des deux conseils citoyens : une présence humaine en soirée et le week-end plutôt que la seule "
                "vidéoprotection.",
            ),
            verdict=Verdict.VALIDATED,
            decision_text="Le comité de pilotage retient l'enjeu de la tranquillité publique dans les halls, le soir "
            "et le week-end.",
        ),
        StakeSpec(
            "gusp",
            "La gestion urbaine de proximité et la propreté des espaces extérieurs",
            "Organiser avec les habitants l'entretien des espaces extérieurs, l'enlèvement des encombrants et les "
            "petits travaux d'amélioration.",
            (),
            ("parc_pre_vert",),
            (
                ("sorne_habitat", "Convention d'abattement de TFPB : gestion urbaine de proximité"),
                ("epci_val_de_sorne", "Collecte des déchets et des encombrants"),
                ("commune_96002", "Services techniques municipaux"),
            ),
            opinions=(
                OpinionSpec(
                    HAUTS_DE_SORNE, AGREE, "Les diagnostics en marchant sont utiles, à refaire chaque année.", 2
                ),
                OpinionSpec(PRE_VERT, AGREE, "", 6),
            ),
            verdict=Verdict.VALIDATED,
            decision_text="Le comité de pilotage retient l'enjeu de la gestion urbaine de proximité.",
        ),
        StakeSpec(
            "rehabilitation",
            "La réhabilitation des logements sociaux du Pré-Vert",
            "Engager la réhabilitation thermique des 420 logements du Pré-Vert et la remise à niveau des ascenseurs.",
            (),
            ("logements_pre_vert",),
            (
                ("sorne_habitat", "Plan stratégique de patrimoine"),
                ("ddt", "Aides à la pierre et programmation du logement social"),
                ("banque_des_territoires", "Éco-prêt logement social"),
            ),
            opinions=(
                OpinionSpec(
                    PRE_VERT,
                    AGREE,
                    "Enfin ! Les locataires attendent depuis des années. Il faudra nous tenir informés du calendrier "
                    "des travaux, immeuble par immeuble.",
                    3,
                ),
            ),
            verdict=Verdict.VALIDATED,
            decision_text="Le comité de pilotage retient l'enjeu de la réhabilitation des logements sociaux du "
            "Pré-Vert.",
        ),
        StakeSpec(
            "services_publics",
            "L'accès aux services publics de proximité",
            "Maintenir et faire connaître les services publics présents dans les quartiers (France services, mairie "
            "annexe, permanences).",
            (DISCRIMINATION,),
            ("centres_sociaux",),
            (("commune_96002", "Espace France services de Saint-Aubin-sur-Sorne"),),
            opinions=(OpinionSpec(HAUTS_DE_SORNE, AGREE, "La mairie annexe doit rester ouverte le samedi matin.", 4),),
            verdict=Verdict.REJECTED,
            decision_text="Le comité de pilotage écarte l'enjeu de l'accès aux services publics de proximité, doublon "
            "de l'enjeu de l'accès aux droits qu'il retient (synthèse du comité technique).",
            duplicate_of="droits",
        ),
    ),
)

EMPLOI_DIAGNOSTIC = PillarDiagnostic(
    EMPLOI,
    sources=(
        SourceSpec(
            "rp_activite",
            "Insee",
            "Activité des résidents (recensement de la population, bases infracommunales)",
            "IRIS, QPV",
            2022,
            INSEE_STATS,
            "Taux d'emploi, de chômage et d'activité par sexe et par âge.",
        ),
        SourceSpec(
            "stmt",
            "France Travail Val-de-Sorne",
            "Demandeurs d'emploi inscrits par quartier prioritaire (STMT)",
            "QPV",
            2024,
            "https://statistiques.francetravail.org",
        ),
        SourceSpec(
            "bmo",
            "France Travail Val-de-Sorne",
            "Enquête « Besoins en main-d'œuvre »",
            "bassin d'emploi",
            2025,
            "https://statistiques.francetravail.org",
        ),
        SourceSpec(
            "mission_locale",
            "Mission locale du Val de Sorne",
            "Jeunes accompagnés et entrées en contrat d'engagement jeune",
            "QPV",
            2024,
        ),
        SourceSpec("sirene", "Insee", "Créations d'entreprises (répertoire Sirene)", "commune", 2024, INSEE_STATS),
        SourceSpec(
            "accueil_jeune_enfant",
            "Caisse d'allocations familiales du Val-de-Sorne",
            "Offre d'accueil du jeune enfant (crèches, assistantes maternelles)",
            "commune",
            2024,
        ),
    ),
    findings=(
        FindingSpec(
            "chomage_hauts",
            HANDICAP,
            "Aux Hauts de Sorne, le chômage touche près de trois fois plus d'actifs que dans l'agglomération, et plus "
            "de quatre jeunes actifs sur dix.",
            qpv=HAUTS_DE_SORNE_QPV,
            sources=("rp_activite",),
            evidence=(("DE-03", HAUTS_DE_SORNE_QPV), ("DE-03", EPCI_VAL_DE_SORNE), ("DE-04", HAUTS_DE_SORNE_QPV)),
        ),
        FindingSpec(
            "femmes",
            HANDICAP,
            "Dans les trois quartiers, les femmes sont plus souvent au chômage que les hommes et leur taux d'emploi "
            "reste très en deçà de celui de l'agglomération ; le manque de places d'accueil du jeune enfant freine le "
            "retour à l'emploi des mères.",
            sources=("rp_activite", "accueil_jeune_enfant"),
            evidence=(
                ("DE-03F", HAUTS_DE_SORNE_QPV),
                ("DE-03H", HAUTS_DE_SORNE_QPV),
                ("DE-01F", PRE_VERT_QPV),
                ("DE-01F", EPCI_VAL_DE_SORNE),
            ),
        ),
        FindingSpec(
            "longue_duree",
            HANDICAP,
            "Un demandeur d'emploi sur deux des quartiers est inscrit depuis plus d'un an.",
            sources=("stmt",),
            evidence=(("DE-07", PRE_VERT_QPV), ("DE-07", HAUTS_DE_SORNE_QPV)),
        ),
        FindingSpec(
            "zone_activite",
            STRENGTH,
            "La zone d'activité des Grands Prés, à trois kilomètres du Pré-Vert, recrute (logistique, industrie "
            "agroalimentaire) ; les entreprises y signalent des postes non pourvus.",
            qpv=PRE_VERT_QPV,
            sources=("bmo",),
        ),
        FindingSpec(
            "commerces_centre",
            STRENGTH,
            "Le centre ancien - Saint-Éloi garde un tissu de commerces de proximité et d'artisans, et plusieurs "
            "habitants portent des projets de création d'activité.",
            qpv=CENTRE_ANCIEN,
            sources=("sirene",),
        ),
    ),
    stakes=(
        StakeSpec(
            "insertion_jeunes",
            "L'insertion professionnelle des jeunes des quartiers, en particulier des jeunes femmes",
            "Repérer et accompagner vers l'emploi les jeunes des quartiers, notamment les jeunes femmes, avec les "
            "dispositifs de droit commun du service public de l'emploi.",
            (YOUTH, EQUALITY, DISCRIMINATION),
            ("chomage_hauts", "femmes"),
            (
                ("france_travail", "Accompagnement intensif des jeunes"),
                ("mission_locale", "Contrat d'engagement jeune"),
                ("region", "Formations du programme régional de formation"),
                ("ddets", "Parcours emploi compétences"),
            ),
            opinions=(
                OpinionSpec(
                    HAUTS_DE_SORNE,
                    AGREE,
                    "D'accord. Beaucoup de jeunes ne connaissent pas la Mission locale : il faut aller les chercher "
                    "en bas des immeubles.",
                    2,
                ),
                OpinionSpec(
                    PRE_VERT,
                    RESERVATIONS,
                    "Les jeunes femmes ne peuvent pas chercher du travail sans solution de garde pour leurs enfants. "
                    "Ce n'est pas écrit.",
                    5,
                ),
            ),
            redefinition=RedefinitionSpec(
                "L'insertion professionnelle des jeunes des quartiers, en particulier des jeunes femmes, avec des "
                "solutions de garde d'enfants",
                "Repérer et accompagner vers l'emploi les jeunes des quartiers, notamment les jeunes femmes, avec les "
                "dispositifs de droit commun du service public de l'emploi, et lever le frein de la garde des jeunes "
                "enfants.",
                "Avis du conseil citoyen du Pré-Vert : la garde des jeunes enfants conditionne l'emploi des jeunes "
                "mères.",
            ),
            verdict=Verdict.VALIDATED,
            decision_text="Le comité de pilotage retient l'enjeu de l'insertion professionnelle des jeunes des "
            "quartiers, en particulier des jeunes femmes.",
        ),
        StakeSpec(
            "creation",
            "La création d'activité et le commerce de proximité",
            "Accompagner les habitants qui créent leur activité et maintenir les commerces de proximité.",
            (EQUALITY,),
            ("commerces_centre",),
            (
                ("cci", "Accompagnement à la création et à la reprise d'entreprise"),
                ("banque_des_territoires", "Programme « Entrepreneuriat Quartiers 2030 »"),
                ("epci_val_de_sorne", "Pépinière d'entreprises communautaire"),
            ),
            opinions=(
                OpinionSpec(HAUTS_DE_SORNE, AGREE, "", 3),
                OpinionSpec(
                    PRE_VERT,
                    AGREE,
                    "Il y a beaucoup de talents dans le quartier, notamment des femmes qui cuisinent ou cousent.",
                    7,
                ),
            ),
            verdict=Verdict.VALIDATED,
            decision_text="Le comité de pilotage retient l'enjeu de la création d'activité et du commerce de "
            "proximité.",
        ),
        StakeSpec(
            "mobilite",
            "La mobilité des demandeurs d'emploi vers les zones d'activité",
            "Faciliter l'accès des demandeurs d'emploi des quartiers aux zones d'activité de l'agglomération.",
            (YOUTH,),
            ("zone_activite", "longue_duree"),
            (
                ("region", "Transport régional et aides à la mobilité"),
                ("france_travail", "Aides à la mobilité (permis de conduire, frais de déplacement)"),
                ("epci_val_de_sorne", "Réseau de bus communautaire"),
            ),
            opinions=(
                OpinionSpec(
                    HAUTS_DE_SORNE,
                    DISAGREE,
                    "Pas d'accord avec cette formulation trop vague : le bus 7 s'arrête à 20 h et ne passe pas le "
                    "dimanche, alors que les postes de la logistique commencent à 5 h du matin.",
                    1,
                ),
                OpinionSpec(
                    PRE_VERT,
                    RESERVATIONS,
                    "Le permis de conduire coûte trop cher pour les jeunes du quartier.",
                    9,
                ),
            ),
            redefinition=RedefinitionSpec(
                "La mobilité vers l'emploi : horaires de bus, permis de conduire et deux-roues",
                "Adapter les horaires du réseau de bus aux postes en horaires décalés des zones d'activité, aider au "
                "permis de conduire et développer la location de deux-roues pour les demandeurs d'emploi des "
                "quartiers.",
                "Avis des deux conseils citoyens : horaires de bus inadaptés aux postes du matin, coût du permis.",
            ),
            # Left for the steering committee's next meeting: the orientation drawn from it is not validated yet.
        ),
    ),
)

DIAGNOSTICS: tuple[PillarDiagnostic, ...] = (COHESION_DIAGNOSTIC, CADRE_DE_VIE_DIAGNOSTIC, EMPLOI_DIAGNOSTIC)
STAKES: dict[str, StakeSpec] = {stake.key: stake for diagnostic in DIAGNOSTICS for stake in diagnostic.stakes}


# --- helpers shared with the strategy step ----------------------------------------------------------------------


def steering_meeting(contract: Contract, context: DemoContext) -> Meeting | None:
    """The steering committee's latest meeting held before the demo's « today »: where the demo records its
    validations (the meetings governance convenes after « today » may be past in real time: they are not held)."""
    meetings = steering_meetings_for_validation(contract=contract).filter(status=MeetingStatus.HELD)
    for meeting in meetings:
        if timezone.localtime(meeting.starts_at).date() <= context.today:
            return meeting
    return None


def reference_date(contract: Contract, context: DemoContext) -> date:
    """The day of that meeting (``M``), or the day of the load when the committee has not met yet."""
    meeting = steering_meeting(contract, context)
    return timezone.localtime(meeting.starts_at).date() if meeting is not None else context.today


def stakes_by_key(contract: Contract) -> dict[str, Stake]:
    """The contract's demo stakes, by ``StakeSpec.key`` (looked up by the title of their first version)."""
    titles = {spec.title: key for key, spec in STAKES.items()}
    stakes = Stake.objects.filter(contract=contract, versions__number=1, versions__title__in=list(titles)).distinct()
    result: dict[str, Stake] = {}
    for stake in stakes.prefetch_related("versions"):
        first = next(version for version in stake.versions.all() if version.number == 1)
        result[titles[first.title]] = stake
    return result


def latest_figure(
    indicator: Indicator, territory: Territory, contract: Contract, *, until: int | None = None
) -> tuple[int, float] | None:
    """The latest (year, value) of an indicator on a territory that the contract's members see, if any (up to the
    year ``until`` when given): observation's ``latest_measured_values``."""
    key = (indicator.pk, territory.pk)
    found = latest_measured_values(pairs=[key], scope=Scope(contract=contract), until=until).get(key)
    return (found[1], found[0]) if found is not None else None


def demo_territory(context: DemoContext, code: str) -> Territory:
    kind = TerritoryKind.EPCI if code.isdigit() else TerritoryKind.QPV
    return context.territory_of(kind, code)


# --- the step -----------------------------------------------------------------------------------------------------


def _sources(spec: PillarDiagnostic, contract: Contract, pillar: Pillar, pilot: User) -> dict[str, DataSource]:
    sources = {}
    for source in spec.sources:
        existing = DataSource.objects.filter(
            contract=contract, pillar=pillar, producer=source.producer, dataset=source.dataset
        ).first()
        sources[source.key] = existing or data_source_create(
            contract=contract,
            pillar=pillar,
            producer=source.producer,
            dataset=source.dataset,
            level=source.level,
            year=source.year,
            url=source.url,
            notes=source.notes,
            by=pilot,
        )
    return sources


def _evidence(finding: Finding, spec: FindingSpec, context: DemoContext, contract: Contract, pilot: User) -> None:
    if not spec.evidence:
        return
    indicators = {item.code: item for item in Indicator.objects.filter(code__in=[code for code, _ in spec.evidence])}
    cited = set(FindingEvidence.objects.filter(finding=finding).values_list("indicator_id", "territory_id", "period"))
    for code, territory_code in spec.evidence:
        indicator = indicators.get(code)
        if indicator is None:
            continue
        territory = demo_territory(context, territory_code)
        figure = latest_figure(indicator, territory, contract)
        if figure is None or (indicator.pk, territory.pk, figure[0]) in cited:
            continue
        finding_evidence_add(finding=finding, indicator=indicator, territory=territory, period=figure[0], by=pilot)


def _findings(
    spec: PillarDiagnostic,
    contract: Contract,
    pillar: Pillar,
    sources: dict[str, DataSource],
    context: DemoContext,
    pilot: User,
) -> dict[str, Finding]:
    findings = {}
    for item in spec.findings:
        finding = Finding.objects.filter(contract=contract, pillar=pillar, text=item.text).first()
        if finding is None:
            finding = finding_create(
                contract=contract,
                pillar=pillar,
                territory=demo_territory(context, item.qpv) if item.qpv else None,
                kind=item.kind,
                text=item.text,
                data_sources=[sources[key] for key in item.sources],
                by=pilot,
            )
        _evidence(finding, item, context, contract, pilot)
        findings[item.key] = finding
    return findings


def _stakes(
    spec: PillarDiagnostic,
    contract: Contract,
    pillar: Pillar,
    findings: dict[str, Finding],
    existing: dict[str, Stake],
    context: DemoContext,
    pilot: User,
) -> None:
    axes = {axis.code: axis for axis in TransversalAxis.objects.filter(contract=contract)}
    for item in spec.stakes:
        if item.key in existing:
            continue
        existing[item.key] = stake_create(
            contract=contract,
            pillar=pillar,
            title=item.title,
            description=item.description,
            axes=[axes[code] for code in item.axes],
            findings=[findings[key] for key in item.findings],
            mainstream=[(context.organizations[key], policy) for key, policy in item.mainstream],
            by=pilot,
        )


def _consultation(contract: Contract, stakes: dict[str, Stake], context: DemoContext, opens_on: date) -> Consultation:
    consultation = Consultation.objects.filter(contract=contract, title=CONSULTATION_TITLE).first()
    if consultation is not None:
        return consultation
    return consultation_create(
        contract=contract,
        title=CONSULTATION_TITLE,
        deadline=opens_on + timedelta(days=CONSULTATION_DEADLINE - CONSULTATION_OPENS),
        councils=[context.organizations[key] for key in COUNCILS],
        stakes=[stakes[key] for key in STAKES],
        message=CONSULTATION_MESSAGE,
        by=context.users[PILOT],
        today=opens_on,
    )


def _opinions(consultation: Consultation, stakes: dict[str, Stake], context: DemoContext, opens_on: date) -> None:
    versions = {version.stake_id: version for version in consultation.stake_versions.all()}
    for key, spec in STAKES.items():
        version = versions.get(stakes[key].pk)
        if version is None:
            continue
        for opinion in spec.opinions:
            author = context.users[opinion.author]
            if opinion_of(target=version, author=author) is not None:
                continue
            consultation_opinion_give(
                consultation=consultation,
                version=version,
                author=author,
                verdict=opinion.verdict,
                text=opinion.text,
                today=opens_on + timedelta(days=opinion.day),
            )


def _redefinitions(stakes: dict[str, Stake], contract: Contract, pilot: User) -> None:
    axes = {axis.code: axis for axis in TransversalAxis.objects.filter(contract=contract)}
    for key, spec in STAKES.items():
        stake = stakes[key]
        redefinition = spec.redefinition
        if redefinition is None or stake.version != 1 or stake.status != StakeStatus.SUBMITTED:
            continue
        codes = redefinition.axes if redefinition.axes is not None else spec.axes
        stake_redefine(
            stake=stake,
            title=redefinition.title,
            description=redefinition.description,
            axes=[axes[code] for code in codes],
            reason=redefinition.reason,
            by=pilot,
        )


def _duplicates(stakes: dict[str, Stake], pilot: User) -> None:
    for key, spec in STAKES.items():
        stake = stakes[key]
        wanted = stakes[spec.duplicate_of] if spec.duplicate_of else None
        if stake.duplicate_of_id != (wanted.pk if wanted else None):
            stake_duplicate_set(stake=stake, duplicate_of=wanted, by=pilot)


def _second_round(contract: Contract, context: DemoContext) -> Consultation | None:
    """Submit again, until three weeks after the demo's today, the redefined stakes the COPIL has not decided on."""
    existing = Consultation.objects.filter(contract=contract, title=SECOND_ROUND_TITLE).first()
    if existing is not None:
        return existing
    waiting = [
        stake
        for stake in Stake.objects.filter(contract=contract, status=StakeStatus.REDEFINED).order_by("pk")
        if not decisions_for(stake).exists()
    ]
    if not waiting:
        return None
    return consultation_create(
        contract=contract,
        title=SECOND_ROUND_TITLE,
        deadline=context.today + timedelta(days=SECOND_ROUND_DAYS),
        councils=[context.organizations[key] for key in COUNCILS],
        stakes=waiting,
        message=SECOND_ROUND_MESSAGE,
        by=context.users[PILOT],
        today=context.today,
    )


def record_decision(meeting: Meeting, *, verdict: str, text: str, target: object, by: User) -> None:
    """A decision of ``meeting`` on ``target``, recorded once (looked up by its text)."""
    if Decision.objects.filter(meeting=meeting, text=text).exists():
        return
    decision_record(meeting=meeting, verdict=verdict, text=text, target=target, is_published=True, by=by)  # type: ignore[arg-type]


def step_diagnostic(context: DemoContext) -> None:
    """Inventory, findings, stakes, their debate with both conseils citoyens and the steering committee's choices."""
    contract = context.contracts[SLUG_VAL_DE_SORNE]
    pilot = context.users[PILOT]
    catalogue_load()  # the indicators the findings cite (idempotent; the observation step loads it too)
    pillars = {pillar.code: pillar for pillar in Pillar.objects.filter(contract=contract)}
    findings: dict[str, Finding] = {}  # a stake may cite a finding of another pillar's group
    for spec in DIAGNOSTICS:
        pillar = pillars[spec.pillar]
        sources = _sources(spec, contract, pillar, pilot)
        findings.update(_findings(spec, contract, pillar, sources, context, pilot))
    stakes = stakes_by_key(contract)
    for spec in DIAGNOSTICS:
        _stakes(spec, contract, pillars[spec.pillar], findings, stakes, context, pilot)

    meeting = steering_meeting(contract, context)
    opens_on = reference_date(contract, context) + timedelta(days=CONSULTATION_OPENS)
    consultation = _consultation(contract, stakes, context, opens_on)
    _opinions(consultation, stakes, context, opens_on)
    if consultation.status == ConsultationStatus.OPEN:
        consultation_close(consultation=consultation, by=pilot)
    for stake in stakes.values():
        stake.refresh_from_db()
    _redefinitions(stakes, contract, pilot)
    _duplicates(stakes, pilot)

    if meeting is None:
        context.log("    ⚠ aucune séance passée du comité de pilotage : les enjeux restent à valider.")
    else:
        for key, stake_spec in STAKES.items():
            if stake_spec.verdict:
                record_decision(
                    meeting, verdict=stake_spec.verdict, text=stake_spec.decision_text, target=stakes[key], by=pilot
                )
    second_round = _second_round(contract, context)
    counts = [(len(spec.sources), len(spec.findings), len(spec.stakes)) for spec in DIAGNOSTICS]
    context.log(
        f"  {sum(c[0] for c in counts)} sources, {sum(c[1] for c in counts)} constats, {sum(c[2] for c in counts)} "
        f"enjeux ; consultation des deux conseils citoyens ({consultation.deadline:%d/%m/%Y}) ; "
        f"{sum(1 for spec in STAKES.values() if spec.verdict == Verdict.VALIDATED)} enjeux retenus"
        + (f" ; second tour ouvert jusqu'au {second_round.deadline:%d/%m/%Y}" if second_round else "")
    )
