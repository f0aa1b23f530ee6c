from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contrat_ville.accounts.models import ApiToken, hash_token
from contrat_ville.accounts.services import api_token_create, api_token_revoke
from contrat_ville.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API_URL = "/api/v1/contracts"


def create_token(email: str) -> str:
    stdout, stderr = StringIO(), StringIO()
    call_command("create_api_token", email, stdout=stdout, stderr=stderr)
    return stdout.getvalue().strip().splitlines()[-1]


def test_command_prints_the_token_on_its_last_line_and_stores_only_its_hash():
    user = UserFactory.create(email="alix@exemple.test")
    raw_token = create_token("Alix@Exemple.test")
    assert raw_token.startswith("cv_")
    token = ApiToken.objects.get(user=user)
    assert token.token_hash == hash_token(raw_token)
    assert raw_token not in (token.token_hash, token.prefix)


def test_command_refuses_an_unknown_email():
    with pytest.raises(CommandError, match="Aucun compte"):
        call_command("create_api_token", "personne@exemple.test", stdout=StringIO(), stderr=StringIO())


def test_token_authenticates_on_the_api(client):
    user = UserFactory.create(email="alix@exemple.test")
    raw_token = create_token(user.email)
    response = client.get(API_URL, headers={"Authorization": f"Bearer {raw_token}"})
    assert response.status_code == 200
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_unknown_token_is_401(client):
    response = client.get(API_URL, headers={"Authorization": "Bearer cv_inconnu"})
    assert response.status_code == 401


def test_revoked_token_is_401(client):
    token, raw_token = api_token_create(user=UserFactory())
    api_token_revoke(token=token)
    assert client.get(API_URL, headers={"Authorization": f"Bearer {raw_token}"}).status_code == 401


def test_token_of_an_inactive_user_is_401(client):
    user = UserFactory()
    _, raw_token = api_token_create(user=user)
    user.is_active = False
    user.save()
    assert client.get(API_URL, headers={"Authorization": f"Bearer {raw_token}"}).status_code == 401


def test_anonymous_call_without_token_is_allowed_on_public_data(client):
    assert client.get(API_URL).status_code == 200
