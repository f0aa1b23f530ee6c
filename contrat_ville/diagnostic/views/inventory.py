"""Pages of the data inventory (*recensement des données*) and of the findings (*état des lieux*)."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.models import Contract
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.forms.inventory import DataSourceForm, EvidenceForm, FindingForm
from contrat_ville.diagnostic.models import Finding
from contrat_ville.diagnostic.permissions import can_write_diagnostic
from contrat_ville.diagnostic.selectors import inventory as selectors
from contrat_ville.diagnostic.selectors.stakes import stake_rows_for_finding
from contrat_ville.diagnostic.services import inventory as services
from contrat_ville.diagnostic.views.common import (
    crumbs,
    form_page,
    pages,
    pillar_filter,
    pillar_initial,
    post_action,
    removal_urls,
    url,
)
from contrat_ville.ui.form_pages import Removal
from contrat_ville.ui.page import Crumb, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()

SOURCE_FIELDS = ("pillar", "producer", "dataset", "level", "year", "url", "notes")
FINDING_FIELDS = ("pillar", "territory", "kind", "text", "data_sources")

# --- data sources ----------------------------------------------------------------------------------------


@routes("donnees/")
@contract_view(private=True)
def source_list(request: ContractRequest) -> HttpResponse:
    """The data inventory, grouped by pillar (working group), optionally filtered on one pillar."""
    filters, pillar, pillars = pillar_filter(request)
    sources = list(selectors.data_source_list(contract=request.contract, pillar=pillar))
    return render_page(
        request,
        "diagnostic/source_list.html",
        "Recensement des données",
        fragment="pillar-results",
        parents=crumbs(request.contract),
        filters=filters,
        can_write_diagnostic=can_write_diagnostic(request.access),
        groups=[(item, [source for source in sources if source.pillar_id == item.pk]) for item in pillars],
        common=[source for source in sources if source.pillar_id is None],
        total=len(sources),
        section="sources",
    )


@routes("donnees/nouvelle/")
@contract_view(private=True, permission=can_write_diagnostic)
def source_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    list_url = url("source_list", contract)
    return form_page(
        request,
        DataSourceForm(request.POST or None, contract=contract, initial=pillar_initial(request, contract)),
        save=lambda data: services.data_source_create(contract=contract, by=request.access.user, **data),
        done=lambda _: ("Source de données ajoutée à l'inventaire.", list_url),
        title="Nouvelle source de données",
        parents=crumbs(contract, ("Recensement des données", list_url)),
        submit_label="Ajouter",
        cancel_url=list_url,
        section="sources",
    )


@routes("donnees/<int:source_id>/modifier/")
@contract_view(private=True, permission=can_write_diagnostic)
def source_update(request: ContractRequest, source_id: int) -> HttpResponse:
    contract = request.contract
    source = selectors.data_source_get(contract=contract, source_id=source_id)
    initial = {name: getattr(source, name) for name in SOURCE_FIELDS}
    list_url = url("source_list", contract)
    return form_page(
        request,
        DataSourceForm(request.POST or None, contract=contract, initial=initial),
        save=lambda data: services.data_source_update(source=source, by=request.access.user, **data),
        done=lambda _: ("Source de données modifiée.", list_url),
        title=f"Modifier « {source} »",
        parents=crumbs(contract, ("Recensement des données", list_url)),
        cancel_url=list_url,
        section="sources",
    )


def _source_removal(request: ContractRequest, source_id: int) -> Removal:
    contract = request.contract
    source = selectors.data_source_get(contract=contract, source_id=source_id)
    by = request.access.user
    list_url = url("source_list", contract)
    return Removal(
        delete=lambda: services.data_source_delete(source=source, by=by),
        archive=lambda on: services.data_source_archive(source=source, on=on, by=by),
        title=f"Supprimer « {source} »",
        explanation="La source sera supprimée de l'inventaire ; la suppression reste inscrite dans l'historique. "
        "Une source que des constats citent ne se supprime pas : archivez-la.",
        submit_label="Supprimer la source",
        deleted=f"Source « {source} » retirée de l'inventaire.",
        archived=f"Source « {source} » archivée : les constats qui la citent la gardent.",
        back_url=list_url,
        after_url=list_url,
        parents=crumbs(contract, ("Recensement des données", list_url)),
        context={"section": "sources"},
    )


pages.route_removal(
    routes,
    "donnees/<int:source_id>/",
    "source",
    guard=contract_view(private=True, permission=can_write_diagnostic),
    describe=_source_removal,
)


# --- findings ---------------------------------------------------------------------------------------------


def _finding(request: ContractRequest, finding_id: int) -> Finding:
    """The finding ``finding_id`` of the request's contract (404 otherwise)."""
    return selectors.finding_get(contract=request.contract, finding_id=finding_id)


def _finding_url(contract: Contract, finding: Finding) -> str:
    return url("finding_detail", contract, finding_id=finding.pk)


def _finding_crumbs(contract: Contract, finding: Finding | None = None) -> list[Crumb]:
    """Contracts / the contract / Diagnostic / État des lieux [/ the finding]."""
    extra = [("État des lieux", url("finding_list", contract))]
    if finding is not None:
        extra.append(("Constat", _finding_url(contract, finding)))
    return crumbs(contract, *extra)


@routes("etat-des-lieux/")
@contract_view(private=True)
def finding_list(request: ContractRequest) -> HttpResponse:
    """The *état des lieux*: per pillar, per QPV (or the whole contract), strengths/resources and handicaps."""
    filters, pillar, pillars = pillar_filter(request)
    rows = selectors.finding_rows(contract=request.contract, pillar=pillar)
    groups = []
    for item in pillars:
        of_pillar = [row for row in rows if row.finding.pillar_id == item.pk]
        groups.append(
            {
                "pillar": item,
                "strengths": [row for row in of_pillar if row.finding.kind == FindingKind.STRENGTH],
                "handicaps": [row for row in of_pillar if row.finding.kind == FindingKind.HANDICAP],
            }
        )
    return render_page(
        request,
        "diagnostic/finding_list.html",
        "État des lieux : atouts et handicaps",
        fragment="pillar-results",
        parents=crumbs(request.contract),
        filters=filters,
        can_write_diagnostic=can_write_diagnostic(request.access),
        groups=groups,
        total=len(rows),
        section="findings",
    )


@routes("etat-des-lieux/<int:finding_id>/")
@contract_view(private=True)
def finding_detail(request: ContractRequest, finding_id: int) -> HttpResponse:
    contract = request.contract
    access = request.access
    finding = _finding(request, finding_id)
    evidence = list(finding.evidence.all())
    figures = selectors.evidence_figures(contract=contract, evidence=evidence)
    return render_page(
        request,
        "diagnostic/finding_detail.html",
        f"Constat : {finding.get_kind_display()} — {finding.pillar.label}",
        parents=_finding_crumbs(contract),
        finding=finding,
        figures=[figures[item.pk] for item in evidence],
        stake_rows=stake_rows_for_finding(finding),
        can_write_diagnostic=can_write_diagnostic(access),
        section="findings",
        **(removal_urls("finding", contract, finding_id=finding.pk) if can_write_diagnostic(access) else {}),
    )


@routes("etat-des-lieux/nouveau/")
@contract_view(private=True, permission=can_write_diagnostic)
def finding_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    return form_page(
        request,
        FindingForm(request.POST or None, contract=contract),
        save=lambda data: services.finding_create(contract=contract, by=request.access.user, **data),
        done=lambda finding: (
            "Constat ajouté à l'état des lieux.",
            _finding_url(contract, finding),
        ),
        title="Nouveau constat",
        parents=_finding_crumbs(contract),
        submit_label="Ajouter",
        cancel_url=url("finding_list", contract),
        section="findings",
    )


@routes("etat-des-lieux/<int:finding_id>/modifier/")
@contract_view(private=True, permission=can_write_diagnostic)
def finding_update(request: ContractRequest, finding_id: int) -> HttpResponse:
    contract = request.contract
    finding = _finding(request, finding_id)
    initial = {
        "pillar": finding.pillar_id,
        "territory": finding.territory_id,
        "kind": finding.kind,
        "text": finding.text,
        "data_sources": [source.pk for source in finding.data_sources.all()],
    }
    detail_url = _finding_url(contract, finding)
    return form_page(
        request,
        FindingForm(request.POST or None, contract=contract, initial=initial),
        save=lambda data: services.finding_update(finding=finding, by=request.access.user, **data),
        done=lambda _: ("Constat modifié.", detail_url),
        title="Modifier le constat",
        parents=_finding_crumbs(contract, finding),
        cancel_url=detail_url,
        section="findings",
    )


def _finding_removal(request: ContractRequest, finding_id: int) -> Removal:
    contract = request.contract
    finding = _finding(request, finding_id)
    by = request.access.user
    detail_url = _finding_url(contract, finding)
    return Removal(
        delete=lambda: services.finding_delete(finding=finding, by=by),
        archive=lambda on: services.finding_archive(finding=finding, on=on, by=by),
        title="Supprimer le constat",
        explanation=f"« {finding.text[:200]} » sera supprimé, avec les indicateurs qu'il cite ; la suppression "
        "reste inscrite dans l'historique. Un constat dont découlent des enjeux ne se supprime pas : archivez-le.",
        submit_label="Supprimer le constat",
        deleted="Constat supprimé.",
        archived="Constat archivé : les enjeux qui en découlent le gardent.",
        back_url=detail_url,
        after_url=url("finding_list", contract),
        parents=_finding_crumbs(contract, finding),
        context={"section": "findings"},
    )


pages.route_removal(
    routes,
    "etat-des-lieux/<int:finding_id>/",
    "finding",
    guard=contract_view(private=True, permission=can_write_diagnostic),
    describe=_finding_removal,
)


@routes("etat-des-lieux/<int:finding_id>/indicateurs/ajouter/")
@contract_view(private=True, permission=can_write_diagnostic)
def finding_evidence_add(request: ContractRequest, finding_id: int) -> HttpResponse:
    """Cite an indicator figure (indicator, territory, year) in a finding."""
    contract = request.contract
    finding = _finding(request, finding_id)
    detail_url = _finding_url(contract, finding)
    return form_page(
        request,
        EvidenceForm(request.POST or None, contract=contract),
        save=lambda data: services.finding_evidence_add(finding=finding, by=request.access.user, **data),
        done=lambda _: ("Indicateur cité dans le constat.", detail_url),
        title="Citer un indicateur",
        parents=_finding_crumbs(contract, finding),
        intro=f"Constat : « {finding.text[:200]} »",
        submit_label="Citer l'indicateur",
        cancel_url=detail_url,
        section="findings",
    )


@routes("etat-des-lieux/<int:finding_id>/indicateurs/<int:evidence_id>/retirer/")
@require_POST
@contract_view(private=True, permission=can_write_diagnostic)
def finding_evidence_remove(request: ContractRequest, finding_id: int, evidence_id: int) -> HttpResponse:
    contract = request.contract
    finding = _finding(request, finding_id)
    evidence = selectors.finding_evidence_get(finding=finding, evidence_id=evidence_id)
    return post_action(
        request,
        act=lambda: services.finding_evidence_remove(evidence=evidence, by=request.access.user),
        message="Indicateur retiré du constat.",
        next_url=_finding_url(contract, finding),
    )


urlpatterns = routes.urlpatterns
