"""The words of the strategic tree in the contract's own names of its levels (issue 10 §2): « défi » for « pilier »,
« fiche action » for « objectif opérationnel »… Pages, buttons and spreadsheet headers read them here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse

from contrat_ville.contracts.models import Contract
from contrat_ville.observation.enums import ObjectiveStatus
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.ui.charts import Cell, Series, StackedBars, stacked_bars

if TYPE_CHECKING:
    from contrat_ville.strategy.models import Objective
    from contrat_ville.strategy.selectors import ObjectiveState, StrategyProgress


def objective_figures(objective: Objective, state: ObjectiveState) -> list[Any]:
    """An objective's figures in the order every export shows them: baseline, target, latest measured value."""
    return [
        objective.baseline_value,
        objective.baseline_year,
        objective.target_value,
        objective.target_year,
        state.latest_value,
        state.latest_year,
    ]


@dataclass(frozen=True)
class Level:
    """One level of the tree: its heading (« Objectif », « Fiche action »), the heading of its creation page and
    the label of the button that adds one."""

    heading: str
    new_title: str
    add_label: str


@dataclass(frozen=True)
class LevelNames:
    pillar: Level
    orientation: Level
    objective: Level
    action: Level


# The default names keep the platform's usual phrasing, with their gender: (term, heading, new title, add label).
_DEFAULTS = {
    "pillar_term": ("pilier", "Pilier", "Nouveau pilier", "Ajouter un pilier"),
    "orientation_term": (
        "orientation stratégique",
        "Orientation",
        "Nouvelle orientation stratégique",
        "Nouvelle orientation",
    ),
    "objective_term": ("objectif opérationnel", "Objectif", "Nouvel objectif opérationnel", "Ajouter un objectif"),
    "action_term": ("action", "Action", "Nouvelle action", "Ajouter une action"),
}


def _level(term: str, field: str) -> Level:
    default, heading, new_title, add_label = _DEFAULTS[field]
    term = (term or default).strip()
    if term == default:
        return Level(heading=heading, new_title=new_title, add_label=add_label)
    named = term[:1].upper() + term[1:]
    return Level(heading=named, new_title=f"Ajouter : {term}", add_label=f"Ajouter : {term}")


def level_names(contract: Contract | None) -> LevelNames:
    """The contract's words for the four levels of its tree (the platform's default words without a contract)."""
    terms = {field: getattr(contract, field, "") for field in _DEFAULTS}
    return LevelNames(
        pillar=_level(terms["pillar_term"], "pillar_term"),
        orientation=_level(terms["orientation_term"], "orientation_term"),
        objective=_level(terms["objective_term"], "objective_term"),
        action=_level(terms["action_term"], "action_term"),
    )


# --- dashboard charts ---------------------------------------------------------------------------------------------

ACTION_SERIES = (
    Series(ActionStatus.PLANNED, ActionStatus.PLANNED.label.capitalize(), "blue-france"),
    Series(ActionStatus.IN_PROGRESS, ActionStatus.IN_PROGRESS.label.capitalize(), "info"),
    Series(ActionStatus.DONE, ActionStatus.DONE.label.capitalize(), "success"),
    Series(ActionStatus.ABANDONED, ActionStatus.ABANDONED.label.capitalize(), "grey"),
)
OBJECTIVE_SERIES = (
    Series(ObjectiveStatus.REACHED, ObjectiveStatus.REACHED.label.capitalize(), "success"),
    Series(ObjectiveStatus.ON_TRACK, ObjectiveStatus.ON_TRACK.label.capitalize(), "info"),
    Series(ObjectiveStatus.LATE, ObjectiveStatus.LATE.label.capitalize(), "warning"),
    Series(ObjectiveStatus.OFF_TRACK, ObjectiveStatus.OFF_TRACK.label.capitalize(), "error"),
    Series(ObjectiveStatus.UNKNOWN, ObjectiveStatus.UNKNOWN.label.capitalize(), "grey"),
)


def action_chart(summary: StrategyProgress, *, contract: Contract) -> StackedBars:
    """Actions by pillar and status; each figure opens the tree filtered on its pillar and status."""
    tree = reverse("strategy:tree", kwargs={"contract_slug": contract.slug})
    rows = [
        (
            pillar.label,
            f"{tree}?{urlencode({'pillar': pillar.pk})}",
            {
                series.key: Cell(
                    summary.actions_by_pillar.get((pillar.pk, series.key), 0),
                    f"{tree}?{urlencode({'pillar': pillar.pk, 'status': series.key})}",
                )
                for series in ACTION_SERIES
            },
        )
        for pillar in summary.pillars
    ]
    return stacked_bars(
        caption="Actions par pilier et par état",
        row_header="Pilier",
        series=ACTION_SERIES,
        rows=rows,
        testid="actions-chart",
    )


def objective_chart(summary: StrategyProgress, *, contract: Contract) -> StackedBars:
    """Objectives by the status their latest value gives (observation's rule)."""
    tree = reverse("strategy:tree", kwargs={"contract_slug": contract.slug})
    cells = {series.key: Cell(summary.objective_statuses.get(series.key, 0)) for series in OBJECTIVE_SERIES}
    return stacked_bars(
        caption="Objectifs opérationnels selon leur trajectoire",
        row_header="Objectifs",
        series=OBJECTIVE_SERIES,
        rows=[("Tous les objectifs", tree, cells)] if summary.objective_statuses else [],
        testid="objectives-chart",
    )
