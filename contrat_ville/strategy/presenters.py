"""The words of the strategic tree in the contract's own names of its levels (issue 10 §2): « défi » for « pilier »,
« fiche action » for « objectif opérationnel »… Pages, buttons and spreadsheet headers read them here."""

from __future__ import annotations

from dataclasses import dataclass

from contrat_ville.contracts.models import Contract


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
