"""The partners' *droit commun* commitments, the specific credits and the programme 147 posts of the demo (issue 14
§7), from ``demo/data/funding.yaml``.

Each commitment is looked up by its contract, partner and title, created through ``funding.services`` the first
time, and its yearly figures written only when they differ, so that loading the demo again adds no row and no
history. Years are counted from the contract's first year, so that the figures follow the demo's dates: a realised
figure is recorded only for a year already begun.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.core.datafiles import load_records
from contrat_ville.core.models import ImportBatch
from contrat_ville.demo.context import DemoContext
from contrat_ville.funding import services
from contrat_ville.funding.enums import AgreementKind
from contrat_ville.funding.models import CommitmentYear, Credit, MainstreamCommitment
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


COMMITMENT_SECTIONS = ("val-de-sorne-2024", "coteaux-orbe-2024")


def _pilot(contract: Contract) -> Any:
    role = contract.roles.filter(role=Role.PILOT).select_related("user").order_by("pk").first()
    return role.user if role is not None else None


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


@dataclass(frozen=True)
class CreditSpec:
    programme: str
    title: str
    offset: int
    beneficiary: str = ""
    theme_code: str = ""
    objective: str = ""
    agreement: str = AgreementKind.SINGLE_YEAR
    agreement_years: int = 1
    requested: float | None = None
    granted: float | None = None
    paid: float | None = None


@dataclass(frozen=True)
class PostSpec:
    id: str
    tiers: str
    name: str
    amount: float
    contract: str = ""


def _credits(contract: Contract, by: Any) -> int:
    stored = {(credit.title, credit.year) for credit in Credit.objects.filter(contract=contract, post_id="")}
    specs = load_records(CreditSpec, PACKAGE, DATA_FILE, section="credits", key="title")
    for spec in specs:
        year = contract.start_on.year + spec.offset
        if (spec.title, year) in stored:
            continue
        services.credit_create(
            contract=contract,
            fields=services.CreditFields(
                programme=spec.programme,
                title=spec.title,
                year=year,
                theme_code=spec.theme_code,
                beneficiary=spec.beneficiary,
                objective=(
                    Objective.objects.get(orientation__contract=contract, code=spec.objective)
                    if spec.objective
                    else None
                ),
                agreement=spec.agreement,
                agreement_end_year=year + spec.agreement_years - 1
                if spec.agreement == AgreementKind.MULTI_YEAR
                else None,
                requested=_figure(spec.requested),
                granted=_figure(spec.granted),
                paid=_figure(spec.paid),
            ),
            by=by,
        )
    return len(specs)


def _posts(context: DemoContext, year: int) -> ImportBatch:
    """The ANCT's file of adultes-relais posts of ``year``, as published (one line, numeric ``annee``, a SIRET in
    ``code_tiers``, a post without ``code_cv``), imported through the importer."""
    posts = [
        {
            "id_poste": spec.id,
            "code_tiers": spec.tiers,
            "raison_sociale": spec.name,
            "annee": year,
            "montant": spec.amount,
            **({"code_cv": spec.contract} if spec.contract else {}),
            "insee_dep": "96",
            "insee_reg": "84",
        }
        for spec in load_records(PostSpec, PACKAGE, DATA_FILE, section="posts", key="id")
    ]
    path = context.directory / f"adulte-relais-{year}.json"
    path.write_text(json.dumps(posts, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return services.p147_posts_import(path)


def step_funding(context: DemoContext) -> None:
    """Commitments of both demo contracts, recorded by their pilot; the Val de Sorne's specific credits; the
    adultes-relais posts of the current year, from a file in the ANCT's format."""
    count = 0
    for slug in COMMITMENT_SECTIONS:
        contract = context.contracts[slug]
        by = _pilot(contract)
        for spec in load_records(CommitmentSpec, PACKAGE, DATA_FILE, section=slug, key="title"):
            _commitment(context, contract, spec, by)
            count += 1
    val_de_sorne = context.contracts["val-de-sorne-2024"]
    credits = _credits(val_de_sorne, _pilot(val_de_sorne))
    posts = _posts(context, context.today.year)
    context.log(
        f"  {count} engagements de droit commun de partenaires, prévus et réalisés sur deux années ; {credits} lignes "
        f"de crédits spécifiques ; postes d'adultes-relais {context.today.year} : {posts.summary}"
    )
