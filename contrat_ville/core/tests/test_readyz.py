from unittest import mock

import pytest
from django.db.utils import DatabaseError
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_readyz_is_200_when_database_migrations_and_tasks_are_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok", "tasks": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_503_when_a_migration_is_not_applied(client):
    pending = mock.Mock(app_label="contracts", spec=["app_label", "name"])
    pending.name = "9999_a_venir"
    with mock.patch("django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[(pending, False)]):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["migrations"] == "en attente"
    assert "contracts.9999_a_venir" in body["detail"]
    assert "manage.py migrate" in body["detail"]


def test_readyz_is_503_when_the_database_fails(client):
    with mock.patch("django.db.connection.cursor", side_effect=DatabaseError("base injoignable")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["detail"] == "la base de données est injoignable"


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_readyz_checks_the_database_task_queue(client):
    assert client.get("/readyz").status_code == 200
    with mock.patch("django_tasks_db.models.DBTaskResultQuerySet.exists", side_effect=DatabaseError("table absente")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["tasks"] == "injoignable"
    assert "file des tâches" in response.json()["detail"]


def test_readyz_accepts_only_get(client):
    assert client.post("/readyz").status_code == 405
