"""Security conventions checked on the sources (docs/security.md): every CSV goes through ``core.spreadsheets``'s
writer and every worksheet row through ``safe_row`` or ``write_sheet`` (formula injection); no template runs an
inline script without the CSP nonce, nor an ``on…=`` handler attribute."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


TEMPLATES = sorted(PACKAGE_DIR.rglob("templates/**/*.html"))
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_every_script_tag_carries_the_csp_nonce() -> None:
    """The CSP allows scripts from the platform and the request's nonce only: a tag without it would not run."""
    offenders = [
        f"{path.relative_to(REPO_ROOT)}: {tag}"
        for path in TEMPLATES
        for tag in SCRIPT_TAG.findall(path.read_text(encoding="utf-8"))
        if "nonce=" not in tag
    ]
    assert TEMPLATES and not offenders, "balise <script> sans nonce : " + ", ".join(offenders)


def test_no_template_has_an_inline_event_handler_or_javascript_url() -> None:
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in TEMPLATES
        if HANDLER_ATTRIBUTE.search(text := path.read_text(encoding="utf-8")) or JAVASCRIPT_URL.search(text)
    ]
    assert not offenders, "attribut on…= ou URL javascript: (refusés par la CSP) : " + ", ".join(offenders)


def test_the_convention_regexes_catch_what_they_refuse() -> None:
    assert HANDLER_ATTRIBUTE.search('<button class="x" onclick="go()">')
    assert not HANDLER_ATTRIBUTE.search('<p data-money="x">')
    assert JAVASCRIPT_URL.search('<a href="javascript:alert(1)">')
    assert RAW_CSV_WRITER.search("writer = csv.writer(buffer)")
    assert SHEET_APPEND.search("        sheet.append(row)") and not SHEET_APPEND.search("sheet.append(safe_row(row))")


@pytest.mark.django_db
def test_pages_send_a_strict_csp_and_refuse_framing(client) -> None:
    response = client.get("/")
    policy = {
        name: value
        for name, _, value in (
            directive.partition(" ") for directive in response["Content-Security-Policy"].split("; ")
        )
    }
    scripts = policy["script-src"].split()
    assert "'self'" in scripts and any(source.startswith("'nonce-") for source in scripts)
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert policy["frame-ancestors"] == "'none'" and policy["default-src"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
