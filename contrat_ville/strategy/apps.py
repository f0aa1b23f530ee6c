from contrat_ville.core import registries


class StrategyConfig(registries.RegisteringAppConfig):
    name = "contrat_ville.strategy"
    label = "strategy"
    verbose_name = "stratégie et plans d'actions"
