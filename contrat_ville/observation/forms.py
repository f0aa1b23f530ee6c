"""Forms of the observation pages: choose territories and indicators, import a file of values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django import forms

from contrat_ville.core.imports.limits import size_text
from contrat_ville.core.uploads import IMPORT, clean_upload
from contrat_ville.observation.importers import FORMATS
from contrat_ville.observation.importers.mappings import MAPPINGS
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.selectors.comparisons import (
    COMPARISON_REFERENCE_KINDS,
    DEFAULT_REFERENCE_KIND,
    SORT_BY_NAME,
)
from contrat_ville.observation.selectors.indicators import MAP_KINDS
from contrat_ville.observation.selectors.references import REFERENCE_KINDS
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory
from contrat_ville.ui.forms import Form

MAX_CODES = 12
IMPORT_FORMATS = list(FORMATS.items())
MAPPING_CHOICES = [
    ("", "détectée d'après les colonnes du fichier"),
    *((name, mapping.label) for name, mapping in MAPPINGS.items()),
]
FORMAT_EXTENSIONS = {"long_csv": (".csv", ".txt"), "insee_csv": (".csv", ".txt"), "long_xlsx": (".xlsx",)}
FORMAT_EXTENSIONS["insee_xlsx"] = (".xlsx",)
IMPORT_KINDS = [TerritoryKind.QPV, TerritoryKind.IRIS, *REFERENCE_KINDS]
CHOOSABLE_KINDS = [TerritoryKind.QPV, TerritoryKind.IRIS, *IMPORT_KINDS[2:]]
MAP_KIND_CHOICES = [(kind.value, kind.label) for kind in MAP_KINDS]
CODE_SPLIT = re.compile(r"[\s,;]+")


def _period_choices(periods: Sequence[int]) -> list[tuple[str, str]]:
    return [("", "dernière année disponible"), *[(str(period), str(period)) for period in reversed(periods)]]


class IndicatorTerritoriesForm(Form):
    """The global indicator page: which territories to chart (by kind and codes), which year and layer to map."""

    kind = forms.ChoiceField(
        label="Nature des territoires",
        choices=[(kind, TerritoryKind(kind).label) for kind in CHOOSABLE_KINDS],
        initial=TerritoryKind.QPV,
    )
    codes = forms.CharField(
        label="Codes officiels",
        required=False,
        max_length=400,
        help_text="Séparés par des virgules ou des espaces, par exemple « QN09359M, QN09360M » ou « 93066 ».",
    )
    with_references = forms.BooleanField(
        label=(
            "Ajouter les territoires de référence (communes, intercommunalité, unité urbaine, département, "
            "région, France)"
        ),
        required=False,
        initial=True,
    )
    period = forms.ChoiceField(label="Année de la carte", required=False)
    map_kind = forms.ChoiceField(
        label="Territoires de la carte", choices=MAP_KIND_CHOICES, initial=TerritoryKind.QPV, required=False
    )

    def __init__(self, *args: Any, periods: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = _period_choices(periods)

    def clean_codes(self) -> list[str]:
        codes = [code.strip().upper() for code in CODE_SPLIT.split(self.cleaned_data["codes"]) if code.strip()]
        if len(codes) > MAX_CODES:
            raise forms.ValidationError(f"Indiquez au plus {MAX_CODES} codes.")
        return list(dict.fromkeys(codes))


class ContractIndicatorForm(Form):
    """A contract's indicator page: among its QPVs and their references, which to chart; the map's year and layer."""

    territories = forms.MultipleChoiceField(
        label="Territoires du graphique et du tableau",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Par défaut : les quartiers prioritaires du contrat et l'intercommunalité.",
    )
    period = forms.ChoiceField(label="Année de la carte", required=False)
    map_kind = forms.ChoiceField(
        label="Territoires de la carte", choices=MAP_KIND_CHOICES, initial=TerritoryKind.QPV, required=False
    )

    def __init__(
        self, *args: Any, territories: Sequence[Territory] = (), periods: Sequence[int] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territories"].choices = [
            (str(territory.pk), f"{territory.name} ({territory.kind_label} {territory.code})")
            for territory in territories
        ]
        self.fields["period"].choices = _period_choices(periods)


class ComparisonForm(Form):
    """The contract's comparison table: which indicators, against which reference, sorted by which column."""

    indicators = forms.MultipleChoiceField(
        label="Indicateurs comparés", required=False, widget=forms.CheckboxSelectMultiple
    )
    reference = forms.ChoiceField(
        label="Comparer chaque quartier à",
        required=False,
        choices=[(kind, TerritoryKind(kind).label) for kind in COMPARISON_REFERENCE_KINDS],
        initial=DEFAULT_REFERENCE_KIND,
        help_text="Le territoire de référence du quartier de cette nature (son intercommunalité par défaut).",
    )
    sort = forms.ChoiceField(label="Trier les quartiers par", required=False)
    descending = forms.BooleanField(label="Ordre décroissant", required=False)

    def __init__(self, *args: Any, indicators: Sequence[Indicator] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(indicator.code, f"{indicator.code} — {indicator.label}") for indicator in indicators]
        self.fields["indicators"].choices = choices
        self.fields["sort"].choices = [(SORT_BY_NAME, "nom du quartier"), *choices]


# Years a national table may stop at (the newest value at or before it).
FIRST_PERIOD = 1990
LAST_PERIOD = 2100


class NationalGapsForm(Form):
    """The national table: one indicator, optionally a région or a département, the latest value up to a year."""

    indicator = forms.ChoiceField(label="Indicateur")
    area = forms.ChoiceField(
        label="Région ou département",
        required=False,
        help_text="Les quartiers dont ce territoire est une référence ; toute la France par défaut.",
    )
    period = forms.IntegerField(
        label="Dernière année prise en compte",
        required=False,
        min_value=FIRST_PERIOD,
        max_value=LAST_PERIOD,
        help_text="La valeur de chaque quartier est la plus récente jusqu'à cette année ; la dernière par défaut.",
    )

    def __init__(
        self,
        *args: Any,
        indicators: Sequence[Indicator] = (),
        areas: Sequence[Territory] = (),
        default_indicator: Indicator | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [
            (indicator.code, f"{indicator.code} — {indicator.label}") for indicator in indicators
        ]
        if default_indicator is not None:
            self.fields["indicator"].initial = default_indicator.code
            self.fields["indicator"].required = False
        groups: dict[str, list[tuple[str, str]]] = {}
        for area in areas:
            groups.setdefault(str(TerritoryKind(area.kind).label).capitalize() + "s", []).append(
                (str(area.pk), f"{area.name} ({area.code})")
            )
        self.fields["area"].choices = [("", "Toute la France"), *groups.items()]


class ValueImportForm(Form):
    """Upload of a file of indicator values (issue 6 §3): long CSV/XLSX or INSEE's wide files."""

    file = forms.FileField(
        label="Fichier",
        help_text=(f"CSV ou XLSX, {size_text(IMPORT.max_bytes)} au plus. Un fichier en erreur n'enregistre rien."),
    )
    fmt = forms.ChoiceField(label="Format du fichier", choices=IMPORT_FORMATS)
    territory_kind = forms.ChoiceField(
        label="Nature des territoires du fichier",
        required=False,
        choices=[("", "indiquée dans le fichier"), *[(kind, TerritoryKind(kind).label) for kind in IMPORT_KINDS]],
        help_text=(
            "À préciser quand le fichier ne la donne pas (colonne « type_territoire » d'un fichier long, "
            "colonne « IRIS » d'un fichier Insee)."
        ),
    )
    mapping = forms.ChoiceField(
        label="Correspondance des colonnes (fichier Insee large)",
        required=False,
        choices=MAPPING_CHOICES,
        help_text="La famille de fichiers Insee dont les colonnes donnent les indicateurs (P21_POP, DISP_MED21…).",
    )
    producer = forms.CharField(label="Producteur", required=False, max_length=255, help_text="Par exemple « Insee ».")
    licence = forms.CharField(
        label="Licence", required=False, max_length=255, help_text="Par exemple « Licence Ouverte 2.0 »."
    )
    vintage = forms.CharField(label="Millésime", required=False, max_length=16, help_text="Par exemple « 2021 ».")
    skip_unknown = forms.BooleanField(
        label="Ignorer les territoires inconnus",
        required=False,
        help_text=(
            "Les valeurs des territoires absents de la plateforme sont rejetées et leurs codes listés dans le bilan, "
            "au lieu de refuser le fichier."
        ),
    )
    is_private = forms.BooleanField(
        label="Données réservées aux membres de ce contrat",
        required=False,
        initial=True,
        help_text="Décochez pour publier des données de la statistique publique, visibles de tous.",
    )

    def __init__(self, *args: Any, may_publish: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.may_publish = may_publish
        if not may_publish:
            # Public values are shared by every contract: only the State and administrators publish them.
            del self.fields["is_private"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload, fmt = cleaned.get("file"), cleaned.get("fmt")
        if upload is not None:
            suffix = Path(upload.name).suffix.lower()
            expected = FORMAT_EXTENSIONS.get(fmt or "", ())
            if expected and suffix not in expected:
                self.add_error(
                    "file",
                    f"Le format choisi attend un fichier {' ou '.join(expected)} ; "
                    f"le fichier est « {suffix or '?'} ».",
                )
            else:
                try:
                    clean_upload(upload, extensions=("csv", "txt", "xlsx"))
                except forms.ValidationError as error:
                    self.add_error("file", error)
        if "is_private" not in self.fields:
            cleaned["is_private"] = True
        return cleaned
