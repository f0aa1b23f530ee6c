"""Rows of the access matrix for the generated documents' URLs (see tests/access_rows.py)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from contrat_ville.reporting.enums import DocumentStatus
from contrat_ville.reporting.models import GeneratedDocument
from tests.access_rows import API_CONTRACT_PRIVATE, API_WRITE, CONTRACT_PRIVATE, EXCLUDED, Row, _contract_id, _slug


def _document(world: Any, contract: Any) -> dict[str, Any]:
    return {"contract_slug": contract.slug, "document_id": world.objects[contract.pk]["generated_document"].pk}


ACCESS_ROWS: dict[str, Row] = {
    # members only, even on a published contract: the documents carry the droit commun and the credits
    "reporting:document_list": Row(CONTRACT_PRIVATE, _slug),
    "reporting:document_generate": Row(CONTRACT_PRIVATE, _slug, method="post"),
    "reporting:document_status": Row(CONTRACT_PRIVATE, _document),
    "reporting:document_docx": Row(CONTRACT_PRIVATE, _document),
    "reporting:document_pdf": Row(CONTRACT_PRIVATE, _document),
    "api-1:reporting_report_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:reporting_report_create": Row(EXCLUDED, why_excluded=API_WRITE),
}


def access_objects(contract: Any, objects: dict[str, Any]) -> dict[str, Any]:
    """A contract document already generated (its files stored)."""
    document = GeneratedDocument.objects.create(contract=contract, kind="contract", status=DocumentStatus.DONE)
    document.docx.save("contrat.docx", ContentFile(b"PK docx"), save=False)
    document.pdf.save("contrat.pdf", ContentFile(b"%PDF-1.7"), save=False)
    document.save()
    return {"generated_document": document}
