from typing import Any

import factory

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization, User
from contrat_ville.accounts.services import api_token_create

TEST_PASSWORD = "mot-de-passe-de-test-42"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganizationKind.ASSOCIATION


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password(TEST_PASSWORD)


def bearer(user: Any) -> dict[str, str]:
    """The header of an API call made with a new token of ``user``."""
    _, raw_token = api_token_create(user=user)
    return {"Authorization": f"Bearer {raw_token}"}
