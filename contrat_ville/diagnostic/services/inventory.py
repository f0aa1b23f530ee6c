"""The first two steps of the diagnostic (seed 004 phase 3.1): the data inventory and the *état des lieux*.

« Recenser les différentes données existantes sur le territoire de l'intercommunalité et les quartiers
prioritaires » ; « chaque groupe de travail réalisera un état des lieux recensant les handicaps et ressources des
territoires prioritaires ».
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Required, TypedDict, Unpack

from django.db import transaction

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.saving import save_by
from contrat_ville.core.services import object_archive, object_delete, required_text
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.models import DataSource, Finding, FindingEvidence
from contrat_ville.diagnostic.selectors.inventory import evidence_territories
from contrat_ville.observation.models import Indicator
from contrat_ville.territories.models import Territory

YEAR_MIN, YEAR_MAX = 1950, 2100


def check_pillar(*, contract: Contract, pillar: Pillar | None, required: bool = True) -> None:
    if pillar is None:
        if required:
            raise BusinessRuleError("Le pilier est obligatoire.", field="pillar")
        return
    if pillar.contract_id != contract.pk:
        raise BusinessRuleError("Ce pilier n'appartient pas à ce contrat de ville.", field="pillar")


def _check_year(year: int | None, field: str = "year") -> None:
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        raise BusinessRuleError(f"L'année doit être comprise entre {YEAR_MIN} et {YEAR_MAX}.", field=field)


# --- data sources ----------------------------------------------------------------------------------------


class DataSourceFields(TypedDict, total=False):
    """What a line of the data inventory says, as its form and the demo give it."""

    pillar: Required[Pillar | None]
    producer: Required[str]
    dataset: Required[str]
    level: str
    year: int | None
    url: str
    notes: str


@transaction.atomic
def data_source_create(*, contract: Contract, by: User | None, **fields: Unpack[DataSourceFields]) -> DataSource:
    """Add a line to the data inventory of a pillar's working group (or of the whole contract, without pillar)."""
    return _data_source_save(DataSource(contract=contract), by=by, **fields)


@transaction.atomic
def data_source_update(*, source: DataSource, by: User | None, **fields: Unpack[DataSourceFields]) -> DataSource:
    return _data_source_save(source, by=by, **fields)


def _data_source_save(
    source: DataSource,
    *,
    pillar: Pillar | None,
    producer: str,
    dataset: str,
    level: str = "",
    year: int | None = None,
    url: str = "",
    notes: str = "",
    by: User | None,
) -> DataSource:
    check_pillar(contract=source.contract, pillar=pillar, required=False)
    _check_year(year)
    source.pillar = pillar
    source.producer = required_text(producer, "Le producteur est obligatoire.", field="producer")
    source.dataset = required_text(dataset, "Le jeu de données est obligatoire.", field="dataset")
    source.level = level.strip()
    source.year = year
    source.url = url.strip()
    source.notes = notes.strip()
    save_by(source, by)
    return source


@transaction.atomic
def data_source_delete(*, source: DataSource, by: User | None) -> None:
    """Remove a data source no finding cites (a mistake); a cited one is archived (``core.object_delete``)."""
    object_delete(obj=source, by=by)


@transaction.atomic
def data_source_archive(*, source: DataSource, on: date, by: User | None) -> DataSource:
    """Withdraw a source from the inventory and the forms; the findings that cite it keep it."""
    return object_archive(obj=source, on=on, by=by)


# --- findings ---------------------------------------------------------------------------------------------


def _check_finding(
    *, contract: Contract, pillar: Pillar, territory: Territory | None, kind: str, sources: list[DataSource]
) -> None:
    check_pillar(contract=contract, pillar=pillar)
    if kind not in FindingKind.values:
        raise BusinessRuleError("Nature du constat inconnue : atout / ressource ou handicap.", field="kind")
    if territory is not None and not contract.qpvs.filter(pk=territory.pk).exists():
        raise BusinessRuleError(
            f"« {territory.name} » n'est pas un quartier prioritaire de ce contrat.", field="territory"
        )
    if any(source.contract_id != contract.pk for source in sources):
        raise BusinessRuleError("Une source citée n'appartient pas à ce contrat de ville.", field="data_sources")


class FindingFields(TypedDict, total=False):
    """What a finding says, as its form and the demo give it."""

    pillar: Required[Pillar]
    territory: Required[Territory | None]
    kind: Required[str]
    text: Required[str]
    data_sources: Iterable[DataSource]


@transaction.atomic
def finding_create(*, contract: Contract, by: User | None, **fields: Unpack[FindingFields]) -> Finding:
    """A strength/resource or a handicap of one QPV of the contract (or of the whole contract) for one pillar."""
    return _finding_save(Finding(contract=contract), by=by, **fields)


@transaction.atomic
def finding_update(*, finding: Finding, by: User | None, **fields: Unpack[FindingFields]) -> Finding:
    return _finding_save(finding, by=by, **fields)


def _finding_save(
    finding: Finding,
    *,
    pillar: Pillar,
    territory: Territory | None,
    kind: str,
    text: str,
    data_sources: Iterable[DataSource] = (),
    by: User | None,
) -> Finding:
    sources = list(data_sources)
    _check_finding(contract=finding.contract, pillar=pillar, territory=territory, kind=kind, sources=sources)
    finding.pillar = pillar
    finding.territory = territory
    finding.kind = kind
    finding.text = required_text(text, "Le constat est obligatoire.", field="text")
    save_by(finding, by)
    finding.data_sources.set(sources)
    return finding


@transaction.atomic
def finding_delete(*, finding: Finding, by: User | None) -> None:
    """Delete a finding no stake cites, with the indicators it cites; a cited one is archived."""
    object_delete(obj=finding, by=by)


@transaction.atomic
def finding_archive(*, finding: Finding, on: date, by: User | None) -> Finding:
    """Withdraw a finding from the état des lieux and the forms; the stakes that cite it keep it."""
    return object_archive(obj=finding, on=on, by=by)


@transaction.atomic
def finding_evidence_add(
    *, finding: Finding, indicator: Indicator, territory: Territory, period: int, by: User | None
) -> FindingEvidence:
    """Cite an indicator figure (indicator, territory, year) in a finding: robust to re-imports of the values."""
    _check_year(period, "period")
    allowed = {item.pk for item in evidence_territories(contract=finding.contract)}
    if territory.pk not in allowed:
        raise BusinessRuleError(
            f"« {territory.name} » n'est ni un quartier, ni une commune concernée, ni l'intercommunalité du contrat.",
            field="territory",
        )
    if FindingEvidence.objects.filter(
        finding=finding, indicator=indicator, territory=territory, period=period
    ).exists():
        raise BusinessRuleError("Ce constat cite déjà cet indicateur pour ce territoire et cette année.")
    return FindingEvidence.objects.create(finding=finding, indicator=indicator, territory=territory, period=period)


@transaction.atomic
def finding_evidence_remove(*, evidence: FindingEvidence, by: User | None) -> None:
    evidence.delete()
