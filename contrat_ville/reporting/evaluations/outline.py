"""« Modalités de suivi et d'évaluation »: the section the contract document and the annual report include
(issue 12 §2-3, §5), built from the evaluations as an outline ``Section`` (``reporting.outline``).

The contract's own document tells every evaluation, with the figures its members see (the contract's own values
included); with ``completed_only`` (for a public page or open data) only the completed evaluations are told, with the
public figures.
"""

from __future__ import annotations

from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.reporting.evaluations.models import Evaluation
from contrat_ville.reporting.evaluations.selectors import EvaluationRow, QuestionRow, evaluation_rows
from contrat_ville.reporting.outline import Bullets, Facts, Paragraph, Section, Table
from contrat_ville.ui.formats import euros

SECTION_TITLE = "Modalités de suivi et d'évaluation"

INTRODUCTION = (
    "Le contrat est évalué à mi-parcours et à son terme par ses instances de pilotage, avec les conseils citoyens. "
    "Chaque évaluation répond à quelques questions évaluatives validées par le comité de pilotage, rattachées aux "
    "objectifs opérationnels du contrat et aux indicateurs qui les mesurent."
)


def _date(value: object) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


def _owner(evaluation: Evaluation) -> str:
    owner = str(evaluation.owner) if evaluation.owner_id else "non désignée"
    return f"{owner} (évaluateur externe : {evaluation.evaluator})" if evaluation.evaluator else owner


def _decision_text(row: EvaluationRow | QuestionRow) -> str:
    decision = row.decision
    if decision is None:
        return "non soumise"
    return f"{decision.get_verdict_display()} le {decision.meeting.starts_at:%d/%m/%Y}"


def _budget(evaluation: Evaluation) -> str:
    return euros(evaluation.budget) if evaluation.budget is not None else "non renseigné"


def _objectives(row: QuestionRow) -> str:
    lines = []
    for line in row.objectives:
        code = f"{line.objective.code} " if line.objective.code else ""
        lines.append(f"{code}{line.objective.title} ({line.state.status_label})")
    return " ; ".join(lines) or "—"


def _indicators(row: QuestionRow) -> str:
    lines = []
    for line in row.indicators:
        state = line.state
        if state is None:
            lines.append(f"{line.indicator.label} : aucun objectif ne le mesure")
            continue
        latest = f"{state.latest_text} en {state.latest_year}" if state.latest_year else "pas de valeur connue"
        lines.append(
            f"{line.indicator.label} : {latest} (référence {state.baseline_text or '—'}, "
            f"cible {state.target_text or '—'})"
        )
    return " ; ".join(lines) or "—"


def evaluation_outline_section(contract: Contract, *, completed_only: bool = False) -> Section:
    """The section « Modalités de suivi et d'évaluation »: an introduction, the calendar of the evaluations (owner,
    dates, budget, state, the comité de pilotage's commission), then for each evaluation its evaluative questions
    with their objectives and indicators, and its findings and recommendations once completed."""
    rows = evaluation_rows(contract=contract, access=None) if completed_only else _all_rows(contract)
    section = Section(SECTION_TITLE)
    section.add(Paragraph(INTRODUCTION))
    if not rows:
        section.add(Paragraph("Aucune évaluation n'est encore programmée.", style="note"))
        return section
    section.add(
        Table(
            headers=("Évaluation", "Type", "Structure responsable", "Calendrier prévu", "Budget", "État", "Commande"),
            rows=tuple(
                (
                    row.evaluation.title,
                    row.evaluation.get_kind_display(),
                    _owner(row.evaluation),
                    f"du {_date(row.evaluation.planned_start_on)} au {_date(row.evaluation.planned_end_on)}",
                    _budget(row.evaluation),
                    row.evaluation.get_status_display(),
                    _decision_text(row),
                )
                for row in rows
            ),
            caption="Calendrier des évaluations",
            numeric_columns=frozenset({4}),
        )
    )
    for row in rows:
        evaluation = row.evaluation
        child = section.section(evaluation.title)
        child.add(
            Facts(
                (
                    ("Type", evaluation.get_kind_display()),
                    ("Structure responsable", _owner(evaluation)),
                    (
                        "Calendrier prévu",
                        f"du {_date(evaluation.planned_start_on)} au {_date(evaluation.planned_end_on)}",
                    ),
                    ("Début effectif", _date(evaluation.started_on)),
                    ("Fin effective", _date(evaluation.ended_on)),
                    ("Budget", _budget(evaluation)),
                    ("État", evaluation.get_status_display()),
                    ("Commande du comité de pilotage", _decision_text(row)),
                )
            )
        )
        child.add(
            Table(
                headers=("N°", "Question évaluative", "Objectifs opérationnels", "Indicateurs", "Comité de pilotage"),
                rows=tuple(
                    (
                        str(index),
                        " ".join(question.question.text.split()),
                        _objectives(question),
                        _indicators(question),
                        _decision_text(question),
                    )
                    for index, question in enumerate(row.questions, 1)
                ),
                caption=f"Questions évaluatives — {evaluation.title}",
                empty_text="Aucune question évaluative pour l'instant.",
            )
        )
        answers = [
            f"Question {index} : {' '.join(question.question.answer.split())}"
            for index, question in enumerate(row.questions, 1)
            if question.question.answer
        ]
        if evaluation.is_completed or evaluation.findings:
            if evaluation.findings:
                child.add(Paragraph(f"Constats : {evaluation.findings}"))
            if answers:
                child.add(Bullets(tuple(answers)))
            if evaluation.recommendations:
                child.add(Paragraph(f"Recommandations : {evaluation.recommendations}"))
    return section


def _all_rows(contract: Contract) -> list[EvaluationRow]:
    """Every evaluation of the contract, with the figures its members read."""
    # A member's view without a user: every evaluation; ``objective_states`` then reads the contract's own values
    # too, which is what its pilot publishes in its own document.
    return evaluation_rows(contract=contract, access=ContractAccess(contract=contract, role=None, is_staff=True))
