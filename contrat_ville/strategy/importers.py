"""Import of a strategic tree from the platform's XLSX template (sheets « Orientations », « Objectifs », « Actions »).

The import is all or nothing: every row is read and checked first, and any error (named by sheet, row and column,
in French) means nothing is written; then the rows are written through the same services as the web forms, in one
transaction. A row whose reference (« Référence ») names an existing node of the contract updates it; otherwise it
creates one.
"""

from __future__ import annotations

import datetime
from collections.abc import Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.core.exceptions import BusinessRuleError
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


@dataclass(frozen=True)
class ImportIssue:
    """One refused cell (or sheet): where it is and why, in French."""

    sheet: str
    row: int | None
    column: str
    letter: str
    message: str

    def __str__(self) -> str:
        place = f"Feuille « {self.sheet} »"
        if self.row is not None:
            place += f", ligne {self.row}"
        if self.column:
            place += f", colonne « {self.column} »"
            if self.letter:
                place += f" ({self.letter})"
        return f"{place} : {self.message}"


class TreeImportError(BusinessRuleError):
    """The file was refused; nothing was written. ``issues`` lists every problem found."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        self.issues = issues
        count = len(issues)
        super().__init__(
            f"Import refusé : {count} erreur{'s' if count > 1 else ''}, rien n'a été enregistré. "
            + " ".join(str(issue) for issue in issues[:3])
        )


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))

    @property
    def summary(self) -> str:
        parts = []
        for sheet, label in (
            (ORIENTATIONS_SHEET, "orientations"),
            (OBJECTIVES_SHEET, "objectifs"),
            (ACTIONS_SHEET, "actions"),
        ):
            parts.append(f"{self.created[sheet]} {label} créé(e)s, {self.updated[sheet]} mis(es) à jour")
        return " ; ".join(parts) + "."


# --- reading cells --------------------------------------------------------------------------------------------


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]
    letters: dict[str, str]


class Problems:
    def __init__(self) -> None:
        self.items: list[ImportIssue] = []

    def add(self, row: Row | None, column: Column | None, message: str, *, sheet: str = "") -> None:
        self.items.append(
            ImportIssue(
                sheet=row.sheet if row is not None else sheet,
                row=row.number if row is not None else None,
                column=column.header if column is not None else "",
                letter=row.letters.get(column.key, "") if row is not None and column is not None else "",
                message=message,
            )
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _normalise(header: Any) -> str:
    return " ".join(_text(header).casefold().split())


def _read_sheet(workbook: Any, name: str, columns: tuple[Column, ...], problems: Problems) -> list[Row]:
    if name not in workbook.sheetnames:
        problems.add(None, None, "feuille absente du classeur : partez du modèle à télécharger.", sheet=name)
        return []
    rows = workbook[name].iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions = {_normalise(value): index for index, value in enumerate(header) if _text(value)}
    indexes: dict[str, int] = {}
    for column in columns:
        index = positions.get(_normalise(column.header))
        if index is not None:
            indexes[column.key] = index
        elif column.required:
            problems.items.append(
                ImportIssue(name, 1, column.header, "", "colonne obligatoire absente de la ligne d'en-tête.")
            )
    letters = {key: get_column_letter(index + 1) for key, index in indexes.items()}
    result = []
    for number, values in enumerate(rows, start=2):
        if not any(_text(value) for value in values):
            continue
        cells = {key: values[index] if index < len(values) else None for key, index in indexes.items()}
        result.append(Row(sheet=name, number=number, values=cells, letters=letters))
    return result


class Reader:
    """Typed reads of one row's cells, reporting each problem with its sheet, row and column."""

    def __init__(self, row: Row, columns: tuple[Column, ...], problems: Problems) -> None:
        self.row = row
        self.columns = {column.key: column for column in columns}
        self.problems = problems
        self.first_problem = len(problems.items)

    def error(self, key: str, message: str) -> None:
        self.problems.add(self.row, self.columns[key], message)

    @property
    def is_clean(self) -> bool:
        """No problem reported on this row so far."""
        return len(self.problems.items) == self.first_problem

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
        text = _text(raw).replace("\u00a0", "").replace(" ", "").replace("%", "").replace(",", ".")
        try:
            return float(text)
        except ValueError:
            self.error(key, f"nombre attendu, « {_text(raw)} » reçu.")
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


def _readers(rows: list[Row], columns: tuple[Column, ...], problems: Problems) -> Iterator[tuple[Reader, str]]:
    """Each row's reader and reference, the reference checked unique in the sheet."""
    seen: dict[str, int] = {}
    for row in rows:
        reader = Reader(row, columns, problems)
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


def _parse_orientations(rows: list[Row], lookups: Lookups, problems: Problems) -> list[OrientationRow]:
    parsed: list[OrientationRow] = []
    for reader, reference in _readers(rows, ORIENTATION_COLUMNS, problems):
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
    rows: list[Row], lookups: Lookups, orientation_refs: set[str], problems: Problems
) -> list[ObjectiveRow]:
    parsed: list[ObjectiveRow] = []
    for reader, reference in _readers(rows, OBJECTIVE_COLUMNS, problems):
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


def _parse_actions(rows: list[Row], lookups: Lookups, objective_refs: set[str], problems: Problems) -> list[ActionRow]:
    parsed: list[ActionRow] = []
    statuses = {str(label).casefold(): value for value, label in ActionStatus.choices}
    statuses.update({value: value for value in ActionStatus.values})
    for reader, reference in _readers(rows, ACTION_COLUMNS, problems):
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
def _at(row: Row, columns: tuple[Column, ...]) -> Iterator[None]:
    """A rule a service refuses while writing is reported on its row, in the column it names (then rolled back)."""
    try:
        yield
    except BusinessRuleError as error:
        keys = {column.key for column in columns}
        key = error.field if error.field in keys else "title"
        problems = Problems()
        problems.add(row, next(column for column in columns if column.key == key), _lower_first(error.message))
        raise TreeImportError(problems.items) from error


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]


def _write(
    contract: Contract,
    orientations: list[OrientationRow],
    objectives: list[ObjectiveRow],
    actions: list[ActionRow],
    lookups: Lookups,
    by: Any,
) -> ImportResult:
    result = ImportResult()
    orientation_by_ref = dict(lookups.orientations)
    objective_by_ref = dict(lookups.objectives)
    for item in orientations:
        existing = lookups.orientations.get(item.reference)
        with _at(item.row, ORIENTATION_COLUMNS):
            if existing is not None:
                orientation_by_ref[item.reference] = services.orientation_update(
                    orientation=existing,
                    pillar=item.pillar,
                    title=item.title,
                    code=item.reference,
                    description=item.description,
                    stakes=list(existing.stakes.all()),
                    by=by,
                )
                result.updated[ORIENTATIONS_SHEET] += 1
            else:
                orientation_by_ref[item.reference] = services.orientation_create(
                    contract=contract,
                    pillar=item.pillar,
                    title=item.title,
                    code=item.reference,
                    description=item.description,
                    by=by,
                )
                result.created[ORIENTATIONS_SHEET] += 1
    for objective_row in objectives:
        orientation = orientation_by_ref[objective_row.orientation]
        existing_objective = lookups.objectives.get(objective_row.reference)
        with _at(objective_row.row, OBJECTIVE_COLUMNS):
            if existing_objective is not None:
                existing_objective.orientation = orientation
                objective_by_ref[objective_row.reference] = services.objective_update(
                    objective=existing_objective, fields=objective_row.fields, by=by
                )
                result.updated[OBJECTIVES_SHEET] += 1
            else:
                objective_by_ref[objective_row.reference] = services.objective_create(
                    orientation=orientation, fields=objective_row.fields, by=by
                )
                result.created[OBJECTIVES_SHEET] += 1
    for action_row in actions:
        objective = objective_by_ref[action_row.objective]
        existing_action = lookups.actions.get(action_row.reference) if action_row.reference else None
        with _at(action_row.row, ACTION_COLUMNS):
            if existing_action is not None:
                existing_action.objective = objective
                services.action_update(
                    action=existing_action, fields=action_row.fields, comment="Import du classeur", by=by
                )
                result.updated[ACTIONS_SHEET] += 1
            else:
                services.action_create(objective=objective, fields=action_row.fields, by=by)
                result.created[ACTIONS_SHEET] += 1
    return result


def tree_import(*, contract: Contract, file: IO[bytes], by: Any = None) -> ImportResult:
    """Import a strategic tree from an XLSX workbook in the template's format; all or nothing.

    Raises ``TreeImportError`` (a ``BusinessRuleError``) listing every problem — sheet, row, column and reason —
    when the file is refused; nothing is written then.
    """
    problems = Problems()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:
        raise TreeImportError(
            [ImportIssue("—", None, "", "", "le fichier n'est pas un classeur Excel (.xlsx) lisible.")]
        ) from error
    try:
        sheets = {name: _read_sheet(workbook, name, columns, problems) for name, columns in SHEETS.items()}
    finally:
        workbook.close()
    lookups = Lookups.of(contract)
    orientations = _parse_orientations(sheets[ORIENTATIONS_SHEET], lookups, problems)
    orientation_refs = {item.reference for item in orientations} | {
        _text(row.values.get("reference")) for row in sheets[ORIENTATIONS_SHEET]
    }
    objectives = _parse_objectives(sheets[OBJECTIVES_SHEET], lookups, orientation_refs, problems)
    objective_refs = {_text(row.values.get("reference")) for row in sheets[OBJECTIVES_SHEET]}
    actions = _parse_actions(sheets[ACTIONS_SHEET], lookups, objective_refs, problems)
    if problems.items:
        raise TreeImportError(problems.items)
    with transaction.atomic():
        return _write(contract, orientations, objectives, actions, lookups, by)
