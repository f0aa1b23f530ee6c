from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contrat_ville.contracts"
    label = "contracts"
    verbose_name = "contrats de ville"
