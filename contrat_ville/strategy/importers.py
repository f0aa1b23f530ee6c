"""Import of a strategic tree from the platform's XLSX template (sheets « Orientations », « Objectifs », « Actions »).

The import follows the import kernel's policy (``core.imports``): every row is read and checked first, and every
fault (named by file, sheet, row and column, in French) is collected, up to ``limits.MAX_ERRORS``; any fault means
nothing is written. Then the rows are written through the same services as the web forms, in one transaction, and
the run is recorded as a ``core.ImportBatch`` (provenance, counts by sheet, columns and sheets not read). A row
whose reference (« Référence ») names an existing node of the contract updates it; otherwise it creates one.
"""

from __future__ import annotations

import datetime
from collections.abc import Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.imports.cells import cell_text, not_a_number, parse_number
from contrat_ville.core.imports.errors import ImportFileError, Issues, column_label
from contrat_ville.core.imports.readers import EMPTY_DETAIL, blank, open_workbook, read_sheet
from contrat_ville.core.imports.record import import_batch_new
from contrat_ville.core.imports.sources import source_of
from contrat_ville.core.models import ImportBatch
from contrat_ville.observation.models import Indicator
from contrat_ville.strategy import services
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.models import Action, Objective, Orientation
from contrat_ville.strategy.selectors import organization_choices, territory_groups
from contrat_ville.territories.models import Territory

ORIENTATIONS_SHEET = "Orientations"
OBJECTIVES_SHEET = "Objectifs"
ACTIONS_SHEET = "Actions"
README_SHEET = "Lisez-moi"
LIST_SEPARATORS = (";", ",", "\n")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    required: bool = False


ORIENTATION_COLUMNS = (
    Column("reference", "Référence", "Numéro de l'orientation, unique dans le contrat (par exemple 1.1).", True),
    Column("pillar", "Pilier", "Code du pilier du contrat.", True),
    Column("title", "Intitulé", "L'orientation stratégique.", True),
    Column("description", "Description", "Texte libre."),
)
OBJECTIVE_COLUMNS = (
    Column("reference", "Référence", "Numéro de l'objectif, unique dans le contrat (par exemple 1.1.1).", True),
    Column(
        "orientation",
        "Orientation",
        "Référence de l'orientation : de la feuille « Orientations » ou déjà enregistrée dans le contrat.",
        True,
    ),
    Column("title", "Intitulé", "L'objectif opérationnel.", True),
    Column("description", "Description", "Texte libre."),
    Column("indicator", "Indicateur (code du catalogue)", "Code d'un indicateur du catalogue de la plateforme."),
    Column("indicator_text", "Indicateur (texte libre)", "Quand l'indicateur n'est pas au catalogue."),
    Column(
        "territory",
        "Territoire de mesure (code)",
        "Code d'un quartier prioritaire du contrat, d'une de ses communes ou de l'intercommunalité.",
    ),
    Column("baseline_value", "Valeur de référence", "Nombre (virgule ou point décimal)."),
    Column("baseline_year", "Année de référence", "Année sur quatre chiffres ; obligatoire avec une valeur."),
    Column("target_value", "Valeur cible", "Nombre."),
    Column("target_year", "Année cible", "Année sur quatre chiffres, au plus tôt l'année de référence."),
    Column("observed_value", "Dernière valeur constatée", "Nombre, pour un indicateur hors catalogue."),
    Column("observed_year", "Année de la dernière valeur constatée", "Année sur quatre chiffres."),
)
ACTION_COLUMNS = (
    Column(
        "reference",
        "Référence",
        "Numéro de l'action (par exemple 1.1.1.a). Vide : l'action est créée sans "
        "numéro ; sinon une action du contrat de même numéro est mise à jour.",
    ),
    Column(
        "objective",
        "Objectif",
        "Référence de l'objectif : de la feuille « Objectifs » ou déjà enregistré dans le contrat.",
        True,
    ),
    Column("title", "Intitulé", "L'action.", True),
    Column("description", "Description", "Texte libre."),
    Column("lead", "Pilote (organisation)", "Nom exact, sigle ou SIREN d'une organisation connue de la plateforme."),
    Column("lead_contact", "Référent", "Nom et fonction de la personne référente."),
    Column("lead_email", "Courriel du référent", "Adresse électronique."),
    Column("partners", "Partenaires", "Organisations séparées par « ; » (nom exact, sigle ou SIREN)."),
    Column("qpvs", "Quartiers ciblés (codes)", "Codes des quartiers prioritaires du contrat, séparés par « ; »."),
    Column("axes", "Axes transversaux (codes)", "Codes des axes transversaux du contrat, séparés par « ; »."),
    Column("start_on", "Début", "Date au format jj/mm/aaaa."),
    Column("end_on", "Fin", "Date au format jj/mm/aaaa, au plus tôt la date de début."),
    Column(
        "status",
        "État",
        "Une de ces valeurs : " + ", ".join(str(label) for label in ActionStatus.labels) + ".",
    ),
    Column("progress", "Avancement (%)", "Nombre entier de 0 à 100."),
)
# The columns that name a row's parent: the parent's noun in the messages, and the sheet it may come from.
PARENT_COLUMNS = {"orientation": ("orientation", ORIENTATIONS_SHEET), "objective": ("objectif", OBJECTIVES_SHEET)}
SHEETS: dict[str, tuple[Column, ...]] = {
    ORIENTATIONS_SHEET: ORIENTATION_COLUMNS,
    OBJECTIVES_SHEET: OBJECTIVE_COLUMNS,
    ACTIONS_SHEET: ACTION_COLUMNS,
}


IMPORTER = "strategy_tree"
SHEET_LABELS = {ORIENTATIONS_SHEET: "orientations", OBJECTIVES_SHEET: "objectifs", ACTIONS_SHEET: "actions"}


def summary(batch: ImportBatch) -> str:
    """« 3 orientations créé(e)s, 0 mis(es) à jour ; 3 objectifs … »: the counts of each sheet of the template."""
    parts = []
    for sheet, label in SHEET_LABELS.items():
        counts = batch.sheet_counts.get(sheet, {})
        parts.append(f"{counts.get('created', 0)} {label} créé(e)s, {counts.get('updated', 0)} mis(es) à jour")
    return " ; ".join(parts) + "."


# --- reading cells --------------------------------------------------------------------------------------------


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]
    letters: dict[str, int]


def _text(value: Any) -> str:
    return cell_text(value)


def _normalise(header: Any) -> str:
    return " ".join(_text(header).casefold().split())


def _read_sheet(
    workbook: Any, name: str, columns: tuple[Column, ...], issues: Issues, batch: ImportBatch
) -> list[Row]:
    if name not in workbook.sheetnames:
        issues.add("feuille absente du classeur : partez du modèle à télécharger", sheet=name)
        return []
    table = read_sheet(workbook, name, header_row=1)
    if table is None:
        issues.add("feuille vide : la ligne d'en-tête du modèle est absente", sheet=name, line=1)
        return []
    positions = {_normalise(value): index for index, value in enumerate(table.header) if value}
    indexes: dict[str, int] = {}
    for column in columns:
        index = positions.get(_normalise(column.header))
        if index is not None:
            indexes[column.key] = index
        elif column.required:
            issues.add("colonne obligatoire absente de la ligne d'en-tête", line=1, column=column.header, sheet=name)
    read = set(indexes.values())
    batch.leave_columns((header for index, header in enumerate(table.header) if index not in read), sheet=name)
    result = []
    for number, values in table.rows:
        if blank(values):
            continue
        cells = {key: values[index] if index < len(values) else None for key, index in indexes.items()}
        result.append(Row(sheet=name, number=number, values=cells, letters=indexes))
    return result


class Reader:
    """Typed reads of one row's cells, reporting each problem with its sheet, row and column."""

    def __init__(self, row: Row, columns: tuple[Column, ...], issues: Issues) -> None:
        self.row = row
        self.columns = {column.key: column for column in columns}
        self.issues = issues
        self.first_problem = len(issues)

    def error(self, key: str, message: str) -> None:
        fault(self.issues, self.row, self.columns[key], message)

    @property
    def is_clean(self) -> bool:
        """No problem reported on this row so far."""
        return len(self.issues) == self.first_problem

    def text(self, key: str) -> str:
        value = _text(self.row.values.get(key))
        if not value and self.columns[key].required:
            self.error(key, "valeur obligatoire.")
        return value

    def number(self, key: str) -> float | None:
        raw = self.row.values.get(key)
        if raw is None or _text(raw) == "":
            return None
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        try:
            return parse_number(_text(raw).removesuffix("%"))
        except ValueError:
            self.error(key, not_a_number(raw))
            return None

    def year(self, key: str) -> int | None:
        raw = self.row.values.get(key)
        text = _text(raw)
        if not text:
            return None
        if not text.isdigit() or not services.MIN_YEAR <= int(text) <= services.MAX_YEAR:
            self.error(
                key,
                f"année invalide « {text} » : une année sur quatre chiffres est attendue, entre {services.MIN_YEAR} "
                f"et {services.MAX_YEAR}.",
            )
            return None
        return int(text)

    def date(self, key: str) -> datetime.date | None:
        raw = self.row.values.get(key)
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        text = _text(raw)
        if not text:
            return None
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
            except ValueError:
                continue
        self.error(key, f"date invalide « {text} » : le format attendu est jj/mm/aaaa.")
        return None

    def items(self, key: str) -> list[str]:
        text = self.text(key)
        for separator in LIST_SEPARATORS[1:]:
            text = text.replace(separator, LIST_SEPARATORS[0])
        return [item.strip() for item in text.split(LIST_SEPARATORS[0]) if item.strip()]


# --- the contract's reference data ----------------------------------------------------------------------------


@dataclass
class Lookups:
    pillars: dict[str, Pillar]
    axes: dict[str, TransversalAxis]
    qpvs: dict[str, Territory]
    territories: dict[str, Territory]
    indicators: dict[str, Indicator]
    organizations: dict[str, Organization]
    orientations: dict[str, Orientation]
    objectives: dict[str, Objective]
    actions: dict[str, Action]

    @classmethod
    def of(cls, contract: Contract) -> Lookups:
        groups = territory_groups(contract=contract)
        organizations: dict[str, Organization] = {}
        for organization in organization_choices(contract=contract):
            for key in (organization.name, str(organization), organization.acronym, organization.siren):
                if key:
                    organizations.setdefault(key.casefold(), organization)
        return cls(
            pillars={pillar.code: pillar for pillar in Pillar.objects.filter(contract=contract)},
            axes={axis.code: axis for axis in TransversalAxis.objects.filter(contract=contract)},
            qpvs={qpv.code: qpv for qpv in groups[0].territories},
            territories={territory.code: territory for group in groups for territory in group.territories},
            indicators={indicator.code: indicator for indicator in Indicator.objects.all()},
            organizations=organizations,
            orientations={item.code: item for item in Orientation.objects.filter(contract=contract).exclude(code="")},
            objectives={
                item.code: item
                for item in Objective.objects.filter(orientation__contract=contract)
                .select_related("orientation__contract")
                .exclude(code="")
            },
            actions={
                item.code: item
                for item in Action.objects.filter(objective__orientation__contract=contract)
                .select_related("objective__orientation__contract")
                .exclude(code="")
            },
        )


def _codes(values: Iterable[str]) -> str:
    listed = sorted(values)
    return ", ".join(listed) if listed else "aucun"


# --- parsing each sheet ---------------------------------------------------------------------------------------


@dataclass
class OrientationRow:
    row: Row
    reference: str
    pillar: Pillar
    title: str
    description: str


@dataclass
class ObjectiveRow:
    row: Row
    reference: str
    orientation: str
    fields: services.ObjectiveFields


@dataclass
class ActionRow:
    row: Row
    reference: str
    objective: str
    fields: services.ActionFields


def fault(issues: Issues, row: Row, column: Column, message: str) -> None:
    """A fault of a cell: sheet, row, and the column's header with its letter."""
    index = row.letters.get(column.key)
    issues.add(message, line=row.number, column=column_label(column.header, index), sheet=row.sheet)


def _readers(rows: list[Row], columns: tuple[Column, ...], issues: Issues) -> Iterator[tuple[Reader, str]]:
    """Each row's reader and reference, the reference checked unique in the sheet."""
    seen: dict[str, int] = {}
    for row in rows:
        reader = Reader(row, columns, issues)
        reference = reader.text("reference")
        if reference and reference in seen:
            reader.error("reference", f"référence « {reference} » en double (déjà ligne {seen[reference]}).")
        elif reference:
            seen[reference] = row.number
        yield reader, reference


def _parent_reference(reader: Reader, key: str, sheet_refs: Container[str], saved: Container[str]) -> str:
    """The reference in the ``key`` column of a row's parent: a row of its sheet, or a node already ``saved``."""
    noun, sheet = PARENT_COLUMNS[key]
    reference = reader.text(key)
    if reference and reference not in sheet_refs and reference not in saved:
        reader.error(
            key,
            f"référence d'{noun} inconnue « {reference} » : ni dans la feuille « {sheet} », ni parmi les {noun}s du "
            "contrat.",
        )
    return reference


def _parse_orientations(rows: list[Row], lookups: Lookups, issues: Issues) -> list[OrientationRow]:
    parsed: list[OrientationRow] = []
    for reader, reference in _readers(rows, ORIENTATION_COLUMNS, issues):
        pillar_code = reader.text("pillar")
        pillar = lookups.pillars.get(pillar_code)
        if pillar_code and pillar is None:
            reader.error(
                "pillar", f"code de pilier inconnu « {pillar_code} » (codes du contrat : {_codes(lookups.pillars)})."
            )
        title = reader.text("title")
        if reference and pillar is not None and title:
            parsed.append(OrientationRow(reader.row, reference, pillar, title, reader.text("description")))
    return parsed


def _parse_objectives(
    rows: list[Row], lookups: Lookups, orientation_refs: set[str], issues: Issues
) -> list[ObjectiveRow]:
    parsed: list[ObjectiveRow] = []
    for reader, reference in _readers(rows, OBJECTIVE_COLUMNS, issues):
        orientation = _parent_reference(reader, "orientation", orientation_refs, lookups.orientations)
        indicator_code = reader.text("indicator")
        indicator = lookups.indicators.get(indicator_code)
        if indicator_code and indicator is None:
            reader.error("indicator", f"code d'indicateur inconnu du catalogue « {indicator_code} ».")
        territory_code = reader.text("territory")
        territory = lookups.territories.get(territory_code)
        if territory_code and territory is None:
            reader.error(
                "territory",
                f"code de territoire inconnu « {territory_code} » : un quartier prioritaire du contrat, une de ses "
                "communes ou l'intercommunalité est attendu.",
            )
        fields = services.ObjectiveFields(
            title=reader.text("title"),
            code=reference,
            description=reader.text("description"),
            indicator=indicator,
            indicator_text=reader.text("indicator_text"),
            territory=territory,
            baseline_value=reader.number("baseline_value"),
            baseline_year=reader.year("baseline_year"),
            target_value=reader.number("target_value"),
            target_year=reader.year("target_year"),
            observed_value=reader.number("observed_value"),
            observed_year=reader.year("observed_year"),
        )
        if reader.is_clean:
            _check_shape(reader, fields)
        if reader.is_clean:
            parsed.append(ObjectiveRow(reader.row, reference, orientation, fields))
    return parsed


def _check_shape(reader: Reader, fields: services.ObjectiveFields) -> None:
    """The objective rules that need no database, reported on the row in the column they name."""
    try:
        services.check_objective_fields_shape(fields)
    except BusinessRuleError as error:
        reader.error(error.field if error.field in reader.columns else "title", _lower_first(error.message))


def _organization(reader: Reader, key: str, name: str, lookups: Lookups) -> Organization | None:
    organization = lookups.organizations.get(name.casefold())
    if organization is None:
        reader.error(
            key,
            f"organisation inconnue « {name} » : indiquez le nom exact, le sigle ou le SIREN d'une organisation "
            "connue de la plateforme.",
        )
    return organization


def _parse_actions(rows: list[Row], lookups: Lookups, objective_refs: set[str], issues: Issues) -> list[ActionRow]:
    parsed: list[ActionRow] = []
    statuses = {str(label).casefold(): value for value, label in ActionStatus.choices}
    statuses.update({value: value for value in ActionStatus.values})
    for reader, reference in _readers(rows, ACTION_COLUMNS, issues):
        objective = _parent_reference(reader, "objective", objective_refs, lookups.objectives)
        lead_name = reader.text("lead")
        lead = _organization(reader, "lead", lead_name, lookups) if lead_name else None
        partners = [_organization(reader, "partners", name, lookups) for name in reader.items("partners")]
        qpvs = []
        for code in reader.items("qpvs"):
            if code in lookups.qpvs:
                qpvs.append(lookups.qpvs[code])
            else:
                reader.error("qpvs", f"code QPV inconnu « {code} » (quartiers du contrat : {_codes(lookups.qpvs)}).")
        axes = []
        for code in reader.items("axes"):
            if code in lookups.axes:
                axes.append(lookups.axes[code])
            else:
                reader.error("axes", f"code d'axe inconnu « {code} » (axes du contrat : {_codes(lookups.axes)}).")
        status_text = reader.text("status")
        status = statuses.get(status_text.casefold(), "") if status_text else ActionStatus.PLANNED
        if not status:
            reader.error(
                "status",
                f"état inconnu « {status_text} » (valeurs admises : "
                + ", ".join(str(label) for label in ActionStatus.labels)
                + ").",
            )
        progress_value = reader.number("progress")
        if progress_value is not None and (not progress_value.is_integer() or not 0 <= progress_value <= 100):
            reader.error(
                "progress",
                f"avancement invalide « {_text(reader.row.values.get('progress'))} » : un entier de 0 à 100.",
            )
        email = reader.text("lead_email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                reader.error("lead_email", f"adresse électronique invalide « {email} ».")
        fields = services.ActionFields(
            title=reader.text("title"),
            code=reference,
            description=reader.text("description"),
            lead_organization=lead,
            lead_contact=reader.text("lead_contact"),
            lead_email=email,
            partners=[partner for partner in partners if partner is not None],
            qpvs=qpvs,
            axes=axes,
            start_on=reader.date("start_on"),
            end_on=reader.date("end_on"),
            status=status or ActionStatus.PLANNED,
            progress=int(progress_value or 0),
        )
        if fields.start_on and fields.end_on and fields.end_on < fields.start_on:
            reader.error("end_on", "la date de fin précède la date de début.")
        if reader.is_clean:
            parsed.append(ActionRow(reader.row, reference, objective, fields))
    return parsed


# --- writing --------------------------------------------------------------------------------------------------


@contextmanager
def _at(issues: Issues, row: Row, columns: tuple[Column, ...]) -> Iterator[None]:
    """A rule a service refuses while writing is reported on its row, in the column it names (then rolled back)."""
    try:
        yield
    except BusinessRuleError as error:
        keys = {column.key for column in columns}
        key = error.field if error.field in keys else "title"
        column = next(column for column in columns if column.key == key)
        index = row.letters.get(column.key)
        raise issues.error(
            _lower_first(error.message), line=row.number, column=column_label(column.header, index), sheet=row.sheet
        ) from error


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]


def _write(
    contract: Contract,
    orientations: list[OrientationRow],
    objectives: list[ObjectiveRow],
    actions: list[ActionRow],
    lookups: Lookups,
    by: Any,
    issues: Issues,
) -> dict[str, dict[str, int]]:
    result = {sheet: {"created": 0, "updated": 0} for sheet in SHEETS}
    orientation_by_ref = dict(lookups.orientations)
    objective_by_ref = dict(lookups.objectives)
    for item in orientations:
        existing = lookups.orientations.get(item.reference)
        fields = services.OrientationFields(
            pillar=item.pillar, title=item.title, code=item.reference, description=item.description
        )
        with _at(issues, item.row, ORIENTATION_COLUMNS):
            if existing is not None:
                fields["stakes"] = list(existing.stakes.all())  # the import does not name them: they stay
                orientation_by_ref[item.reference] = services.orientation_update(orientation=existing, by=by, **fields)
                result[ORIENTATIONS_SHEET]["updated"] += 1
            else:
                orientation_by_ref[item.reference] = services.orientation_create(contract=contract, by=by, **fields)
                result[ORIENTATIONS_SHEET]["created"] += 1
    for objective_row in objectives:
        orientation = orientation_by_ref[objective_row.orientation]
        existing_objective = lookups.objectives.get(objective_row.reference)
        with _at(issues, objective_row.row, OBJECTIVE_COLUMNS):
            if existing_objective is not None:
                existing_objective.orientation = orientation
                objective_by_ref[objective_row.reference] = services.objective_update(
                    objective=existing_objective, fields=objective_row.fields, by=by
                )
                result[OBJECTIVES_SHEET]["updated"] += 1
            else:
                objective_by_ref[objective_row.reference] = services.objective_create(
                    orientation=orientation, fields=objective_row.fields, by=by
                )
                result[OBJECTIVES_SHEET]["created"] += 1
    for action_row in actions:
        objective = objective_by_ref[action_row.objective]
        existing_action = lookups.actions.get(action_row.reference) if action_row.reference else None
        with _at(issues, action_row.row, ACTION_COLUMNS):
            if existing_action is not None:
                existing_action.objective = objective
                services.action_update(
                    action=existing_action, fields=action_row.fields, comment="Import du classeur", by=by
                )
                result[ACTIONS_SHEET]["updated"] += 1
            else:
                services.action_create(objective=objective, fields=action_row.fields, by=by)
                result[ACTIONS_SHEET]["created"] += 1
    return result


def tree_import(*, contract: Contract, file: IO[bytes], by: Any = None, name: str | None = None) -> ImportBatch:
    """Import a strategic tree from an XLSX workbook in the template's format; all or nothing.

    Raises ``ImportFileError`` (the import kernel's, a ``BusinessRuleError``) listing every fault — file, sheet, row,
    column and reason — when the file is refused; nothing is written then. Returns the run's ``ImportBatch``
    (scope: the contract; counts by sheet in ``sheet_counts``; columns and sheets the template does not have).
    """
    source = source_of(file, name=name or getattr(file, "name", None) or "classeur.xlsx")
    issues = Issues(source.name)
    batch = import_batch_new(importer=IMPORTER, source_file=source.name, by=by, scope=contract)
    with open_workbook(source) as workbook:
        sheets = {name: _read_sheet(workbook, name, columns, issues, batch) for name, columns in SHEETS.items()}
        for sheet_name in workbook.sheetnames:
            if sheet_name not in SHEETS and sheet_name != README_SHEET:
                batch.leave_sheet(sheet_name)
    issues.refuse_if_any()
    if not any(sheets.values()):
        issues.fatal(EMPTY_DETAIL)
    lookups = Lookups.of(contract)
    orientations = _parse_orientations(sheets[ORIENTATIONS_SHEET], lookups, issues)
    orientation_refs = {item.reference for item in orientations} | {
        _text(row.values.get("reference")) for row in sheets[ORIENTATIONS_SHEET]
    }
    objectives = _parse_objectives(sheets[OBJECTIVES_SHEET], lookups, orientation_refs, issues)
    objective_refs = {_text(row.values.get("reference")) for row in sheets[OBJECTIVES_SHEET]}
    actions = _parse_actions(sheets[ACTIONS_SHEET], lookups, objective_refs, issues)
    issues.refuse_if_any()
    with transaction.atomic():
        counts = _write(contract, orientations, objectives, actions, lookups, by, issues)
        batch.sheet_counts = counts
        batch.created_count = sum(count["created"] for count in counts.values())
        batch.updated_count = sum(count["updated"] for count in counts.values())
        batch.save()
    return batch


__all__ = ["ImportFileError", "summary", "tree_import"]
