"""The one error of every importer: where (file, sheet, line, column) and why, in French; and the policy.

Policy (the same for every importer): a file's errors are collected, up to ``limits.MAX_ERRORS``, then the whole
file is refused with all of them; nothing is written (each import runs in one transaction, so on refusal the
database is exactly as before). An error that makes the rest of the file unreadable (wrong kind of file, missing
column, broken encoding) refuses it at once, with the errors collected so far.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NoReturn

from openpyxl.utils import get_column_letter

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.imports import limits

NOTHING_IMPORTED = "Aucune donnée n'a été importée."


def column_label(name: str, index: int | None = None) -> str:
    """A column as a spreadsheet user finds it: its name, and its letter when the file is a workbook."""
    if index is None:
        return name
    return f"{name} ({get_column_letter(index + 1)})" if name else get_column_letter(index + 1)


@dataclass(frozen=True)
class ImportIssue:
    """One fault of a file: « fichier.xlsx, feuille « EPCI », ligne 12, colonne NB_COM (D) : « neuf » n'est pas un
    nombre ». Every part but the file and the detail is optional (a missing sheet has no line)."""

    file: str
    detail: str
    line: int | None = None
    column: str = ""
    sheet: str | None = None

    def __str__(self) -> str:
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(f"feuille « {self.sheet} »")
        if self.line is not None:
            parts.append(f"ligne {self.line}")
        if self.column:
            parts.append(f"colonne {self.column}")
        detail = self.detail.rstrip(". ")
        return f"{', '.join(parts)} : {detail}" if parts else detail


class ImportFileError(BusinessRuleError):
    """A file was refused; ``issues`` lists every fault found (at most ``limits.MAX_ERRORS``), nothing was written.

    ``file``, ``sheet``, ``line``, ``column`` and ``detail`` are those of the first fault.
    """

    def __init__(self, issues: Iterable[ImportIssue], *, truncated: bool = False, hint: str = "") -> None:
        self.issues = list(issues)
        if not self.issues:
            raise ValueError("ImportFileError needs at least one issue")
        self.truncated = truncated
        self.hint = hint
        first = self.issues[0]
        self.file, self.sheet, self.line, self.column, self.detail = (
            first.file,
            first.sheet,
            first.line,
            first.column,
            first.detail,
        )
        ending = f"{hint.rstrip('. ')}. {NOTHING_IMPORTED}" if hint else NOTHING_IMPORTED
        if len(self.issues) == 1 and not truncated:
            message = f"{first}. {ending}"
        else:
            count = f"{len(self.issues)} erreurs" + (" (liste arrêtée là)" if truncated else "")
            message = "\n".join([*(f"{issue}." for issue in self.issues), f"Fichier refusé, {count}. {ending}"])
        super().__init__(message)

    @classmethod
    def at(
        cls, file: str, detail: str, *, line: int | None = None, column: str = "", sheet: str | None = None
    ) -> ImportFileError:
        """A refusal for one fault."""
        return cls([ImportIssue(file=file, detail=detail, line=line, column=column, sheet=sheet)])


class Issues:
    """The faults of one file, collected while it is read; ``refuse_if_any()`` at the end of the reading.

    ``add`` returns normally until ``limits.MAX_ERRORS`` faults are held, then refuses the file: reading on would
    only lengthen the list. ``fatal`` refuses at once, for a fault after which nothing more can be read. ``hint``
    (what to do about these faults) ends the refusal's message.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[ImportIssue] = []
        self.hint = ""

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, detail: str, *, line: int | None = None, column: str = "", sheet: str | None = None) -> None:
        self.items.append(ImportIssue(file=self.file, detail=detail, line=line, column=column, sheet=sheet))
        if len(self.items) >= limits.MAX_ERRORS:
            raise ImportFileError(self.items, truncated=True, hint=self.hint)

    def error(
        self, detail: str, *, line: int | None = None, column: str = "", sheet: str | None = None
    ) -> ImportFileError:
        """The refusal with the faults collected so far and this last one (for a caller that raises it)."""
        issue = ImportIssue(file=self.file, detail=detail, line=line, column=column, sheet=sheet)
        return ImportFileError([*self.items, issue], hint=self.hint)

    def fatal(self, detail: str, *, line: int | None = None, column: str = "", sheet: str | None = None) -> NoReturn:
        raise self.error(detail, line=line, column=column, sheet=sheet)

    def refuse_if_any(self) -> None:
        if self.items:
            raise ImportFileError(self.items, hint=self.hint)
