from contrat_ville.core import registries


class DiagnosticConfig(registries.RegisteringAppConfig):
    name = "contrat_ville.diagnostic"
    label = "diagnostic"
    verbose_name = "diagnostic participatif"
