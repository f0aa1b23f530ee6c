"""Spreadsheets out, the same way for every app: a table sheet (bold frozen header, bounded widths, dates as
jj/mm/aaaa), a workbook's bytes (``ui.page.download`` sends them) and the CSV writer.

Every cell of every CSV and XLSX file the platform produces goes through ``safe_cell`` (« CSV injection », OWASP):
a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so that
spreadsheet software shows it instead of running it as a formula (a stake titled « =HYPERLINK(…) »). Numbers stay
numbers, typed (``-3.5``) or written as text (« -3,5 », « +12 % »). CSV files are written with ``csv_writer``,
sheets with ``write_sheet`` or ``safe_row``; ``tests/test_conventions.py`` refuses another ``csv.writer``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WIDTH = 60
MIN_WIDTH = 10


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A figure written as text (« -3,5 », « +12 % », « -1 234,5 € », « -1.5e3 »): spreadsheet software reads it as a
# number, never as a formula; it is left as is.
NUMBER_TEXT = re.compile(r"[+-]?\d[\d \u00a0\u202f]*(?:[.,]\d+)?(?:[eE][+-]?\d+)?\s*(?:%|€)?")


def safe_cell(value: Any) -> Any:
    """A cell that spreadsheet software will not run: text starting with a formula trigger gets a leading ``'``
    (OWASP); numbers, dates, ``None`` and figures written as text are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not NUMBER_TEXT.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """``safe_cell`` on each cell: for a sheet's ``append`` outside ``write_sheet``."""
    return [safe_cell(value) for value in row]


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through ``safe_cell``."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)

    def writedict(self, fieldnames: Sequence[str], values: Mapping[str, Any]) -> None:
        """One row from a mapping, in the order of ``fieldnames`` (a missing key is empty)."""
        self.writerow(values.get(name, "") for name in fieldnames)


def csv_writer(stream: IO[str], **options: Any) -> SafeCsvWriter:
    """The CSV writer of every export (options as ``csv.writer``: delimiter, lineterminator…)."""
    return SafeCsvWriter(stream, **options)


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value)


def write_sheet(sheet: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A table: bold header row, frozen; dates as jj/mm/aaaa; widths from the content (bounded); text cells
    neutralised (``safe_cell``)."""
    sheet.append(safe_row(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(header) for header in headers]
    for row in rows:
        sheet.append(safe_row(row))
        for index, value in enumerate(row):
            if index < len(widths):
                widths[index] = max(widths[index], len(_cell_text(value)))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.is_date:
                cell.number_format = "DD/MM/YYYY"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(MIN_WIDTH, min(MAX_WIDTH, width + 2))
    sheet.freeze_panes = "A2"


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
