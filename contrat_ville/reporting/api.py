"""API of a contract's generated documents, mounted under /contracts in config/api.py (issue 12 §7).

Private to the contract's members (404 outside the tenancy, whether the contract exists or not); asking for a
generation is for the pilot and the State (403 otherwise), the same rule as the page; 422 with the French message
of a refused rule (an unknown kind, a year without an action plan).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from contrat_ville.contracts.access import api_caller, api_contract_access, business_rules_as_http
from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.schemas import Id
from contrat_ville.reporting import document_selectors as selectors
from contrat_ville.reporting.permissions import can_download_documents, can_generate_documents
from contrat_ville.reporting.schemas import ReportIn, ReportOut
from contrat_ville.reporting.services import document_request

router = Router(tags=["Documents générés"])
endpoints = Endpoints(router, "reporting")


@endpoints.reads("/{contract_id}/reports", list[ReportOut], summary="Documents générés du contrat")
def report_list(request: HttpRequest, contract_id: Id) -> Any:
    """Réservé aux membres du contrat : les documents produits (diagnostic partagé, contrat de ville, rapport
    annuel…), du plus récent au plus ancien, avec leur état, leur avancement et, une fois produits, les liens de
    téléchargement DOCX et PDF (même session ou même jeton)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_download_documents)
    return selectors.generated_documents(contract=access.contract)


@endpoints.creates("/{contract_id}/reports", ReportOut, summary="Demander la production d'un document")
def report_create(request: HttpRequest, contract_id: Id, payload: ReportIn) -> Any:
    """Le pilote et le délégué de l'État (403 sinon). La production se fait en tâche de fond : la réponse donne le
    document « en attente » ; suivez son avancement par la liste. Un document annuel demande l'année d'un plan
    d'actions (la plus récente si `year` est absent)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_generate_documents)
    with business_rules_as_http():
        document = document_request(
            contract=access.contract, kind=payload.kind, year=payload.year, by=api_caller(request)
        )
    return Status(201, selectors.generated_document_get(contract=access.contract, document_id=document.pk))
