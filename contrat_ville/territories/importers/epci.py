"""INSEE « Intercommunalité - Métropole » workbook: sheets ``EPCI`` and ``Composition_communale``.

Rows 1-4 are a title block (row 3 says « Géographie au 01/01/AAAA », the COG year of the codes),
row 5 holds French labels, row 6 the variable codes, data start on row 7 (data-formats §4.2, §11).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.importers.base import (
    COMMUNE_CODE_RE,
    SIREN_RE,
    ImportFileError,
    ImportReport,
    LinkSpec,
    pad_commune_code,
    progress_bar,
    start_batch,
    sync_links,
    territories_by_code,
    upsert_territories,
)
from contrat_ville.territories.importers.derived import fill_epci_geometries

PRODUCER = "Insee — Intercommunalité - Métropole"
HEADER_ROW = 6
FIRST_DATA_ROW = 7
NO_EPCI = "ZZZZZZZZZ"
VINTAGE_RE = re.compile(r"G[ée]ographie au \d{2}/\d{2}/(\d{4})", re.IGNORECASE)
EPCI_COLUMNS = ["EPCI", "LIBEPCI", "NATURE_EPCI", "NB_COM"]
COMPOSITION_COLUMNS = ["CODGEO", "LIBGEO", "EPCI", "LIBEPCI", "DEP", "REG"]


def _open_workbook(path: Path) -> Workbook:
    """Open the workbook; INSEE's 2025 file carries a stylesheet openpyxl rejects, so retry without it."""
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise ImportFileError(path.name, 1, "A", "classeur Excel (.xlsx) illisible ou tronqué") from error
    except Exception:  # openpyxl raises bare errors on stylesheets it does not understand
        buffer = io.BytesIO()
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
            for item in source.infolist():
                if item.filename != "xl/styles.xml":
                    target.writestr(item, source.read(item.filename))
        buffer.seek(0)
        return load_workbook(buffer, read_only=True, data_only=True)


def _sheet_rows(
    path: Path, workbook: Workbook, sheet: str, required: list[str]
) -> tuple[list[tuple[int, dict[str, str]]], dict[str, int]]:
    """The data rows (Excel row number, values by variable code) and the position of each column."""
    if sheet not in workbook.sheetnames:
        raise ImportFileError(
            path.name, 1, "A", f"feuille « {sheet} » absente du classeur (feuilles : {', '.join(workbook.sheetnames)})"
        )
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header_cells = rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else ()
    header = [str(value).strip() if value is not None else "" for value in header_cells]
    for name in required:
        if name not in header:
            letter = get_column_letter(required.index(name) + 1)  # where INSEE puts it
            raise ImportFileError(
                path.name,
                HEADER_ROW,
                f"{letter} ({name})",
                f"feuille {sheet} : colonne « {name} » absente de l'en-tête (ligne {HEADER_ROW})",
            )
    positions = {name: header.index(name) for name in required}
    result: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(rows[FIRST_DATA_ROW - 1 :], start=FIRST_DATA_ROW):
        if not values or all(value is None or str(value).strip() == "" for value in values):
            continue
        cells = {name: (values[index] if index < len(values) else None) for name, index in positions.items()}
        result.append((number, {name: "" if value is None else str(value).strip() for name, value in cells.items()}))
    return result, positions


def _column(name: str, positions: dict[str, int]) -> str:
    """Spreadsheet users find a cell by its letter; the variable code says which column is meant."""
    return f"{get_column_letter(positions[name] + 1)} ({name})"


def _read_vintage(path: Path, workbook: Workbook) -> str:
    for sheet in ("EPCI", "Composition_communale"):
        if sheet not in workbook.sheetnames:
            continue
        for row in workbook[sheet].iter_rows(min_row=1, max_row=5, values_only=True):
            for value in row:
                match = VINTAGE_RE.search(str(value or ""))
                if match:
                    return match.group(1)
    raise ImportFileError(
        path.name, 3, "A", "millésime introuvable (« Géographie au 01/01/AAAA » attendu) : précisez-le"
    )


def import_epci(path: Path, *, vintage: str | None = None, progress: bool = False) -> ImportReport:
    """EPCI and their member communes; the communes of that COG year must already be imported."""
    workbook = _open_workbook(path)
    try:
        vintage = vintage or _read_vintage(path, workbook)
        epci_rows, epci_header = _sheet_rows(path, workbook, "EPCI", EPCI_COLUMNS)
        composition_rows, composition_header = _sheet_rows(
            path, workbook, "Composition_communale", COMPOSITION_COLUMNS
        )
    finally:
        workbook.close()

    rows: list[dict[str, Any]] = []
    for line, values in progress_bar(epci_rows, enabled=progress, desc="EPCI"):
        code = values["EPCI"]
        if code == NO_EPCI:
            continue
        if not SIREN_RE.match(code):
            raise ImportFileError(
                path.name, line, _column("EPCI", epci_header), f"feuille EPCI : SIREN « {code} » invalide (9 chiffres)"
            )
        rows.append(
            {
                "code": code,
                "siren": code,
                "name": values["LIBEPCI"],
                "attributes": {"nature": values["NATURE_EPCI"], "nb_com": _int_or_none(values["NB_COM"])},
            }
        )
    epci_codes = {row["code"] for row in rows}
    members: list[tuple[str, str, int]] = []
    for line, values in progress_bar(composition_rows, enabled=progress, desc="Composition"):
        code = pad_commune_code(values["CODGEO"])
        column = _column("CODGEO", composition_header)
        if not COMMUNE_CODE_RE.match(code):
            raise ImportFileError(
                path.name,
                line,
                column,
                f"feuille Composition_communale : code de commune « {values['CODGEO']} » invalide",
            )
        epci = values["EPCI"]
        if epci == NO_EPCI:
            continue
        if epci not in epci_codes:
            raise ImportFileError(
                path.name,
                line,
                _column("EPCI", composition_header),
                f"feuille Composition_communale : EPCI « {epci} » absent de la feuille EPCI",
            )
        members.append((epci, code, line))

    with transaction.atomic():
        communes = territories_by_code(TerritoryKind.COMMUNE, vintage, {code for _, code, _ in members})
        for _, code, line in members:
            if code not in communes:
                raise ImportFileError(
                    path.name,
                    line,
                    _column("CODGEO", composition_header),
                    f"feuille Composition_communale : commune « {code} » inconnue (millésime {vintage})",
                )
        report = start_batch(importer="import_epci", source=path.name, producer=PRODUCER, vintage=vintage)
        epcis, counts = upsert_territories(kind=TerritoryKind.EPCI, vintage=vintage, rows=rows, batch=report.batch)
        report.add(counts)
        sync_links(
            links=[LinkSpec(parent_id=epcis[epci].pk, child_id=communes[code].pk) for epci, code, _ in members],
            batch=report.batch,
            child_ids=[commune.pk for commune in communes.values()],
            parent_kind=TerritoryKind.EPCI,
        )
        fill_epci_geometries([epci.pk for epci in epcis.values()])
        return report.finish()


def _int_or_none(value: str) -> int | None:
    try:
        return int(float(value))
    except ValueError:
        return None
