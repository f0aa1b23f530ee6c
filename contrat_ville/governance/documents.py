"""The convocation and the minutes of a meeting as DOCX (python-docx) and PDF (WeasyPrint) files (issue 4 §3).

Both documents read the meeting through ``selectors.meetings.meeting_detail`` (everything, unfiltered: the views
decide who may download what). The minutes HTML is the sanitised one saved by ``services.meetings.minutes_save``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from contrat_ville.governance.models import Meeting
from contrat_ville.governance.selectors.meetings import MeetingDetail, datetime_fr, meeting_detail

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"


def document_filename(meeting: Meeting, kind: str, extension: str) -> str:
    """``convocation-comite-de-pilotage-2026-03-12.docx``: ASCII only, safe in a Content-Disposition header."""
    day = timezone.localdate(meeting.starts_at).isoformat()
    return f"{kind}-{slugify(meeting.body.name)[:60] or 'seance'}-{day}.{extension}"


# --- minutes HTML → blocks ----------------------------------------------------------------------------


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    """A paragraph-level piece of the minutes: ``p``, ``h2``-``h4``, ``ul``/``ol`` item, or a table."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs).strip()


class _MinutesParser(HTMLParser):
    """Turns the sanitised minutes HTML (a handful of tags, see ``MINUTES_TAGS``) into blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._current: Block | None = None
        self._lists: list[str] = []
        self._bold = 0
        self._italic = 0
        self._href: str | None = None
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def _open(self, kind: str) -> None:
        self._close()
        self._current = Block(kind=kind)

    def _close(self) -> None:
        if self._current is not None and self._current.text:
            self.blocks.append(self._current)
        self._current = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "h2", "h3", "h4"} and self._table is None:
            self._open(tag)
        elif tag in {"ul", "ol"}:
            self._close()
            self._lists.append(tag)
        elif tag == "li":
            self._open(self._lists[-1] if self._lists else "ul")
        elif tag == "strong":
            self._bold += 1
        elif tag == "em":
            self._italic += 1
        elif tag == "a":
            self._href = dict(attrs).get("href")
        elif tag == "table":
            self._close()
            self._table = []
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in {"td", "th"} and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"p", "h2", "h3", "h4", "li"} and self._table is None:
            self._close()
        elif tag in {"ul", "ol"}:
            self._close()
            if self._lists:
                self._lists.pop()
        elif tag == "strong":
            self._bold = max(0, self._bold - 1)
        elif tag == "em":
            self._italic = max(0, self._italic - 1)
        elif tag == "a":
            if self._href and self._href.startswith(("http://", "https://", "mailto:")):
                self.handle_data(f" ({self._href.removeprefix('mailto:')})")
            self._href = None
        elif tag in {"td", "th"} and self._table is not None and self._cell is not None:
            if not self._table:
                self._table.append([])
            self._table[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._table is not None:
            rows = [row for row in self._table if row]
            if rows:
                self.blocks.append(Block(kind="table", rows=rows))
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
            return
        if self._table is not None:
            return
        text = " ".join(data.split())
        if not text:
            return
        if data[:1].isspace():
            text = " " + text
        if data[-1:].isspace():
            text += " "
        if self._current is None:
            self._current = Block(kind="p")
        self._current.runs.append(Run(text=text, bold=self._bold > 0, italic=self._italic > 0))

    def close(self) -> None:
        super().close()
        self._close()


def minutes_blocks(html: str) -> list[Block]:
    """The minutes as a list of blocks (paragraphs, headings, list items, tables)."""
    parser = _MinutesParser()
    parser.feed(html)
    parser.close()
    return parser.blocks


# --- DOCX ------------------------------------------------------------------------------------------


def _new_document(title: str) -> DocxDocument:
    document = Document()
    document.core_properties.title = title
    document.core_properties.language = "fr-FR"
    style: Any = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    return document


def _label_paragraph(document: DocxDocument, label: str, value: str) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label} : ").bold = True
    paragraph.add_run(value)
    return paragraph


def _header(document: DocxDocument, detail: MeetingDetail, heading: str) -> None:
    meeting = detail.meeting
    document.add_paragraph(meeting.body.contract.name)
    document.add_heading(heading, level=0)
    document.add_heading(meeting.title, level=1)
    _label_paragraph(document, "Instance", meeting.body.name)
    _label_paragraph(document, "Date", detail.when)
    if meeting.location:
        _label_paragraph(document, "Lieu", meeting.location)
    if meeting.video_url:
        _label_paragraph(document, "Visioconférence", meeting.video_url)


def _agenda(document: DocxDocument, detail: MeetingDetail) -> None:
    document.add_heading("Ordre du jour", level=2)
    if not detail.agenda_items:
        document.add_paragraph("L'ordre du jour n'est pas encore fixé.")
    for item in detail.agenda_items:
        paragraph = document.add_paragraph(style="List Number")
        paragraph.add_run(item.title).bold = bool(item.description)
        if item.description:
            paragraph.add_run(f" — {item.description}")


def convocation_docx(meeting: Meeting) -> bytes:
    """The convocation: body, date « jeudi 12 mars 2026 à 14 h 30 », place or video link, agenda, invited members."""
    detail = meeting_detail(meeting=meeting)
    document = _new_document(f"Convocation — {meeting.title}")
    _header(document, detail, "Convocation")
    document.add_paragraph(
        f"Vous êtes invité(e) à la séance « {meeting.title} » de l'instance « {meeting.body.name} », le {detail.when}."
    )
    _agenda(document, detail)
    if detail.attendances:
        document.add_heading("Membres convoqués", level=2)
        for attendance in detail.attendances:
            document.add_paragraph(_member_line(attendance), style="List Bullet")
    if meeting.convened_at:
        document.add_paragraph(f"Convocation envoyée le {datetime_fr(meeting.convened_at)}.")
    return _save(document)


def _member_line(attendance: Any) -> str:
    line = f"{attendance.member} ({attendance.member.get_role_display()})"
    if attendance.represented_by:
        line += f", représenté par {attendance.represented_by}"
    return line


def _add_runs(paragraph: Paragraph, block: Block) -> None:
    for run in block.runs:
        docx_run = paragraph.add_run(run.text)
        docx_run.bold = run.bold or None
        docx_run.italic = run.italic or None


def _minutes_text(document: DocxDocument, html: str) -> None:
    blocks = minutes_blocks(html)
    if not blocks:
        document.add_paragraph("Le compte rendu n'est pas encore rédigé.")
    for block in blocks:
        if block.kind in {"h2", "h3", "h4"}:
            # The document's own headings use levels 0 to 2: the minutes' titles come below them.
            document.add_heading(block.text, level=int(block.kind[1]) + 1)
        elif block.kind == "ul":
            _add_runs(document.add_paragraph(style="List Bullet"), block)
        elif block.kind == "ol":
            _add_runs(document.add_paragraph(style="List Number"), block)
        elif block.kind == "table":
            width = max(len(row) for row in block.rows)
            table = document.add_table(rows=len(block.rows), cols=width)
            table.style = "Table Grid"
            for row_index, row in enumerate(block.rows):
                for column_index, value in enumerate(row):
                    table.cell(row_index, column_index).text = value
        else:
            _add_runs(document.add_paragraph(), block)


def minutes_docx(meeting: Meeting) -> bytes:
    """The minutes: header, agenda, attendance by status, minutes text, and the meeting's decisions."""
    detail = meeting_detail(meeting=meeting)
    document = _new_document(f"Compte rendu — {meeting.title}")
    _header(document, detail, "Compte rendu")
    _agenda(document, detail)
    document.add_heading("Présences", level=2)
    if not detail.attendance_groups:
        document.add_paragraph("Aucun membre invité.")
    for group in detail.attendance_groups:
        document.add_heading(f"{group.label} ({len(group.attendances)})", level=3)
        for attendance in group.attendances:
            document.add_paragraph(_member_line(attendance), style="List Bullet")
    document.add_heading("Compte rendu des échanges", level=2)
    _minutes_text(document, meeting.minutes)
    document.add_heading("Décisions", level=2)
    if not detail.decisions:
        document.add_paragraph("Aucune décision n'a été enregistrée lors de cette séance.")
    for decision in detail.decisions:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{decision.get_verdict_display().capitalize()}").bold = True
        if decision.target_label:
            paragraph.add_run(f" — {decision.target_label}")
        paragraph.add_run(f" : {decision.text}")
    return _save(document)


def _save(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF -------------------------------------------------------------------------------------------


def _pdf(template: str, meeting: Meeting) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    detail = meeting_detail(meeting=meeting)
    html = render_to_string(
        template,
        {"detail": detail, "meeting": meeting, "contract": meeting.body.contract, "generated_on": timezone.now()},
    )
    return bytes(HTML(string=html).write_pdf())


def convocation_pdf(meeting: Meeting) -> bytes:
    return _pdf("governance/documents/convocation.html", meeting)


def minutes_pdf(meeting: Meeting) -> bytes:
    return _pdf("governance/documents/minutes.html", meeting)
