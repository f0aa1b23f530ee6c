"""An ``Outline`` as a DOCX file (python-docx, to edit) and as a PDF file (WeasyPrint, to publish) — issue 12 §2-3.

Both renderers read the same outline: cover page (title, subtitle, cover facts), table of contents, sections with
headings by depth, blocks (paragraphs, facts, bullets, tables, images), then the annexes numbered « Annexe 1 — … ».
Every text of an outline is plain text: python-docx writes it as text, the PDF template escapes it (autoescape).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from contrat_ville.reporting.outline import Block, Bullets, Facts, Image, Outline, Paragraph, Section, Table

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"
LANGUAGE = "fr-FR"
# Headings deeper than this are written at this depth (Word's « Titre 4 », HTML's h5).
MAX_DEPTH = 4
BLUE = RGBColor(0x00, 0x00, 0x91)


def annex_title(number: int, title: str) -> str:
    """« Annexe 1 — Annexe financière »."""
    return f"Annexe {number} — {title}"


# --- DOCX ----------------------------------------------------------------------------------------------------------


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (``PAGE``, ``TOC``…) in ``paragraph``; Word computes it when the document opens."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run._r.append(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    if placeholder:
        run._r.append(_text_element(placeholder))
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _text_element(text: str) -> Any:
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element


def _set_language(document: DocxDocument) -> None:
    """French for the spelling checker and hyphenation: the document defaults and the core properties."""
    document.core_properties.language = LANGUAGE
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), LANGUAGE)
    language.set(qn("w:eastAsia"), LANGUAGE)


def _update_fields_on_open(document: DocxDocument) -> None:
    """Ask Word to compute the table of contents and the page numbers when the file opens."""
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def _new_docx(outline: Outline) -> DocxDocument:
    document = Document()
    document.core_properties.title = outline.title
    document.core_properties.subject = outline.subtitle
    document.core_properties.author = "Plateforme des contrats de ville"
    _set_language(document)
    _update_fields_on_open(document)
    style: Any = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        heading: Any = document.styles[name]
        heading.font.name = "Arial"
        heading.font.color.rgb = BLUE
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2.2)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{outline.title} — page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES", "1")
    return document


def _cover(document: DocxDocument, outline: Outline) -> None:
    for _ in range(6):
        document.add_paragraph()
    document.add_heading(outline.title, level=0)
    if outline.subtitle:
        subtitle = document.add_paragraph()
        run = subtitle.add_run(outline.subtitle)
        run.bold, run.font.size = True, Pt(16)
    if outline.cover:
        document.add_paragraph()
        _facts(document, Facts(outline.cover))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(document: DocxDocument) -> None:
    """The table of contents: a Word field over the headings 1 to 3, computed when the file opens."""
    heading = document.add_paragraph()
    run = heading.add_run("Sommaire")
    run.bold, run.font.size, run.font.color.rgb = True, Pt(16), BLUE
    _field(
        document.add_paragraph(),
        'TOC \\o "1-3" \\h \\z \\u',
        "Le sommaire se met à jour à l'ouverture du document (sinon : clic droit, « Mettre à jour les champs »).",
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _facts(document: DocxDocument, facts: Facts) -> None:
    for label, value in facts.items:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.add_run(f"{label} : ").bold = True
        paragraph.add_run(value)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document: DocxDocument, table: Table) -> None:
    if table.caption:
        document.add_paragraph(table.caption, style="Caption")
    if not table.rows:
        document.add_paragraph(table.empty_text).runs[0].italic = True
        return
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header_row = grid.rows[0]
    _repeat_header(header_row)
    for position, header in enumerate(table.headers):
        paragraph = header_row.cells[position].paragraphs[0]
        paragraph.add_run(header).bold = True
        if position in table.numeric_columns:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row_index, row in enumerate(table.rows, start=1):
        cells = grid.rows[row_index].cells
        for position, value in enumerate(row):
            paragraph = cells[position].paragraphs[0]
            paragraph.add_run(value)
            if position in table.numeric_columns:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _image(document: DocxDocument, image: Image) -> None:
    document.add_picture(io.BytesIO(image.png), width=Cm(image.width_cm))
    picture_paragraph = document.paragraphs[-1]
    picture_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The text alternative: the drawing's description (what a screen reader says in Word).
    for properties in picture_paragraph._p.iter(qn("wp:docPr")):
        properties.set("descr", image.alternative)
        properties.set("title", image.caption or image.alternative)
    if image.caption:
        document.add_paragraph(image.caption, style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER


def _block(document: DocxDocument, block: Block) -> None:
    if isinstance(block, Paragraph):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(block.text)
        if block.style == "lead":
            run.font.size = Pt(12)
        elif block.style == "note":
            run.italic, run.font.size = True, Pt(9)
    elif isinstance(block, Facts):
        _facts(document, block)
    elif isinstance(block, Bullets):
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, Image):
        _image(document, block)


def _section(document: DocxDocument, section: Section, depth: int, title: str | None = None) -> None:
    document.add_heading(title or section.title, level=min(depth, MAX_DEPTH))
    for block in section.blocks:
        _block(document, block)
    for child in section.sections:
        _section(document, child, depth + 1)


def outline_to_docx(outline: Outline) -> bytes:
    """The outline as a Word document: cover page, table of contents (a field Word fills in), sections, annexes."""
    document = _new_docx(outline)
    _cover(document, outline)
    _contents(document)
    for section in outline.sections:
        _section(document, section, 1)
    for number, annex in enumerate(outline.annexes, start=1):
        document.add_section(WD_SECTION.NEW_PAGE)
        _section(document, annex, 1, title=annex_title(number, annex.title))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One piece of the PDF's body, in reading order: a heading (``level`` 1-4, ``anchor`` for the table of
    contents) or a block."""

    kind: str  # "heading", "paragraph", "facts", "bullets", "table", "image"
    level: int = 0
    anchor: str = ""
    title: str = ""
    block: Any = None
    annex: bool = False
    image_src: str = ""


def _entries(sections: list[Section], depth: int, counter: list[int], *, annex: bool = False) -> list[Entry]:
    entries: list[Entry] = []
    for section in sections:
        counter[0] += 1
        entries.append(
            Entry("heading", level=min(depth, MAX_DEPTH), anchor=f"s{counter[0]}", title=section.title, annex=annex)
        )
        entries.extend(_entry(block) for block in section.blocks)
        entries += _entries(section.sections, depth + 1, counter)
    return entries


def _entry(block: Block) -> Entry:
    if isinstance(block, Image):
        return Entry("image", block=block, image_src="data:image/png;base64," + base64.b64encode(block.png).decode())
    kind = {Paragraph: "paragraph", Facts: "facts", Bullets: "bullets", Table: "table"}[type(block)]
    return Entry(kind, block=block)


def pdf_entries(outline: Outline) -> list[Entry]:
    """The outline flattened for the template: headings with anchors, then blocks; annexes titled « Annexe n — »."""
    counter = [0]
    entries = _entries(outline.sections, 1, counter)
    for number, annex in enumerate(outline.annexes, start=1):
        titled = Section(annex_title(number, annex.title), annex.blocks, annex.sections)
        entries += _entries([titled], 1, counter, annex=True)
    return entries


def outline_html(outline: Outline) -> str:
    entries = pdf_entries(outline)
    return render_to_string(
        "reporting/documents/document_pdf.html",
        {
            "outline": outline,
            "entries": entries,
            "contents": [entry for entry in entries if entry.kind == "heading" and entry.level <= 2],
        },
    )


def outline_to_pdf(outline: Outline) -> bytes:
    """The outline as a tagged PDF (A4, cover, table of contents with page numbers, numbered pages)."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    return bytes(HTML(string=outline_html(outline)).write_pdf(pdf_tags=True))
