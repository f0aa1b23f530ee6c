"""Security conventions checked on the sources (docs/security.md): every CSV goes through ``core.spreadsheets``'s
writer and every worksheet row through ``safe_row`` or ``write_sheet`` (formula injection); no template runs an
inline script without the CSP nonce, nor an ``on…=`` handler attribute."""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO_ROOT / "contrat_ville"
SPREADSHEETS = PACKAGE_DIR / "core" / "spreadsheets.py"


def application_sources() -> list[Path]:
    """The application's Python files: not its tests, not the demo (which writes input files for the importers)."""
    return [
        path
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.relative_to(PACKAGE_DIR).parts[0] != "demo"
    ]


RAW_CSV_WRITER = re.compile(r"\bcsv\.(writer|DictWriter)\(")
SHEET_APPEND = re.compile(r"\b(\w*sheet\w*|readme|ws|worksheet|flat|councils)\.append\((?!safe_row\()")


def test_every_csv_goes_through_the_neutralising_writer() -> None:
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for path in application_sources()
        if path != SPREADSHEETS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_CSV_WRITER.search(line)
    ]
    assert not offenders, "CSV écrit sans core.spreadsheets.csv_writer (injection de formules) : " + ", ".join(
        offenders
    )


def test_every_worksheet_row_goes_through_safe_row() -> None:
    offenders = []
    for path in application_sources():
        text = path.read_text(encoding="utf-8")
        if "openpyxl" not in text or path == SPREADSHEETS:
            continue
        offenders += [
            f"{path.relative_to(REPO_ROOT)}:{number}"
            for number, line in enumerate(text.splitlines(), start=1)
            if SHEET_APPEND.search(line)
        ]
    assert not offenders, "ligne de classeur écrite sans safe_row ni write_sheet : " + ", ".join(offenders)
