from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "contrat_ville.diagnostic"
    label = "diagnostic"
    verbose_name = "diagnostic participatif"

    def ready(self) -> None:
        from contrat_ville.diagnostic import registrations

        registrations.register()
