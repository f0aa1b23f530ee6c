"""The elaboration processes a contract can follow, as data (seed 004; domain.md §2 and §3.1).

``phase_templates_sync()`` (services) writes them to ``PhaseTemplate``/``PhaseTemplateStep`` rows; a contract
picks one and gets its phases with planned dates shifted to its own launch date. Offsets follow the seed's
calendar: phases 1 to 3 over the autumn (≈ four months), phase 4 over the following two months; the 2024
template follows the 2023-2024 calendar (consultation until end of October, priorities by 31 March).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class StepSpec:
    code: str
    title: str
    description: str
    start_offset_days: int
    duration_days: int


@dataclass(frozen=True)
class TemplateSpec:
    code: str
    name: str
    description: str
    is_default: bool
    steps: tuple[StepSpec, ...]


SEED_2014 = TemplateSpec(
    code="processus-2014",
    name="Processus d'élaboration du contrat de ville (note de cadrage de l'État, 2014)",
    description=(
        "Processus en quatre phases de la note de cadrage : travail interne à l'État et aux collectivités, "
        "constitution des instances, diagnostic participatif et orientations stratégiques validées par le comité "
        "de pilotage, plans d'actions et engagements de droit commun. Phases 1 à 3 à l'automne, phase 4 en fin "
        "d'année et au début de l'année suivante au plus tard."
    ),
    is_default=True,
    steps=(
        StepSpec(
            "1.1",
            "Travail préparatoire à l'État",
            "Mise en place de l'équipe restreinte de l'État (DDT(M), DDETS — ex-DDCS et UD DIRECCTE —, délégués du "
            "préfet) sous l'autorité du préfet ou de son représentant. Mise en place de l'équipe interministérielle "
            "comprenant les services déconcentrés de l'État et les opérateurs publics (France Travail, ARS, CAF).",
            0,
            30,
        ),
        StepSpec(
            "1.2",
            "Travail interne aux collectivités",
            "Clarification des rôles respectifs de l'intercommunalité et des communes. Sur la base du projet de "
            "territoire, constitution du point de vue des collectivités sur la situation des quartiers au sein de "
            "leur intercommunalité et leur vocation à 10-15 ans.",
            0,
            45,
        ),
        StepSpec(
            "2.1",
            "Le comité de pilotage",
            "Mise en place d'un comité de pilotage coprésidé par l'État, l'intercommunalité et les communes, "
            "mobilisant les principaux acteurs : conseil régional, conseil départemental, organismes HLM, chambres "
            "consulaires, Banque des Territoires, organismes de protection sociale, France Travail, les conseils "
            "citoyens. Il pilotera, validera, suivra et évaluera le contrat de ville.",
            30,
            30,
        ),
        StepSpec(
            "2.2",
            "Le comité technique",
            "Mis en place conjointement au comité de pilotage, coanimé par l'État, l'intercommunalité et les "
            "communes, il regroupe les techniciens des membres du comité de pilotage, prépare ses décisions, en "
            "assure le suivi et organise les groupes de travail thématiques.",
            30,
            30,
        ),
        StepSpec(
            "2.3",
            "Les groupes de travail thématiques",
            "Un groupe de travail par pilier (cohésion sociale ; cadre de vie et renouvellement urbain ; "
            "développement économique et emploi), intégrant les trois axes transversaux, constitué pour toute la "
            "durée du contrat : diagnostic, objectifs et plan d'actions actualisé chaque année.",
            45,
            30,
        ),
        StepSpec(
            "2.3.1",
            "Groupe de travail « cohésion sociale »",
            "Peut être coprésidé par le préfet, son représentant ou un chef de service de l'État (DDETS), un membre "
            "de l'intercommunalité et un membre de chaque commune concernée. Objectif prioritaire : réduire la "
            "pauvreté et favoriser l'égalité des chances.",
            45,
            30,
        ),
        StepSpec(
            "2.3.2",
            "Groupe de travail « cadre de vie et renouvellement urbain »",
            "Peut être coprésidé par le préfet, son représentant ou un chef de service de l'État (DDT(M)), un membre "
            "de l'intercommunalité et un membre de chaque commune concernée. Objectif prioritaire : améliorer la vie "
            "quotidienne des habitants (habitat, mobilité, prévention de la délinquance).",
            45,
            30,
        ),
        StepSpec(
            "2.3.3",
            "Groupe de travail « développement économique et emploi »",
            "Coprésidé par le préfet, son représentant ou un chef de service de l'État (DDETS, ex-UT DIRECCTE), un "
            "membre de l'intercommunalité et un membre de chaque commune concernée. Objectif prioritaire : réduire "
            "les écarts de taux d'emploi avec l'agglomération de référence.",
            45,
            30,
        ),
        StepSpec(
            "3",
            "Le diagnostic",
            "Diagnostic territorial participatif de la situation des quartiers prioritaires au sein de "
            "l'intercommunalité (enjeux sociaux, urbains et économiques), par chaque groupe de travail, en "
            "s'appuyant sur le droit commun et en incluant les trois axes transversaux.",
            60,
            60,
        ),
        StepSpec(
            "3.1",
            "Les trois étapes du diagnostic",
            "Recenser les données existantes ; dresser l'état des lieux des handicaps et ressources et prédéterminer "
            "les enjeux en identifiant le droit commun ; mettre ces enjeux en débat avec les conseils citoyens. Les "
            "enjeux sont ensuite redéfinis et traduits en orientations stratégiques soumises au comité de pilotage.",
            60,
            45,
        ),
        StepSpec(
            "3.2",
            "Orientations stratégiques",
            "Le comité technique synthétise et met en cohérence les propositions des trois groupes ; le comité de "
            "pilotage valide les enjeux territoriaux et les orientations stratégiques ; les groupes finalisent les "
            "objectifs et les plans d'actions.",
            105,
            15,
        ),
        StepSpec(
            "4",
            "Plan d'actions et rôle du comité de pilotage",
            "Plans d'actions actualisables annuellement et engagements de droit commun ; mobilisation, si "
            "nécessaire, des crédits spécifiques du programme 147 ; validation des plans par le comité de pilotage "
            "après synthèse du comité technique ; modalités de suivi et d'évaluation ; formalisation et signature "
            "du contrat de ville.",
            120,
            60,
        ),
    ),
)

CALENDAR_2024 = TemplateSpec(
    code="calendrier-2024",
    name="Calendrier des contrats de ville 2024-2030 (Engagements Quartiers 2030)",
    description=(
        "Calendrier de la circulaire du 31 août 2023 : consultation citoyenne jusqu'à fin octobre, négociation des "
        "priorités locales à partir de novembre, contrat et projets de quartier finalisés au 31 mars."
    ),
    is_default=False,
    steps=(
        StepSpec("1.1", "Travail préparatoire à l'État", SEED_2014.steps[0].description, 0, 21),
        StepSpec("1.2", "Travail interne aux collectivités", SEED_2014.steps[1].description, 0, 30),
        StepSpec("2.1", "Le comité de pilotage", SEED_2014.steps[2].description, 14, 30),
        StepSpec("2.2", "Le comité technique", SEED_2014.steps[3].description, 14, 30),
        StepSpec(
            "2.3",
            "Les groupes de travail",
            "Groupes de travail sur les priorités locales (les trois piliers servent de point de départ).",
            21,
            30,
        ),
        StepSpec(
            "3",
            "Consultation citoyenne et diagnostic",
            "Consultation des habitants prolongée jusqu'à fin octobre ; diagnostic des quartiers avec les "
            "conseils citoyens et les autres démarches participatives.",
            30,
            60,
        ),
        StepSpec(
            "3.2",
            "Priorités locales",
            "Négociation, à partir de novembre, de priorités peu nombreuses, recentrées sur les enjeux locaux les "
            "plus prégnants ; validation par le comité de pilotage.",
            90,
            60,
        ),
        StepSpec(
            "4",
            "Contrat et projets de quartier",
            "Engagements concrets et mesurables des signataires, volet participation citoyenne, partie "
            "investissement ; finalisation et signature au plus tard le 31 mars.",
            120,
            90,
        ),
    ),
)

TEMPLATES: tuple[TemplateSpec, ...] = (SEED_2014, CALENDAR_2024)
