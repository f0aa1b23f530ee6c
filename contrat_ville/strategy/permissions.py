"""Who may do what in the strategy: the strategic tree and the yearly action plans (seed 004 phases 3.2 and 4).

The pilot and the State build the tree (orientations, objectives, actions) with the working groups and keep the
yearly plans; a partner updates the actions its organisation leads. Everyone in the contract reads the strategy,
and anyone reads it once the contract is published.
"""

from __future__ import annotations

from contrat_ville.contracts.permissions import (
    CONTRIBUTORS,
    STEERING,
    RoleRule,
    acts_for,
    permission,
    role_permissions,
)
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.strategy.models import Action, ActionPlan

STRATEGY_REFUSAL = "Seuls le pilote et le délégué de l'État construisent la stratégie de ce contrat."
ACTION_REFUSAL = "Le pilote, l'État et la structure qui porte l'action la mettent à jour."
PLAN_REFUSAL = "Seuls le pilote et le délégué de l'État tiennent les plans d'actions de ce contrat."


can_build_strategy, can_manage_plans = role_permissions(
    __name__,
    RoleRule(
        "can_build_strategy",
        action="créer et modifier les orientations, objectifs et actions, importer l'arbre, demander une validation",
        why="Seed 004 phases 3.2 and 4: the working groups finalise the objectives and plans, the pilot and the "
        "State write them into the contract and bring them to the comité de pilotage.",
        refusal=STRATEGY_REFUSAL,
    ),
    RoleRule(
        "can_manage_plans",
        action="préparer un plan d'actions annuel et celui de l'année suivante",
        why="Seed 004 phase 4: « un plan d'actions actualisable annuellement ».",
        refusal=PLAN_REFUSAL,
    ),
    roles=STEERING,
)


@permission(
    roles=CONTRIBUTORS,
    action="mettre à jour une action (état, avancement, dates)",
    condition="un partenaire, les actions que porte son organisation",
    refusal=ACTION_REFUSAL,
)
def can_edit_action(access: ContractAccess, action: Action) -> bool:
    """The pilot and the State update every action; a partner the actions its organisation leads (the lead reports
    where the action stands, seed 004 phase 4: « le plan d'actions formalise les engagements des partenaires »)."""
    if can_build_strategy(access):
        return True
    return acts_for(access, action.lead_organization_id)


@permission(
    roles=STEERING,
    action="modifier un plan d'actions, y ajouter ou en retirer des actions, le faire valider",
    condition="le plan est en brouillon",
    refusal=PLAN_REFUSAL,
)
def can_edit_plan(access: ContractAccess, plan: ActionPlan) -> bool:
    """A plan the comité de pilotage validated is frozen (``ActionPlan.is_draft`` follows its latest decision)."""
    return plan.is_draft
