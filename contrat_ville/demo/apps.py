from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "contrat_ville.demo"
    label = "demo"
    verbose_name = "démonstration"
