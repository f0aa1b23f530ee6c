"""Shapes of the generated documents' API (``/api/v1/contracts/{id}/reports``, issue 12 §7)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field

from contrat_ville.core.bounds import schema_field
from contrat_ville.core.schemas import InputSchema, OutputSchema
from contrat_ville.reporting import document_selectors as selectors
from contrat_ville.reporting.models import GeneratedDocument


# Built from the document; its download links from ``context["request"]`` (ninja gives it).
class ReportOut(OutputSchema):
    id: int
    kind: str = Field(description="Type de document : `diagnostic`, `contract`, `annual_report`…")
    kind_label: str
    year: int | None = Field(description="Année du document annuel (plan d'actions, rapport annuel), sinon null.")
    status: str = Field(description="`queued`, `running`, `done` ou `failed`.")
    status_label: str = Field(validation_alias="get_status_display")
    progress: int = Field(description="Avancement en pourcentage.")
    step: str = Field(description="Étape en cours, en français.")
    error: str
    requested_at: datetime.datetime
    finished_at: datetime.datetime | None
    docx_url: str | None = Field(description="Téléchargement du fichier DOCX, une fois produit.")
    pdf_url: str | None = Field(description="Téléchargement du fichier PDF, une fois produit.")

    @staticmethod
    def resolve_kind_label(document: GeneratedDocument) -> str:
        return selectors.kind_label(document.kind)

    @staticmethod
    def resolve_docx_url(document: GeneratedDocument, context: dict[str, Any]) -> str | None:
        return _download_url(context["request"], document, "docx")

    @staticmethod
    def resolve_pdf_url(document: GeneratedDocument, context: dict[str, Any]) -> str | None:
        return _download_url(context["request"], document, "pdf")


def _download_url(request: HttpRequest, document: GeneratedDocument, field: str) -> str | None:
    if not getattr(document, field):
        return None
    path = reverse(
        f"reporting:document_{field}",
        kwargs={"contract_slug": document.contract.slug, "document_id": document.pk},
    )
    return request.build_absolute_uri(path)


class ReportIn(InputSchema):
    kind: str = schema_field(GeneratedDocument, "kind", description="Type de document (voir `kind` des réponses).")
    year: int | None = schema_field(
        GeneratedDocument, "year", default=None, description="Pour un document annuel : l'année d'un plan d'actions."
    )
