"""Reads of the data inventory (*recensement des données*) and of the findings (*état des lieux*)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.core.historised import in_force
from contrat_ville.core.lookups import found_or_404
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.models import DataSource, Finding, FindingEvidence, Stake
from contrat_ville.governance.selectors.bodies import communes_concerned
from contrat_ville.observation import presenters
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.selectors import Cell, Scope, value_index
from contrat_ville.territories.models import Territory

# --- data sources ----------------------------------------------------------------------------------------


def data_source_list(
    *, contract: Contract, pillar: Pillar | int | None = None, keep: Iterable[int] = ()
) -> QuerySet[DataSource]:
    """The contract's data sources in force (and those of ``keep``) with their pillar, by pillar then producer (one
    query)."""
    sources = DataSource.objects.filter(contract=contract).filter(in_force(keep)).select_related("pillar")
    if pillar is not None:
        sources = sources.filter(pillar=pillar)
    return sources.order_by("pillar__order", "producer", "dataset", "pk")


def data_source_get(*, contract: Contract, source_id: int) -> DataSource:
    return found_or_404(
        DataSource.objects.filter(contract=contract, pk=source_id).select_related("pillar").first(),
        "Source de données introuvable.",
    )


# --- findings ---------------------------------------------------------------------------------------------


def _findings() -> QuerySet[Finding]:
    return Finding.objects.select_related("pillar", "territory").prefetch_related(
        Prefetch("data_sources", queryset=DataSource.objects.order_by("producer", "dataset")),
        Prefetch(
            "evidence",
            queryset=FindingEvidence.objects.select_related("indicator", "territory").order_by("pk"),
        ),
    )


def finding_list(
    *,
    contract: Contract,
    pillar: Pillar | int | None = None,
    territory: Territory | int | None = None,
    whole_contract: bool = False,
    keep: Iterable[int] = (),
) -> QuerySet[Finding]:
    """The contract's findings in force (and those of ``keep``) with pillar, territory, sources and cited
    indicators (three queries).

    ``territory`` keeps one QPV's findings; ``whole_contract`` keeps those about the whole contract.
    """
    findings = _findings().filter(contract=contract).filter(in_force(keep))
    if pillar is not None:
        findings = findings.filter(pillar=pillar)
    if territory is not None:
        findings = findings.filter(territory=territory)
    elif whole_contract:
        findings = findings.filter(territory__isnull=True)
    return findings.order_by("pillar__order", "territory__name", "kind", "pk")


def finding_get(*, contract: Contract, finding_id: int) -> Finding:
    return found_or_404(_findings().filter(contract=contract, pk=finding_id).first(), "Constat introuvable.")


def finding_evidence_get(*, finding: Finding, evidence_id: int) -> FindingEvidence:
    return found_or_404(
        FindingEvidence.objects.filter(finding=finding, pk=evidence_id).first(), "Indicateur cité introuvable."
    )


@dataclass(frozen=True)
class EvidenceFigure:
    """An indicator figure cited by a finding, with the observation app's cell for it when a value exists."""

    evidence: FindingEvidence
    cell: Cell | None

    @property
    def display_value(self) -> str:
        """« 23,4 % », « secret statistique » or « — » (no value known), as the observation app writes it."""
        return presenters.cell_text(self.cell, self.evidence.indicator)

    @property
    def source(self) -> str:
        return presenters.source_text(self.cell, self.evidence.indicator) if self.cell is not None else ""


def evidence_figures(*, contract: Contract, evidence: Iterable[FindingEvidence]) -> dict[int, EvidenceFigure]:
    """The value behind each cited figure, by evidence id, in one query (``observation.selectors.value_index``).

    The diagnostic pages are private to members: their scope includes the contract's own values, which win over
    public ones for the same indicator, territory and year (domain.md §7); confidential values are never shown.
    """
    evidence = list(evidence)
    if not evidence:
        return {}
    index = value_index(
        indicators=[item.indicator for item in evidence],
        territory_ids=[item.territory_id for item in evidence],
        scope=Scope(contract=contract),
        periods={item.period for item in evidence},
    )
    return {
        item.pk: EvidenceFigure(
            evidence=item, cell=index.get((item.indicator_id, item.territory_id), {}).get(item.period)
        )
        for item in evidence
    }


def indicator_choices() -> QuerySet[Indicator]:
    """The indicators of the catalogue a finding may cite."""
    return Indicator.objects.order_by("order", "code")


def evidence_territories(*, contract: Contract) -> list[Territory]:
    """Territories a cited figure may be about: the contract's QPVs, its EPCI and the communes concerned."""
    qpvs = list(contract.qpvs.order_by("name", "code"))
    return [*qpvs, contract.epci, *communes_concerned(contract=contract)]


def contract_qpvs(*, contract: Contract) -> QuerySet[Territory]:
    return contract.qpvs.order_by("name", "code")


# --- counts per pillar (overview page, home panel, phase rules) ---------------------------------------------


@dataclass(frozen=True)
class PillarCounts:
    pillar: Pillar
    sources: int
    findings: int
    stakes: int
    retained: int


def pillar_counts(*, contract: Contract) -> list[PillarCounts]:
    """Per pillar: data sources, findings, stakes and retained stakes (four queries whatever the data)."""
    pillars = list(Pillar.objects.filter(contract=contract).order_by("order", "pk"))
    sources = dict(
        DataSource.objects.filter(contract=contract)
        .values("pillar_id")
        .annotate(count=Count("pk"))
        .values_list("pillar_id", "count")
    )
    findings = dict(
        Finding.objects.filter(contract=contract)
        .values("pillar_id")
        .annotate(count=Count("pk"))
        .values_list("pillar_id", "count")
    )
    stakes: dict[int, int] = {}
    retained: dict[int, int] = {}
    for pillar_id, status, count in (
        Stake.objects.filter(contract=contract)
        .values("pillar_id", "status")
        .annotate(count=Count("pk"))
        .values_list("pillar_id", "status", "count")
    ):
        stakes[pillar_id] = stakes.get(pillar_id, 0) + count
        if status == StakeStatus.RETAINED:
            retained[pillar_id] = retained.get(pillar_id, 0) + count
    return [
        PillarCounts(
            pillar=pillar,
            sources=sources.get(pillar.pk, 0),
            findings=findings.get(pillar.pk, 0),
            stakes=stakes.get(pillar.pk, 0),
            retained=retained.get(pillar.pk, 0),
        )
        for pillar in pillars
    ]


@dataclass(frozen=True)
class FindingRow:
    """A finding with the figures it cites (value included when known)."""

    finding: Finding
    figures: list[EvidenceFigure]


def finding_rows(*, contract: Contract, pillar: Pillar | int | None = None) -> list[FindingRow]:
    """``finding_list`` with each cited figure's value: four queries whatever the number of findings."""
    findings = list(finding_list(contract=contract, pillar=pillar))
    figures = evidence_figures(contract=contract, evidence=[item for f in findings for item in f.evidence.all()])
    return [
        FindingRow(finding=finding, figures=[figures[item.pk] for item in finding.evidence.all()])
        for finding in findings
    ]


def pillar_by_code(*, contract: Contract, code: str) -> Pillar | None:
    """The contract's pillar with that code (« cohesion_sociale »…), if any."""
    return Pillar.objects.filter(contract=contract, code=code).first()
