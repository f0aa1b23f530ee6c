"""The page « Documents » of a contract (issue 12 §2-4): each kind of document, the form to generate it, the
generated documents with their progress (polled by htmx while a worker builds them) and their downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.presenters import contract_crumbs
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.reporting import document_selectors as selectors
from contrat_ville.reporting.forms import DocumentRequestForm
from contrat_ville.reporting.models import GeneratedDocument
from contrat_ville.reporting.permissions import can_download_documents, can_generate_documents
from contrat_ville.reporting.services import document_request
from contrat_ville.ui.page import Crumb, file_download, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()
PREFIX = "contrats/<slug:contract_slug>/documents/"


def documents_url(contract_slug: str) -> str:
    return reverse("reporting:document_list", kwargs={"contract_slug": contract_slug})


def _parents(request: ContractRequest) -> list[Crumb]:
    return contract_crumbs(request.contract)


@routes(PREFIX)
@contract_view(private=True, permission=can_download_documents)
def document_list(request: ContractRequest) -> HttpResponse:
    """The kinds of document, the form to generate each (pilot and State), the generated documents."""
    contract = request.contract
    documents = list(selectors.generated_documents(contract=contract))
    return render_page(
        request,
        "reporting/document_list.html",
        "Documents",
        parents=_parents(request),
        kinds=selectors.kind_rows(contract=contract),
        rows=[(document, selectors.kind_label(document.kind)) for document in documents],
        can_generate=can_generate_documents(request.access),
    )


@routes(f"{PREFIX}produire/")
@require_POST
@contract_view(private=True, permission=can_generate_documents)
def document_generate(request: ContractRequest) -> HttpResponse:
    """Queue a generation; the worker builds the files, the page shows its progress."""
    contract = request.contract
    form = DocumentRequestForm(request.POST, rows=selectors.kind_rows(contract=contract))
    if not form.is_valid():
        messages.error(request, "Choisissez un document et, pour un document annuel, l'année d'un plan d'actions.")
        return redirect(documents_url(contract.slug))
    try:
        document = document_request(
            contract=contract,
            kind=form.cleaned_data["kind"],
            year=form.cleaned_data["year"],
            by=request.user,
        )
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect(documents_url(contract.slug))
    label = selectors.kind_label(document.kind)
    messages.success(request, f"La production du document « {label} » est lancée ; elle prend quelques secondes.")
    return redirect(f"{documents_url(contract.slug)}#document-{document.pk}")


@routes(f"{PREFIX}<int:document_id>/")
@contract_view(private=True, permission=can_download_documents)
def document_status(request: ContractRequest, document_id: int) -> HttpResponse:
    """One generated document: its status and progress (the fragment the list polls every second while the
    worker runs), its downloads once done."""
    document = selectors.generated_document_get(contract=request.contract, document_id=document_id)
    return render_page(
        request,
        "reporting/document_status.html",
        selectors.kind_label(document.kind),
        parents=[*_parents(request), Crumb("Documents", documents_url(request.contract.slug))],
        fragment="status",
        document=document,
        label=selectors.kind_label(document.kind),
    )


def _download(request: ContractRequest, document_id: int, field: str) -> HttpResponse:
    document: GeneratedDocument = selectors.generated_document_get(contract=request.contract, document_id=document_id)
    if not can_download_documents(request.access):
        raise PermissionDenied(can_download_documents.rule.refusal)
    file = getattr(document, field)
    if not file:
        raise Http404("Le document n'est pas encore produit.")
    return file_download(file)


@routes(f"{PREFIX}<int:document_id>/docx/")
@contract_view(private=True, permission=can_download_documents)
def document_docx(request: ContractRequest, document_id: int) -> HttpResponse:
    return _download(request, document_id, "docx")


@routes(f"{PREFIX}<int:document_id>/pdf/")
@contract_view(private=True, permission=can_download_documents)
def document_pdf(request: ContractRequest, document_id: int) -> HttpResponse:
    return _download(request, document_id, "pdf")
