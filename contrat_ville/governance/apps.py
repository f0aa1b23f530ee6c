from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "contrat_ville.governance"
    label = "governance"
    verbose_name = "gouvernance et élaboration"

    def ready(self) -> None:
        from contrat_ville.governance import registrations

        registrations.register()
