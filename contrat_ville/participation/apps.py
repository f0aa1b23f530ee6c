from contrat_ville.core import registries


class ParticipationConfig(registries.RegisteringAppConfig):
    name = "contrat_ville.participation"
    label = "participation"
    verbose_name = "participation des habitants"
