"""The structure of a contract: its first-level branches (piliers, défis, axes prioritaires…) and its transversal
axes — add, rename, reorder, archive once used, delete while nothing cites them (issue 10 §1-2, §6)."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from contrat_ville.contracts import selectors, services
from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.forms import TermForm
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.permissions import can_edit_contract
from contrat_ville.contracts.views.common import Section, contract_crumbs, pages
from contrat_ville.ui.page import render_page

STRUCTURE = Section("Structure", "contract_structure")

# The URL says the kind in French; the services speak English.
KINDS = {"piliers": "pillar", "axes": "axis"}


def _kind(kind_slug: str) -> str:
    if kind_slug not in KINDS:
        raise Http404("Type de terme inconnu.")
    return KINDS[kind_slug]


def _kind_label(contract: Contract, kind: str) -> str:
    return contract.pillar_term if kind == "pillar" else "axe transversal"


@contract_view(private=True)
def contract_structure(request: ContractRequest) -> HttpResponse:
    """The contract's branches and axes, in force first, with what cites each and what the pilot may do."""
    contract = request.contract
    return render_page(
        request,
        "contracts/contract_structure.html",
        "Structure du contrat",
        parents=contract_crumbs(contract),
        pillar_rows=selectors.term_rows(contract=contract, kind="pillar"),
        axis_rows=selectors.term_rows(contract=contract, kind="axis"),
        can_edit=can_edit_contract(request.access) and not contract.is_signed,
    )


@contract_view(private=True, permission=can_edit_contract)
def term_create(request: ContractRequest, kind_slug: str) -> HttpResponse:
    contract = request.contract
    kind = _kind(kind_slug)
    label = _kind_label(contract, kind)
    return pages.form_page(
        request,
        TermForm(request.POST or None),
        save=lambda data: services.term_create(contract=contract, kind=kind, by=request.access.user, **data),
        done=lambda term: (f"« {term.label} » ajouté à la structure du contrat.", STRUCTURE.url(contract)),
        title=f"Ajouter : {label}",
        parents=STRUCTURE.crumbs(contract),
        submit_label="Ajouter",
        cancel_url=STRUCTURE.url(contract),
        form_testid="term-form",
    )


@contract_view(private=True, permission=can_edit_contract)
def term_update(request: ContractRequest, kind_slug: str, term_id: int) -> HttpResponse:
    contract = request.contract
    term = selectors.term_get(contract=contract, kind=_kind(kind_slug), term_id=term_id)
    initial = {"label": term.label, "slogan": term.slogan, "objective": term.objective}
    return pages.form_page(
        request,
        TermForm(request.POST or None, initial=initial),
        save=lambda data: services.term_update(term=term, by=request.access.user, **data),
        done=lambda saved: (f"« {saved.label} » enregistré.", STRUCTURE.url(contract)),
        title=f"Modifier « {term.label} »",
        parents=STRUCTURE.crumbs(contract),
        cancel_url=STRUCTURE.url(contract),
        form_testid="term-form",
    )


@require_POST
@contract_view(private=True, permission=can_edit_contract)
def term_move(request: ContractRequest, kind_slug: str, term_id: int, direction: str) -> HttpResponse:
    """Move a term one place up or down among those of its kind."""
    contract = request.contract
    kind = _kind(kind_slug)
    if direction not in ("monter", "descendre"):
        raise Http404("Déplacement inconnu.")
    term = selectors.term_get(contract=contract, kind=kind, term_id=term_id)
    ordered = [row.term.pk for row in selectors.term_rows(contract=contract, kind=kind)]
    position = ordered.index(term.pk)
    target = position - 1 if direction == "monter" else position + 1
    if 0 <= target < len(ordered):
        ordered[position], ordered[target] = ordered[target], ordered[position]
    return pages.post_action(
        request,
        act=lambda: services.terms_reorder(contract=contract, kind=kind, ordered_ids=ordered, by=request.access.user),
        message=f"« {term.label} » déplacé.",
        next_url=STRUCTURE.url(contract),
    )


@require_POST
@contract_view(private=True, permission=can_edit_contract)
def term_archive(request: ContractRequest, kind_slug: str, term_id: int) -> HttpResponse:
    """Withdraw a term that objects cite: they keep it, the forms no longer offer it."""
    contract = request.contract
    term = selectors.term_get(contract=contract, kind=_kind(kind_slug), term_id=term_id)
    today: date = timezone.localdate()
    return pages.post_action(
        request,
        act=lambda: services.term_archive(term=term, on=today, by=request.access.user),
        message=f"« {term.label} » retiré de la structure ; les objets qui le citent le gardent.",
        next_url=STRUCTURE.url(contract),
    )


@contract_view(private=True, permission=can_edit_contract)
def term_delete(request: ContractRequest, kind_slug: str, term_id: int) -> HttpResponse:
    contract = request.contract
    term = selectors.term_get(contract=contract, kind=_kind(kind_slug), term_id=term_id)
    return pages.confirm_page(
        request,
        act=lambda: services.term_delete(term=term, by=request.access.user),
        message=f"« {term.label} » supprimé.",
        success_url=STRUCTURE.url(contract),
        explanation=(
            f"« {term.label} » sera supprimé de la structure du contrat. Rien ne le cite encore ; "
            "la suppression reste inscrite dans l'historique."
        ),
        title=f"Supprimer « {term.label} »",
        parents=STRUCTURE.crumbs(contract),
        submit_label="Supprimer",
        cancel_url=STRUCTURE.url(contract),
    )
