from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "contrat_ville.reporting"
    label = "reporting"
    verbose_name = "suivi et évaluation"

    def ready(self) -> None:
        from contrat_ville.reporting import registrations

        registrations.register()
