from django.apps import AppConfig


class ObservationConfig(AppConfig):
    name = "contrat_ville.observation"
    label = "observation"
    verbose_name = "observation territoriale"

    def ready(self) -> None:
        from contrat_ville.observation import registrations

        registrations.register()
