from contrat_ville.core import registries


class ObservationConfig(registries.RegisteringAppConfig):
    name = "contrat_ville.observation"
    label = "observation"
    verbose_name = "observation territoriale"
