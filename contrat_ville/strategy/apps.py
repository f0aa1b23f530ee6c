from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "contrat_ville.strategy"
    label = "strategy"
    verbose_name = "stratégie et plans d'actions"

    def ready(self) -> None:
        from contrat_ville.strategy import registrations

        registrations.register()
