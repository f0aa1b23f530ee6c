from datetime import date

from contrat_ville.accounts.models import User
from contrat_ville.contracts.enums import Generation
from contrat_ville.contracts.models import Contract, ContractRole
from contrat_ville.contracts.services import contract_create, contract_role_grant
from contrat_ville.territories.tests.factories import TerritoryFactory


def make_contract(*, name: str = "Contrat de ville de test", published: bool = False, **kwargs: object) -> Contract:
    """A contract built through the service, so it carries its generation's pillars and axes."""
    epci = kwargs.pop("epci", None) or TerritoryFactory(epci=True)
    return contract_create(
        name=name,
        epci=epci,
        generation=str(kwargs.pop("generation", Generation.G2024)),
        start_on=kwargs.pop("start_on", date(2024, 1, 1)),
        end_on=kwargs.pop("end_on", date(2030, 12, 31)),
        is_published=published,
        **kwargs,
    )


def grant(contract: Contract, user: User, role: str) -> ContractRole:
    return contract_role_grant(contract=contract, user=user, role=role)


def settings_form_data(contract: Contract, **changes: str) -> dict[str, str]:
    """What the contract's settings page posts for ``contract`` unchanged, with ``changes``."""
    data = {
        "name": contract.name,
        "summary": "",
        "start_on": contract.start_on.isoformat(),
        "end_on": contract.end_on.isoformat(),
        "anct_code": "",
        "framework_agreement_on": "",
        "pillar_term": contract.pillar_term,
        "pillar_term_plural": contract.pillar_term_plural,
        "orientation_term": contract.orientation_term,
        "objective_term": contract.objective_term,
        "action_term": contract.action_term,
    }
    return {**data, **changes}
