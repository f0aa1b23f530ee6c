"""The state of an action as a yearly plan records it, and how to show the fields of that state.

A validated plan freezes this state in ``ActionPlanItem.snapshot``; a draft plan shows the live state. Both the
services (freezing) and the selectors (showing, comparing) build it here, from an action whose objective, lead
organisation and QPVs are already loaded.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.models import Action, Objective

# The fields of a snapshot compared from one year to the next, with their French labels, in display order.
SNAPSHOT_FIELDS: dict[str, str] = {
    "code": "numéro",
    "title": "intitulé",
    "objective": "objectif",
    "status": "état",
    "progress": "avancement",
    "lead": "pilote",
    "start_on": "début",
    "end_on": "fin",
    "qpvs": "quartiers ciblés",
}


def node_label(code: str, title: str) -> str:
    return f"{code} {title}" if code else title


def objective_label(objective: Objective) -> str:
    return node_label(objective.code, objective.title)


def action_lead(action: Action) -> str:
    """« Organisation — référent », either part alone, or an empty string."""
    parts = [str(action.lead_organization) if action.lead_organization is not None else "", action.lead_contact]
    return " — ".join(part for part in parts if part)


def action_snapshot(action: Action) -> dict[str, Any]:
    """The state of ``action`` as a plan records it: JSON-serialisable, with readable values (no query if the
    objective, the lead organisation and the QPVs are loaded)."""
    return {
        "action_id": action.pk,
        "code": action.code,
        "title": action.title,
        "objective": objective_label(action.objective),
        "status": action.status,
        "progress": action.progress,
        "lead": action_lead(action),
        "start_on": action.start_on.isoformat() if action.start_on else None,
        "end_on": action.end_on.isoformat() if action.end_on else None,
        "qpvs": sorted(f"{qpv.name} ({qpv.code})" for qpv in action.qpvs.all()),
    }


def display_value(field: str, value: Any) -> str:
    """A snapshot value as a person reads it."""
    if value is None or value in ("", []):
        return "—"
    if field == "status":
        try:
            return str(ActionStatus(value).label)
        except ValueError:
            return str(value)
    if field == "progress":
        return f"{value} %"
    if field in {"start_on", "end_on"}:
        try:
            return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    if field == "qpvs":
        return ", ".join(str(item) for item in value)
    return str(value)
