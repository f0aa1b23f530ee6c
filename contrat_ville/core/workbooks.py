"""How every XLSX export starts: a new workbook and its first sheet, named (``core.spreadsheets`` fills the sheets
and gives the workbook's bytes)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet


def new_workbook(first_sheet: str) -> tuple[Workbook, Worksheet]:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its first sheet
    sheet.title = first_sheet
    return workbook, sheet
