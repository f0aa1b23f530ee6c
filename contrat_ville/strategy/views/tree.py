"""The strategic tree page (public on a published contract), its spreadsheet exports, the template and the import."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.strategy import exports, selectors
from contrat_ville.strategy.forms import TreeFilterForm, TreeImportForm
from contrat_ville.strategy.importers import ImportFileError, summary, tree_import
from contrat_ville.strategy.permissions import can_build_strategy
from contrat_ville.strategy.views.common import download, tree_crumbs, tree_url
from contrat_ville.ui.page import page


def _filtered_tree(request: ContractRequest) -> tuple[selectors.StrategyTree, TreeFilterForm]:
    contract = request.contract
    choices = selectors.tree_choices(contract=contract)
    form = TreeFilterForm(
        request.GET or None, pillars=choices.pillars, axes=choices.axes, qpvs=choices.qpvs, leads=choices.leads
    )
    tree = selectors.strategy_tree(
        contract=contract,
        access=request.access,
        filters=form.filters(),
        pillars=choices.pillars,
    )
    return tree, form


@contract_view(private=False)
def tree(request: ContractRequest) -> HttpResponse:
    """Pillar → orientation → objective → action, with filters, search, counts and validation badges."""
    contract = request.contract
    access = request.access
    strategy_tree, form = _filtered_tree(request)
    return render(
        request,
        "strategy/tree.html",
        page(
            f"Stratégie — {contract.name}",
            parents=tree_crumbs(contract)[:-1],
            contract=contract,
            access=access,
            can_build_strategy=can_build_strategy(access),
            tree=strategy_tree,
            form=form,
            query=request.GET.urlencode(),
            objective_rule=selectors.OBJECTIVE_RULE,
        ),
    )


@contract_view(private=False)
def tree_export_xlsx(request: ContractRequest) -> HttpResponse:
    strategy_tree, _ = _filtered_tree(request)
    contract = request.contract
    return download(exports.tree_xlsx(strategy_tree), exports.XLSX_CONTENT_TYPE, f"strategie-{contract.slug}.xlsx")


@contract_view(private=False)
def tree_export_csv(request: ContractRequest) -> HttpResponse:
    strategy_tree, _ = _filtered_tree(request)
    contract = request.contract
    return download(exports.tree_csv(strategy_tree), exports.CSV_CONTENT_TYPE, f"strategie-{contract.slug}.csv")


@contract_view(private=True)
def import_template(request: ContractRequest) -> HttpResponse:
    """The XLSX template of the import, with the contract's codes and the seed's three examples."""
    contract = request.contract
    content = exports.template_xlsx(
        contract=contract,
        pillars=selectors.pillar_list(contract=contract),
        axes=selectors.axis_list(contract=contract),
        qpvs=selectors.qpv_list(contract=contract),
    )
    return download(content, exports.XLSX_CONTENT_TYPE, f"modele-arbre-strategique-{contract.slug}.xlsx")


@contract_view(private=True, permission=can_build_strategy)
def tree_import_view(request: ContractRequest) -> HttpResponse:
    """Import a strategic tree from the template (all or nothing; errors by sheet, row and column)."""
    contract = request.contract
    form = TreeImportForm(request.POST or None, request.FILES or None)
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            batch = tree_import(contract=contract, file=form.cleaned_data["file"], by=request.access.user)
        except ImportFileError as error:
            issues = [str(issue) for issue in error.issues]
            form.add_error(
                None, f"Import refusé : rien n'a été enregistré ({len(issues)} erreur(s), détail ci-dessous)."
            )
        else:
            messages.success(request, f"Import réussi : {summary(batch)}")
            if batch.unused_sheets or batch.unused_columns:
                messages.info(request, " ".join(batch.unused_lines()))
            return redirect(tree_url(contract))
    return render(
        request,
        "strategy/tree_import.html",
        page(
            "Importer un arbre stratégique",
            parents=tree_crumbs(contract),
            contract=contract,
            form=form,
            issues=issues,
        ),
    )


urlpatterns: list[URLPattern] = [
    path("", tree, name="tree"),
    path("export.xlsx", tree_export_xlsx, name="tree_export_xlsx"),
    path("export.csv", tree_export_csv, name="tree_export_csv"),
    path("import/", tree_import_view, name="tree_import"),
    path("import/modele.xlsx", import_template, name="import_template"),
]
