"""What the diagnostic contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from contrat_ville.core.registries import (
    AwaitingSource,
    ConsultableKind,
    DecisionAnnex,
    DecisionTarget,
    DeletionGuard,
    HomePanel,
    NavigationEntry,
    PhaseStatusRule,
    consultable_kinds,
    contribute,
    deletion_guards,
    members_only,
)


def _panel_context(contract: Any, access: Any) -> dict[str, Any]:
    from contrat_ville.diagnostic.selectors.inventory import pillar_counts

    return {"contract": contract, "counts": pillar_counts(contract=contract)}


def _on_stake_decision(decision: Any, by: Any) -> None:
    from contrat_ville.diagnostic.services.stakes import stake_on_decision

    stake_on_decision(decision, by)


def _stake_candidates(contract: Any) -> Any:
    from contrat_ville.diagnostic.selectors.consultations import consultable_stakes

    return consultable_stakes(contract=contract)


def _stake_submit(stake: Any, *, comment: str, by: Any) -> Any:
    from contrat_ville.diagnostic.services.stakes import stake_submit

    return stake_submit(stake=stake, comment=comment, by=by)


def _stake_label(obj: Any) -> str:
    """A stake in the form (with its version and status), or a stake version as submitted."""
    from contrat_ville.diagnostic.models import Stake

    if isinstance(obj, Stake):
        return f"{obj.pillar.label} — {obj.title} (v{obj.version}, {obj.get_status_display()})"
    return f"{obj.stake.pillar.label} — {obj.title} (v{obj.number})"


def _stake_url(version: Any, contract: Any) -> str:
    return reverse("diagnostic:stake_detail", kwargs={"contract_slug": contract.slug, "stake_id": version.stake_id})


def _opinions_on_decision(decision: Any, access: Any, user: Any) -> dict[str, Any] | None:
    """The councils' opinions on what a decision is about, for its page (none when it was never submitted)."""
    from contrat_ville.diagnostic.selectors.consultations import subject_opinions

    if decision.target_type_id is None or decision.target_id is None or access is None or not access.is_member:
        return None  # the consultations are the contract members' (a published decision's visitors do not see them)
    rows = subject_opinions(
        content_type_id=decision.target_type_id,
        object_id=decision.target_id,
        contract=decision.contract,
        access=access,
        user=user,
    )
    return {"subject_opinions": rows} if rows else None


def _awaiting(user: Any) -> Any:
    from contrat_ville.diagnostic.selectors.consultations import awaiting_opinions

    return awaiting_opinions(user)


def _consulted_refusal(obj: Any) -> str | None:
    """An object submitted to the conseils citoyens is part of the contract's record, with their opinions on it: it
    is archived, never deleted."""
    from contrat_ville.diagnostic.selectors.consultations import was_submitted

    if obj._meta.label_lower not in consultable_kinds or obj.pk is None or not was_submitted(obj):
        return None
    return f"« {obj} » a été soumis aux conseils citoyens : il ne peut pas être supprimé, seulement archivé."


def _phase_3_1(contract: Any) -> bool | None:
    from contrat_ville.diagnostic.selectors.rules import diagnostic_steps_done

    return diagnostic_steps_done(contract)


def _phase_3(contract: Any) -> bool | None:
    from contrat_ville.diagnostic.selectors.rules import diagnostic_done

    return diagnostic_done(contract)


def register() -> None:
    contribute(
        navigation={
            "diagnostic": NavigationEntry("Diagnostic", "diagnostic:overview", order=30, is_visible=members_only)
        },
        panels={
            "diagnostic-counts": HomePanel(
                "Diagnostic",
                "diagnostic/panels/_diagnostic.html",
                _panel_context,
                order=40,
                is_visible=members_only,
                wide=True,
            )
        },
        targets=[DecisionTarget("diagnostic.stake", "enjeu", on_decision=_on_stake_decision)],
        phase_rules=[
            PhaseStatusRule(
                "3.1",
                "Chaque pilier a au moins un constat (état des lieux) et un enjeu, et au moins une consultation des "
                "conseils citoyens est close ou échue avec des avis.",
                _phase_3_1,
            ),
            PhaseStatusRule(
                "3",
                "Les trois étapes du diagnostic (3.1) sont faites et chaque enjeu non écarté a été redéfini après "
                "les avis des conseils citoyens ou retenu par le comité de pilotage.",
                _phase_3,
            ),
        ],
    )
    contribute(
        consultable=[
            ConsultableKind(
                "diagnostic.stake",
                "Enjeux du diagnostic",
                "stakes",
                candidates=_stake_candidates,
                describe=_stake_label,
                url=_stake_url,
                submit=_stake_submit,
                subject=lambda version: version.stake,
                order=10,
            )
        ],
        annexes={
            "diagnostic-opinions": DecisionAnnex(
                "Avis des conseils citoyens", "diagnostic/_decision_opinions.html", _opinions_on_decision
            )
        },
        awaiting={"diagnostic.consultations": AwaitingSource("Avis attendus de votre conseil citoyen", _awaiting)},
    )
    deletion_guards.register("diagnostic-consultations", DeletionGuard("consultations", _consulted_refusal))
