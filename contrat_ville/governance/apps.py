from contrat_ville.core import registries


class GovernanceConfig(registries.RegisteringAppConfig):
    name = "contrat_ville.governance"
    label = "governance"
    verbose_name = "gouvernance et élaboration"
