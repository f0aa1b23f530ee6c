from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "contrat_ville.funding"
    label = "funding"
    verbose_name = "financements et moyens"

    def ready(self) -> None:
        from contrat_ville.funding import registrations

        registrations.register()
