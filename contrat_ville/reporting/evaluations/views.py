"""Pages of the evaluation, under /contrats/<contract_slug>/evaluation/ (issue 12 §5): the evaluations with their
calendar, status and questions; create and edit an evaluation, record its findings; add, edit and remove a question;
ask the comité de pilotage to commission an evaluation or validate a question."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.presenters import contract_crumbs, pages
from contrat_ville.governance.presenters import decision_form_url
from contrat_ville.reporting.evaluations import selectors, services
from contrat_ville.reporting.evaluations.forms import (
    EvaluationForm,
    EvaluationUpdateForm,
    FindingsForm,
    QuestionForm,
    ValidationTargetForm,
)
from contrat_ville.reporting.evaluations.models import Evaluation, EvaluativeQuestion
from contrat_ville.reporting.permissions import can_manage_evaluations
from contrat_ville.strategy.selectors import copil_meetings
from contrat_ville.ui.page import Crumb, file_download, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()

PREFIX = "contrats/<slug:contract_slug>/evaluation/"


def list_url(contract: Contract) -> str:
    return reverse("reporting:evaluation_list", kwargs={"contract_slug": contract.slug})


def evaluation_url(evaluation: Evaluation) -> str:
    return reverse(
        "reporting:evaluation_detail",
        kwargs={"contract_slug": evaluation.contract.slug, "evaluation_id": evaluation.pk},
    )


def _crumbs(contract: Contract) -> list[Crumb]:
    return contract_crumbs(contract)


def _list_crumbs(contract: Contract) -> list[Crumb]:
    return [*_crumbs(contract), Crumb("Évaluation", list_url(contract))]


def _evaluation_crumbs(evaluation: Evaluation) -> list[Crumb]:
    return [*_list_crumbs(evaluation.contract), Crumb(str(evaluation), evaluation_url(evaluation))]


# --- reading ----------------------------------------------------------------------------------------------------


@routes(PREFIX)
@contract_view(private=False)
def evaluation_list(request: ContractRequest) -> HttpResponse:
    """The contract's evaluations: calendar, owner, status, what the comité de pilotage validated, the evaluative
    questions with their objectives and indicators (latest value against baseline and target)."""
    contract = request.contract
    access = request.access
    return render_page(
        request,
        "reporting/evaluation/evaluation_list.html",
        "Évaluation",
        parents=_crumbs(contract),
        rows=selectors.evaluation_rows(contract=contract, access=access),
        can_manage=can_manage_evaluations(access),
        is_member=access.is_member,
    )


@routes(f"{PREFIX}<int:evaluation_id>/")
@contract_view(private=False)
def evaluation_detail(request: ContractRequest, evaluation_id: int) -> HttpResponse:
    """One evaluation: its facts, findings and report, its questions, and the validation request."""
    contract = request.contract
    access = request.access
    evaluation = selectors.evaluation_get(contract=contract, evaluation_id=evaluation_id, access=access)
    rows = selectors.evaluation_rows(contract=contract, access=access, evaluation_id=evaluation.pk)
    row = rows[0]
    can_manage = can_manage_evaluations(access)
    meetings = copil_meetings(contract=contract) if can_manage else []
    return render_page(
        request,
        "reporting/evaluation/evaluation_detail.html",
        str(evaluation),
        parents=_list_crumbs(contract),
        row=row,
        evaluation=row.evaluation,
        can_manage=can_manage,
        validation_form=ValidationTargetForm(
            evaluation=evaluation, questions=[item.question for item in row.questions], meetings=meetings
        )
        if meetings
        else None,
    )


@routes(f"{PREFIX}<int:evaluation_id>/rapport/")
@contract_view(private=False)
def evaluation_report(request: ContractRequest, evaluation_id: int) -> HttpResponse:
    """The evaluation's report, readable by whoever reads the evaluation."""
    evaluation = selectors.evaluation_get(
        contract=request.contract, evaluation_id=evaluation_id, access=request.access
    )
    if not evaluation.report_file:
        raise Http404("Rapport introuvable.")
    return file_download(evaluation.report_file)


# --- evaluations ------------------------------------------------------------------------------------------------


@routes(f"{PREFIX}nouvelle/")
@contract_view(private=True, permission=can_manage_evaluations)
def evaluation_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    form = EvaluationForm(request.POST or None, contract=contract)
    return pages.form_page(
        request,
        form,
        save=lambda _data: services.evaluation_create(
            contract=contract, fields=form.evaluation_fields(), by=request.access.user
        ),
        done=lambda evaluation: (
            f"Évaluation « {evaluation} » programmée : rédigez ses questions évaluatives et faites-les valider par "
            "le comité de pilotage.",
            evaluation_url(evaluation),
        ),
        title="Nouvelle évaluation",
        parents=_list_crumbs(contract),
        submit_label="Programmer l'évaluation",
        cancel_url=list_url(contract),
        intro="Une évaluation à mi-parcours, finale ou thématique : qui la conduit, quand, avec quel budget. Le "
        "comité de pilotage la commande et valide ses questions évaluatives.",
    )


def _evaluation_for_edit(request: ContractRequest, evaluation_id: int) -> Evaluation:
    return selectors.evaluation_get(contract=request.contract, evaluation_id=evaluation_id, access=request.access)


@routes(f"{PREFIX}<int:evaluation_id>/modifier/")
@contract_view(private=True, permission=can_manage_evaluations)
def evaluation_update(request: ContractRequest, evaluation_id: int) -> HttpResponse:
    evaluation = _evaluation_for_edit(request, evaluation_id)
    form = EvaluationUpdateForm(
        request.POST or None, contract=request.contract, initial=EvaluationUpdateForm.initial_from(evaluation)
    )
    return pages.form_page(
        request,
        form,
        save=lambda data: services.evaluation_update(
            evaluation=evaluation, fields=form.evaluation_fields(), status=data["status"], by=request.access.user
        ),
        done=lambda _saved: ("Évaluation modifiée.", evaluation_url(evaluation)),
        title=f"Modifier l'évaluation « {evaluation} »",
        parents=_evaluation_crumbs(evaluation),
        cancel_url=evaluation_url(evaluation),
    )


@routes(f"{PREFIX}<int:evaluation_id>/constats/")
@contract_view(private=True, permission=can_manage_evaluations)
def evaluation_findings(request: ContractRequest, evaluation_id: int) -> HttpResponse:
    """Record the findings, recommendations, actual end and report; « achevée » once they are there."""
    evaluation = _evaluation_for_edit(request, evaluation_id)
    form = FindingsForm(
        request.POST or None,
        request.FILES or None,
        initial=FindingsForm.initial_from(evaluation, completed=evaluation.is_completed, report_file=None),
    )
    return pages.form_page(
        request,
        form,
        save=lambda _data: services.evaluation_record_findings(
            evaluation=evaluation, fields=form.findings_fields(), by=request.access.user
        ),
        done=lambda saved: (
            "Constats enregistrés : l'évaluation est achevée." if saved.is_completed else "Constats enregistrés.",
            evaluation_url(evaluation),
        ),
        title=f"Constats de l'évaluation « {evaluation} »",
        parents=_evaluation_crumbs(evaluation),
        submit_label="Enregistrer les constats",
        cancel_url=evaluation_url(evaluation),
        intro="Les constats répondent aux questions évaluatives ; la réponse à chaque question se saisit sur la "
        "question elle-même.",
    )


@routes(f"{PREFIX}<int:evaluation_id>/faire-valider/")
@require_POST
@contract_view(private=True, permission=can_manage_evaluations)
def evaluation_request_validation(request: ContractRequest, evaluation_id: int) -> HttpResponse:
    """« Faire valider par le comité de pilotage »: to governance's decision form of the chosen meeting, with the
    evaluation or the chosen question preselected."""
    contract = request.contract
    evaluation = _evaluation_for_edit(request, evaluation_id)
    questions = list(evaluation.questions.all())
    form = ValidationTargetForm(
        request.POST, evaluation=evaluation, questions=questions, meetings=copil_meetings(contract=contract)
    )
    if not form.is_valid():
        messages.error(
            request, "Choisissez l'objet et une séance du comité de pilotage qui s'est tenue ou a commencé."
        )
        return redirect(evaluation_url(evaluation))
    choice = form.cleaned_data["target"]
    target: Evaluation | EvaluativeQuestion = evaluation
    if choice != "evaluation":
        target = next(question for question in questions if f"question:{question.pk}" == choice)
    return redirect(decision_form_url(contract, form.cleaned_data["meeting"], target))


# --- questions --------------------------------------------------------------------------------------------------


@routes(f"{PREFIX}<int:evaluation_id>/questions/nouvelle/")
@contract_view(private=True, permission=can_manage_evaluations)
def question_create(request: ContractRequest, evaluation_id: int) -> HttpResponse:
    contract = request.contract
    evaluation = _evaluation_for_edit(request, evaluation_id)
    form = QuestionForm(request.POST or None, contract=contract)
    return pages.form_page(
        request,
        form,
        save=lambda _data: services.question_create(
            evaluation=evaluation,
            fields=form.question_fields(default_order=services.next_order(evaluation)),
            by=request.access.user,
        ),
        done=lambda _question: (
            "Question évaluative ajoutée : faites-la valider par le comité de pilotage.",
            evaluation_url(evaluation),
        ),
        title="Nouvelle question évaluative",
        parents=_evaluation_crumbs(evaluation),
        submit_label="Ajouter la question",
        cancel_url=evaluation_url(evaluation),
        intro="Une question à laquelle l'évaluation répond, sur des objectifs opérationnels et des indicateurs du "
        "contrat.",
    )


@routes(f"{PREFIX}questions/<int:question_id>/modifier/")
@contract_view(private=True, permission=can_manage_evaluations)
def question_update(request: ContractRequest, question_id: int) -> HttpResponse:
    contract = request.contract
    question = selectors.question_get(contract=contract, question_id=question_id)
    evaluation = question.evaluation
    form = QuestionForm(request.POST or None, contract=contract, initial=QuestionForm.initial_from(question))
    return pages.form_page(
        request,
        form,
        save=lambda _data: services.question_update(
            question=question, fields=form.question_fields(default_order=question.order), by=request.access.user
        ),
        done=lambda _saved: ("Question évaluative modifiée.", evaluation_url(evaluation)),
        title="Modifier la question évaluative",
        parents=_evaluation_crumbs(evaluation),
        cancel_url=evaluation_url(evaluation),
    )


@routes(f"{PREFIX}questions/<int:question_id>/supprimer/")
@contract_view(private=True, permission=can_manage_evaluations)
def question_delete(request: ContractRequest, question_id: int) -> HttpResponse:
    question = selectors.question_get(contract=request.contract, question_id=question_id)
    evaluation = question.evaluation
    return pages.confirm_page(
        request,
        act=lambda: services.question_delete(question=question, by=request.access.user),
        message="Question évaluative supprimée.",
        success_url=evaluation_url(evaluation),
        explanation=f"La question « {question} » sera supprimée. Une question sur laquelle le comité de pilotage "
        "a statué ne peut plus l'être.",
        title="Supprimer la question évaluative",
        parents=_evaluation_crumbs(evaluation),
        submit_label="Supprimer la question",
        cancel_url=evaluation_url(evaluation),
    )


urlpatterns = routes.urlpatterns
