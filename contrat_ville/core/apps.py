from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "contrat_ville.core"
    label = "core"
    verbose_name = "noyau technique"
