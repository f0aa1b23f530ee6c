"""The OpenAPI document kept in the repository (``docs/openapi.json``, exported by ``make schema``) is the one the
API serves: a change to an endpoint or a schema that forgets ``make schema`` fails here."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def test_exported_openapi_document_is_up_to_date(tmp_path):
    exported = tmp_path / "openapi.json"
    call_command("export_openapi_schema", api="config.api.api", indent=2, output=str(exported))
    assert json.loads(DOCUMENT.read_text()) == json.loads(exported.read_text()), (
        "docs/openapi.json n'est plus le document que sert l'API : lancez `make schema` et validez le fichier."
    )


def test_every_operation_declares_its_error_answers():
    document = json.loads(DOCUMENT.read_text())
    missing: list[str] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            expected = {"401", "422"} if operation.get("parameters") or "requestBody" in operation else {"401"}
            if method != "get":
                expected |= {"400", "403", "404"}
            missing.extend(f"{method.upper()} {path} : {code}" for code in sorted(expected - codes))
            for code in codes - {"200", "201", "204"}:  # 204: no body
                schema = operation["responses"][code]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, f"{method.upper()} {path} {code}"
    assert not missing, missing


def test_the_interactive_documentation_declares_its_language(client, db):
    """/api/v1/docs (the « API » link of every page's header) says it is in French, as the descriptions of its
    operations are: django-ninja's own page has no ``lang`` (axe-core « html-has-lang », WCAG 3.1.1)."""
    response = client.get(reverse("api-1:openapi-view"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert 'id="swagger-ui"' in page and reverse("api-1:openapi-json") in page
