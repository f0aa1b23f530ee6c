"""Shapes of the generated documents' API (``/api/v1/contracts/{id}/reports``, issue 12 §7)."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from contrat_ville.core.bounds import schema_field
from contrat_ville.core.schemas import InputSchema
from contrat_ville.reporting.models import GeneratedDocument


class ReportOut(Schema):
    id: int
    kind: str = Field(description="Type de document : `diagnostic`, `contract`, `annual_report`…")
    kind_label: str
    year: int | None = Field(description="Année du document annuel (plan d'actions, rapport annuel), sinon null.")
    status: str = Field(description="`queued`, `running`, `done` ou `failed`.")
    status_label: str
    progress: int = Field(description="Avancement en pourcentage.")
    step: str = Field(description="Étape en cours, en français.")
    error: str
    requested_at: datetime.datetime
    finished_at: datetime.datetime | None
    docx_url: str | None = Field(description="Téléchargement du fichier DOCX, une fois produit.")
    pdf_url: str | None = Field(description="Téléchargement du fichier PDF, une fois produit.")


class ReportIn(InputSchema):
    kind: str = schema_field(GeneratedDocument, "kind", description="Type de document (voir `kind` des réponses).")
    year: int | None = schema_field(
        GeneratedDocument, "year", default=None, description="Pour un document annuel : l'année d'un plan d'actions."
    )
