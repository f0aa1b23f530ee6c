"""The outline of a generated document (issue 12 §2-3): what a document says, independent of its format.

A document kind (the diagnostic, the contract document, the annual report) builds an ``Outline`` from the data
through its builder; the renderers turn any outline into DOCX (python-docx) and PDF (WeasyPrint). So the content
rules live once, in the builders, and the tests read the outline as well as the files.

Every text is plain text (no HTML): the renderers escape it. Figures are already formatted (``ui.formats``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from contrat_ville.contracts.models import Contract


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "lead", "note"] = "body"


@dataclass(frozen=True)
class Facts:
    """Label-value pairs (« Porteur : Ville de … »), rendered as a definition list."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    # Columns aligned right (figures), by index.
    numeric_columns: frozenset[int] = frozenset()
    empty_text: str = "Aucune donnée."


@dataclass(frozen=True)
class Image:
    """A picture (a map, a chart) as PNG bytes, with its text alternative."""

    png: bytes
    alternative: str
    caption: str = ""
    width_cm: float = 16.0


Block = Paragraph | Facts | Bullets | Table | Image


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self

    def section(self, title: str) -> Section:
        return _appended(self.sections, title)


def _appended(sections: list[Section], title: str) -> Section:
    """A new empty section at the end of ``sections``, for its builder to fill."""
    child = Section(title)
    sections.append(child)
    return child


@dataclass
class Outline:
    title: str
    subtitle: str = ""
    # The cover page's facts (contract, EPCI, date, status « Projet » / « Version définitive »…).
    cover: tuple[tuple[str, str], ...] = ()
    sections: list[Section] = field(default_factory=list)
    annexes: list[Section] = field(default_factory=list)
    # The file name without extension, ASCII (``rapport-annuel-2026-coteaux-orbe``).
    filename: str = "document"

    def section(self, title: str) -> Section:
        return _appended(self.sections, title)

    def annex(self, title: str) -> Section:
        return _appended(self.annexes, title)

    def titles(self) -> list[str]:
        """Every section title, depth first (tests and the table of contents use it)."""

        def walk(sections: list[Section]) -> list[str]:
            return [title for section in sections for title in [section.title, *walk(section.sections)]]

        return walk(self.sections) + walk(self.annexes)


@dataclass(frozen=True)
class DocumentKind:
    """A kind of generated document, registered by the module that builds it."""

    key: str  # "diagnostic", "contract", "annual_report": stored on each generated document
    label: str  # « Rapport annuel politique de la ville »
    build: Callable[[Contract, int | None], Outline]
    yearly: bool = False  # True when the document is for one year (the annual report, the action plan)


# The kinds of generated document, filled by the modules that build them (``register_document_kind`` in the
# reporting app's ``registrations.py``); the generation page and the API list them in this order.
document_kinds: dict[str, DocumentKind] = {}


def register_document_kind(kind: DocumentKind) -> None:
    if kind.key in document_kinds and document_kinds[kind.key] != kind:
        raise ValueError(f"Type de document déjà enregistré : {kind.key}")
    document_kinds[kind.key] = kind
