"""Forms of the consultations of the conseils citoyens and of their opinions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract
from contrat_ville.core.bounds import validate_plausible_date
from contrat_ville.diagnostic.enums import STAKE_OPEN_STATUSES, StakeStatus
from contrat_ville.diagnostic.models import Stake
from contrat_ville.diagnostic.selectors.consultations import council_list
from contrat_ville.participation.enums import OpinionVerdict
from contrat_ville.ui.forms import DateInput, Form

# Stakes the consultation form checks by default: those never debated yet, or redefined since.
DEFAULT_SUBMITTED_STATUSES = frozenset({StakeStatus.PROPOSED, StakeStatus.REDEFINED})


class CouncilChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name if isinstance(obj, Organization) else str(obj)


class StakeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Stake):
            return f"{obj.pillar.label} — {obj.title} (v{obj.version}, {obj.get_status_display()})"
        return str(obj)


class ConsultationForm(Form):
    title = forms.CharField(label="Intitulé", max_length=255, initial="Mise en débat des enjeux du diagnostic")
    message = forms.CharField(
        label="Message aux conseils citoyens",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que l'on attend d'eux, comment les enjeux ont été établis.",
    )
    deadline = forms.DateField(
        label="Date limite des avis",
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        validators=[validate_plausible_date],
    )
    councils = CouncilChoiceField(
        label="Conseils citoyens consultés",
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Les conseils citoyens qui siègent dans les instances du contrat ou dont un membre a un compte.",
    )
    stakes = StakeMultipleChoiceField(
        label="Enjeux soumis",
        queryset=Stake.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="La version actuelle de chaque enjeu est figée : les avis porteront sur elle.",
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        councils = list(council_list(contract=contract))
        stakes = list(
            Stake.objects.filter(contract=contract, status__in=STAKE_OPEN_STATUSES, duplicate_of__isnull=True)
            .select_related("pillar")
            .order_by("pillar__order", "order", "pk")
        )
        self.has_councils = bool(councils)
        self.fields["councils"].queryset = council_list(contract=contract)
        self.fields["stakes"].queryset = (
            Stake.objects.filter(pk__in=[stake.pk for stake in stakes])
            .select_related("pillar")
            .order_by("pillar__order", "order", "pk")
        )
        if not self.is_bound:
            # By default: every council, and the stakes never debated yet or redefined since.
            self.fields["councils"].initial = [council.pk for council in councils]
            self.fields["stakes"].initial = [
                stake.pk for stake in stakes if stake.status in DEFAULT_SUBMITTED_STATUSES
            ]

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError("La date limite ne peut pas être passée.")
        return deadline


class OpinionForm(Form):
    verdict = forms.ChoiceField(label="Votre avis", choices=OpinionVerdict.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Obligatoire avec des réserves ou un désaccord : dites ce qui manque ou ce qu'il faudrait changer.",
    )
