"""Spreadsheets: the import (all or nothing, errors by sheet, row and column), the exports and the template."""

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from contrat_ville.accounts.tests.factories import OrganizationFactory
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.imports import limits
from contrat_ville.core.imports.errors import ImportFileError
from contrat_ville.core.imports.readers import EMPTY_DETAIL
from contrat_ville.core.models import ImportBatch
from contrat_ville.observation.enums import Theme
from contrat_ville.observation.models import Indicator
from contrat_ville.strategy import exports, selectors, services
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.importers import (
    ACTION_COLUMNS,
    OBJECTIVE_COLUMNS,
    ORIENTATION_COLUMNS,
    summary,
    tree_import,
)
from contrat_ville.strategy.models import Action, Objective, Orientation
from contrat_ville.strategy.tests.factories import add_qpv, decide, make_plan, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return make_contract(name="Contrat de ville du Val Fictif")


def workbook(orientations=(), objectives=(), actions=()):
    book = Workbook()
    book.remove(book.active)
    for name, columns, rows in (
        ("Orientations", ORIENTATION_COLUMNS, orientations),
        ("Objectifs", OBJECTIVE_COLUMNS, objectives),
        ("Actions", ACTION_COLUMNS, actions),
    ):
        sheet = book.create_sheet(name)
        sheet.append([column.header for column in columns])
        for row in rows:
            sheet.append([row.get(column.key) for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


ORIENTATION = {"reference": "2.1", "pillar": "cadre_de_vie", "title": "Améliorer la sécurité des habitants"}
OBJECTIVE = {
    "reference": "2.1.1",
    "orientation": "2.1",
    "title": "Réduire les incivilités dans les halls d'immeuble",
    "indicator_text": "Incivilités signalées",
    "baseline_value": "120",
    "baseline_year": 2022,
    "target_value": 60,
    "target_year": "2030",
}
ACTION = {
    "reference": "2.1.1.a",
    "objective": "2.1.1",
    "title": "Mettre en place des correspondants de nuit, des mesures de médiation sociale",
    "status": "en cours",
    "progress": 30,
    "start_on": "01/03/2025",
    "end_on": date(2026, 12, 31),
}


def test_import_creates_the_tree(contract):
    qpv = add_qpv(contract, code="QN09650M")
    lead = OrganizationFactory.create(name="Bailleur social du Val", acronym="BSV")
    action = {**ACTION, "qpvs": "QN09650M", "axes": "jeunesse; egalite_femmes_hommes", "lead": "BSV"}
    result = tree_import(
        contract=contract, file=workbook([ORIENTATION], [{**OBJECTIVE, "territory": "QN09650M"}], [action])
    )
    assert {sheet: counts["created"] for sheet, counts in result.sheet_counts.items()} == {
        "Orientations": 1,
        "Objectifs": 1,
        "Actions": 1,
    }
    assert "1 orientations créé(e)s" in summary(result)
    assert (result.importer, result.scope, result.created_count) == ("strategy_tree", contract, 3)
    objective = Objective.objects.get()
    assert (objective.baseline_value, objective.target_year, objective.territory) == (120, 2030, qpv)
    created = Action.objects.get()
    assert (created.status, created.progress, created.lead_organization) == (ActionStatus.IN_PROGRESS, 30, lead)
    assert (created.start_on, created.end_on) == (date(2025, 3, 1), date(2026, 12, 31))
    assert sorted(created.axes.values_list("code", flat=True)) == ["egalite_femmes_hommes", "jeunesse"]
    assert list(created.qpvs.all()) == [qpv]


def test_import_updates_nodes_by_reference(contract):
    tree_import(contract=contract, file=workbook([ORIENTATION], [OBJECTIVE], [ACTION]))
    result = tree_import(
        contract=contract,
        file=workbook([{**ORIENTATION, "title": "Renforcer la tranquillité"}], [], [{**ACTION, "progress": 80}]),
    )
    assert {sheet: counts["updated"] for sheet, counts in result.sheet_counts.items()} == {
        "Orientations": 1,
        "Objectifs": 0,
        "Actions": 1,
    }
    assert Orientation.objects.get().title == "Renforcer la tranquillité"
    assert Action.objects.get().progress == 80


@pytest.mark.parametrize(
    ("sheets", "expected"),
    [
        (
            {"orientations": [{**ORIENTATION, "pillar": "securite"}]},
            "classeur.xlsx, "
            "feuille « Orientations », ligne 2, colonne Pilier (B) : code de pilier inconnu « securite »",
        ),
        (
            {"orientations": [ORIENTATION], "objectives": [{**OBJECTIVE, "orientation": "9.9"}]},
            "classeur.xlsx, "
            "feuille « Objectifs », ligne 2, colonne Orientation (B) : référence d'orientation inconnue « 9.9 »",
        ),
        (
            {"orientations": [ORIENTATION], "objectives": [{**OBJECTIVE, "baseline_year": "vingt"}]},
            "classeur.xlsx, feuille « Objectifs », ligne 2, colonne Année de référence (I) : année invalide « vingt »",
        ),
        (
            {"orientations": [ORIENTATION], "objectives": [{**OBJECTIVE, "target_year": 2020}]},
            "classeur.xlsx, "
            "feuille « Objectifs », ligne 2, colonne Année cible (K) : l'année cible (2020) doit être égale ou "
            "postérieure à l'année de référence (2022)",
        ),
        (
            {"orientations": [ORIENTATION], "objectives": [OBJECTIVE], "actions": [{**ACTION, "qpvs": "QN0000X"}]},
            "classeur.xlsx, "
            "feuille « Actions », ligne 2, colonne Quartiers ciblés (codes) (I) : code QPV inconnu « QN0000X »",
        ),
        (
            {"orientations": [ORIENTATION], "objectives": [OBJECTIVE], "actions": [{**ACTION, "status": "terminée"}]},
            "classeur.xlsx, "
            "feuille « Actions », ligne 2, colonne État (M) : état inconnu « terminée » (valeurs admises : "
            "prévue, en cours, réalisée, abandonnée)",
        ),
        (
            {"orientations": [ORIENTATION], "objectives": [OBJECTIVE], "actions": [{**ACTION, "objective": "0"}]},
            "classeur.xlsx, feuille « Actions », ligne 2, colonne Objectif (B) : référence d'objectif inconnue « 0 »",
        ),
        (
            {"orientations": [ORIENTATION], "objectives": [OBJECTIVE], "actions": [{**ACTION, "start_on": "demain"}]},
            "classeur.xlsx, feuille « Actions », ligne 2, colonne Début (K) : date invalide « demain »",
        ),
    ],
)
def test_import_errors_name_sheet_row_and_column_and_write_nothing(contract, sheets, expected):
    with pytest.raises(ImportFileError) as refused:
        tree_import(
            contract=contract,
            file=workbook(sheets.get("orientations", []), sheets.get("objectives", []), sheets.get("actions", [])),
        )
    messages = [str(issue) for issue in refused.value.issues]
    assert any(message.startswith(expected) for message in messages), messages
    assert not Orientation.objects.exists()
    assert not Objective.objects.exists()


def test_import_reports_every_error_with_its_row(contract):
    rows = [ORIENTATION, {**ORIENTATION, "reference": "2.2", "title": ""}, {**ORIENTATION, "reference": "2.1"}]
    with pytest.raises(ImportFileError) as refused:
        tree_import(contract=contract, file=workbook(rows))
    messages = [str(issue) for issue in refused.value.issues]
    assert "classeur.xlsx, feuille « Orientations », ligne 3, colonne Intitulé (C) : valeur obligatoire" in messages
    assert (
        "classeur.xlsx, "
        "feuille « Orientations », ligne 4, colonne Référence (A) : référence « 2.1 » en double (déjà ligne 2)"
        in messages
    )
    assert not Orientation.objects.exists()


def test_import_refuses_a_file_that_is_not_a_workbook(contract):
    with pytest.raises(ImportFileError, match=r"le fichier est un fichier texte \(CSV\), pas un classeur Excel"):
        tree_import(contract=contract, file=io.BytesIO(b"pas un classeur"))


def test_import_refuses_a_workbook_without_the_sheets(contract):
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(ImportFileError) as refused:
        tree_import(contract=contract, file=buffer)
    assert "classeur.xlsx, feuille « Orientations » : feuille absente du classeur" in str(refused.value.issues[0])


def test_import_rolls_back_when_a_service_refuses_a_row(contract):
    _, objective, _ = make_tree(contract, action_count=0)
    services.objective_update(objective=objective, fields=services.ObjectiveFields(title=objective.title, code="OBJ"))
    done = services.action_create(
        objective=objective, fields=services.ActionFields(title="Action réalisée", code="X1", status=ActionStatus.DONE)
    )
    row = {"reference": done.code, "objective": "OBJ", "title": "Reprise", "status": "prévue"}
    with pytest.raises(ImportFileError) as refused:
        tree_import(contract=contract, file=workbook([ORIENTATION], [], [row]))
    assert "passage impossible de « réalisée » à « prévue »" in str(refused.value.issues[0])
    assert not Orientation.objects.filter(code="2.1").exists()


def test_template_has_readme_and_the_three_sheets_with_the_seed_examples(contract):
    add_qpv(contract, code="QN09650M")
    content = exports.template_xlsx(
        contract=contract,
        pillars=selectors.pillar_list(contract=contract),
        axes=selectors.axis_list(contract=contract),
        qpvs=selectors.qpv_list(contract=contract),
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Lisez-moi", "Orientations", "Objectifs", "Actions"]
    readme = [cell for row in book["Lisez-moi"].iter_rows(values_only=True) for cell in row if cell]
    assert "prévue ; en cours ; réalisée ; abandonnée" in readme
    assert any("QN09650M" in str(cell) for cell in readme)
    orientations = book["Orientations"]
    assert [cell.value for cell in orientations[1]] == [column.header for column in ORIENTATION_COLUMNS]
    assert orientations["A1"].font.bold
    assert (
        orientations["C2"].value
        == "Améliorer le taux de réussite des élèves des quartiers prioritaires au brevet des collèges"
    )
    # The template imports as it is: the seed's three examples.
    result = tree_import(contract=contract, file=io.BytesIO(content))
    assert {sheet: counts["created"] for sheet, counts in result.sheet_counts.items()} == {
        "Orientations": 3,
        "Objectifs": 3,
        "Actions": 3,
    }


def test_tree_export_xlsx_and_reimport(contract):
    qpv = add_qpv(contract, code="QN09650M")
    indicator = Indicator.objects.create(
        code="CS-99", label="Réussite au brevet", theme=Theme.COHESION_SOCIALE, unit="%"
    )
    orientation, objective, (action,) = make_tree(contract)
    services.orientation_update(
        orientation=orientation, pillar=orientation.pillar, title=orientation.title, code="2.1"
    )
    services.objective_update(
        objective=objective,
        fields=services.ObjectiveFields(
            title=objective.title,
            code="2.1.1",
            indicator=indicator,
            territory=qpv,
            baseline_value=120,
            baseline_year=2022,
            target_value=60,
            target_year=2030,
        ),
    )
    services.action_update(
        action=action,
        fields=services.ActionFields(title=action.title, code="A1", qpvs=[qpv], start_on=date(2025, 1, 1)),
    )
    tree = selectors.strategy_tree(contract=contract, access=None)
    book = load_workbook(io.BytesIO(exports.tree_xlsx(tree)))
    assert book.sheetnames == ["Arbre", "Orientations", "Objectifs", "Actions"]
    flat = book["Arbre"]
    assert flat["A1"].font.bold
    assert flat.column_dimensions["C"].width > 10
    header = [cell.value for cell in flat[1]]
    row = dict(zip(header, [cell.value for cell in flat[2]], strict=True))
    assert row["Orientation"] == "Améliorer la sécurité des habitants"
    assert row["Validée par le comité de pilotage"] == "oui"
    assert row["Indicateur"] == "CS-99 — Réussite au brevet"
    assert row["Quartiers ciblés"] == f"{qpv.name} (QN09650M)"
    assert row["État de l'action"] == "prévue"
    assert row["Début"].date() == date(2025, 1, 1)
    actions = book["Actions"]
    assert [actions.cell(row=2, column=index).value for index in (1, 2, 9)] == ["A1", "2.1.1", "QN09650M"]
    # An export imports back onto the same nodes.
    result = tree_import(contract=contract, file=io.BytesIO(exports.tree_xlsx(tree)))
    assert result.sheet_counts == {
        sheet: {"created": 0, "updated": 1} for sheet in ("Orientations", "Objectifs", "Actions")
    }


def test_tree_export_csv_is_excel_friendly(contract):
    make_tree(contract)
    content = exports.tree_csv(selectors.strategy_tree(contract=contract, access=None))
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Pilier", "Orientation (référence)", "Orientation"]
    assert rows[1][2] == "Améliorer la sécurité des habitants"
    assert rows[1][-4:] == ["01/01/2025", "", "prévue", "0"]
    assert "Action 1" in rows[1]


def test_tree_export_csv_writes_numbers_as_observation_does(contract):
    _, objective, _ = make_tree(contract)
    Objective.objects.filter(pk=objective.pk).update(baseline_value=23.5, target_value=1234.25)
    rows = list(
        csv.DictReader(
            io.StringIO(exports.tree_csv(selectors.strategy_tree(contract=contract, access=None)).decode("utf-8-sig")),
            delimiter=";",
        )
    )
    # A decimal comma, no thousands separator: the spreadsheet reads a number (observation.presenters.csv_text).
    assert (rows[0]["Valeur de référence"], rows[0]["Valeur cible"]) == ("23,5", "1234,25")


def test_plan_exports_show_the_recorded_state(contract):
    _, _, (action,) = make_tree(contract)
    plan = make_plan(contract, 2025, [action])
    decide(plan)
    services.action_set_status(action=action, status=ActionStatus.DONE, progress=100)
    rows = selectors.plan_rows(plan=plan)
    book = load_workbook(io.BytesIO(exports.plan_xlsx(plan, rows)))
    sheet = book["Plan d'actions 2025"]
    assert sheet["A1"].font.bold
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert (values["Action"], values["État"], values["Avancement (%)"]) == ("Action 1", "prévue", 0)
    content = exports.plan_csv(plan, rows).decode("utf-8-sig")
    assert content.splitlines()[0].startswith("Référence;Action;Pilier")


# --- malformed files (issue 15): each refused with its French message, no row changed ------------------------


def tree_state() -> tuple:
    return (
        list(Orientation.objects.order_by("pk").values_list("pk", "code", "title", "description")),
        list(
            Objective.objects.order_by("pk").values_list(
                "pk", "code", "title", "baseline_value", "baseline_year", "target_value", "target_year"
            )
        ),
        list(Action.objects.order_by("pk").values_list("pk", "code", "title", "status", "progress")),
        ImportBatch.objects.count(),
    )


def refused_tree(contract, file, expected: str) -> ImportFileError:
    before = tree_state()
    with pytest.raises(ImportFileError) as caught:
        tree_import(contract=contract, file=file)
    assert caught.value.message.startswith(expected), caught.value.message
    assert caught.value.message.endswith("Aucune donnée n'a été importée.")
    assert tree_state() == before
    return caught.value


@pytest.fixture
def imported(contract):
    tree_import(contract=contract, file=workbook([ORIENTATION], [OBJECTIVE], [ACTION]))
    assert Objective.objects.get().baseline_value == 120
    return contract


def test_import_text_in_a_numeric_column_keeps_the_stored_value(imported):
    objective = {**OBJECTIVE, "baseline_value": "cent vingt"}
    refused_tree(
        imported,
        workbook([ORIENTATION], [objective], [ACTION]),
        "classeur.xlsx, feuille « Objectifs », ligne 2, colonne Valeur de référence (H) : « cent vingt » n'est pas "
        "un nombre.",
    )
    assert Objective.objects.get().baseline_value == 120


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        ("Référence;Pilier\n2.1;cadre_de_vie\n".encode(), "un fichier texte (CSV)"),
        (b"PK\x03\x04" + b"\x00" * 200, "une archive ZIP"),
        (bytes(range(256)) * 4, "un fichier binaire"),
    ],
)
def test_import_file_of_the_wrong_kind(imported, content, kind):
    upload = io.BytesIO(content)
    upload.name = "arbre.xlsx"
    refused_tree(imported, upload, f"arbre.xlsx : le fichier est {kind}, pas un classeur Excel (.xlsx)")


def test_import_workbook_beyond_the_limit(imported, monkeypatch):
    monkeypatch.setattr(limits, "MAX_WORKBOOK_BYTES", 1024)
    refused_tree(imported, workbook([ORIENTATION], [OBJECTIVE], [ACTION]), "classeur.xlsx : fichier de")


def test_import_header_only(imported):
    refused_tree(imported, workbook(), f"classeur.xlsx : {EMPTY_DETAIL}.")


def test_import_records_its_batch_with_the_columns_and_sheets_it_did_not_read(contract):
    book = load_workbook(workbook([ORIENTATION], [], []))
    book["Orientations"]["E1"] = "Commentaire"
    book["Orientations"]["E2"] = "à revoir"
    book.create_sheet("Brouillon")
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    batch = tree_import(contract=contract, file=buffer)
    assert (batch.unused_columns, batch.unused_sheets) == ({"Orientations": ["Commentaire"]}, ["Brouillon"])
    assert ImportBatch.objects.get() == batch
