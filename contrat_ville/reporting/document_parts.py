"""Pieces shared by the builders of generated documents (the diagnostic, the contract document; the annual report
may use them): how a document sees the contract, the cover, dates and amounts, the QPV portraits, the map.

Builders read the data through the other apps' selectors, each in a fixed number of queries whatever the data.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.diagnostic.selectors.inventory import pillar_counts
from contrat_ville.observation import presenters
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.selectors import Scope
from contrat_ville.observation.selectors.comparisons import KEY_FIGURE_CODES, comparison_get
from contrat_ville.observation.selectors.indicators import indicator_list
from contrat_ville.reporting.maps import qpv_map_alternative, qpv_map_png
from contrat_ville.reporting.outline import Image, Paragraph, Section, Table
from contrat_ville.territories.models import Territory
from contrat_ville.ui.formats import euros

PORTRAIT_INDICATOR_COUNT = 6
NOT_AVAILABLE = "—"


def document_access(contract: Contract) -> ContractAccess:
    """How a generated document reads the contract: as its pilot does (every body, the contract's own figures).
    Who may download the file is the views' business (``reporting.permissions``)."""
    return ContractAccess(contract=contract, role=Role.PILOT)


def date_text(value: datetime.date | datetime.datetime | None) -> str:
    """« 12 mars 2026 », « — » when unknown."""
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return date_format(value, "j F Y")


def euros_text(value: Decimal | int | None) -> str:
    """« 12 500 € » (rounded to the euro), « — » when unknown."""
    return euros(None if value is None else round(value))


def number_text(value: Decimal | float | None) -> str:
    if value is None:
        return NOT_AVAILABLE
    return presenters.format_number(float(value), decimals=0 if float(value).is_integer() else 1)


def filename_for(kind: str, contract: Contract, year: int | None = None) -> str:
    """``contrat-de-ville-2026-coteaux-orbe``: ASCII, safe in a Content-Disposition header."""
    parts = [kind, str(year) if year else "", contract.slug]
    return slugify("-".join(part for part in parts if part))[:120] or "document"


def cover_facts(contract: Contract, *extra: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """The cover's facts: the contract, its EPCI, its period, then ``extra``, then the generation date."""
    return (
        ("Contrat", contract.name),
        ("Intercommunalité", contract.epci.name),
        ("Période", f"du {date_text(contract.start_on)} au {date_text(contract.end_on)}"),
        *extra,
        ("Document produit le", date_text(timezone.localdate())),
    )


def portrait_indicators(indicators: list[Indicator] | None = None) -> list[Indicator]:
    """The key indicators of the QPV portraits: the home's key figures first (``KEY_FIGURE_CODES``), then the
    catalogue's order, ``PORTRAIT_INDICATOR_COUNT`` in all."""
    indicators = indicator_list() if indicators is None else indicators
    preferred = sorted(
        indicators, key=lambda i: (KEY_FIGURE_CODES.index(i.code) if i.code in KEY_FIGURE_CODES else 99, i.order)
    )
    return preferred[:PORTRAIT_INDICATOR_COUNT]


def qpv_portraits(section: Section, *, contract: Contract) -> None:
    """One table a QPV: each key indicator's latest value in the QPV against its EPCI (same year), with the gap
    (four queries whatever the number of QPVs: indicators, QPVs, references, values)."""
    indicators = portrait_indicators()
    if not indicators:
        section.add(Paragraph("Le catalogue d'indicateurs est vide : aucun portrait chiffré.", "note"))
        return
    comparison = comparison_get(contract=contract, scope=Scope(contract=contract), indicators=indicators)
    if not comparison.rows:
        section.add(Paragraph("Le contrat ne compte encore aucun quartier prioritaire.", "note"))
        return
    for row in comparison.rows:
        reference = row.reference.name if row.reference is not None else "l'intercommunalité"
        rows = []
        for indicator, cell in zip(indicators, row.cells, strict=True):
            rows.append(
                (
                    indicator.label,
                    presenters.cell_text(cell.cell, indicator),
                    str(cell.cell.period) if cell.cell.period else NOT_AVAILABLE,
                    presenters.cell_text(cell.comparison.reference, indicator),
                    presenters.gap_text(cell.comparison, indicator).removeprefix("écart : ") or NOT_AVAILABLE,
                )
            )
        population = f", {number_text(row.qpv.population)} habitants" if row.qpv.population else ""
        section.section(f"{row.qpv.name} ({row.qpv.code}{population})").add(
            Table(
                ("Indicateur", "Quartier", "Année", reference, "Écart"),
                tuple(rows),
                caption=f"Indicateurs clés de {row.qpv.name} comparés à {reference}",
                numeric_columns=frozenset({1, 2, 3, 4}),
            )
        )


def qpv_map(*, qpvs: list[Territory], epci: Territory) -> Image | Paragraph:
    """The map of the QPVs (PNG) with its text alternative, or a note when no QPV has a contour."""
    png = qpv_map_png(qpvs=qpvs, epci=epci)
    if png is None:
        return Paragraph("Les contours des quartiers prioritaires ne sont pas chargés : pas de carte.", "note")
    return Image(
        png=png,
        alternative=qpv_map_alternative(qpvs=qpvs, epci=epci),
        caption="Les quartiers prioritaires du contrat (numéros de la liste ci-dessus)",
    )


def pillar_counts_table(contract: Contract, *, caption: str) -> Table:
    """The diagnostic in figures, one row per pillar (four queries whatever the data)."""
    return Table(
        ("Pilier", "Sources de données", "Constats", "Enjeux", "Enjeux retenus"),
        tuple(
            (row.pillar.label, str(row.sources), str(row.findings), str(row.stakes), str(row.retained))
            for row in pillar_counts(contract=contract)
        ),
        caption=caption,
        numeric_columns=frozenset({1, 2, 3, 4}),
        empty_text="Le contrat n'a pas encore de pilier.",
    )
