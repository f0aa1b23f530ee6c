"""The admin of reference data works for a platform administrator: every registered model's list and
add pages render, and non-staff users are sent to the admin login."""

import pytest
from django.contrib import admin
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROJECT_MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model.__module__.startswith("contrat_ville.")
)


def test_project_models_are_in_the_admin():
    registered = {app_label for app_label, _ in PROJECT_MODELS}
    assert {"accounts", "territories", "contracts"} <= registered


@pytest.mark.parametrize(("app_label", "model_name"), PROJECT_MODELS)
def test_admin_changelist_and_add_pages_render(client, app_label, model_name):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code in {200, 403}


def test_admin_is_closed_to_non_staff(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:contracts_contract_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
