"""The state of play of the conseils citoyens as files (issue 11 §6): a spreadsheet (one sheet per council, one of
totals) and a CSV of the councils, written from the same presenters as the page. CSV follows French spreadsheet
habits: UTF-8 with a byte-order mark and « ; » between columns."""

from __future__ import annotations

import io

from contrat_ville.core.spreadsheets import csv_writer, workbook_bytes, write_sheet
from contrat_ville.core.workbooks import new_workbook
from contrat_ville.participation.presenters import STATE_OF_PLAY_HEADERS, state_row, total_rows
from contrat_ville.participation.selectors import StateOfPlay

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def state_of_play_xlsx(state: StateOfPlay) -> bytes:
    workbook, councils = new_workbook("Conseils citoyens")
    write_sheet(councils, STATE_OF_PLAY_HEADERS, (state_row(line) for line in state.states))
    totals = workbook.create_sheet("Totaux")
    write_sheet(
        totals,
        ("Thème", "Indicateur", "Nombre", "Sur", "Part"),
        ((row.theme, row.label, row.count, row.whole, row.share) for row in total_rows(state.totals)),
    )
    return workbook_bytes(workbook)


def state_of_play_csv(state: StateOfPlay) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(STATE_OF_PLAY_HEADERS)
    writer.writerows(state_row(line) for line in state.states)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
