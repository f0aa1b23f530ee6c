"""The evaluations of a contract and their evaluative questions (issue 12 §5, domain.md §5.2).

An ONPV review found evaluation weakly documented (few evaluative questions, owners or budgets): here they are
explicit objects. The comité de pilotage commissions an evaluation and validates its questions through governance's
decisions (decision targets ``reporting.evaluation`` and ``reporting.evaluativequestion``): nothing is stored here
about validation, it is the projection of the latest decision (``governance.selectors.decisions``).
"""

from django.db import models

from contrat_ville.core.fields import optional_reference
from contrat_ville.core.historised import HistorisedModel
from contrat_ville.core.models import in_order_when_given
from contrat_ville.reporting.evaluations.enums import EvaluationKind, EvaluationStatus


class Evaluation(HistorisedModel):
    """A mid-term, final or thematic evaluation: its owner, calendar, budget, findings and report."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="evaluations"
    )
    kind = models.CharField("type d'évaluation", max_length=16, choices=EvaluationKind.choices)
    title = models.CharField("intitulé", max_length=255)
    owner = optional_reference(
        "accounts.Organization", "structure responsable de l'évaluation", related_name="owned_evaluations"
    )
    evaluator = models.CharField(
        "évaluateur externe",
        max_length=255,
        blank=True,
        help_text="Le cabinet ou l'organisme chargé de l'évaluation, s'il est extérieur.",
    )
    planned_start_on = models.DateField("début prévu")
    planned_end_on = models.DateField("fin prévue")
    started_on = models.DateField("début effectif", null=True, blank=True)
    ended_on = models.DateField("fin effective", null=True, blank=True)
    budget = models.PositiveIntegerField("budget (euros)", null=True, blank=True)
    status = models.CharField(
        "état", max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.PLANNED
    )
    findings = models.TextField("constats", blank=True)
    recommendations = models.TextField("recommandations", blank=True)
    report_file = models.FileField("rapport d'évaluation", upload_to="reporting/evaluations/%Y/", blank=True)

    class Meta:
        verbose_name = "évaluation"
        verbose_name_plural = "évaluations"
        ordering = ["contract", "planned_start_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end_on__gte=models.F("planned_start_on")),
                name="evaluation_planned_end_after_start",
            ),
            in_order_when_given("started_on", "ended_on", name="evaluation_ended_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_completed(self) -> bool:
        return self.status == EvaluationStatus.COMPLETED


class EvaluativeQuestion(HistorisedModel):
    """A question the evaluation answers (« Le contrat a-t-il amélioré l'accès à l'emploi des jeunes ? »), linked
    to the objectives and indicators it looks at; validated by the comité de pilotage.

    ``contract`` repeats the evaluation's (set by the services) so that governance's decision form can offer the
    contract's questions like its other decision targets."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="evaluative_questions"
    )
    evaluation = models.ForeignKey(
        Evaluation, verbose_name="évaluation", on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField("ordre", default=100)
    text = models.TextField("question évaluative")
    pillar = optional_reference("contracts.Pillar", "pilier")
    axis = optional_reference("contracts.TransversalAxis", "axe transversal")
    objectives = models.ManyToManyField(
        "strategy.Objective", verbose_name="objectifs opérationnels", blank=True, related_name="evaluative_questions"
    )
    indicators = models.ManyToManyField(
        "observation.Indicator", verbose_name="indicateurs", blank=True, related_name="evaluative_questions"
    )
    answer = models.TextField("réponse (constats)", blank=True)

    class Meta:
        verbose_name = "question évaluative"
        verbose_name_plural = "questions évaluatives"
        ordering = ["evaluation", "order", "pk"]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 120 else f"{text[:119]}…"
