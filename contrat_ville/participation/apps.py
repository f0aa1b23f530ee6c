from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "contrat_ville.participation"
    label = "participation"
    verbose_name = "participation des habitants"
