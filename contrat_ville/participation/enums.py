from django.db import models

from contrat_ville.contracts.enums import Generation


class OpinionVerdict(models.TextChoices):
    AGREE = "agree", "d'accord"
    AGREE_WITH_RESERVATIONS = "agree_with_reservations", "d'accord avec réserves"
    DISAGREE = "disagree", "pas d'accord"


# An opinion with reservations or a disagreement says why (the working group redefines the stake from it).
COMMENT_REQUIRED_VERDICTS = frozenset({OpinionVerdict.AGREE_WITH_RESERVATIONS, OpinionVerdict.DISAGREE})


class LegalForm(models.TextChoices):
    """How a conseil citoyen is constituted (domain.md §6.1: « association loi 1901 » or an unincorporated group
    hosted by a *structure porteuse*)."""

    ASSOCIATION = "association", "association loi 1901"
    COLLECTIVE = "collective", "collectif informel (non constitué)"
    HOSTED = "hosted", "collectif porté par une structure porteuse"


class CouncilStatus(models.TextChoices):
    ACTIVE = "active", "actif"
    DORMANT = "dormant", "en sommeil"
    RENEWED = "renewed", "renouvelé"


class FacilitatorKind(models.TextChoices):
    """Who facilitates the council (domain.md §6.3, « animation »)."""

    SELF_RUN = "self_run", "le conseil lui-même (auto-animation)"
    HOST_STRUCTURE = "host_structure", "la structure porteuse"
    LOCAL_AUTHORITY = "local_authority", "la collectivité"
    STATE = "state", "l'État (délégué du préfet)"
    CONSULTANT = "consultant", "un prestataire extérieur"
    ADULT_RELAY = "adult_relay", "un adulte-relais"
    CIVIC_SERVICE = "civic_service", "un volontaire en service civique"


class College(models.TextChoices):
    """The two colleges of a conseil citoyen (loi 2014-173 art. 7; cadre de référence 2014)."""

    RESIDENTS = "residents", "collège des habitants"
    LOCAL_ACTORS = "local_actors", "collège des associations et acteurs locaux"


class Sex(models.TextChoices):
    FEMALE = "female", "femme"
    MALE = "male", "homme"


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", "moins de 18 ans"
    FROM_18_TO_25 = "18_25", "18 à 25 ans"
    FROM_26_TO_39 = "26_39", "26 à 39 ans"
    FROM_40_TO_59 = "40_59", "40 à 59 ans"
    FROM_60 = "60_plus", "60 ans et plus"


# Young people, as the politique de la ville counts them: under 26 (the cadre de référence asks that the residents'
# college represent the neighbourhood, « notamment les jeunes »).
YOUNG_AGE_BANDS = frozenset({AgeBand.UNDER_18, AgeBand.FROM_18_TO_25})


class DesignationMethod(models.TextChoices):
    DRAWN_FROM_REGISTER = "drawn_register", "tiré au sort sur une liste (bailleurs, listes électorales…)"
    DRAWN_FROM_VOLUNTEERS = "drawn_volunteers", "tiré au sort parmi des volontaires"
    APPOINTED = "appointed", "désigné (par son association ou sa structure)"
    CO_OPTED = "co_opted", "coopté par le conseil"


DRAWN_METHODS = frozenset({DesignationMethod.DRAWN_FROM_REGISTER, DesignationMethod.DRAWN_FROM_VOLUNTEERS})

# Loi 2014-173 art. 7 (2014 version) and the cadre de référence: the residents' college is drawn by lot. Décret
# 2024-1036 removed the drawing of lots from the law: in a 2024 contract it is a local option (domain.md §6.2, R25).
RESIDENTS_DRAWN_BY_LOT: dict[str, bool] = {Generation.G2015: True, Generation.G2024: False}


class DrawStatus(models.TextChoices):
    """A draw is prepared (pool, seed, trial runs), then published: a published draw can no longer change."""

    DRAFT = "draft", "en préparation"
    PUBLISHED = "published", "publié"


# --- the yearly questionnaire (issue 11 §5), modelled on the survey of the regional state of play of the
# conseils citoyens (Villes et Territoires LR, 2016: statutes, facilitation, designation, representativeness, means,
# charters; stakes: the choice of statutes, mobilising residents, the council's role; needs and prospects) -------


class SurveyStatus(models.TextChoices):
    """A council's questionnaire: drafted by whoever answers for the council, then submitted (it no longer changes:
    it feeds the state of play)."""

    DRAFT = "draft", "à compléter"
    SUBMITTED = "submitted", "transmis"


class TrainingTopic(models.TextChoices):
    CONTRACT = "contract", "le contrat de ville et la politique de la ville"
    COUNCIL_ROLE = "council_role", "le rôle et le fonctionnement d'un conseil citoyen"
    ASSOCIATION = "association", "la gestion d'une association (statuts, budget, assurances)"
    FACILITATION = "facilitation", "l'animation de réunions et la prise de parole"
    OBSERVATION = "observation", "le diagnostic et l'observation des quartiers"
    EVALUATION = "evaluation", "le suivi et l'évaluation des actions"


class Difficulty(models.TextChoices):
    MOBILISATION = "mobilisation", "mobiliser les habitants et garder les membres actifs"
    RENEWAL = "renewal", "renouveler les membres"
    LEGAL_FORM = "legal_form", "le choix du statut juridique"
    INDEPENDENCE = "independence", "l'indépendance vis-à-vis des institutions"
    ROLE = "role", "la place du conseil dans les instances du contrat de ville"
    INFORMATION = "information", "l'accès à l'information et aux documents du contrat"
    MEANS = "means", "des moyens insuffisants (budget, local)"
    FACILITATION = "facilitation", "l'animation du conseil"


class Need(models.TextChoices):
    TRAINING = "training", "des formations"
    FACILITATION = "facilitation", "un appui à l'animation"
    BUDGET = "budget", "un budget de fonctionnement"
    PREMISES = "premises", "un local"
    INFORMATION = "information", "une information régulière sur le contrat de ville"
    EXCHANGES = "exchanges", "des échanges avec d'autres conseils citoyens"
    COMMUNICATION = "communication", "des outils de communication"
    RECOGNITION = "recognition", "une meilleure reconnaissance par les institutions"
