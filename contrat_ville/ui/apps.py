from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "contrat_ville.ui"
    label = "ui"
    verbose_name = "interface (DSFR)"
