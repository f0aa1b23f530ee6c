"""The partners' *droit commun* commitments of the demo (issue 14 §7), from ``demo/data/funding.yaml``.

Each commitment is looked up by its contract, partner and title, created through ``funding.services`` the first
time, and its yearly figures written only when they differ, so that loading the demo again adds no row and no
history. Years are counted from the contract's first year, so that the figures follow the demo's dates: a realised
figure is recorded only for a year already begun.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.core.datafiles import load_records, read_data_file
from contrat_ville.demo.context import DemoContext
from contrat_ville.funding import services
from contrat_ville.funding.models import CommitmentYear, MainstreamCommitment
from contrat_ville.strategy.models import Action, Objective

PACKAGE = "contrat_ville.demo"
DATA_FILE = "data/funding.yaml"


@dataclass(frozen=True)
class CommitmentSpec:
    partner: str
    title: str
    nature: str
    unit: str
    status: str
    years: list[list[Any]]
    unit_label: str = ""
    objective: str = ""
    action: str = ""
    pillar: str = ""
    evidence: str = ""
    description: str = ""


def _fields(contract: Contract, spec: CommitmentSpec) -> services.CommitmentFields:
    return services.CommitmentFields(
        title=spec.title,
        nature=spec.nature,
        unit=spec.unit,
        unit_label=spec.unit_label,
        description=spec.description,
        status=spec.status,
        evidence=spec.evidence,
        objective=(
            Objective.objects.get(orientation__contract=contract, code=spec.objective) if spec.objective else None
        ),
        action=Action.objects.get(objective__orientation__contract=contract, code=spec.action)
        if spec.action
        else None,
        pillar=contract.pillars.get(code=spec.pillar) if spec.pillar else None,
    )


def _figure(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _commitment(context: DemoContext, contract: Contract, spec: CommitmentSpec, by: Any) -> MainstreamCommitment:
    partner = context.organizations[spec.partner]
    commitment = MainstreamCommitment.objects.filter(contract=contract, partner=partner, title=spec.title).first()
    if commitment is None:
        commitment = services.commitment_create(
            contract=contract, partner=partner, fields=_fields(contract, spec), by=by
        )
    stored = {
        line.year: (line.planned, line.realised) for line in CommitmentYear.objects.filter(commitment=commitment)
    }
    for offset, planned, realised in spec.years:
        year = contract.start_on.year + offset
        wanted = (_figure(planned), _figure(realised) if year <= context.today.year else None)
        if stored.get(year) != wanted:
            services.commitment_year_set(
                commitment=commitment, year=year, planned=wanted[0], realised=wanted[1], today=context.today, by=by
            )
    return commitment


def step_funding(context: DemoContext) -> None:
    """Commitments of both demo contracts, recorded by their pilot."""
    count = 0
    for slug in read_data_file(PACKAGE, DATA_FILE):
        contract = context.contracts[slug]
        role = contract.roles.filter(role=Role.PILOT).select_related("user").order_by("pk").first()
        by = role.user if role is not None else None
        for spec in load_records(CommitmentSpec, PACKAGE, DATA_FILE, section=slug, key="title"):
            _commitment(context, contract, spec, by)
            count += 1
    context.log(f"  {count} engagements de droit commun de partenaires, prévus et réalisés sur deux années")
