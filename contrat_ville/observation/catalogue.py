"""The indicator kit of the platform (domain.md §7.4): ~40 indicators across the context and the three pillars.

The list itself is data, in ``observation/data/catalogue.yaml`` (read once, at import); this module gives it its
types and rules: the theme read from the code prefix, the split by sex (an entry marked ``split_by_sex`` also gives
the indicator for women, code + ``F``, and men, code + ``H``), the order by tens.
``services.catalogue_load()`` writes this list into ``Indicator`` (update_or_create by code).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db.models import TextChoices

from contrat_ville.core.datafiles import DataFileError, data_file_name, load_records
from contrat_ville.observation.enums import Aggregation, Direction, Theme
from contrat_ville.territories.enums import TerritoryKind

PACKAGE, DATA_FILE = "contrat_ville.observation", "data/catalogue.yaml"

THEMES_BY_PREFIX = {
    "CTX": Theme.CONTEXT,
    "CS": Theme.COHESION_SOCIALE,
    "DE": Theme.DEVELOPPEMENT_ECONOMIQUE,
    "CV": Theme.CADRE_DE_VIE,
}
SEXES = (("F", "femmes"), ("H", "hommes"))


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    label: str
    unit: str
    definition: str
    direction: str
    aggregation: str
    source: str
    producer: str
    levels: tuple[str, ...]
    numerator_label: str = ""
    denominator_label: str = ""
    decimals: int = 1
    order: int = 0
    theme: str = field(default="")
    split_by_sex: bool = False

    def model_fields(self, order: int) -> dict[str, object]:
        """The ``Indicator`` fields, with the theme read from the code prefix and the order from the list."""
        return {
            "label": self.label,
            "theme": self.theme or THEMES_BY_PREFIX[self.code.split("-")[0]],
            "unit": self.unit,
            "definition": self.definition,
            "numerator_label": self.numerator_label,
            "denominator_label": self.denominator_label,
            "source": self.source,
            "producer": self.producer,
            "direction": self.direction,
            "levels": [str(level) for level in self.levels],
            "aggregation": self.aggregation,
            "decimals": self.decimals,
            "order": self.order or order,
        }

    def by_sex(self) -> list[IndicatorSpec]:
        """The indicator for everyone, then, when it is split, for women (``F``) and men (``H``)."""
        if not self.split_by_sex:
            return [self]
        return [
            self,
            *(
                replace(
                    self,
                    code=f"{self.code}{suffix}",
                    label=f"{self.label} des {who}",
                    definition=f"{self.definition} Calculé sur les {who}.",
                    numerator_label=f"{self.numerator_label} ({who})",
                    denominator_label=f"{self.denominator_label} ({who})",
                    split_by_sex=False,
                )
                for suffix, who in SEXES
            ),
        ]


def _choice(choices: type[TextChoices], value: str, *, key: str, spec: IndicatorSpec) -> str:
    """``value`` as a member of ``choices``; another value names the file, the indicator and the key, in French."""
    if value not in choices.values:
        raise DataFileError(
            f"{data_file_name(PACKAGE, DATA_FILE)}, {spec.code} : « {value} » n'est pas une valeur de « {key} » "
            f"(valeurs possibles : {', '.join(choices.values)})."
        )
    return choices(value)


def _checked(spec: IndicatorSpec) -> IndicatorSpec:
    """The entry with its choices as enum members."""
    return replace(
        spec,
        direction=_choice(Direction, spec.direction, key="direction", spec=spec),
        aggregation=_choice(Aggregation, spec.aggregation, key="aggregation", spec=spec),
        levels=tuple(_choice(TerritoryKind, level, key="levels", spec=spec) for level in spec.levels),
        theme=_choice(Theme, spec.theme, key="theme", spec=spec) if spec.theme else "",
    )


def _load() -> tuple[IndicatorSpec, ...]:
    entries = load_records(IndicatorSpec, PACKAGE, DATA_FILE, section="indicators", key="code")
    return tuple(spec for entry in entries for spec in _checked(entry).by_sex())


CATALOGUE: tuple[IndicatorSpec, ...] = _load()
CODES = frozenset(spec.code for spec in CATALOGUE)
BY_CODE = {spec.code: spec for spec in CATALOGUE}


def catalogue_rows() -> list[tuple[str, dict[str, object]]]:
    """(code, Indicator fields) in catalogue order, ordered by tens (10, 20…) to leave room for local ones."""
    return [(spec.code, spec.model_fields((index + 1) * 10)) for index, spec in enumerate(CATALOGUE)]
