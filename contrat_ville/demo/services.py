"""Load the demo: generate the reference files, import them through the real importers, then build the
organisations, contracts and accounts through the services of each app.

``demo_load`` runs ``DEMO_STEPS`` in order, each a function of a shared ``DemoContext``. Every step is
idempotent, so loading the demo twice gives the same data. A later app adds its part of the demo by writing
a step (``contrat_ville/demo/steps/<app>.py``, a function ``(DemoContext) -> None``) and appending a
``DemoStep`` to ``DEMO_STEPS``.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contrat_ville.accounts.services import organization_get_or_create, user_create_or_update
from contrat_ville.contracts.enums import ContractStatus
from contrat_ville.contracts.models import Contract, ContractRole, Signatory
from contrat_ville.contracts.services import (
    contract_create,
    contract_role_grant,
    contract_role_revoke,
    contract_set_qpvs,
    signatory_add,
)
from contrat_ville.core.services import fields_as_arguments
from contrat_ville.demo.catalogue import CONTRACTS, ORGANIZATIONS, ContractSpec
from contrat_ville.demo.context import DemoContext, DemoStep, Output
from contrat_ville.demo.generator import (
    COG_VINTAGE,
    IRIS_VINTAGE,
    QPV_GENERATION,
    build_territory,
    write_demo_files,
)
from contrat_ville.demo.steps.diagnostic import step_diagnostic
from contrat_ville.demo.steps.evaluation import step_evaluation
from contrat_ville.demo.steps.funding import step_funding
from contrat_ville.demo.steps.governance import step_governance
from contrat_ville.demo.steps.observation import step_observation
from contrat_ville.demo.steps.participation import step_council_surveys, step_participation
from contrat_ville.demo.steps.reporting import step_annual_report
from contrat_ville.demo.steps.resources import step_resources
from contrat_ville.demo.steps.strategy import step_strategy
from contrat_ville.demo.users import USERS
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory
from contrat_ville.territories.services import (
    import_communes,
    import_departements,
    import_epci,
    import_iris,
    import_qpv,
    import_regions,
)

PREPARATION_MONTHS_ELAPSED = 4
CONTRACT_YEARS = 6


# --- helpers --------------------------------------------------------------------------------------------


def preparation_dates(today: date) -> tuple[date, date]:
    """Dates that keep a contract « in preparation » mid-way whatever the day: it started on the first day of
    the month four months ago and runs for six years."""
    month = today.month - PREPARATION_MONTHS_ELAPSED
    year = today.year
    if month <= 0:
        month += 12
        year -= 1
    start_on = date(year, month, 1)
    end_on = date(year + CONTRACT_YEARS, month, 1) - timedelta(days=1)
    return start_on, end_on


def demo_contract_upsert(
    *,
    spec: ContractSpec,
    epci: Territory,
    start_on: date,
    end_on: date,
    signed_on: date | None,
) -> Contract:
    """The contract of ``spec.slug``: created through ``contract_create`` (with its generation's pillars and
    axes) the first time, then brought back to the spec; saved only when something changed, so that a second
    load adds no history row."""
    wanted: dict[str, Any] = {
        "is_demo": True,
        "name": spec.name,
        "epci": epci,
        "generation": spec.generation,
        "start_on": start_on,
        "end_on": end_on,
        "summary": spec.summary,
        "is_published": spec.is_published,
        "status": spec.status,
        "signed_on": signed_on,
        "anct_code": spec.anct_code,
    }
    contract = Contract.objects.filter(slug=spec.slug).first()
    if contract is None:
        return contract_create(slug=spec.slug, **wanted)
    changed = [name for name, value in wanted.items() if getattr(contract, name) != value]
    if changed:
        for name in changed:
            setattr(contract, name, wanted[name])
        contract.full_clean()
        contract.save()
    return contract


# --- steps ----------------------------------------------------------------------------------------------


def step_reference_data(context: DemoContext) -> None:
    """COG, EPCI, IRIS and QPV files through the importers, then the populations the files do not carry."""
    files = context.files
    context.import_reports.extend(
        [
            import_regions(files.regions, vintage=COG_VINTAGE),
            import_departements(files.departements, vintage=COG_VINTAGE),
            import_communes(files.communes, vintage=COG_VINTAGE),
            import_epci(files.epci),
            import_iris(files.iris, vintage=IRIS_VINTAGE),
            import_qpv(files.qpv, generation=QPV_GENERATION),
        ]
    )
    for report in context.import_reports:
        context.log(
            f"  {report.source_file} : {report.created_count} créé(s), {report.updated_count} mis à jour"
            + (f", {len(report.warnings)} avertissement(s)" if report.warnings else "")
        )
        for warning in report.warnings:
            context.log(f"    ⚠ {warning}")

    territory = context.territory
    populations: dict[tuple[str, str], int] = {}
    for commune in territory.communes:
        populations[(TerritoryKind.COMMUNE, commune.spec.code)] = commune.spec.population
        for iris in commune.iris:
            populations[(TerritoryKind.IRIS, iris.code)] = iris.population
    for epci in territory.epcis:
        populations[(TerritoryKind.EPCI, epci.siren)] = epci.population
    for qpv in territory.qpvs:
        populations[(TerritoryKind.QPV, qpv.spec.code)] = qpv.spec.population
    populations[(TerritoryKind.DEPARTEMENT, territory.departement.code)] = sum(
        epci.population for epci in territory.epcis
    )
    codes: dict[str, list[str]] = {}
    for kind, code in populations:
        codes.setdefault(kind, []).append(code)
    codes[TerritoryKind.REGION] = [territory.region.code]
    vintages: dict[str, str] = {TerritoryKind.IRIS: IRIS_VINTAGE, TerritoryKind.QPV: QPV_GENERATION}
    condition = Q(pk__in=[])
    for kind, kind_codes in codes.items():
        condition |= Q(kind=kind, vintage=vintages.get(kind, COG_VINTAGE), code__in=kind_codes)
    changed = []
    for item in Territory.objects.filter(condition).defer("geometry"):
        context.territories[(item.kind, item.code)] = item
        population = populations.get((item.kind, item.code))
        if population is not None and item.population != population:
            item.population = population
            changed.append(item)
    # Populations come from INSEE's « populations légales », which has no importer yet.
    Territory.objects.bulk_update(changed, ["population"])


def step_organizations(context: DemoContext) -> None:
    for spec in ORGANIZATIONS:
        context.organizations[spec.key] = organization_get_or_create(**fields_as_arguments(spec, leave_out={"key"}))
    context.log(f"  {len(ORGANIZATIONS)} organisations")


def step_contracts(context: DemoContext) -> None:
    for spec in CONTRACTS:
        if spec.start_on and spec.end_on:
            start_on, end_on = spec.start_on, spec.end_on
        else:
            start_on, end_on = preparation_dates(context.today)
        signed_on = spec.signed_on if spec.status != ContractStatus.IN_PREPARATION else None
        contract = demo_contract_upsert(
            spec=spec,
            epci=context.territory_of(TerritoryKind.EPCI, spec.epci_siren),
            start_on=start_on,
            end_on=end_on,
            signed_on=signed_on,
        )
        contract_set_qpvs(
            contract=contract, qpvs=[context.territory_of(TerritoryKind.QPV, code) for code in spec.qpv_codes]
        )
        for order, signatory in enumerate(spec.signatories, start=1):
            signatory_add(
                contract=contract,
                organization=context.organizations[signatory.organization],
                kind=signatory.kind,
                signed_by=signatory.signed_by,
                signed_on=signed_on,
                order=order * 10,
            )
        context.contracts[spec.slug] = contract
        context.log(
            f"  {contract.name} ({contract.get_status_display()}, du {start_on:%d/%m/%Y} au {end_on:%d/%m/%Y})"
        )


def step_accounts(context: DemoContext) -> None:
    for spec in USERS:
        user = user_create_or_update(
            email=spec.email,
            password=settings.DEMO_PASSWORD,
            first_name=spec.first_name,
            last_name=spec.last_name,
            organization=context.organizations[spec.organization] if spec.organization else None,
            is_superuser=spec.is_superuser,
        )
        roles = dict(spec.roles)
        for slug, contract in context.contracts.items():
            if slug in roles:
                contract_role_grant(contract=contract, user=user, role=roles[slug])
            else:
                contract_role_revoke(contract=contract, user=user)
        context.users[spec.email] = user
    context.log(f"  {len(USERS)} comptes")


DEMO_STEPS: list[DemoStep] = [
    DemoStep("reference_data", "Référentiels territoriaux (COG, EPCI, IRIS, QPV 2024)", step_reference_data),
    DemoStep("organizations", "Organisations", step_organizations),
    DemoStep("contracts", "Contrats de ville", step_contracts),
    DemoStep("accounts", "Comptes de démonstration", step_accounts),
    DemoStep("governance", "Instances, séances, décisions et phases d'élaboration", step_governance),
    DemoStep("observation", "Indicateurs (fichiers Insee et des partenaires, 6 années)", step_observation),
    DemoStep(
        "diagnostic",
        "Diagnostic participatif (données, état des lieux, enjeux, avis des conseils citoyens)",
        step_diagnostic,
    ),
    DemoStep("strategy", "Arbre stratégique et plans d'actions annuels", step_strategy),
    DemoStep("funding", "Engagements de droit commun des partenaires", step_funding),
    DemoStep("participation", "Conseils citoyens : registre et membres", step_participation),
    DemoStep("annual_report", "Rapport annuel politique de la ville (en consultation)", step_annual_report),
    DemoStep(
        "resources", "Centre de ressources (documents, journées d'échanges, cycle de qualification)", step_resources
    ),
    DemoStep("council_surveys", "Questionnaire annuel des conseils citoyens de la région", step_council_surveys),
    DemoStep("evaluation", "Évaluation à mi-parcours et questions évaluatives", step_evaluation),
]


# --- entry point ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccountLine:
    email: str
    name: str
    role: str
    password: str


@dataclass(frozen=True)
class DemoSummary:
    territories: dict[str, int]  # by kind
    organizations: int
    contracts: int
    signatories: int
    contract_roles: int
    accounts: tuple[DemoAccountLine, ...]
    warnings: tuple[str, ...]


@transaction.atomic
def demo_load(
    *, today: date | None = None, stdout: Output | None = None, steps: list[DemoStep] | None = None
) -> DemoSummary:
    """Load (or reload) the demo; ``today`` anchors the dates of the contract in preparation."""
    with tempfile.TemporaryDirectory(prefix="demo-contrat-ville-") as directory:
        territory = build_territory()
        files = write_demo_files(Path(directory), territory)
        context = DemoContext(
            today=today or timezone.localdate(),
            directory=Path(directory),
            territory=territory,
            files=files,
            stdout=stdout,
        )
        for step in steps if steps is not None else DEMO_STEPS:
            context.log(f"{step.label}…")
            step.run(context)
    return _summary(context)


def _summary(context: DemoContext) -> DemoSummary:
    contracts = list(context.contracts.values())
    return DemoSummary(
        territories=dict(sorted(Counter(kind for kind, _ in context.territories).items())),
        organizations=len(context.organizations),
        contracts=len(contracts),
        signatories=Signatory.objects.filter(contract__in=contracts).count(),
        contract_roles=ContractRole.objects.filter(contract__in=contracts).count(),
        accounts=tuple(
            DemoAccountLine(
                email=spec.email,
                name=f"{spec.first_name} {spec.last_name}",
                role=spec.role_label,
                password=settings.DEMO_PASSWORD,
            )
            for spec in USERS
            if spec.email in context.users
        ),
        warnings=tuple(warning for report in context.import_reports for warning in report.warnings),
    )
