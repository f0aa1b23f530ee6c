from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "contrat_ville.core"
    label = "core"
    verbose_name = "noyau technique"

    def ready(self) -> None:
        from contrat_ville.core import data_version

        data_version.connect()
