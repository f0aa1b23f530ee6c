"""The answer to « Télécharger ce tableau » (``?export=csv|xlsx&tableau=<key>``): the page's table as a file.

A middleware rather than a step of ``ui.page.render_page``: form pages (``ui.form_pages``) and cached pages
(``core.page_cache``) render without ``render_page``, and every one of their tables must be exportable too. The
middleware lets the view answer exactly as for the page — same permission checks (a 404 or a redirect to the
login page passes through unchanged), same filters — then reads the table back out of the HTML
(``ui.table_exports``). A request without ``export`` costs one dictionary look-up: no query, nothing rendered.

It lives in ``reporting`` (« what is produced: … exports ») because it joins ``ui`` (the markup and
``page.download``) and ``core.spreadsheets``, two independent bottom layers that may not import each other.

CSV follows the platform's other CSV files (``strategy.exports``, ``observation.exports``): « ; » separator, UTF-8
with a byte-order mark, CRLF — what a French spreadsheet program opens as is —, figures without grouping spaces
(« 1234,5 € », « 45 % »), dates jj/mm/aaaa. XLSX goes through ``core.spreadsheets``, the figures and dates typed
with a number format that shows them as the page does.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from openpyxl import Workbook

from contrat_ville.core.spreadsheets import XLSX_CONTENT_TYPE, csv_writer, workbook_bytes, write_sheet
from contrat_ville.ui import table_exports
from contrat_ville.ui.page import download
from contrat_ville.ui.table_exports import ExtractedTable, TypedCell, typed_cell

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
INVALID_SHEET_CHARACTERS = str.maketrans(dict.fromkeys("\\/?*[]:", " "))


def csv_bytes(table: ExtractedTable) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([typed_cell(text).csv for text in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(table: ExtractedTable, sheet_title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = " ".join(sheet_title.translate(INVALID_SHEET_CHARACTERS).split())[:31] or "Tableau"
    typed: list[list[TypedCell]] = [[typed_cell(text) for text in row] for row in table.rows]
    write_sheet(sheet, table.headers, ([cell.value for cell in row] for row in typed))
    for row_number, row in enumerate(typed, start=2):
        for column_number, cell in enumerate(row, start=1):
            if cell.number_format:
                sheet.cell(row=row_number, column=column_number).number_format = cell.number_format
    return workbook_bytes(workbook)


def table_download(html: str, key: str, file_format: str) -> HttpResponse:
    """The file of the table ``key`` of that page; 404 when the page has no such table."""
    title, table = table_exports.extract_table(html, key)
    if table is None:
        raise Http404("Ce tableau n'existe pas sur cette page : il a peut-être changé depuis son affichage.")
    name = table_exports.download_name(title, table.caption)
    if file_format == "csv":
        return download(csv_bytes(table), CSV_CONTENT_TYPE, f"{name}.csv")
    return download(xlsx_bytes(table, table_exports.bare_caption(table.caption)), XLSX_CONTENT_TYPE, f"{name}.xlsx")


class TableExportMiddleware:
    """Turns a page asked with ``?export=csv|xlsx&tableau=<key>`` into that table's file (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        file_format = request.GET.get(table_exports.EXPORT_PARAMETER) if request.method == "GET" else None
        if file_format not in table_exports.FORMATS:
            return self.get_response(request)
        response = self.get_response(request)
        if (
            response.status_code != 200
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        assert file_format is not None
        html = response.content.decode(response.charset or "utf-8")
        return table_download(html, request.GET.get(table_exports.TABLE_PARAMETER, ""), file_format)
