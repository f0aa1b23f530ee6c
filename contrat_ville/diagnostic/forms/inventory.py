"""Forms of the data inventory and of the findings: they shape the input; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.core.bounds import form_field
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.models import DataSource
from contrat_ville.diagnostic.selectors.inventory import (
    contract_qpvs,
    data_source_list,
    evidence_territories,
    indicator_choices,
)
from contrat_ville.territories.models import Territory
from contrat_ville.ui.forms import Form


def pillar_queryset(contract: Contract) -> Any:
    return Pillar.objects.filter(contract=contract).order_by("order", "pk")


class TerritoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Territory):
            return f"{obj.name} ({obj.get_kind_display()} {obj.code})"
        return str(obj)


class DataSourceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, DataSource):
            year = f" ({obj.year})" if obj.year else ""
            return f"{obj.producer} — {obj.dataset}{year}"
        return str(obj)


class PillarFilterForm(Form):
    """« ?pilier=<code> » on the lists."""

    pilier = forms.ChoiceField(label="Pilier", required=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pillars = list(pillar_queryset(contract))
        self.fields["pilier"].choices = [("", "Tous les piliers"), *[(p.code, p.label) for p in self.pillars]]

    def selected_pillar(self) -> Pillar | None:
        if not self.is_bound or not self.is_valid():
            return None
        code = self.cleaned_data.get("pilier")
        return next((pillar for pillar in self.pillars if pillar.code == code), None)


class DataSourceForm(Form):
    pillar = forms.ModelChoiceField(
        label="Pilier (groupe de travail)",
        queryset=Pillar.objects.none(),
        required=False,
        help_text="Vide : une source commune à tout le contrat.",
    )
    producer = forms.CharField(label="Producteur", max_length=255, help_text="INSEE, CAF, Pôle emploi, bailleur…")
    dataset = forms.CharField(label="Jeu de données", max_length=255)
    level = forms.CharField(label="Échelle", max_length=64, required=False, help_text="QPV, IRIS, commune, EPCI…")
    year = forms.IntegerField(label="Année", required=False, min_value=1950, max_value=2100)
    url = form_field(
        DataSource,
        "url",
        label="Lien",
        required=False,
        assume_scheme="https",
        help_text="Adresse de la source en ligne.",
    )
    notes = forms.CharField(label="Remarques", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = pillar_queryset(contract)


class FindingForm(Form):
    pillar = forms.ModelChoiceField(label="Pilier", queryset=Pillar.objects.none())
    territory = TerritoryChoiceField(
        label="Quartier",
        queryset=Territory.objects.none(),
        required=False,
        empty_label="L'ensemble du contrat",
        help_text="Un quartier prioritaire du contrat, ou l'ensemble du contrat.",
    )
    kind = forms.ChoiceField(label="Nature", choices=FindingKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label="Constat", widget=forms.Textarea(attrs={"rows": 5}))
    data_sources = DataSourceChoiceField(
        label="Sources citées",
        queryset=DataSource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = pillar_queryset(contract)
        self.fields["territory"].queryset = contract_qpvs(contract=contract)
        self.fields["data_sources"].queryset = data_source_list(
            contract=contract, keep=self.initial.get("data_sources") or ()
        )


class EvidenceForm(Form):
    """Cite an indicator figure: indicator, territory and year (its value comes from the observation app)."""

    indicator = forms.ModelChoiceField(label="Indicateur", queryset=indicator_choices())
    territory = TerritoryChoiceField(label="Territoire", queryset=Territory.objects.none())
    period = forms.IntegerField(label="Année", min_value=1950, max_value=2100)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicator_choices()
        territory_ids = [territory.pk for territory in evidence_territories(contract=contract)]
        self.fields["territory"].queryset = Territory.objects.filter(pk__in=territory_ids).order_by("kind", "name")
