"""Forms of the evaluation: an evaluation, its findings, an evaluative question. The rules that span objects (an
objective of this contract, an owner among its organisations, completed only with findings) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.core.attachments import ACCEPTED_TEXT
from contrat_ville.core.bounds import form_field
from contrat_ville.governance.models import Meeting
from contrat_ville.observation.models import Indicator
from contrat_ville.reporting.evaluations import selectors
from contrat_ville.reporting.evaluations.enums import EvaluationKind, EvaluationStatus
from contrat_ville.reporting.evaluations.models import Evaluation, EvaluativeQuestion
from contrat_ville.reporting.evaluations.services import (
    ACTUAL_ORDER_MESSAGE,
    PLANNED_ORDER_MESSAGE,
    EvaluationFields,
    FindingsFields,
    QuestionFields,
)
from contrat_ville.strategy.models import Objective
from contrat_ville.strategy.selectors import organization_choices
from contrat_ville.ui.forms import DateInput, Form, InOrder, fields_from


def _text(label: str, *, rows: int = 4, help_text: str = "", required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required, help_text=help_text
    )


class EvaluationForm(Form):
    kind = forms.ChoiceField(label="Type d'évaluation", choices=EvaluationKind.choices)
    title = form_field(Evaluation, "title", label="Intitulé de l'évaluation")
    owner = forms.ModelChoiceField(
        label="Structure responsable",
        queryset=Organization.objects.none(),
        required=False,
        help_text="L'organisation qui conduit l'évaluation (souvent l'intercommunalité).",
    )
    evaluator = form_field(Evaluation, "evaluator", label="Évaluateur externe", required=False)
    planned_start_on = form_field(Evaluation, "planned_start_on", label="Début prévu", widget=DateInput())
    planned_end_on = form_field(Evaluation, "planned_end_on", label="Fin prévue", widget=DateInput())
    started_on = form_field(Evaluation, "started_on", label="Début effectif", required=False, widget=DateInput())
    ended_on = form_field(Evaluation, "ended_on", label="Fin effective", required=False, widget=DateInput())
    budget = form_field(Evaluation, "budget", label="Budget (euros)", required=False)

    in_order = (
        InOrder("planned_start_on", "planned_end_on", PLANNED_ORDER_MESSAGE),
        InOrder("started_on", "ended_on", ACTUAL_ORDER_MESSAGE),
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organization_choices(contract=contract)

    def evaluation_fields(self) -> EvaluationFields:
        return fields_from(self.cleaned_data, EvaluationFields)


class EvaluationUpdateForm(EvaluationForm):
    status = forms.ChoiceField(
        label="État",
        choices=EvaluationStatus.choices,
        help_text="Prévue, puis en cours, puis achevée (une évaluation achevée présente ses constats).",
    )


class FindingsForm(Form):
    findings = _text(
        "Constats",
        rows=8,
        help_text="Ce que l'évaluation établit : évolution du contexte, effets des actions, plus-value du contrat.",
    )
    recommendations = _text("Recommandations", rows=5)
    ended_on = form_field(Evaluation, "ended_on", label="Fin effective", required=False, widget=DateInput())
    report_file = forms.FileField(label="Rapport d'évaluation", required=False, help_text=ACCEPTED_TEXT)
    completed = forms.BooleanField(
        label="L'évaluation est achevée",
        required=False,
        help_text="Une évaluation achevée est publique, avec ses conclusions, quand le contrat est publié.",
    )

    def findings_fields(self) -> FindingsFields:
        return fields_from(self.cleaned_data, FindingsFields)


class ObjectiveChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        code = f"{obj.code} " if obj.code else ""
        return f"{code}{obj.title} ({obj.orientation})"


class QuestionForm(Form):
    text = _text("Question évaluative", rows=3, required=True)
    pillar = forms.ModelChoiceField(label="Pilier", queryset=Pillar.objects.none(), required=False)
    axis = forms.ModelChoiceField(label="Axe transversal", queryset=TransversalAxis.objects.none(), required=False)
    objectives = ObjectiveChoiceField(
        label="Objectifs opérationnels examinés",
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.ModelMultipleChoiceField(
        label="Indicateurs suivis",
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les indicateurs qui mesurent un objectif opérationnel du contrat (avec sa référence et sa cible).",
    )
    answer = _text("Réponse (constats)", rows=4, help_text="Ce que l'évaluation répond à cette question.")
    order = form_field(EvaluativeQuestion, "order", label="Ordre d'affichage", required=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = selectors.pillar_choices(contract=contract)
        self.fields["axis"].queryset = selectors.axis_choices(contract=contract)
        self.fields["objectives"].queryset = selectors.objective_choices(
            contract=contract, keep=self.initial.get("objectives") or ()
        )
        self.fields["indicators"].queryset = selectors.indicator_choices(contract=contract)
        if not self.fields["axis"].queryset.exists():
            del self.fields["axis"]

    def question_fields(self, *, default_order: int) -> QuestionFields:
        data = self.cleaned_data
        order = data.get("order")
        return QuestionFields(
            text=data["text"],
            pillar=data.get("pillar"),
            axis=data.get("axis"),
            objectives=list(data.get("objectives") or []),
            indicators=list(data.get("indicators") or []),
            answer=data.get("answer") or "",
            order=default_order if order is None else order,
        )


class ValidationTargetForm(Form):
    """« Faire valider par le comité de pilotage »: the evaluation (its commission) or one of its questions, and the
    meeting of the committee where the decision is to be recorded."""

    target = forms.ChoiceField(label="Objet à faire valider")
    meeting = forms.TypedChoiceField(label="Séance du comité de pilotage", coerce=int)

    def __init__(
        self,
        *args: Any,
        evaluation: Evaluation,
        questions: list[EvaluativeQuestion],
        meetings: list[Meeting],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            ("evaluation", f"L'évaluation (sa commande) : {evaluation}"),
            *[
                (f"question:{question.pk}", f"Question {index} : {question}")
                for index, question in enumerate(questions, 1)
            ],
        ]
        self.fields["meeting"].choices = [
            (meeting.pk, f"{meeting.title} — {meeting.starts_at:%d/%m/%Y}") for meeting in meetings
        ]
