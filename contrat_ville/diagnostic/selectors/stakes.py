"""Reads of the stakes (*enjeux*): lists, one stake, its versions and history, its validation by the COPIL.

Public for the apps above (strategy derives orientations from retained stakes): ``stake_list``, ``stake_get``,
``stake_rows``, ``stake_validations``, ``is_stake_validated``, ``stake_current_version``, ``stake_history``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.core.historised import in_force
from contrat_ville.core.lookups import found_or_404
from contrat_ville.core.selectors import StatusRow, status_rows
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.models import MainstreamPolicy, Stake, StakeVersion
from contrat_ville.governance.enums import BodyKind, MeetingStatus
from contrat_ville.governance.models import Decision, Meeting
from contrat_ville.governance.selectors.decisions import (
    DecidedRow,
    decision_history,
    is_validated,
    validations_for,
)
from contrat_ville.participation.models import Opinion
from contrat_ville.participation.selectors import OpinionSummary, opinion_summary, opinions_for

STAKE_TARGET = "diagnostic.stake"


def _stakes() -> QuerySet[Stake]:
    """Stakes with what every list shows: pillar, duplicate, axes, droit commun and versions (4 queries)."""
    return Stake.objects.select_related("pillar", "duplicate_of").prefetch_related(
        "axes",
        Prefetch("mainstream", queryset=MainstreamPolicy.objects.select_related("organization").order_by("pk")),
        Prefetch("versions", queryset=StakeVersion.objects.select_related("created_by").order_by("number")),
    )


def stake_list(
    *,
    contract: Contract,
    pillar: Pillar | int | None = None,
    status: str | Iterable[str] | None = None,
    with_archived: bool = False,
) -> QuerySet[Stake]:
    """The contract's stakes in the pillars' order, optionally of one pillar and one or several statuses.

    Each stake comes with its pillar, ``duplicate_of``, axes, droit commun (with organisations) and versions
    prefetched: iterating them costs a fixed number of queries (5) whatever their number. Archived stakes are left
    out unless ``with_archived``.
    """
    stakes = _stakes().filter(contract=contract)
    if not with_archived:
        stakes = stakes.filter(in_force())
    if pillar is not None:
        stakes = stakes.filter(pillar=pillar)
    if status:
        stakes = stakes.filter(status=status) if isinstance(status, str) else stakes.filter(status__in=list(status))
    return stakes.order_by("pillar__order", "order", "pk")


def retained_stakes(*, contract: Contract, pillar: Pillar | int | None = None) -> QuerySet[Stake]:
    """The stakes the steering committee retained (status « retenu »): what orientations derive from."""
    return stake_list(contract=contract, pillar=pillar, status=StakeStatus.RETAINED)


def stake_get(*, contract: Contract, stake_id: int) -> Stake:
    """A stake of ``contract`` with its lists prefetched and its findings, or 404 (whether it exists elsewhere)."""
    return found_or_404(
        (
            _stakes()
            .prefetch_related("findings__territory")
            .select_related("contract")
            .filter(contract=contract, pk=stake_id)
            .first()
        ),
        "Enjeu introuvable.",
    )


def stake_current_version(stake: Stake) -> StakeVersion | None:
    """The version carrying the stake's current text (from the prefetched versions when available)."""
    versions = list(stake.versions.all())
    return next((version for version in versions if version.number == stake.version), None)


def is_stake_validated(stake: Stake) -> bool:
    """True when the latest decision of the steering committee on ``stake`` validates it (rule R14)."""
    return is_validated(stake)


def stake_validations(stakes: Iterable[Stake]) -> dict[int, Decision | None]:
    """The latest steering-committee decision on each stake, by stake id, in one query (for lists)."""
    return validations_for(list(stakes))


@dataclass(frozen=True)
class StakeRow(DecidedRow):
    """A stake as lists show it: validated or not by the COPIL, and its councils' opinions (all versions)."""

    stake: Stake
    decision: Decision | None
    opinions: OpinionSummary = field(default_factory=OpinionSummary)

    @property
    def current_version(self) -> StakeVersion | None:
        return stake_current_version(self.stake)


def stake_rows_of(stakes: Iterable[Stake]) -> list[StakeRow]:
    """Rows for ``stakes`` (loaded with ``stake_list``): validations and opinions in two more queries."""
    stakes = list(stakes)
    validations = stake_validations(stakes)
    versions = [version for stake in stakes for version in stake.versions.all()]
    opinions = opinions_for(versions)
    by_stake: dict[int, list[Opinion]] = {stake.pk: [] for stake in stakes}
    for version in versions:
        by_stake[version.stake_id].extend(opinions[version])
    return [
        StakeRow(stake=stake, decision=validations.get(stake.pk), opinions=opinion_summary(by_stake[stake.pk]))
        for stake in stakes
    ]


def stake_rows(
    *,
    contract: Contract,
    pillar: Pillar | int | None = None,
    status: str | Iterable[str] | None = None,
) -> list[StakeRow]:
    """``stake_list`` as rows (validation badge, opinion counts), in a fixed number of queries."""
    return stake_rows_of(stake_list(contract=contract, pillar=pillar, status=status))


@dataclass(frozen=True)
class VersionWithOpinions:
    version: StakeVersion
    opinions: list[Opinion]
    is_current: bool

    @property
    def summary(self) -> OpinionSummary:
        return opinion_summary(self.opinions)


@dataclass(frozen=True)
class StakeHistory:
    """A stake's history: its versions (newest first) with the opinions given on each, status changes, decisions."""

    versions: list[VersionWithOpinions]
    status_changes: list[StatusRow]
    decisions: list[Decision]


def stake_history(stake: Stake, *, access: ContractAccess | None, user: Any = None) -> StakeHistory:
    """Versions with their opinions (one query), status changes (one) and the decisions ``access`` may read."""
    versions = sorted(stake.versions.all(), key=lambda version: version.number, reverse=True)
    opinions = opinions_for(versions)
    return StakeHistory(
        versions=[
            VersionWithOpinions(
                version=version, opinions=opinions[version], is_current=version.number == stake.version
            )
            for version in versions
        ],
        status_changes=status_rows(stake),
        decisions=list(decision_history(stake, access=access, user=user)),
    )


def stake_rows_for_finding(finding: Any) -> list[StakeRow]:
    """The stakes that come from ``finding``, as rows (validation badge, opinions), in a fixed number of queries."""
    return stake_rows_of(stake_list(contract=finding.contract, with_archived=True).filter(findings=finding))


def stake_duplicates(stake: Stake) -> list[Stake]:
    """The stakes flagged as duplicates of ``stake``, with their pillar (one query)."""
    return list(Stake.objects.filter(duplicate_of=stake).select_related("pillar").order_by("pk"))


def stake_find(*, contract: Contract, stake_id: int) -> Stake | None:
    """A stake of ``contract``, or ``None`` (a reference in a payload, refused by the caller in its own words)."""
    return Stake.objects.filter(contract=contract, pk=stake_id).first()


def stake_duplicate_choices(*, stake: Stake) -> QuerySet[Stake]:
    """Stakes ``stake`` may be flagged a duplicate of: the contract's other stakes that are not duplicates."""
    return (
        Stake.objects.filter(contract_id=stake.contract_id, duplicate_of__isnull=True)
        .exclude(pk=stake.pk)
        .select_related("pillar")
        .order_by("pillar__order", "order", "pk")
    )


def steering_meetings_for_validation(*, contract: Contract) -> QuerySet[Meeting]:
    """The contract's steering-committee meetings that have started (and were not cancelled), newest first.

    A decision is recorded only in a meeting held or started (governance rule); these are the ones the
    « Faire valider par le comité de pilotage » select offers.
    """
    return (
        Meeting.objects.filter(
            body__contract=contract, body__kind=BodyKind.STEERING_COMMITTEE, starts_at__lte=timezone.now()
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("body")
        .order_by("-starts_at", "-pk")
    )
