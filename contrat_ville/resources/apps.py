from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "contrat_ville.resources"
    label = "resources"
    verbose_name = "centre de ressources"
