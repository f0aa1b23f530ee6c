"""CSV and XLSX of what an observation page shows: the portrait, the indicator table, the comparison table, the
national table.

An export holds the figures of the page and nothing more: a masked value is written « secret statistique »,
never as a number, and no figure derived from it (gap, ratio) is written either — the tables are built from
the same selector objects as the pages, whose cells carry no number for a masked value, and every text and
number goes through ``observation.presenters``, as on the pages.

CSV follows French spreadsheet habits: UTF-8 with a byte-order mark, « ; » between columns, decimal comma
(``presenters.csv_text``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from contrat_ville.core.spreadsheets import XLSX_CONTENT_TYPE, csv_writer, safe_row
from contrat_ville.observation import presenters
from contrat_ville.observation.presenters import ExportValue, export_gap, export_number, export_value, kind_label
from contrat_ville.observation.selectors.comparisons import QpvComparison
from contrat_ville.observation.selectors.indicators import IndicatorPage
from contrat_ville.observation.selectors.national import NationalTable
from contrat_ville.observation.selectors.portraits import Portrait

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("csv", "xlsx")


@dataclass
class Table:
    """One sheet: a title, a header row and data rows of text or numbers."""

    title: str
    header: list[str]
    rows: list[list[ExportValue]] = field(default_factory=list)


@dataclass
class Export:
    filename: str
    tables: list[Table]


# --- builders -------------------------------------------------------------------------------------------------


def portrait_export(portrait: Portrait) -> Export:
    territory = portrait.territory
    header = ["thème", "code", "indicateur", "unité", "année", "valeur", "source", "tendance"]
    for reference in portrait.references:
        name = f"{reference.name} ({reference.kind_label})"
        header += [f"{name} : année", f"{name} : valeur", f"{name} : écart", f"{name} : rapport"]
    table = Table(title=f"Portrait {territory.name} ({territory.code})", header=header)
    for section in portrait.sections:
        for row in section.rows:
            indicator = row.indicator
            line: list[ExportValue] = [
                section.label,
                indicator.code,
                indicator.label,
                indicator.unit,
                row.latest.period,
                export_value(row.latest, indicator),
                presenters.source_text(row.latest, indicator),
                presenters.trend_text(indicator, row.evolution),
            ]
            for comparison in row.comparisons:
                cell = comparison.reference
                line += [cell.period, export_value(cell, indicator), *export_gap(comparison, indicator)]
            table.rows.append(line)
    return Export(filename=f"portrait-{slugify(territory.kind)}-{slugify(territory.code)}", tables=[table])


def indicator_export(data: IndicatorPage) -> Export:
    indicator = data.indicator
    header = ["nature", "code", "territoire", *[str(period) for period in data.periods]]
    series = Table(title=f"{indicator.code} {indicator.label} ({indicator.unit})", header=header)
    for item in data.series:
        territory = item.territory
        series.rows.append(
            [
                territory.kind_label,
                territory.code,
                territory.name,
                *[export_value(item.cell(period), indicator) for period in data.periods],
            ]
        )
    tables = [series]
    if data.map is not None:
        carte = Table(
            title=f"Carte {data.map.period or ''}".strip(),
            header=["nature", "code", "territoire", "année", "valeur", "classe"],
        )
        shown = presenters.map_view(data.map, indicator)
        for map_item, view in zip(data.map.items, shown.items, strict=True):
            carte.rows.append(
                [
                    map_item.territory.kind_label,
                    map_item.territory.code,
                    map_item.territory.name,
                    data.map.period,
                    export_value(map_item.cell, indicator),
                    view.class_label,
                ]
            )
        tables.append(carte)
    return Export(filename=f"indicateur-{slugify(indicator.code)}", tables=tables)


def comparison_export(comparison: QpvComparison) -> Export:
    """The reference territories first (one line each), then the QPVs with their gap to their own reference."""
    phrase = presenters.reference_phrase(comparison.reference_kind)
    header = ["code", "quartier"]
    for indicator in comparison.indicators:
        label = f"{indicator.code} ({indicator.unit})"
        header += [f"{label} année", f"{label} valeur", f"{label} écart {phrase}", f"{label} rapport {phrase}"]
    table = Table(title=f"Quartiers de {comparison.contract.name}", header=header)
    for reference in comparison.references:
        territory = reference.territory
        line: list[ExportValue] = [territory.code, f"{territory.name} ({kind_label(territory.kind)}, référence)"]
        for indicator, cell in zip(comparison.indicators, reference.cells, strict=True):
            line += [cell.period, export_value(cell, indicator), None, None]
        table.rows.append(line)
    for row in comparison.rows:
        line = [row.qpv.code, row.qpv.name]
        for indicator, item in zip(comparison.indicators, row.cells, strict=True):
            line += [item.cell.period, export_value(item.cell, indicator), *export_gap(item.comparison, indicator)]
        table.rows.append(line)
    return Export(filename=f"comparaison-{comparison.contract.slug}", tables=[table])


NATIONAL_HEADER = [
    "code du quartier",
    "quartier",
    "indicateur",
    "unité",
    "année",
    "valeur",
    "année précédente",
    "valeur précédente",
    "évolution",
    "évolution annuelle",
    "tendance",
    "nature de la référence",
    "code de la référence",
    "référence",
    "valeur de la référence",
    "écart",
    "rapport",
]


def national_export(table: NationalTable) -> Export:
    """One line per QPV and reference territory (a long table, ready for a pivot table): the QPV's latest public
    value, its change since the previous one, and the reference's value and gap the same year."""
    indicator = table.filters.indicator
    decimals = indicator.decimals
    sheet = Table(title=f"Écarts {indicator.code}", header=NATIONAL_HEADER)
    for item in table.rows:
        row = item.row
        value: ExportValue = (
            presenters.CONFIDENTIAL_TEXT if row.is_confidential else export_number(row.value, decimals)
        )
        head: list[ExportValue] = [
            item.qpv.code,
            item.qpv.name,
            indicator.code,
            indicator.unit,
            row.period,
            value,
            row.previous_period,
            export_number(row.previous_value, decimals),
            export_number(row.change, decimals),
            export_number(row.annual_change, decimals),
            presenters.trend_text(indicator, item.evolution),
        ]
        for reference in item.references:
            gap = reference.gap
            reference_value: ExportValue = (
                presenters.CONFIDENTIAL_TEXT if gap.is_confidential else export_number(gap.value, decimals)
            )
            sheet.rows.append(
                [
                    *head,
                    kind_label(reference.reference.kind),
                    reference.reference.code,
                    reference.reference.name,
                    reference_value,
                    export_number(gap.difference, decimals),
                    export_number(gap.ratio, 2),
                ]
            )
    area = table.filters.area
    suffix = f"-{slugify(area.kind)}-{slugify(area.code)}" if area is not None else ""
    period = f"-{table.filters.period}" if table.filters.period is not None else ""
    return Export(filename=f"ecarts-nationaux-{slugify(indicator.code)}{suffix}{period}", tables=[sheet])


# --- writers --------------------------------------------------------------------------------------------------


def to_csv(export: Export) -> bytes:
    """The first table as CSV (« ; », decimal comma, UTF-8 with BOM for spreadsheet software)."""
    table = export.tables[0]
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([presenters.csv_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: str, used: set[str]) -> str:
    base = "".join(char for char in title if char not in "[]:*?/\\")[:31] or "Feuille"
    name, number = base, 2
    while name in used:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(name)
    return name


def to_xlsx(export: Export) -> bytes:
    """Every table on its own sheet, numbers as numbers, the header in bold."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in export.tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        sheet.append(safe_row(table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(safe_row(row))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(export: Export, fmt: str) -> HttpResponse:
    """The file as an attachment; ``fmt`` is ``csv`` or ``xlsx`` (checked by the view)."""
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(export), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(to_csv(export), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}.{fmt}"'
    return response
