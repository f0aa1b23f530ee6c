"""Forms of the decisions: record one in a meeting, correct it, filter the list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model

from contrat_ville.contracts.models import Contract
from contrat_ville.governance.enums import Verdict
from contrat_ville.governance.models import Body
from contrat_ville.governance.selectors.decisions import decision_target_choices, decision_target_resolve
from contrat_ville.ui.forms import Form


class DecisionUpdateForm(Form):
    verdict = forms.ChoiceField(label="Sens de la décision", choices=Verdict.choices)
    text = forms.CharField(
        label="Texte de la décision",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce que l'instance a décidé, tel qu'il figurera au compte rendu.",
    )
    is_published = forms.BooleanField(
        label="Publier la décision",
        required=False,
        help_text="Une décision publiée est visible de tous quand le contrat est publié.",
    )


class DecisionForm(DecisionUpdateForm):
    target = forms.ChoiceField(
        label="Objet de la décision",
        required=False,
        help_text="L'élément du contrat sur lequel porte la décision (laisser vide pour une décision générale).",
    )

    field_order = ["target", "verdict", "text", "is_published"]

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contract = contract
        groups = [(group.label.capitalize(), group.options) for group in decision_target_choices(contract=contract)]
        self.fields["target"].choices = [("", "Aucun objet particulier"), *[group for group in groups if group[1]]]

    def clean_target(self) -> Model | None:
        value = self.cleaned_data.get("target") or ""
        if not value:
            return None
        target = decision_target_resolve(contract=self.contract, value=value)
        if target is None:
            raise forms.ValidationError("Cet objet ne peut pas faire l'objet d'une décision de ce contrat.")
        return target


class DecisionFilterForm(Form):
    verdict = forms.ChoiceField(label="Sens de la décision", required=False)
    body = forms.TypedChoiceField(label="Instance", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, bodies: list[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = [("", "Tous"), *Verdict.choices]
        self.fields["body"].choices = [("", "Toutes"), *[(body.pk, body.name) for body in bodies]]
