"""The request id (``core.request_context``), the log formats (``core.log_formats``) and the 500 page."""

import io
import json
import logging

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from contrat_ville.core.log_formats import HumanFormatter, JsonFormatter
from contrat_ville.core.request_context import RequestContextFilter, current_request_id

pytestmark = pytest.mark.django_db


def _logs_something(request):
    logging.getLogger("contrat_ville.test").warning("dans la vue %s", current_request_id())
    return HttpResponse("ok")


def _fails(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("journal/", _logs_something), path("panne/", _fails)]


@pytest.fixture
def captured():
    """Records of every logger, through the production handler's filter and JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    requests_logger = logging.getLogger("contrat_ville.requests")
    level = requests_logger.level
    requests_logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        requests_logger.setLevel(level)


def test_a_request_id_is_generated_and_returned(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_the_proxy_request_id_is_kept_when_valid(client):
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-1234abcd"})
    assert response["X-Request-ID"] == "nginx-1234abcd"


@pytest.mark.parametrize("forged", ["court", "a b c d e f g h", "x" * 200, "abc\ndefghijk", "<script>aaaa"])
def test_an_invalid_proxy_request_id_is_replaced(client, forged):
    response = client.get("/healthz", headers={"X-Request-ID": forged})
    assert response["X-Request-ID"] != forged
    assert len(response["X-Request-ID"]) == 32


@override_settings(ROOT_URLCONF=__name__)
def test_every_log_record_of_the_request_carries_its_id(client, captured):
    response = client.get("/journal/", headers={"X-Request-ID": "requete-0001"})
    records = captured()
    view_record = next(record for record in records if record["logger"] == "contrat_ville.test")
    assert view_record["message"] == "dans la vue requete-0001"
    assert view_record["request_id"] == "requete-0001"
    assert view_record["path"] == "/journal/"
    access = next(record for record in records if record["logger"] == "contrat_ville.requests")
    assert access["request_id"] == response["X-Request-ID"] == "requete-0001"
    assert access["status"] == 200
    assert access["duration_ms"] >= 0
    assert access["level"] == "INFO"
    assert current_request_id() is None  # the context is cleared after the request


def test_the_access_record_has_the_user_id_and_never_the_email(client, captured):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email="agent.secret@exemple.fr", password="mot-de-passe-assez-long", first_name="Camille", last_name="Durand"
    )
    client.force_login(user)
    client.get("/a-faire/")
    access = next(record for record in captured() if record["logger"] == "contrat_ville.requests")
    assert access["user_id"] == user.pk
    assert access["path"] == "/a-faire/"
    line = json.dumps(captured())
    assert "agent.secret" not in line
    assert "Durand" not in line


def test_the_json_formatter_writes_one_parsable_object_per_record():
    record = logging.LogRecord("contrat_ville.x", logging.ERROR, __file__, 1, "échec n° %s", (3,), None)
    record.status = 500
    try:
        raise ValueError("boum")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RequestContextFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "échec n° 3"
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "contrat_ville.x"
    assert entry["status"] == 500
    assert entry["request_id"] is None
    assert entry["time"].endswith("+00:00")
    assert "ValueError: boum" in entry["exception"]
    assert set(entry) >= {"time", "level", "logger", "message", "request_id", "path", "status", "duration_ms"}


def test_the_human_formatter_is_one_readable_line():
    record = logging.LogRecord("contrat_ville.x", logging.INFO, __file__, 1, "bonjour", (), None)
    record.request_id = "0123456789abcdef"
    assert HumanFormatter().format(record).endswith("INFO contrat_ville.x [01234567] bonjour")


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_shows_the_french_page_and_logs_the_traceback_with_the_request_id(captured):
    client = Client(raise_request_exception=False)
    response = client.get("/panne/", headers={"X-Request-ID": "requete-panne-42"})
    assert response.status_code == 500
    page = response.content.decode()
    assert "Une erreur est survenue" in page
    assert "Traceback" not in page
    assert "panne simulée" not in page
    assert "RuntimeError" not in page
    error = next(record for record in captured() if record["logger"] == "django.request")
    assert error["request_id"] == "requete-panne-42"
    assert error["level"] == "ERROR"
    assert error["status"] == 500
    assert "RuntimeError: panne simulée" in error["exception"]
