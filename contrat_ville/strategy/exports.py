"""Spreadsheets out: the strategic tree (as filtered on its page), a yearly plan, and the import template.

XLSX through openpyxl (bold header row, column widths, frozen header); CSV with « ; » and a UTF-8 byte-order mark
so that Excel opens it with its accents. The tree workbook has the import template's three sheets (so an export,
edited, can be imported back) after a flat « Arbre » sheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.styles import Alignment, Font

from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.core.spreadsheets import csv_writer, safe_row, workbook_bytes, write_sheet
from contrat_ville.core.workbooks import new_workbook
from contrat_ville.observation.presenters import csv_text
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.importers import (
    ACTION_COLUMNS,
    ACTIONS_SHEET,
    OBJECTIVE_COLUMNS,
    OBJECTIVES_SHEET,
    ORIENTATION_COLUMNS,
    ORIENTATIONS_SHEET,
    README_SHEET,
    SHEETS,
    Column,
)
from contrat_ville.strategy.models import Action, ActionPlan, Objective
from contrat_ville.strategy.presenters import LevelNames, level_names, objective_figures
from contrat_ville.strategy.selectors import ObjectiveState, PlanRow, StrategyTree
from contrat_ville.strategy.snapshots import display_value
from contrat_ville.territories.models import Territory

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def tree_headers(names: LevelNames) -> tuple[str, ...]:
    """The flat sheet's headers, in the contract's words for its levels (« Défi », « Fiche action »…)."""
    pillar, orientation = names.pillar.heading, names.orientation.heading
    objective, action = names.objective.heading, names.action.heading
    return (
        pillar,
        f"{orientation} (référence)",
        orientation,
        "Validée par le comité de pilotage",
        f"{objective} (référence)",
        objective,
        "Indicateur",
        "Territoire de mesure",
        "Valeur de référence",
        "Année de référence",
        "Valeur cible",
        "Année cible",
        "Dernière valeur",
        "Année de la dernière valeur",
        f"Statut : {objective.lower()}" if objective != "Objectif" else "Statut de l'objectif",
        f"{action} (référence)",
        action,
        "Pilote",
        "Référent",
        "Partenaires",
        "Quartiers ciblés",
        "Axes transversaux",
        "Début",
        "Fin",
        f"État : {action.lower()}" if action != "Action" else "État de l'action",
        "Avancement (%)",
    )


def plan_headers(names: LevelNames) -> tuple[str, ...]:
    return (
        "Référence",
        names.action.heading,
        names.pillar.heading,
        names.orientation.heading,
        names.objective.heading,
        "Pilote",
        "Quartiers ciblés",
        "Début",
        "Fin",
        "État",
        "Avancement (%)",
        "Reconduite de l'année précédente",
    )


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"


def _join(values: Iterable[Any]) -> str:
    return " ; ".join(str(value) for value in values)


def _objective_indicator(objective: Objective) -> str:
    if objective.indicator is not None:
        text = f"{objective.indicator.code} — {objective.indicator.label}"
        return f"{text} ({objective.indicator_text})" if objective.indicator_text else text
    return objective.indicator_text


def _territory(territory: Territory | None) -> str:
    return f"{territory.name} ({territory.code})" if territory is not None else ""


def _action_cells(action: Action) -> list[Any]:
    return [
        action.code,
        action.title,
        str(action.lead_organization) if action.lead_organization else "",
        action.lead_contact,
        _join(action.partners.all()),
        _join(f"{qpv.name} ({qpv.code})" for qpv in action.qpvs.all()),
        _join(axis.label for axis in action.axes.all()),
        action.start_on,
        action.end_on,
        action.get_status_display(),
        action.progress,
    ]


def _objective_cells(objective: Objective, state: ObjectiveState) -> list[Any]:
    return [
        objective.code,
        objective.title,
        _objective_indicator(objective),
        _territory(objective.territory),
        *objective_figures(objective, state),
        state.status_label,
    ]


def tree_rows(tree: StrategyTree) -> list[list[Any]]:
    """One row per action (objectives without action and orientations without objective get their own row)."""
    rows: list[list[Any]] = []
    empty_objective = [""] * 11
    empty_action = [""] * 11
    for pillar_node in tree.pillars:
        for node in pillar_node.orientations:
            orientation = node.orientation
            head = [pillar_node.pillar.label, orientation.code, orientation.title, _yes_no(node.is_validated)]
            if not node.objectives:
                rows.append(head + empty_objective + empty_action)
            for objective_node in node.objectives:
                middle = _objective_cells(objective_node.objective, objective_node.state)
                if not objective_node.actions:
                    rows.append(head + middle + empty_action)
                rows.extend(head + middle + _action_cells(action) for action in objective_node.actions)
    return rows


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV for Excel: « ; » separator, UTF-8 with byte-order mark; numbers and dates as observation writes them
    (``observation.presenters.csv_text``: decimal comma, jj/mm/aaaa)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- the tree -------------------------------------------------------------------------------------------------


def _headers(columns: Sequence[Column], *extra: str) -> list[str]:
    return [column.header for column in columns] + list(extra)


def _level_rows(tree: StrategyTree) -> dict[str, list[list[Any]]]:
    """The tree in the import template's three sheets (plus, after them, columns the import ignores)."""
    orientations, objectives, actions = [], [], []
    for pillar_node in tree.pillars:
        for node in pillar_node.orientations:
            orientation = node.orientation
            orientations.append(
                [
                    orientation.code,
                    pillar_node.pillar.code,
                    orientation.title,
                    orientation.description,
                    _yes_no(node.is_validated),
                ]
            )
            for objective_node in node.objectives:
                objective, state = objective_node.objective, objective_node.state
                objectives.append(
                    [
                        objective.code,
                        orientation.code,
                        objective.title,
                        objective.description,
                        objective.indicator.code if objective.indicator else "",
                        objective.indicator_text,
                        objective.territory.code if objective.territory else "",
                        objective.baseline_value,
                        objective.baseline_year,
                        objective.target_value,
                        objective.target_year,
                        objective.observed_value,
                        objective.observed_year,
                        state.status_label,
                    ]
                )
                for action in objective_node.actions:
                    lead = action.lead_organization
                    actions.append(
                        [
                            action.code,
                            objective.code,
                            action.title,
                            action.description,
                            lead.name if lead else "",
                            action.lead_contact,
                            action.lead_email,
                            _join(partner.name for partner in action.partners.all()),
                            _join(qpv.code for qpv in action.qpvs.all()),
                            _join(axis.code for axis in action.axes.all()),
                            action.start_on,
                            action.end_on,
                            action.get_status_display(),
                            action.progress,
                        ]
                    )
    return {ORIENTATIONS_SHEET: orientations, OBJECTIVES_SHEET: objectives, ACTIONS_SHEET: actions}


def tree_xlsx(tree: StrategyTree, names: LevelNames | None = None) -> bytes:
    workbook, flat = new_workbook("Arbre")
    write_sheet(flat, tree_headers(names or level_names(None)), tree_rows(tree))
    levels = _level_rows(tree)
    write_sheet(
        workbook.create_sheet(ORIENTATIONS_SHEET),
        _headers(ORIENTATION_COLUMNS, "Validée par le comité de pilotage"),
        levels[ORIENTATIONS_SHEET],
    )
    write_sheet(
        workbook.create_sheet(OBJECTIVES_SHEET),
        _headers(OBJECTIVE_COLUMNS, "Statut de l'objectif"),
        levels[OBJECTIVES_SHEET],
    )
    write_sheet(workbook.create_sheet(ACTIONS_SHEET), _headers(ACTION_COLUMNS), levels[ACTIONS_SHEET])
    return workbook_bytes(workbook)


def tree_csv(tree: StrategyTree, names: LevelNames | None = None) -> bytes:
    return csv_bytes(tree_headers(names or level_names(None)), tree_rows(tree))


# --- a yearly plan --------------------------------------------------------------------------------------------


def plan_rows_cells(rows: list[PlanRow]) -> list[list[Any]]:
    """The plan as recorded: the frozen state of a validated plan, the live state of a draft."""
    cells = []
    for row in rows:
        state = row.state
        objective = row.action.objective
        cells.append(
            [
                state.get("code") or "",
                state.get("title") or "",
                objective.orientation.pillar.label,
                str(objective.orientation),
                state.get("objective") or "",
                state.get("lead") or "",
                _join(state.get("qpvs") or []),
                display_value("start_on", state.get("start_on")) if state.get("start_on") else "",
                display_value("end_on", state.get("end_on")) if state.get("end_on") else "",
                display_value("status", state.get("status")),
                state.get("progress"),
                _yes_no(bool(row.item.carried_over)),
            ]
        )
    return cells


def plan_xlsx(plan: ActionPlan, rows: list[PlanRow]) -> bytes:
    workbook, sheet = new_workbook(f"Plan d'actions {plan.year}")
    write_sheet(sheet, plan_headers(level_names(plan.contract)), plan_rows_cells(rows))
    return workbook_bytes(workbook)


def plan_csv(plan: ActionPlan, rows: list[PlanRow]) -> bytes:
    return csv_bytes(plan_headers(level_names(plan.contract)), plan_rows_cells(rows))


# --- the import template --------------------------------------------------------------------------------------

# The seed's three worked examples (seed 004, « Exemples de déclinaison orientation/objectif/plan d'actions »).
EXAMPLES = (
    (
        "cohesion_sociale",
        "Améliorer le taux de réussite des élèves des quartiers prioritaires au brevet des collèges",
        "Faire progresser le taux de réussite au brevet des collèges de x%",
        "Taux de réussite au brevet des collèges",
        "Mobiliser ou réorienter les dispositifs de droit commun existants et/ou les dispositifs spécifiques "
        "(PRE...) sur des établissements ciblés",
    ),
    (
        "cadre_de_vie",
        "Améliorer la sécurité des habitants",
        "Réduire les incivilités dans les halls d'immeuble",
        "Nombre d'incivilités signalées dans les halls d'immeuble",
        "Mettre en place des correspondants de nuit, des mesures de médiation sociale",
    ),
    (
        "developpement_economique",
        "Réduire le taux de chômage des jeunes des quartiers",
        "Réduire de x% le taux de chômage des jeunes femmes",
        "Taux de chômage des jeunes femmes",
        "Mobiliser ou réorienter les dispositifs emplois d'avenir, écoles de l'entrepreneuriat, renforcer les modes "
        "de garde des jeunes enfants",
    ),
)


def _readme_rows(
    contract: Contract, pillars: list[Pillar], axes: list[TransversalAxis], qpvs: list[Territory]
) -> list[list[str]]:
    rows = [
        ["Classeur d'import de l'arbre stratégique", "", "", ""],
        [f"Contrat : {contract.name}", "", "", ""],
        [
            "Remplissez les feuilles « Orientations », « Objectifs » et « Actions » à partir de la ligne 2 "
            "(la ligne 1 porte les en-têtes, à ne pas modifier). Les lignes d'exemple reprennent les trois "
            "exemples de la note de cadrage : remplacez-les. Une ligne dont la référence existe déjà dans le "
            "contrat met à jour l'élément ; sinon elle le crée. Au moindre problème, rien n'est enregistré et "
            "chaque erreur est signalée avec sa feuille, sa ligne et sa colonne.",
            "",
            "",
            "",
        ],
        ["", "", "", ""],
        ["Feuille", "Colonne", "Obligatoire", "Contenu et valeurs admises"],
    ]
    for sheet, columns in SHEETS.items():
        rows.extend([sheet, column.header, _yes_no(column.required), column.help] for column in columns)
    rows.append(["", "", "", ""])
    rows.append(["Codes des piliers", "", "", _join(f"{pillar.code} ({pillar.label})" for pillar in pillars)])
    rows.append(["Codes des axes transversaux", "", "", _join(f"{axis.code} ({axis.label})" for axis in axes)])
    rows.append(["Codes des quartiers", "", "", _join(f"{qpv.code} ({qpv.name})" for qpv in qpvs) or "aucun"])
    rows.append(["États des actions", "", "", _join(str(label) for label in ActionStatus.labels)])
    return rows


def template_xlsx(
    *, contract: Contract, pillars: list[Pillar], axes: list[TransversalAxis], qpvs: list[Territory]
) -> bytes:
    """The XLSX template: « Lisez-moi » (columns, allowed values, the contract's codes) and the three sheets with
    their headers and the seed's three examples as example rows."""
    codes = {pillar.code for pillar in pillars}
    fallback = pillars[0].code if pillars else ""
    qpv_code = qpvs[0].code if qpvs else ""
    orientations, objectives, actions = [], [], []
    for index, (pillar_code, orientation, objective, indicator, action) in enumerate(EXAMPLES, start=1):
        code = pillar_code if pillar_code in codes else fallback
        orientations.append([f"{index}.1", code, orientation, ""])
        objectives.append(
            [f"{index}.1.1", f"{index}.1", objective, "", "", indicator, qpv_code, "", "", "", "", "", ""]
        )
        actions.append(
            [
                f"{index}.1.1.a",
                f"{index}.1.1",
                action,
                "",
                "",
                "",
                "",
                "",
                qpv_code,
                "",
                "",
                "",
                str(ActionStatus.PLANNED.label),
                0,
            ]
        )
    workbook, readme = new_workbook(README_SHEET)
    readme_rows = _readme_rows(contract, pillars, axes, qpvs)
    for row in readme_rows:
        readme.append(safe_row(row))
    readme["A1"].font = Font(bold=True, size=14)
    for cell in readme[5]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (28, 38, 12, 100), strict=True):
        readme.column_dimensions[letter].width = width
    for row in readme.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    write_sheet(workbook.create_sheet(ORIENTATIONS_SHEET), _headers(ORIENTATION_COLUMNS), orientations)
    write_sheet(workbook.create_sheet(OBJECTIVES_SHEET), _headers(OBJECTIVE_COLUMNS), objectives)
    write_sheet(workbook.create_sheet(ACTIONS_SHEET), _headers(ACTION_COLUMNS), actions)
    return workbook_bytes(workbook)
