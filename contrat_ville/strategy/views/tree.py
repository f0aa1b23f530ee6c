"""The strategic tree page (public on a published contract), its spreadsheet exports, the template and the import."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.core.spreadsheets import XLSX_CONTENT_TYPE
from contrat_ville.strategy import exports, selectors
from contrat_ville.strategy.forms import TreeFilterForm, TreeImportForm
from contrat_ville.strategy.importers import summary, tree_import
from contrat_ville.strategy.permissions import can_build_strategy
from contrat_ville.strategy.presenters import LevelNames, level_names
from contrat_ville.strategy.views.common import form_page, tree_crumbs, tree_url
from contrat_ville.ui.page import download, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()


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


@routes("")
@contract_view(private=False)
def tree(request: ContractRequest) -> HttpResponse:
    """Pillar → orientation → objective → action, with filters, search, counts and validation badges."""
    contract = request.contract
    access = request.access
    strategy_tree, form = _filtered_tree(request)
    return render_page(
        request,
        "strategy/tree.html",
        f"Stratégie — {contract.name}",
        fragment="tree-results",
        parents=tree_crumbs(contract)[:-1],
        can_build_strategy=can_build_strategy(access),
        tree=strategy_tree,
        form=form,
        query=request.GET.urlencode(),
        objective_rule=selectors.OBJECTIVE_RULE,
        levels=level_names(contract),
    )


@routes("export.xlsx")
@contract_view(private=False)
def tree_export_xlsx(request: ContractRequest) -> HttpResponse:
    return _tree_download(request, exports.tree_xlsx, XLSX_CONTENT_TYPE, "xlsx")


@routes("export.csv")
@contract_view(private=False)
def tree_export_csv(request: ContractRequest) -> HttpResponse:
    return _tree_download(request, exports.tree_csv, exports.CSV_CONTENT_TYPE, "csv")


def _tree_download(
    request: ContractRequest,
    export: Callable[[selectors.StrategyTree, LevelNames], bytes],
    content_type: str,
    extension: str,
) -> HttpResponse:
    """The tree as the page shows it (same filters), with the contract's names of its levels as headers, as a file
    « strategie-<contract>.<extension> »."""
    strategy_tree, _ = _filtered_tree(request)
    return download(
        export(strategy_tree, level_names(request.contract)),
        content_type,
        f"strategie-{request.contract.slug}.{extension}",
    )


@routes("import/modele.xlsx")
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
    return download(content, XLSX_CONTENT_TYPE, f"modele-arbre-strategique-{contract.slug}.xlsx")


@contract_view(private=True, permission=can_build_strategy)
def tree_import_view(request: ContractRequest) -> HttpResponse:
    """Import a strategic tree from the template (all or nothing; errors by sheet, row and column)."""
    contract = request.contract
    return form_page(
        request,
        TreeImportForm(request.POST or None, request.FILES or None),
        save=lambda data: tree_import(contract=contract, file=data["file"], by=request.access.user),
        done=lambda batch: (
            " ".join([f"Import réussi : {summary(batch)}", *batch.unused_lines()]),
            tree_url(contract),
        ),
        title="Importer un arbre stratégique",
        parents=tree_crumbs(contract),
        intro_template="strategy/_import_help.html",
        errors_title="Erreurs du fichier",
        form_testid="import-form",
        submit_label="Importer",
        cancel_url=tree_url(contract),
    )


routes.add("import/", tree_import_view, "tree_import")
urlpatterns = routes.urlpatterns
