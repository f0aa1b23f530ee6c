from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "contrat_ville.diagnostic"
    label = "diagnostic"
    verbose_name = "diagnostic participatif"
