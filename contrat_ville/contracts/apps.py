from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contrat_ville.contracts"
    label = "contracts"
    verbose_name = "contrats de ville"

    def ready(self) -> None:
        from contrat_ville.contracts.navigation import register_contract_navigation

        register_contract_navigation()
