"""The State delegate's dashboard across their contracts (issue 12 §1): where each contract stands, grouped by
département — phase, decisions, droit commun, specific credits, councils, calls for projects.

Set-based: a fixed number of queries whatever the number of contracts (each area's figures are one aggregate over
all the contracts), so the page does not slow down for a prefect's office with twenty contracts.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum

from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import state_contracts
from contrat_ville.funding.enums import ApplicationStatus, CallStatus
from contrat_ville.funding.models import Application, CallForProjects, Credit
from contrat_ville.funding.selectors import balances_across_contracts
from contrat_ville.governance.models import Decision, Phase
from contrat_ville.participation.models import CitizenCouncil, CouncilMember
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink

UNKNOWN_DEPARTEMENT = ""
TO_INSTRUCT = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


@dataclass(frozen=True)
class CurrentPhase:
    """The phase the contract's calendar places today (or the next one, ``upcoming``)."""

    code: str
    title: str
    planned_start: datetime.date
    planned_end: datetime.date
    upcoming: bool = False


@dataclass
class ContractStanding:
    """One contract's line on the State's dashboard."""

    contract: Contract
    departement: str = UNKNOWN_DEPARTEMENT
    phase: CurrentPhase | None = None
    phases_total: int = 0
    decisions_published: int = 0
    decisions_unpublished: int = 0
    commitments: int = 0
    commitments_awaiting: int = 0
    credits_requested: int = 0
    credits_granted: int = 0
    credits_paid: int = 0
    councils: int = 0
    council_members: int = 0
    open_calls: int = 0
    applications_to_instruct: int = 0


@dataclass
class DepartementGroup:
    code: str
    name: str
    rows: list[ContractStanding] = field(default_factory=list)

    @property
    def label(self) -> str:
        if not self.code:
            return "Département non déterminé"
        return f"{self.name} ({self.code})" if self.name else f"Département {self.code}"


@dataclass(frozen=True)
class StateDashboard:
    year: int
    groups: list[DepartementGroup]

    @property
    def contract_count(self) -> int:
        return sum(len(group.rows) for group in self.groups)


def _departements(contracts: list[Contract]) -> dict[int, str]:
    """Each contract's département: the one most of its EPCI's communes lie in, from the commune codes (2
    characters, 3 overseas), as ``territories.selectors.departement_codes_of`` reads them (one query)."""
    by_epci: dict[int, Counter[str]] = defaultdict(Counter)
    links = TerritoryLink.objects.filter(
        parent_id__in={contract.epci_id for contract in contracts}, child__kind=TerritoryKind.COMMUNE
    ).values_list("parent_id", "child__code")
    for epci_id, code in links:
        by_epci[epci_id][code[:3] if code.startswith("97") else code[:2]] += 1
    return {
        contract.pk: by_epci[contract.epci_id].most_common(1)[0][0] if by_epci[contract.epci_id] else ""
        for contract in contracts
    }


def _current_phases(rows: dict[int, ContractStanding], today: datetime.date) -> None:
    """The phase each contract's calendar places today, else the next one (one query). From the planned dates only:
    a phase's status also depends on rules each app computes per contract (``governance.selectors.phases``), which
    the contract's own dashboard shows."""
    phases = (
        Phase.objects.filter(contract_id__in=rows)
        .order_by("contract_id", "order")
        .values_list("contract_id", "code", "title", "planned_start", "planned_end")
    )
    upcoming: dict[int, CurrentPhase] = {}
    for contract_id, code, title, planned_start, planned_end in phases:
        row = rows[contract_id]
        row.phases_total += 1
        if row.phase is None and planned_start <= today <= planned_end:
            row.phase = CurrentPhase(code, title, planned_start, planned_end)
        elif planned_start > today and contract_id not in upcoming:
            upcoming[contract_id] = CurrentPhase(code, title, planned_start, planned_end, upcoming=True)
    for contract_id, phase in upcoming.items():
        if rows[contract_id].phase is None:
            rows[contract_id].phase = phase


def state_dashboard(*, user: Any, today: datetime.date) -> StateDashboard:
    """Where each contract the user follows for the State stands (every contract for an administrator), grouped by
    département, in a fixed number of queries."""
    contracts = list(state_contracts(user).select_related("epci").defer("epci__geometry").order_by("name"))
    rows = {contract.pk: ContractStanding(contract=contract) for contract in contracts}
    if not rows:
        return StateDashboard(year=today.year, groups=[])
    for contract_id, code in _departements(contracts).items():
        rows[contract_id].departement = code
    _current_phases(rows, today)

    decisions = Decision.objects.filter(contract_id__in=rows).values("contract_id")
    for entry in decisions.annotate(
        published=Count("pk", filter=Q(is_published=True)), unpublished=Count("pk", filter=Q(is_published=False))
    ):
        rows[entry["contract_id"]].decisions_published = entry["published"]
        rows[entry["contract_id"]].decisions_unpublished = entry["unpublished"]

    for balance in balances_across_contracts(user=user, today=today):
        if balance.contract.pk in rows:
            rows[balance.contract.pk].commitments = balance.commitment_count
            rows[balance.contract.pk].commitments_awaiting = balance.awaiting

    credits = Credit.objects.filter(contract_id__in=rows, year=today.year).values("contract_id")
    for entry in credits.annotate(requested=Sum("requested"), granted=Sum("granted"), paid=Sum("paid")):
        row = rows[entry["contract_id"]]
        row.credits_requested, row.credits_granted, row.credits_paid = (
            int(entry["requested"] or 0),
            int(entry["granted"] or 0),
            int(entry["paid"] or 0),
        )

    for entry in CitizenCouncil.objects.filter(contract_id__in=rows).values("contract_id").annotate(n=Count("pk")):
        rows[entry["contract_id"]].councils = entry["n"]
    sitting = CouncilMember.objects.filter(council__contract_id__in=rows, start_on__lte=today).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today)
    )
    for entry in sitting.values("council__contract_id").annotate(n=Count("pk")):
        rows[entry["council__contract_id"]].council_members = entry["n"]

    calls = CallForProjects.objects.filter(contract_id__in=rows, status=CallStatus.OPEN).values("contract_id")
    for entry in calls.annotate(n=Count("pk")):
        rows[entry["contract_id"]].open_calls = entry["n"]
    applications = Application.objects.filter(contract_id__in=rows, status__in=TO_INSTRUCT).values("contract_id")
    for entry in applications.annotate(n=Count("pk")):
        rows[entry["contract_id"]].applications_to_instruct = entry["n"]

    names = dict(
        Territory.objects.filter(
            kind=TerritoryKind.DEPARTEMENT, code__in={row.departement for row in rows.values()}
        ).values_list("code", "name")
    )
    groups: dict[str, DepartementGroup] = {}
    for row in rows.values():
        code = row.departement
        groups.setdefault(code, DepartementGroup(code=code, name=names.get(code, ""))).rows.append(row)
    ordered = sorted(groups.values(), key=lambda group: (not group.code, group.code))
    return StateDashboard(year=today.year, groups=ordered)
