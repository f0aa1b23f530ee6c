"""A contract built from scratch for the annual report's tests: a QPV in a commune of its EPCI, a pilot, a conseil
citoyen with a resident member, the strategic tree and the year's plan, a partner's commitment, credits, indicators
— all through the services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.diagnostic.tests.factories import council_member, make_council, member
from contrat_ville.funding import services as funding_services
from contrat_ville.funding.enums import CreditProgramme
from contrat_ville.funding.tests.factories import make_commitment, partner_member
from contrat_ville.observation.tests.factories import IndicatorFactory, IndicatorValueFactory
from contrat_ville.reporting import annual_report_services as services
from contrat_ville.reporting.models import AnnualReport
from contrat_ville.strategy.models import Action
from contrat_ville.strategy.tests.factories import add_qpv, make_plan, make_tree
from contrat_ville.territories.models import Territory

YEAR = 2025
ACTION_TITLE = "Correspondants de nuit dans les halls"


@dataclass
class ReportWorld:
    contract: Contract
    pilot: User
    council: Organization
    resident: User
    commune: Territory
    qpv: Territory
    actions: list[Action]
    report: AnnualReport


def report_world(*, name: str = "Contrat de ville des Rives", size: int = 1, **contract_fields: Any) -> ReportWorld:
    """The contract and its data; ``size`` multiplies the orientations' actions, commitments and credits (query-count
    tests compare 1 and a larger size)."""
    contract = make_contract(name=name, **contract_fields)
    qpv = add_qpv(contract, name="Les Tilleuls")
    commune = Territory.objects.get(child_links__child=qpv)
    pilot = member(contract, Role.PILOT, email=f"pilote-{contract.slug}@exemple.test")
    council = make_council(contract, name=f"Conseil citoyen des Tilleuls ({contract.slug})")
    resident = council_member(contract, council)
    _orientation, _objective, actions = make_tree(contract, action_count=size)
    services_actions = actions
    services_actions[0].title = ACTION_TITLE
    services_actions[0].save(update_fields=["title"])
    make_plan(contract, year=YEAR, actions=actions)
    for index in range(size):
        _user, partner = partner_member(contract, name=f"Caisse d'allocations familiales {index}")
        make_commitment(contract, partner, years={YEAR: (150000 + index, 120000)})
        funding_services.credit_create(
            contract=contract,
            fields=funding_services.CreditFields(
                programme=CreditProgramme.P147,
                title=f"Adulte-relais {index}",
                year=YEAR,
                requested=Decimal(20000),
                granted=Decimal(18000),
            ),
        )
    indicator = IndicatorFactory.create(code="CTX-01", label="Taux de pauvreté", unit="%")
    IndicatorValueFactory.create(indicator=indicator, territory=qpv, period=2021, value=42.5)
    IndicatorValueFactory.create(indicator=indicator, territory=contract.epci, period=2021, value=14.0)
    report = services.annual_report_create(contract=contract, year=YEAR, by=pilot)
    return ReportWorld(contract, pilot, council, resident, commune, qpv, actions, report)


def submitted(world: ReportWorld, *, today: datetime.date, days_ago: int = 0) -> AnnualReport:
    """The world's report sent for opinion ``days_ago`` days before ``today``, with one month and a day to answer."""
    sent_on = today - datetime.timedelta(days=days_ago)
    return services.annual_report_submit(
        report=world.report,
        sent_on=sent_on,
        deadline=services.earliest_deadline(sent_on) + datetime.timedelta(days=1),
        councils=[world.council],
        communes=[world.commune],
        by=world.pilot,
        today=today,
    )
