from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "contrat_ville.territories"
    label = "territories"
    verbose_name = "territoires"
