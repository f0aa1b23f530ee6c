"""Forms of the consultations of the conseils citoyens and of their opinions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract
from contrat_ville.core.bounds import validate_plausible_date
from contrat_ville.core.registries import consultable_kinds, sorted_entries
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.selectors.consultations import council_list
from contrat_ville.participation.enums import OpinionVerdict
from contrat_ville.ui.forms import DateInput, Form

# Stakes the consultation form checks by default: those never debated yet, or redefined since.
DEFAULT_SUBMITTED_STATUSES = frozenset({StakeStatus.PROPOSED, StakeStatus.REDEFINED})


class CouncilChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name if isinstance(obj, Organization) else str(obj)


class ConsultableChoiceField(forms.ModelMultipleChoiceField):
    """The objects of one consultable kind, labelled by the kind's ``describe``."""

    def __init__(self, *args: Any, describe: Any = str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.describe = describe

    def label_from_instance(self, obj: Any) -> str:
        return str(self.describe(obj))


class ConsultationForm(Form):
    """Submit objects to councils: one field per kind registered in ``core.registries.consultable_kinds``
    (``stakes``, ``orientations``, ``action_plans``…). ``preselect`` ({field: [ids]}) checks objects when the pilot
    comes from an object's page; otherwise the stakes never debated yet or redefined since are checked."""

    title = forms.CharField(label="Intitulé", max_length=255, initial="Mise en débat des enjeux du diagnostic")
    message = forms.CharField(
        label="Message aux conseils citoyens",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que l'on attend d'eux, comment les objets soumis ont été établis.",
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
        help_text="Les conseils citoyens inscrits au registre du contrat, qui siègent dans ses instances ou dont un "
        "membre a un compte.",
    )

    def __init__(
        self, *args: Any, contract: Contract, preselect: dict[str, list[int]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        councils = list(council_list(contract=contract))
        self.has_councils = bool(councils)
        self.fields["councils"].queryset = council_list(contract=contract)
        if not self.is_bound:
            # By default every council is consulted.
            self.fields["councils"].initial = [council.pk for council in councils]
        self.kind_fields: list[str] = []
        for kind in sorted_entries(consultable_kinds):
            queryset = kind.candidates(contract)
            candidates = list(queryset)
            if not candidates:
                continue
            self.fields[kind.form_field] = ConsultableChoiceField(
                label=f"{kind.label} soumis" if kind.form_field == "stakes" else kind.label,
                queryset=queryset,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                describe=kind.describe,
                help_text="La version actuelle de chaque enjeu est figée : les avis porteront sur elle."
                if kind.form_field == "stakes"
                else "",
            )
            self.kind_fields.append(kind.form_field)
            if not self.is_bound:
                if preselect is not None:
                    self.fields[kind.form_field].initial = preselect.get(kind.form_field, [])
                elif kind.form_field == "stakes":
                    # By default: the stakes never debated yet, or redefined since.
                    self.fields[kind.form_field].initial = [
                        stake.pk for stake in candidates if stake.status in DEFAULT_SUBMITTED_STATUSES
                    ]
        if preselect is not None and not self.is_bound:
            self.fields["title"].initial = "Avis des conseils citoyens"

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError("La date limite ne peut pas être passée.")
        return deadline

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.kind_fields and not any(data.get(name) for name in self.kind_fields):
            raise forms.ValidationError("Choisissez au moins un objet à soumettre aux conseils citoyens.")
        return data

    def consultation_data(self, data: dict[str, Any]) -> dict[str, Any]:
        """The service's arguments: the chosen objects of every kind, in the form's order."""
        chosen = [obj for name in self.kind_fields for obj in data.get(name, [])]
        rest = {key: value for key, value in data.items() if key not in self.kind_fields}
        return {**rest, "objects": chosen}


class OpinionForm(Form):
    verdict = forms.ChoiceField(label="Votre avis", choices=OpinionVerdict.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Obligatoire avec des réserves ou un désaccord : dites ce qui manque ou ce qu'il faudrait changer.",
    )
