from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "contrat_ville.reporting"
    label = "reporting"
    verbose_name = "suivi et évaluation"
