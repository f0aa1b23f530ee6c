"""INSEE « Intercommunalité - Métropole » workbook: sheets ``EPCI`` and ``Composition_communale``.

Rows 1-4 are a title block (row 3 says « Géographie au 01/01/AAAA », the COG year of the codes),
row 5 holds French labels, row 6 the variable codes, data start on row 7 (data-formats §4.2, §11).
The national workbook (1,255 EPCI, 35,000 communes) is read in one pass per sheet and written set-based.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from contrat_ville.core.imports.cells import not_a_number, parse_whole_number
from contrat_ville.core.imports.errors import ImportFileError, Issues
from contrat_ville.core.imports.readers import (
    INSEE_HEADER_ROW,
    SheetTable,
    blank,
    open_workbook,
    read_sheet,
    require_columns,
    title_vintage,
)
from contrat_ville.core.imports.sources import source_of
from contrat_ville.core.models import ImportBatch
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.importers.base import (
    COMMUNE_CODE_RE,
    SIREN_RE,
    LinkSpec,
    new_batch,
    pad_commune_code,
    progress_bar,
    save_territories,
    sync_links,
    territory_ids,
)
from contrat_ville.territories.importers.derived import fill_epci_geometries

PRODUCER = "Insee — Intercommunalité - Métropole"
NO_EPCI = "ZZZZZZZZZ"
EPCI_SHEET = "EPCI"
COMPOSITION_SHEET = "Composition_communale"
EPCI_COLUMNS = ["EPCI", "LIBEPCI", "NATURE_EPCI", "NB_COM"]
COMPOSITION_COLUMNS = ["CODGEO", "EPCI"]


def _sheet(workbook: Any, issues: Issues, name: str, required: list[str], batch: ImportBatch) -> SheetTable:
    if name not in workbook.sheetnames:
        issues.fatal(f"feuille « {name} » absente du classeur (feuilles : {', '.join(workbook.sheetnames)})")
    table = read_sheet(workbook, name, header_row=INSEE_HEADER_ROW)
    if table is None:
        issues.fatal(
            f"la feuille s'arrête avant la ligne {INSEE_HEADER_ROW}, où Insee place les codes des variables",
            sheet=name,
        )
    require_columns(issues, table.header, required, line=INSEE_HEADER_ROW, sheet=name)
    batch.leave_columns((column for column in table.header if column not in required), sheet=name)
    return table


def import_epci(path: Path, *, vintage: str | None = None, progress: bool = False) -> ImportBatch:
    """EPCI and their member communes; the communes of that COG year must already be imported.

    Faults are collected over both sheets (invalid SIREN or commune code, text in ``NB_COM``, an EPCI missing
    from the ``EPCI`` sheet, an unknown commune), then the workbook is refused with all of them.
    """
    source = source_of(path)
    issues = Issues(source.name)
    with open_workbook(source) as workbook:
        vintage = vintage or title_vintage(workbook, [EPCI_SHEET, COMPOSITION_SHEET])
        if vintage is None:
            issues.fatal(
                "millésime introuvable (« Géographie au 01/01/AAAA » attendu dans l'en-tête) : précisez-le",
                line=3,
                column="A",
                sheet=EPCI_SHEET,
            )
        batch = new_batch(importer="import_epci", source=source.name, producer=PRODUCER, vintage=vintage)
        for name in workbook.sheetnames:
            if name not in {EPCI_SHEET, COMPOSITION_SHEET}:
                batch.leave_sheet(name)
        epci_sheet = _sheet(workbook, issues, EPCI_SHEET, EPCI_COLUMNS, batch)
        rows, declared = _read_epcis(epci_sheet, issues, progress=progress)
        composition = _sheet(workbook, issues, COMPOSITION_SHEET, COMPOSITION_COLUMNS, batch)
        members, listed = _read_composition(
            composition, issues, {row["code"] for row in rows}, vintage, progress=progress
        )
    if not rows and not issues:
        issues.fatal("la feuille ne contient aucun EPCI : rien n'a été importé", sheet=EPCI_SHEET)
    issues.refuse_if_any()
    counted: dict[str, int] = {}
    for epci, _ in members:
        counted[epci] = counted.get(epci, 0) + 1
    for code, (expected, line) in declared.items():
        if expected is not None and expected != counted.get(code, 0):
            batch.warn(
                f"feuille « {EPCI_SHEET} », ligne {line} : NB_COM indique {expected} communes pour l'EPCI {code}, "
                f"la feuille « {COMPOSITION_SHEET} » en donne {counted.get(code, 0)}"
            )
    return _write(batch, rows, members, listed, vintage)


def _fault(issues: Issues, sheet: SheetTable, detail: str, *, line: int, column: str) -> None:
    """A fault in one cell of the sheet, located by the column's name and letter."""
    issues.add(detail, line=line, column=sheet.column(column), sheet=sheet.name)


def _read_epcis(
    sheet: SheetTable, issues: Issues, *, progress: bool
) -> tuple[list[dict[str, Any]], dict[str, tuple[int | None, int]]]:
    index = {name: sheet.positions[name] for name in EPCI_COLUMNS}
    rows: list[dict[str, Any]] = []
    declared: dict[str, tuple[int | None, int]] = {}
    seen: dict[str, int] = {}
    for line, cells in progress_bar(sheet.rows, enabled=progress, desc="EPCI"):
        if blank(cells):
            continue
        values = [cells[position] if position < len(cells) else None for position in index.values()]
        code, name, nature, count = (str(value).strip() if value is not None else "" for value in values)
        if code == NO_EPCI:
            continue
        if not SIREN_RE.match(code):
            _fault(issues, sheet, f"SIREN « {code} » invalide (9 chiffres)", line=line, column="EPCI")
            continue
        if code in seen:
            _fault(issues, sheet, f"EPCI « {code} » en double (déjà ligne {seen[code]})", line=line, column="EPCI")
            continue
        seen[code] = line
        members: int | None = None
        if count:
            try:
                members = parse_whole_number(values[3])
            except ValueError:
                _fault(issues, sheet, not_a_number(values[3], whole=True), line=line, column="NB_COM")
                continue
        declared[code] = (members, line)
        rows.append({"code": code, "siren": code, "name": name, "attributes": {"nature": nature, "nb_com": members}})
    return rows, declared


def _read_composition(
    sheet: SheetTable, issues: Issues, epci_codes: set[str], vintage: str, *, progress: bool
) -> tuple[list[tuple[str, str]], set[str]]:
    """The (EPCI, commune) pairs, and every commune the sheet lists (outside any EPCI included: a commune that
    left its EPCI loses its link)."""
    code_index, epci_index = sheet.positions["CODGEO"], sheet.positions["EPCI"]
    communes = territory_ids(TerritoryKind.COMMUNE, vintage)
    members: list[tuple[str, str]] = []
    listed: set[str] = set()
    for line, cells in progress_bar(sheet.rows, enabled=progress, desc="Composition"):
        if blank(cells):
            continue
        raw = cells[code_index] if code_index < len(cells) else None
        code = pad_commune_code(raw)
        if not COMMUNE_CODE_RE.match(code):
            _fault(
                issues,
                sheet,
                f"code de commune « {raw if raw is not None else ''} » invalide",
                line=line,
                column="CODGEO",
            )
            continue
        epci = str(cells[epci_index] if epci_index < len(cells) and cells[epci_index] is not None else "").strip()
        if epci == NO_EPCI:
            listed.add(code)
            continue
        if epci not in epci_codes:
            _fault(issues, sheet, f"EPCI « {epci} » absent de la feuille « {EPCI_SHEET} »", line=line, column="EPCI")
            continue
        if code not in communes:
            _fault(
                issues,
                sheet,
                f"commune « {code} » inconnue (millésime {vintage}) : importez d'abord les communes de ce millésime",
                line=line,
                column="CODGEO",
            )
            continue
        members.append((epci, code))
        listed.add(code)
    return members, listed


@transaction.atomic
def _write(
    batch: ImportBatch, rows: list[dict[str, Any]], members: list[tuple[str, str]], listed: set[str], vintage: str
) -> ImportBatch:
    communes = territory_ids(TerritoryKind.COMMUNE, vintage)
    epcis = save_territories(batch, kind=TerritoryKind.EPCI, vintage=vintage, rows=rows)
    sync_links(
        links=[LinkSpec(parent_id=epcis[epci], child_id=communes[code]) for epci, code in members],
        batch=batch,
        child_ids=[communes[code] for code in listed if code in communes],
        parent_kind=TerritoryKind.EPCI,
        child_kind=TerritoryKind.COMMUNE,
        child_vintage=vintage,
    )
    fill_epci_geometries(list(epcis.values()))
    batch.save()
    return batch


__all__ = ["ImportFileError", "import_epci"]
