from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contrat_ville.contracts"
    label = "contracts"
    verbose_name = "contrats de ville"

    def ready(self) -> None:
        from contrat_ville.contracts.navigation import register_contract_navigation
        from contrat_ville.contracts.services import invitation_erase
        from contrat_ville.core.personal_data import personal_data_erasers
        from contrat_ville.core.registries import DecisionTarget, decision_targets

        register_contract_navigation()
        personal_data_erasers.register("contracts.invitation", invitation_erase)
        # The comité de pilotage approves an avenant by a decision targeting it (issue 10 §1).
        decision_targets.register(
            "contracts.amendment", DecisionTarget("contracts.amendment", "un avenant au contrat")
        )
