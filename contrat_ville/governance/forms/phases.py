"""Forms of the elaboration phases: pick a template, set a phase's status and dates."""

from __future__ import annotations

from typing import Any

from django import forms

from contrat_ville.core.bounds import validate_plausible_date
from contrat_ville.governance.enums import PhaseStatus
from contrat_ville.governance.selectors.phases import phase_template_choices
from contrat_ville.ui.forms import DateInput, Form, InOrder


class PhaseApplyForm(Form):
    template_code = forms.ChoiceField(
        label="Modèle de processus",
        help_text="Le modèle de la note de cadrage de 2014 est proposé par défaut, quelle que soit la génération.",
    )
    launch_on = forms.DateField(
        label="Date de lancement",
        validators=[validate_plausible_date],
        widget=DateInput(),
        help_text="Les dates prévues des phases sont calculées à partir de cette date. Format : jj/mm/aaaa.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template_code"].choices = phase_template_choices()


class PhaseUpdateForm(Form):
    manual_status = forms.ChoiceField(label="État saisi à la main", choices=PhaseStatus.choices)
    planned_start = forms.DateField(label="Début prévu", widget=DateInput(), validators=[validate_plausible_date])
    planned_end = forms.DateField(label="Fin prévue", widget=DateInput(), validators=[validate_plausible_date])

    in_order = (InOrder("planned_start", "planned_end", "La fin prévue ne peut pas précéder le début prévu."),)
