"""Forms of the stakes: create/edit, redefine, droit commun, duplicates, validation request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.diagnostic.forms.inventory import pillar_queryset
from contrat_ville.diagnostic.models import Finding, Stake
from contrat_ville.diagnostic.selectors.inventory import finding_list
from contrat_ville.diagnostic.selectors.stakes import stake_duplicate_choices, steering_meetings_for_validation
from contrat_ville.governance.models import Meeting
from contrat_ville.governance.selectors.bodies import organizations_for_seats
from contrat_ville.ui.forms import Form


class FindingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Finding):
            where = obj.territory.name if obj.territory else "ensemble du contrat"
            return f"{obj.pillar.label} · {obj.get_kind_display()} · {where} : {obj.text[:90]}"
        return str(obj)


def axis_queryset(contract: Contract) -> Any:
    return TransversalAxis.objects.filter(contract=contract).order_by("order", "pk")


class StakeTextForm(Form):
    title = forms.CharField(label="Intitulé de l'enjeu", max_length=255)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    axes = forms.ModelMultipleChoiceField(
        label="Axes transversaux concernés",
        queryset=TransversalAxis.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["axes"].queryset = axis_queryset(contract)


class StakeForm(StakeTextForm):
    pillar = forms.ModelChoiceField(label="Pilier", queryset=Pillar.objects.none())
    findings = FindingChoiceField(
        label="Constats dont l'enjeu découle",
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["pillar", "title", "description", "axes", "findings"]

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, contract=contract, **kwargs)
        self.fields["pillar"].queryset = pillar_queryset(contract)
        self.fields["findings"].queryset = finding_list(contract=contract, keep=self.initial.get("findings") or ())


class StakeRedefineForm(StakeTextForm):
    reason = forms.CharField(
        label="Motif de la redéfinition",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce que les avis des conseils citoyens ont changé.",
    )


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Organization):
            return f"{obj.name} ({obj.get_kind_display()})"
        return str(obj)


class MainstreamForm(Form):
    organization = OrganizationChoiceField(label="Partenaire", queryset=Organization.objects.none())
    policy = forms.CharField(
        label="Politique de droit commun",
        max_length=255,
        help_text="Le dispositif ou la politique que le partenaire mobilise (« Programme de réussite éducative »…).",
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_for_seats(contract=contract)


class StakeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.pillar.label} — {obj.title}" if isinstance(obj, Stake) else str(obj)


class DuplicateForm(Form):
    duplicate_of = StakeChoiceField(
        label="Doublon de",
        queryset=Stake.objects.none(),
        required=False,
        empty_label="Pas un doublon",
        help_text="L'enjeu d'origine, proposé par un autre groupe ou dans le même pilier.",
    )

    def __init__(self, *args: Any, stake: Stake, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duplicate_of"].queryset = stake_duplicate_choices(stake=stake)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Meeting):
            return f"{obj.title} — {timezone.localtime(obj.starts_at):%d/%m/%Y}"
        return str(obj)


class ValidationRequestForm(Form):
    """« Faire valider par le comité de pilotage »: the COPIL meeting whose decision to record."""

    seance = MeetingChoiceField(
        label="Séance du comité de pilotage",
        queryset=Meeting.objects.none(),
        help_text="Une séance tenue ou commencée : la décision s'y enregistre.",
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seance"].queryset = steering_meetings_for_validation(contract=contract)
