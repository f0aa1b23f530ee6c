from django.db import models


class TerritoryKind(models.TextChoices):
    FRANCE = "france", "France"
    REGION = "region", "région"
    DEPARTEMENT = "departement", "département"
    EPCI = "epci", "EPCI"
    COMMUNE = "commune", "commune"
    UNITE_URBAINE = "unite_urbaine", "unité urbaine"
    IRIS = "iris", "IRIS"
    QPV = "qpv", "quartier prioritaire (QPV)"


class LinkKind(models.TextChoices):
    INCLUSION = "inclusion", "inclusion"
    OVERLAP = "overlap", "recouvrement partiel"
