from django.db import models


class OrganizationKind(models.TextChoices):
    STATE_SERVICE = "state_service", "service de l'État"
    LOCAL_AUTHORITY = "local_authority", "collectivité territoriale"
    PUBLIC_OPERATOR = "public_operator", "opérateur public"
    SOCIAL_LANDLORD = "social_landlord", "bailleur social"
    ASSOCIATION = "association", "association"
    CITIZEN_COUNCIL = "citizen_council", "conseil citoyen"
    COMPANY = "company", "entreprise"
    CONSULAR_CHAMBER = "consular_chamber", "chambre consulaire"
    RESOURCE_CENTRE = "resource_centre", "centre de ressources politique de la ville"
    OTHER = "other", "autre"
