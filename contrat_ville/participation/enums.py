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
