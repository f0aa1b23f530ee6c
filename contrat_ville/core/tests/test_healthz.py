from unittest import mock

import pytest
from django.db.utils import DatabaseError

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_fails(client):
    with mock.patch("django.db.connection.cursor", side_effect=DatabaseError("base injoignable")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_healthz_accepts_only_get(client):
    assert client.post("/healthz").status_code == 405
