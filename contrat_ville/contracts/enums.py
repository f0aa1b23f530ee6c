from django.db import models


class Generation(models.TextChoices):
    G2015 = "2015", "2015-2023 (contrats de ville de 2015)"
    G2024 = "2024", "2024-2030 (Engagements Quartiers 2030)"


class ContractStatus(models.TextChoices):
    IN_PREPARATION = "in_preparation", "en préparation"
    SIGNED = "signed", "signé"
    IN_REVISION = "in_revision", "en révision"
    ENDED = "ended", "échu"


class Role(models.TextChoices):
    PILOT = "pilot", "pilote (EPCI)"
    STATE = "state", "délégué de l'État"
    PARTNER = "partner", "partenaire"
    COUNCIL = "council", "membre de conseil citoyen"
    APPLICANT = "applicant", "porteur de projet"
    OBSERVER = "observer", "observateur"


class SignatoryKind(models.TextChoices):
    STATE = "state", "État"
    EPCI = "epci", "intercommunalité (EPCI)"
    COMMUNE = "commune", "commune"
    DEPARTEMENT = "departement", "département"
    REGION = "region", "région"
    OTHER = "other", "autre signataire"
