"""Phase-status rules computed from the diagnostic's data (registered in ``registrations``).

Each rule returns True (done), False (not yet) or None (nothing to say: the phase keeps its manual status).
"""

from __future__ import annotations

from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.models import Finding, Stake, StakeVersion
from contrat_ville.diagnostic.selectors.consultations import consultations_for_phase


def diagnostic_steps_done(contract: Contract) -> bool | None:
    """3.1 « Les trois étapes du diagnostic »: every pillar has a finding and a stake, and the stakes were debated.

    Debated = at least one consultation of the conseils citoyens is closed or past its deadline and received
    opinions. None when the contract has no pillar (nothing to compute).
    """
    pillar_ids = set(Pillar.objects.filter(contract=contract).values_list("pk", flat=True))
    if not pillar_ids:
        return None
    with_findings = set(Finding.objects.filter(contract=contract).values_list("pillar_id", flat=True).distinct())
    with_stakes = set(Stake.objects.filter(contract=contract).values_list("pillar_id", flat=True).distinct())
    if not (pillar_ids <= with_findings and pillar_ids <= with_stakes):
        return False
    return consultations_for_phase(contract=contract).exists()


def diagnostic_done(contract: Contract) -> bool | None:
    """3 « Le diagnostic »: 3.1 is done and every stake not rejected was redefined after the councils' opinions
    or retained by the steering committee (no stake left proposed or waiting for opinions)."""
    steps = diagnostic_steps_done(contract)
    if steps is None or not steps:
        return steps
    pending = Stake.objects.filter(contract=contract).exclude(
        status__in=[StakeStatus.REDEFINED, StakeStatus.RETAINED, StakeStatus.REJECTED]
    )
    return not pending.exists()


def stake_was_debated(stake: Stake) -> bool:
    """A version of the stake was submitted to the conseils citoyens in a consultation (seed 004 phase 3.1)."""
    return StakeVersion.objects.filter(stake=stake, consultations__isnull=False).exists()


def debate_refusal(stake: Stake) -> str | None:
    """Why the comité de pilotage may not yet decide on ``stake``, or None when it may (rules R13-R14).

    The 2015 framework debates every stake with the conseils citoyens before the committee retains or rejects it;
    the 2024 generation leaves the form of participation to the contract (``GenerationDefaults``). The same rule
    applies to an orientation, through the stakes it derives from.
    """
    if not stake.contract.generation_defaults.councils_debate_required or stake_was_debated(stake):
        return None
    return (
        f"L'enjeu « {stake} » n'a pas encore été mis en débat avec les conseils citoyens : le comité de pilotage "
        "ne le retient ou ne l'écarte qu'après cette étape (phase 3.1 du diagnostic)."
    )
