"""What governance contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``."""

from __future__ import annotations

from functools import partial
from typing import Any

from contrat_ville.core.personal_data import personal_data_erasers
from contrat_ville.core.registries import (
    DecisionTarget,
    DeletionGuard,
    HomePanel,
    NavigationEntry,
    PhaseStatusRule,
    Seat,
    SeatSource,
    contribute,
    decision_targets,
    deletion_guards,
    members_only,
)
from contrat_ville.governance.selectors import rules


def conformity_panel_context(contract: Any, access: Any) -> dict[str, Any]:
    from contrat_ville.governance.permissions import can_manage_bodies
    from contrat_ville.governance.selectors.composition import contract_conformity

    return {
        "conformity": contract_conformity(contract=contract),
        "can_fix": access is not None and can_manage_bodies(access),
    }


def _next_steps_context(contract: Any, access: Any) -> dict[str, Any]:
    from contrat_ville.governance.selectors.phases import next_steps

    return {"next_steps": next_steps(contract=contract), "contract": contract}


def _contract_decisions_context(contract: Any, access: Any) -> dict[str, Any]:
    from contrat_ville.governance.selectors.decisions import decision_history

    return {"decisions": decision_history(contract, access=access)[:5], "contract": contract}


def _seats(organization: Any, contract: Any) -> list[Seat]:
    from contrat_ville.governance.selectors.bodies import seats_of_organization

    return [
        Seat(body=seat.body.name, role=seat.get_role_display())
        for seat in seats_of_organization(organization=organization, contract=contract)
    ]


def register() -> None:
    from contrat_ville.governance.services.bodies import body_member_contact_erase

    personal_data_erasers.register("governance.body_member", body_member_contact_erase)
    contribute(
        seats={"governance.bodies": SeatSource(label="Instances du contrat", collect=_seats)},
        navigation={
            "governance-bodies": NavigationEntry(
                "Gouvernance", "governance:body_list", order=20, is_visible=members_only
            ),
            "governance-meetings": NavigationEntry(
                "Séances et calendrier", "governance:meeting_calendar", order=21, is_visible=members_only
            ),
            "governance-decisions": NavigationEntry("Décisions", "governance:decision_list", order=22),
            "governance-phases": NavigationEntry(
                "Phases d'élaboration", "governance:phase_timeline", order=23, is_visible=members_only
            ),
        },
        panels={
            "governance-next-steps": HomePanel(
                "Prochaines étapes",
                "governance/panels/_next_steps.html",
                _next_steps_context,
                order=10,
                is_visible=members_only,
            ),
            "governance-conformity": HomePanel(
                "Conformité de la gouvernance",
                "governance/panels/_conformity.html",
                conformity_panel_context,
                order=20,
                is_visible=members_only,
            ),
            "governance-contract-decisions": HomePanel(
                "Décisions sur le contrat",
                "governance/panels/_contract_decisions.html",
                _contract_decisions_context,
                wide=True,
                order=30,
            ),
        },
        phase_rules=[
            PhaseStatusRule(
                "1.1",
                "L'équipe restreinte et l'équipe interministérielle de l'État ont des membres.",
                rules.state_teams_constituted,
            ),
            PhaseStatusRule(
                "2.1",
                "Le comité de pilotage existe, est coprésidé par l'État, l'intercommunalité et les communes "
                "concernées, et s'est réuni au moins une fois.",
                rules.steering_committee_set_up,
            ),
            PhaseStatusRule("2.2", "Le comité technique a des membres.", rules.technical_committee_set_up),
            PhaseStatusRule(
                "2.3", "Chaque pilier a un groupe de travail avec des membres.", rules.working_groups_set_up
            ),
            *(
                PhaseStatusRule(
                    phase_code,
                    "Le groupe de travail de ce pilier a des membres.",
                    partial(rules.working_group_of_pillar_set_up, pillar_code=pillar_code),
                )
                for phase_code, pillar_code in rules.WORKING_GROUP_PHASES.items()
            ),
        ],
        targets=[
            DecisionTarget("contracts.contract", "le contrat de ville"),
            DecisionTarget("governance.phase", "une phase d'élaboration"),
        ],
    )
    deletion_guards.register("governance-decisions", DeletionGuard("décisions", decided_refusal))


def decided_refusal(obj: Any) -> str | None:
    """An object a decision targets is part of the contract's record: it is archived, never deleted (issue 10 §6)."""
    from contrat_ville.governance.selectors.decisions import decisions_for

    if obj._meta.label_lower not in decision_targets or obj.pk is None:
        return None
    decision = decisions_for(obj).first()
    if decision is None:
        return None
    return (
        f"« {obj} » fait l'objet d'une décision de « {decision.meeting.body.name} » : il ne peut pas être supprimé, "
        "seulement archivé."
    )
