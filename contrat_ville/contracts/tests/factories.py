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
