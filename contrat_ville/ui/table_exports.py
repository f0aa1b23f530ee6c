"""Every table of every page can be downloaded as CSV or XLSX (issue 12 §4), with no code in the views.

The ``{% table %}`` tag (``ui_tags``) marks its wrapper with ``data-table-export="<key>"`` and writes, under the
table, the links « Télécharger ce tableau : CSV · XLSX » to the page's own URL plus ``?export=csv&tableau=<key>``
(the page's other parameters — its filters — kept). ``reporting.table_exports.TableExportMiddleware`` answers
such a request: the view renders the page as for anyone (same permissions, same filters), then this module reads
the table back out of the HTML (``extract_table``) and types its cells (``typed_cell``).

Reading the HTML back, rather than asking each view for its rows, is what makes it work for all ~80 tables at
once: what is exported is exactly what the page shows to that user.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify

EXPORT_PARAMETER = "export"
TABLE_PARAMETER = "tableau"
FORMATS = ("csv", "xlsx")
KEY_ATTRIBUTE = "data-table-export"
EMPTY_MARKS = {"—", "\u2013", "-"}  # em dash, en dash, hyphen: « unknown »

# --- the links under a table -----------------------------------------------------------------------------------


def table_key(request: HttpRequest, testid: str, caption: str) -> str:
    """The table's name in the export URL: its ``testid``, else its caption's slug; a second table of the same
    name on the page (the same request) gets « -2 », and so on."""
    base = slugify(testid or caption) or "tableau"
    seen: dict[str, int] = request.__dict__.setdefault("_table_export_keys", {})
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def page_location(request: HttpRequest) -> tuple[str, list[tuple[str, str]]]:
    """The path and query parameters of the page the user sees. A GET is that page (an htmx GET pushes its own
    URL); an htmx POST (a form saved in place) answers for the page the browser shows (``HX-Current-URL``)."""
    htmx = getattr(request, "htmx", None)
    if request.method != "GET" and htmx and htmx.current_url:
        parts = urlsplit(htmx.current_url)
        return parts.path, parse_qsl(parts.query, keep_blank_values=True)
    return request.path, [(name, value) for name, values in request.GET.lists() for value in values]


def export_url(request: HttpRequest, key: str, file_format: str) -> str:
    path, parameters = page_location(request)
    kept = [(name, value) for name, value in parameters if name not in (EXPORT_PARAMETER, TABLE_PARAMETER)]
    return f"{path}?{urlencode([*kept, (EXPORT_PARAMETER, file_format), (TABLE_PARAMETER, key)])}"


LINKS_HTML = (
    '<div class="fr-table__footer" data-testid="table-export">'
    '<div class="fr-table__footer--start"><p class="fr-table__detail fr-mb-0">Télécharger ce tableau : '
    '<a class="fr-link fr-link--sm" href="{}" download rel="nofollow">CSV'
    '<span class="fr-sr-only"> : tableau « {} »</span></a> · '
    '<a class="fr-link fr-link--sm" href="{}" download rel="nofollow">XLSX'
    '<span class="fr-sr-only"> : tableau « {} »</span></a></p></div></div>'
)


def export_links(request: HttpRequest, key: str, caption: str) -> SafeString:
    """« Télécharger ce tableau : CSV · XLSX », each link's accessible name naming the table."""
    return format_html(LINKS_HTML, export_url(request, key, "csv"), caption, export_url(request, key, "xlsx"), caption)


# --- reading a table back out of a page --------------------------------------------------------------------------


@dataclass
class ExtractedTable:
    key: str
    caption: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class _Cell:
    parts: list[str] = field(default_factory=list)  # text pieces; "\n" marks a break (a paragraph, <br>, an item)
    colspan: int = 1
    rowspan: int = 1
    is_header: bool = False
    has_control: bool = False

    def text(self) -> str:
        pieces = [" ".join(piece.split()) for piece in "".join(self.parts).split("\n")]
        return " ; ".join(piece for piece in pieces if piece)


# Elements whose text is not data: controls (a « Retirer » button, a link drawn as a button), scripts, and what
# is hidden from everyone.
SKIPPED = {"script", "style", "template", "button", "select", "textarea", "svg", "form", "dialog"}
CONTROLS = {"button", "select", "textarea", "input", "form"}
BREAKS = {"br", "p", "div", "li", "ul", "ol"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _PageReader(HTMLParser):
    """Collects the page's ``<title>`` and the one table marked ``data-table-export="<key>"``.

    Visually hidden text (``fr-sr-only``) is kept: it says what a badge's colour or an icon says on screen, which a
    spreadsheet cannot show. ``aria-hidden`` content (decoration) and controls are left out."""

    def __init__(self, key: str) -> None:
        super().__init__(convert_charrefs=True)
        self.key = key
        self.title_parts: list[str] = []
        self.in_title = False
        self.table: ExtractedTable | None = None
        self.done = False
        self.depth = 0  # element depth inside the marked wrapper (0: outside)
        self.table_depth = 0  # nested <table> depth inside the wrapper
        self.skip_depth = 0  # > 0 inside a skipped element
        self.section = ""
        self.in_caption = False
        self.caption_parts: list[str] = []
        self.header_cells: list[_Cell] = []
        self.body_rows: list[list[_Cell]] = []
        self.row: list[_Cell] | None = None
        self.cell: _Cell | None = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs, closed=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool = False) -> None:
        if self.done:
            return
        if tag == "title" and not self.title_parts:  # the page's, not an SVG's <title> further down
            self.in_title = True
        if self.depth == 0:
            if dict(attrs).get(KEY_ATTRIBUTE) == self.key:
                self.table = ExtractedTable(key=self.key)
                self.depth = 1
            return
        void = closed or tag in VOID
        if not void:
            self.depth += 1
        attributes = dict(attrs)
        if self.skip_depth:
            if not void:
                self.skip_depth += 1
            return
        button_link = tag == "a" and "fr-btn" in (attributes.get("class") or "").split()
        if (tag in CONTROLS or button_link) and self.cell is not None:
            self.cell.has_control = True
        if tag in SKIPPED or button_link or attributes.get("aria-hidden") == "true" or "hidden" in attributes:
            if not void:
                self.skip_depth = 1
            return
        if tag == "table":
            self.table_depth += 1
        if self.table_depth != 1:
            return
        if tag == "caption":
            self.in_caption = True
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = _Cell(
                colspan=_span(attributes.get("colspan")),
                rowspan=_span(attributes.get("rowspan")),
                is_header=tag == "th",
            )
        elif tag in BREAKS:
            self._text("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag == "title":
            self.in_title = False
        if self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            self.done = True
            self._finish()
            return
        if self.skip_depth:
            self.skip_depth -= 1
            return
        if tag == "table":
            self.table_depth -= 1
        if self.table_depth != 1 and tag != "table":
            return
        if tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.section == "thead":
                self.header_cells.extend(self.row)
            else:
                self.body_rows.append(self.row)
            self.row = None
        elif tag in BREAKS:
            self._text("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        if self.depth and not self.skip_depth and self.table_depth == 1:
            self._text(data)

    def _text(self, text: str) -> None:
        if self.cell is not None:
            self.cell.parts.append(text)
        elif self.in_caption:
            self.caption_parts.append(text)

    def _finish(self) -> None:
        assert self.table is not None
        self.table.caption = " ".join("".join(self.caption_parts).split())
        self.table.headers = [text for cell in self.header_cells for text in [cell.text()] + [""] * (cell.colspan - 1)]
        self.table.headers, self.table.rows = _rectangle(self.table.headers, self.body_rows)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _rectangle(headers: list[str], body: list[list[_Cell]]) -> tuple[list[str], list[list[str]]]:
    """Flat rows of the header's width: a cell spanning rows is repeated in each; one spanning columns is written
    in its first; the « Aucun… » row of an empty table (one data cell across every column) is not data; a column
    where every cell held only controls (« Retirer ») is left out."""
    width = len(headers)
    rows: list[list[str]] = []
    controls: list[list[bool]] = []
    pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still to fill)
    for cells in body:
        if width > 1 and len(cells) == 1 and not cells[0].is_header and cells[0].colspan >= width and not pending:
            continue
        row: list[str] = []
        control_row: list[bool] = []
        queue = list(cells)
        while queue or any(column >= len(row) for column in pending):
            column = len(row)
            if column in pending:
                text, left = pending[column]
                row.append(text)
                control_row.append(False)
                if left <= 1:
                    del pending[column]
                else:
                    pending[column] = (text, left - 1)
                continue
            if not queue:
                break
            cell = queue.pop(0)
            text = cell.text()
            if cell.rowspan > 1:
                pending[column] = (text, cell.rowspan - 1)
            row.append(text)
            control_row.append(cell.has_control and not text)
            for _ in range(cell.colspan - 1):
                row.append("")
                control_row.append(cell.has_control and not text)
        rows.append(row)
        controls.append(control_row)
    width = max([width, *(len(row) for row in rows)])
    headers = headers + [""] * (width - len(headers))
    rows = [row + [""] * (width - len(row)) for row in rows]
    controls = [flags + [False] * (width - len(flags)) for flags in controls]
    kept = [
        column for column in range(width) if not rows or not all(controls[index][column] for index in range(len(rows)))
    ]
    return [headers[column] for column in kept], [[row[column] for column in kept] for row in rows]


def extract_table(html: str, key: str) -> tuple[str, ExtractedTable | None]:
    """The page's title (its ``<title>`` without the platform's name) and the table of that key, if any."""
    reader = _PageReader(key)
    reader.feed(html)
    reader.close()
    title = " ".join("".join(reader.title_parts).split()).removesuffix(f" — {settings.PLATFORM_NAME}")
    return title, reader.table if reader.done else None


# --- typing the cells --------------------------------------------------------------------------------------------

SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-"})
NUMBER = re.compile(r"^(?P<sign>[-+]?) ?(?P<whole>\d{1,3}(?: \d{3})+|\d+)(?:,(?P<decimals>\d+))?(?: ?(?P<unit>€|%))?$")
DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})(?: (?:à )?(\d{1,2})[:h](\d{2}))?$")
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
LONG_DATE = re.compile(r"^(1er|\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})$")


@dataclass(frozen=True)
class TypedCell:
    """A cell's value for a spreadsheet (``int``, ``float``, ``date``, ``datetime`` or text), the number format
    that shows it as on the page (XLSX), and its CSV text."""

    value: object
    number_format: str | None
    csv: str


def typed_cell(text: str) -> TypedCell:
    """« 12 345 » → 12345 (``# ##0``), « 1 234,5 € » → 1234.5 (``# ##0,0 €``), « 45 % » → 0.45 (``0 %``),
    « 31/01/2026 » or « 1er janvier 2026 » → a date; anything else stays text. A lone « — » (unknown) is empty.
    A figure starting with 0 (a code: « 01053 ») stays text. The CSV text is the figure without grouping spaces
    (« 1234,5 € », « 45 % ») — French spreadsheet software reads it as a number — and a date as jj/mm/aaaa."""
    plain = text.translate(SPACES).strip()
    if plain in EMPTY_MARKS:
        return TypedCell(None, None, "")
    number = NUMBER.match(plain)
    if number and not (len(number["whole"]) > 1 and number["whole"].startswith("0")) and len(plain) < 20:
        return _number(number)
    date = DATE.match(plain)
    if date:
        day, month, year, hour, minute = date.groups()
        try:
            if hour is not None:
                moment = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute))  # noqa: DTZ001
                return TypedCell(moment, "DD/MM/YYYY HH:MM", plain)
            return TypedCell(datetime.date(int(year), int(month), int(day)), "DD/MM/YYYY", plain)
        except ValueError:
            return TypedCell(text, None, text)
    long_date = LONG_DATE.match(plain)
    if long_date:
        day_text, month_name, year = long_date.groups()
        day = 1 if day_text == "1er" else int(day_text)
        try:
            value = datetime.date(int(year), MONTHS.index(month_name) + 1, day)
        except ValueError:
            return TypedCell(text, None, text)
        return TypedCell(value, "DD/MM/YYYY", value.strftime("%d/%m/%Y"))
    return TypedCell(text, None, text)


def _number(match: re.Match[str]) -> TypedCell:
    sign = -1 if match["sign"] == "-" else 1
    whole = match["whole"].replace(" ", "")
    decimals = match["decimals"] or ""
    unit = match["unit"]
    grouped = " " in match["whole"] or unit == "€"
    value: int | float = sign * (float(f"{whole}.{decimals}") if decimals else int(whole))
    shown = ("0." + "0" * len(decimals)) if decimals else "0"
    if grouped:
        shown = "#,##" + shown
    csv = ("-" if sign < 0 else "") + whole + ("," + decimals if decimals else "") + (f" {unit}" if unit else "")
    if unit == "%":
        return TypedCell(round(value / 100, len(decimals) + 2), f"{shown}\\ %", csv)
    if unit == "€":
        return TypedCell(value, f'{shown}\\ "€"', csv)
    return TypedCell(value, shown, csv)


def bare_caption(caption: str) -> str:
    """The caption without the count the tag adds, « Membres (12) » → « Membres »."""
    return re.sub(r" \(\d+\)$", "", caption)


def download_name(title: str, caption: str) -> str:
    """The file's name from the page's title and the table's caption (without its count, and left out when the
    title already says it), in ASCII."""
    title_slug, caption_slug = (slugify(re.sub("['\u2019]", " ", text)) for text in (title, bare_caption(caption)))
    parts = [title_slug] if caption_slug in title_slug else [title_slug, caption_slug]
    return "-".join(part for part in parts if part)[:120].strip("-") or "tableau"
