"""Forms of a contract's space: opening it, completing it, its territories and the terms of its structure.

They check what a form can check (required fields, lengths, dates); the rules of the contract live in
``services`` and come back to the form as its errors.
"""

from __future__ import annotations

from typing import Any

from django import forms

from contrat_ville.contracts.enums import CONTRACT_TRANSITIONS, ContractStatus, Generation
from contrat_ville.contracts.generations import GENERATION_DEFAULTS
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.territories.models import Territory
from contrat_ville.territories.selectors import communes_of_epci, epci_search, qpvs_in_epci
from contrat_ville.ui.forms import Form

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EPCI_CHOICES_SHOWN = 6


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET, help_text=help_text)


class ContractOpenForm(Form):
    """Open a contract's space: the intercommunality is found by its name or its SIREN."""

    name = forms.CharField(
        label="Intitulé du contrat", max_length=255, help_text="Par exemple « Contrat de ville de … »."
    )
    epci_query = forms.CharField(
        label="Intercommunalité (EPCI)",
        max_length=120,
        help_text="Son nom ou son numéro SIREN (9 chiffres), tel que l'Insee le publie.",
    )
    generation = forms.ChoiceField(label="Génération du contrat", choices=Generation.choices, initial=Generation.G2024)
    start_on = _date_field(
        "Début", required=False, help_text="Laissé vide : le début de la génération (1er janvier 2024 ou 2015)."
    )
    end_on = _date_field("Fin", required=False, help_text="Laissée vide : la fin de la génération.")
    anct_code = forms.CharField(
        label="Code du contrat (ANCT)",
        max_length=Contract._meta.get_field("anct_code").max_length,
        required=False,
    )

    def clean_epci_query(self) -> Territory:
        query = self.cleaned_data["epci_query"].strip()
        found = epci_search(query, limit=EPCI_CHOICES_SHOWN + 1)
        exact = [epci for epci in found if query in (epci.code, epci.siren) or epci.name.lower() == query.lower()]
        if len(exact) == 1:
            return exact[0]
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(
                "Aucune intercommunalité ne correspond. Vérifiez le nom ou le SIREN ; si elle manque, "
                "un administrateur importe d'abord le fichier des EPCI de l'Insee."
            )
        listed = ", ".join(f"{epci.name} ({epci.code})" for epci in found[:EPCI_CHOICES_SHOWN])
        more = " et d'autres" if len(found) > EPCI_CHOICES_SHOWN else ""
        raise forms.ValidationError(f"Plusieurs intercommunalités correspondent : {listed}{more}. Précisez le SIREN.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        epci = data.pop("epci_query", None)
        if epci is not None:
            data["epci"] = epci
        return data


class ContractSettingsForm(Form):
    """What the pilot completes: presentation, period, codes and the names of the levels of the strategic tree."""

    name = forms.CharField(label="Intitulé du contrat", max_length=255)
    summary = forms.CharField(label="Présentation", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    start_on = _date_field("Début")
    end_on = _date_field("Fin")
    anct_code = forms.CharField(
        label="Code du contrat (ANCT)", max_length=Contract._meta.get_field("anct_code").max_length, required=False
    )
    framework_agreement_on = _date_field(
        "Protocole ou accord-cadre signé le",
        required=False,
        help_text="Date du document qui engage la démarche avant le contrat, s'il existe.",
    )
    pillar_term = forms.CharField(
        label="Nom du premier niveau",
        max_length=60,
        help_text="« pilier », « défi », « axe prioritaire »… : le mot du contrat.",
    )
    pillar_term_plural = forms.CharField(label="Nom du premier niveau au pluriel", max_length=60)
    orientation_term = forms.CharField(label="Nom des orientations", max_length=60)
    objective_term = forms.CharField(
        label="Nom des objectifs", max_length=60, help_text="« objectif opérationnel », « fiche action »…"
    )
    action_term = forms.CharField(label="Nom des actions", max_length=60)

    @classmethod
    def initial_of(cls, contract: Contract) -> dict[str, Any]:
        return {name: getattr(contract, name) for name in cls.base_fields}


class ContractStatusForm(Form):
    """Move the contract to the next step of its life; signing has its own form (date and signatories)."""

    status = forms.ChoiceField(label="Nouvel état")
    comment = forms.CharField(label="Commentaire", max_length=500, required=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ContractStatus.choices)
        allowed = CONTRACT_TRANSITIONS.get(contract.status, frozenset())
        self.fields["status"].choices = [
            (status, labels[status])
            for status in ContractStatus.values
            if status in allowed and status != ContractStatus.SIGNED
        ]


class TerritoryChoiceField(forms.ModelMultipleChoiceField):
    """Territories as checkboxes, each « name (official code) »."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class ContractTerritoriesForm(Form):
    """The QPVs of the contract's generation inside its EPCI, and the communes concerned."""

    qpvs = TerritoryChoiceField(
        label="Quartiers prioritaires du contrat", queryset=Territory.objects.none(), required=False
    )
    communes = TerritoryChoiceField(
        label="Communes concernées",
        queryset=Territory.objects.none(),
        required=False,
        help_text="Les communes de l'intercommunalité qui signent le contrat.",
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vintage = GENERATION_DEFAULTS[contract.generation].qpv_vintage
        qpvs = self.fields["qpvs"]
        communes = self.fields["communes"]
        assert isinstance(qpvs, forms.ModelMultipleChoiceField)
        assert isinstance(communes, forms.ModelMultipleChoiceField)
        qpvs.queryset = qpvs_in_epci(epci=contract.epci, vintage=vintage)
        qpvs.help_text = f"Quartiers de la géographie prioritaire {vintage} situés dans l'intercommunalité."
        communes.queryset = communes_of_epci(epci=contract.epci)


class TermForm(Form):
    """A pillar (or the contract's own first level) or a transversal axis."""

    label = forms.CharField(label="Libellé", max_length=Pillar._meta.get_field("label").max_length)
    slogan = forms.CharField(
        label="Accroche",
        max_length=Pillar._meta.get_field("slogan").max_length,
        required=False,
        help_text="Une formule courte, quand le contrat en donne une.",
    )
    objective = forms.CharField(
        label="Objectif", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
