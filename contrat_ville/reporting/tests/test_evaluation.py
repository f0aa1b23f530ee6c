"""The evaluation of a contract (issue 12 §5): services and their French refusals, pages through the client, tenancy,
what the comité de pilotage validated, the dashboard panel, what awaits the pilot, the API, the outline section and
the query counts — on a contract built from scratch with the factories."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.models import StatusChange
from contrat_ville.governance.enums import Verdict
from contrat_ville.observation.enums import Theme
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.reporting.evaluations import services
from contrat_ville.reporting.evaluations.awaiting import findings as awaiting_findings
from contrat_ville.reporting.evaluations.enums import EvaluationKind, EvaluationStatus
from contrat_ville.reporting.evaluations.models import Evaluation, EvaluativeQuestion
from contrat_ville.reporting.evaluations.outline import SECTION_TITLE, evaluation_outline_section
from contrat_ville.reporting.outline import Facts, Paragraph, Table
from contrat_ville.reporting.tests.evaluation_factories import make_evaluation, make_question
from contrat_ville.strategy.tests.factories import (
    add_qpv,
    copil_meeting,
    decide,
    make_objective,
    make_orientation,
    pillar,
)

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).split())


def url(name: str, contract, **kwargs) -> str:
    return reverse(f"reporting:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def employment_indicator() -> Indicator:
    return Indicator.objects.get_or_create(
        code="DE-TEST",
        defaults={
            "label": "Taux de chômage des 15-64 ans",
            "theme": Theme.DEVELOPPEMENT_ECONOMIQUE,
            "unit": "%",
            "direction": "down",
        },
    )[0]


class World:
    """A contract built from scratch: a QPV, its pilot, an objective measured by a catalogue indicator (baseline
    2020, target 2030, a value in 2024), and the same shape in another contract."""

    def __init__(self, *, published: bool = True, name: str = "Contrat de ville du Val Fictif") -> None:
        self.contract = make_contract(name=name, published=published)
        self.qpv = add_qpv(self.contract)
        self.pilot = UserFactory.create()
        grant(self.contract, self.pilot, Role.PILOT)
        self.indicator = employment_indicator()
        IndicatorValue.objects.create(indicator=self.indicator, territory=self.qpv, period=2024, value=21.5)
        self.orientation = make_orientation(
            self.contract, title="Favoriser l'accès à l'emploi", pillar_code="developpement_economique"
        )
        self.objective = make_objective(
            self.orientation,
            title="Réduire le chômage des habitants",
            code="3.1.1",
            indicator=self.indicator,
            territory=self.qpv,
            baseline_value=25,
            baseline_year=2020,
            target_value=18,
            target_year=2030,
        )


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def other() -> World:
    return World(name="Contrat de ville d'ailleurs", published=False)


# --- services ---------------------------------------------------------------------------------------------------


def test_an_evaluation_ending_before_it_starts_is_refused(world):
    with pytest.raises(BusinessRuleError) as error:
        make_evaluation(world.contract, planned_start_on=date(2027, 6, 1), planned_end_on=date(2027, 1, 1))
    assert error.value.field == "planned_end_on"
    assert "La fin prévue de l'évaluation doit suivre son début prévu." in error.value.message


def test_an_actual_end_before_the_actual_start_and_a_negative_budget_are_refused(world):
    with pytest.raises(BusinessRuleError, match="fin effective"):
        make_evaluation(world.contract, started_on=date(2027, 3, 1), ended_on=date(2027, 2, 1))
    with pytest.raises(BusinessRuleError, match="budget"):
        make_evaluation(world.contract, budget=-1)


def test_a_question_on_an_objective_of_another_contract_is_refused(world, other):
    evaluation = make_evaluation(world.contract)
    with pytest.raises(BusinessRuleError) as error:
        make_question(evaluation, objectives=[other.objective])
    assert error.value.field == "objectives"
    assert "ne sont pas des objectifs du contrat" in error.value.message
    with pytest.raises(BusinessRuleError, match="n'est pas un pilier du contrat"):
        make_question(evaluation, pillar=pillar(other.contract, "developpement_economique"))


def test_an_indicator_that_measures_no_objective_of_the_contract_is_refused(world):
    evaluation = make_evaluation(world.contract)
    unused = Indicator.objects.create(
        code="CS-TEST", label="Réussite au brevet", theme=Theme.COHESION_SOCIALE, unit="%"
    )
    with pytest.raises(BusinessRuleError) as error:
        make_question(evaluation, indicators=[unused])
    assert error.value.field == "indicators"
    assert "ne mesurent aucun objectif du contrat" in error.value.message


def test_an_evaluation_is_completed_only_with_findings_and_its_statuses_are_recorded(world):
    evaluation = make_evaluation(world.contract)
    with pytest.raises(BusinessRuleError, match="Consignez les constats"):
        services.evaluation_record_findings(evaluation=evaluation, fields=services.FindingsFields(completed=True))
    services.evaluation_record_findings(
        evaluation=evaluation,
        fields=services.FindingsFields(findings="Le chômage recule.", recommendations="Poursuivre.", completed=True),
        by=world.pilot,
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.COMPLETED
    assert evaluation.started_on == timezone.localdate()
    steps = list(
        StatusChange.objects.filter(object_id=evaluation.pk).order_by("pk").values_list("from_status", "to_status")
    )
    assert steps == [("planned", "in_progress"), ("in_progress", "completed")]
    with pytest.raises(BusinessRuleError, match="Passage impossible"):
        services.evaluation_set_status(evaluation=evaluation, status=EvaluationStatus.PLANNED)


def test_the_report_is_an_attachment_of_an_accepted_type(world):
    evaluation = make_evaluation(world.contract)
    with pytest.raises(BusinessRuleError, match="type de fichier"):
        services.evaluation_record_findings(
            evaluation=evaluation,
            fields=services.FindingsFields(report_file=SimpleUploadedFile("rapport.exe", b"MZ")),
        )


def test_a_question_the_committee_decided_on_may_no_longer_be_deleted(world):
    question = make_question(make_evaluation(world.contract), objectives=[world.objective])
    decide(question, text="Le comité valide la question.")
    with pytest.raises(BusinessRuleError):
        services.question_delete(question=question)
    assert EvaluativeQuestion.objects.filter(pk=question.pk).exists()


# --- pages ------------------------------------------------------------------------------------------------------


def test_the_pilot_creates_edits_and_completes_an_evaluation_through_the_pages(client, world):
    owner = OrganizationFactory.create(name="Métropole du Val Fictif")
    client.force_login(world.pilot)
    response = client.post(
        url("evaluation_create", world.contract),
        {
            "kind": EvaluationKind.MID_TERM,
            "title": "Évaluation à mi-parcours 2027",
            "owner": owner.pk,
            "evaluator": "Cabinet Territoires Conseil",
            "planned_start_on": "2027-01-15",
            "planned_end_on": "2027-09-30",
            "budget": "45000",
        },
    )
    evaluation = Evaluation.objects.get(contract=world.contract)
    assert response.status_code == 302
    assert response["Location"] == url("evaluation_detail", world.contract, evaluation_id=evaluation.pk)
    assert evaluation.owner == owner and evaluation.budget == 45000

    # An end before the start is refused on its field, in French.
    response = client.post(
        url("evaluation_update", world.contract, evaluation_id=evaluation.pk),
        {
            "kind": EvaluationKind.MID_TERM,
            "title": "Évaluation à mi-parcours 2027",
            "planned_start_on": "2027-09-01",
            "planned_end_on": "2027-01-01",
            "status": EvaluationStatus.PLANNED,
        },
    )
    assert "La fin prévue de l&#x27;évaluation doit suivre son début prévu." in response.content.decode()
    response = client.post(
        url("evaluation_update", world.contract, evaluation_id=evaluation.pk),
        {
            "kind": EvaluationKind.MID_TERM,
            "title": "Évaluation à mi-parcours 2027-2028",
            "planned_start_on": "2027-01-15",
            "planned_end_on": "2028-01-31",
            "status": EvaluationStatus.IN_PROGRESS,
        },
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.title == "Évaluation à mi-parcours 2027-2028"
    assert evaluation.status == EvaluationStatus.IN_PROGRESS

    # A question on the contract's objective and indicator.
    response = client.post(
        url("question_create", world.contract, evaluation_id=evaluation.pk),
        {
            "text": "Le contrat a-t-il réduit le chômage des habitants ?",
            "pillar": pillar(world.contract, "developpement_economique").pk,
            "objectives": [world.objective.pk],
            "indicators": [world.indicator.pk],
        },
    )
    assert response.status_code == 302
    question = EvaluativeQuestion.objects.get(evaluation=evaluation)
    assert list(question.objectives.all()) == [world.objective]
    assert question.contract == world.contract
    response = client.post(
        url("question_update", world.contract, question_id=question.pk),
        {
            "text": "Le contrat a-t-il réduit le chômage des habitants des quartiers ?",
            "objectives": [world.objective.pk],
            "indicators": [world.indicator.pk],
            "answer": "Oui, de quatre points.",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Oui, de quatre points."

    # The findings close it, with the report.
    response = client.post(
        url("evaluation_findings", world.contract, evaluation_id=evaluation.pk),
        {
            "findings": "Le chômage des habitants recule plus vite que dans l'agglomération.",
            "recommendations": "Renforcer l'accompagnement des jeunes.",
            "report_file": SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 rapport"),
            "completed": "on",
        },
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.is_completed and evaluation.report_file
    page = html(client.get(url("evaluation_detail", world.contract, evaluation_id=evaluation.pk)))
    assert "Le chômage des habitants recule plus vite" in page
    assert "Oui, de quatre points." in page
    # The indicator's latest value against the objective's baseline and target.
    indicator_text = page.split('data-testid="question-indicator">')[1].split("</p>")[0].strip()
    assert indicator_text == "Taux de chômage des 15-64 ans : 21,5 % en 2024 (référence 25,0 %, cible 18,0 %)"
    download = client.get(url("evaluation_report", world.contract, evaluation_id=evaluation.pk))
    assert download.status_code == 200
    assert download.content == b"%PDF-1.4 rapport"

    response = client.post(url("question_delete", world.contract, question_id=question.pk))
    assert response.status_code == 302
    assert not EvaluativeQuestion.objects.filter(pk=question.pk).exists()


def test_the_question_form_refuses_an_objective_of_another_contract(client, world, other):
    evaluation = make_evaluation(world.contract)
    client.force_login(world.pilot)
    response = client.post(
        url("question_create", world.contract, evaluation_id=evaluation.pk),
        {"text": "Une question ?", "objectives": [other.objective.pk]},
    )
    assert response.status_code == 200
    assert not EvaluativeQuestion.objects.exists()
    assert "objectives" in response.context["form"].errors


def test_another_contracts_user_gets_404(client, world, other):
    evaluation = make_evaluation(other.contract)
    client.force_login(world.pilot)
    for response in (
        client.get(url("evaluation_list", other.contract)),
        client.get(url("evaluation_detail", other.contract, evaluation_id=evaluation.pk)),
        client.get(url("evaluation_create", other.contract)),
        # an evaluation of another contract through this contract's URL
        client.get(url("evaluation_detail", world.contract, evaluation_id=evaluation.pk)),
        client.get(url("evaluation_update", world.contract, evaluation_id=evaluation.pk)),
    ):
        assert response.status_code == 404


def test_members_read_every_evaluation_visitors_the_completed_ones_and_partners_do_not_edit(client, world):
    planned = make_evaluation(world.contract, title="Évaluation finale du contrat", kind=EvaluationKind.FINAL)
    completed = make_evaluation(world.contract, title="Évaluation à mi-parcours du contrat")
    services.evaluation_record_findings(
        evaluation=completed, fields=services.FindingsFields(findings="Des progrès.", completed=True)
    )
    page = html(client.get(url("evaluation_list", world.contract)))
    assert "Évaluation à mi-parcours du contrat" in page and "Évaluation finale du contrat" not in page
    assert client.get(url("evaluation_detail", world.contract, evaluation_id=planned.pk)).status_code == 404
    assert client.get(url("evaluation_create", world.contract)).status_code == 404

    partner = UserFactory.create()
    grant(world.contract, partner, Role.PARTNER)
    client.force_login(partner)
    page = html(client.get(url("evaluation_list", world.contract)))
    assert "Évaluation finale du contrat" in page and "Nouvelle évaluation" not in page
    assert client.get(url("evaluation_create", world.contract)).status_code == 403


def test_the_committee_validates_a_question_through_governance(client, world):
    evaluation = make_evaluation(world.contract)
    question = make_question(evaluation, objectives=[world.objective])
    meeting = copil_meeting(world.contract)
    client.force_login(world.pilot)
    page = html(client.get(url("evaluation_detail", world.contract, evaluation_id=evaluation.pk)))
    assert "non validée" in page
    response = client.post(
        url("evaluation_request_validation", world.contract, evaluation_id=evaluation.pk),
        {"target": f"question:{question.pk}", "meeting": meeting.pk},
    )
    assert response.status_code == 302
    assert f"cible=reporting.evaluativequestion%3A{question.pk}" in response["Location"]
    # The decision form offers the question, and its decision validates it.
    form = client.get(response["Location"])
    assert f"reporting.evaluativequestion:{question.pk}" in form.content.decode()
    client.post(
        response["Location"],
        {
            "target": f"reporting.evaluativequestion:{question.pk}",
            "verdict": Verdict.VALIDATED,
            "text": "Le comité de pilotage valide la question évaluative.",
        },
    )
    page = html(client.get(url("evaluation_detail", world.contract, evaluation_id=evaluation.pk)))
    assert "validée" in page and "non validée" not in page.split("Questions évaluatives")[1].split("Constats")[0]


def test_the_dashboard_panel_and_the_awaiting_item(client, world):
    today = timezone.localdate()
    evaluation = make_evaluation(
        world.contract, planned_start_on=today - timedelta(days=200), planned_end_on=today - timedelta(days=2)
    )
    question = make_question(evaluation, objectives=[world.objective])
    make_question(evaluation, text="Les jeunes accèdent-ils mieux à leurs droits ?")
    decide(question)
    client.force_login(world.pilot)
    panel = html(client.get(reverse("contracts:contract_home", kwargs={"contract_slug": world.contract.slug})))
    assert "2 questions évaluatives, dont 1 validée par le comité de pilotage et 1 non validée" in panel
    assert f"fin prévue de « {evaluation.title} » le {evaluation.planned_end_on:%d/%m/%Y}" in panel
    items = awaiting_findings(world.pilot)
    assert [item.key for item in items] == [f"reporting.evaluation.findings:{evaluation.pk}"]
    assert items[0].url == url("evaluation_findings", world.contract, evaluation_id=evaluation.pk)
    partner = UserFactory.create()
    grant(world.contract, partner, Role.PARTNER)
    assert awaiting_findings(partner) == []
    services.evaluation_record_findings(evaluation=evaluation, fields=services.FindingsFields(findings="Constats."))
    assert awaiting_findings(world.pilot) == []


# --- API --------------------------------------------------------------------------------------------------------


def test_the_api_lists_the_evaluations_with_the_same_visibility(client, world, other):
    planned = make_evaluation(world.contract, title="Évaluation finale", kind=EvaluationKind.FINAL)
    completed = make_evaluation(world.contract)
    make_question(completed, objectives=[world.objective], indicators=[world.indicator])
    services.evaluation_record_findings(
        evaluation=completed, fields=services.FindingsFields(findings="Des progrès.", completed=True)
    )
    path = f"/api/v1/contracts/{world.contract.pk}/evaluations"
    public = client.get(path).json()
    assert [item["id"] for item in public] == [completed.pk]
    question = public[0]["questions"][0]
    assert question["objectives"][0]["title"] == "Réduire le chômage des habitants"
    assert question["indicators"][0]["code"] == "DE-TEST"
    assert question["indicators"][0]["latest_value"] == 21.5
    client.force_login(world.pilot)
    assert {item["id"] for item in client.get(path).json()} == {planned.pk, completed.pk}
    assert client.get(f"/api/v1/contracts/{other.contract.pk}/evaluations").status_code == 404


# --- the outline section ----------------------------------------------------------------------------------------


def test_the_outline_section_tells_the_evaluations_owners_calendar_and_questions(world):
    owner = OrganizationFactory.create(name="Métropole du Val Fictif")
    evaluation = make_evaluation(world.contract, owner=owner, evaluator="Cabinet Territoires Conseil", budget=45000)
    make_question(
        evaluation,
        text="Le contrat a-t-il réduit le chômage ?",
        objectives=[world.objective],
        indicators=[world.indicator],
    )
    decide(evaluation, text="Le comité commande l'évaluation.")
    section = evaluation_outline_section(world.contract)
    assert section.title == SECTION_TITLE == "Modalités de suivi et d'évaluation"
    calendar = next(block for block in section.blocks if isinstance(block, Table))
    assert calendar.rows[0][:4] == (
        "Évaluation à mi-parcours du contrat",
        "évaluation à mi-parcours",
        "Métropole du Val Fictif (évaluateur externe : Cabinet Territoires Conseil)",
        "du 15/01/2027 au 30/09/2027",
    )
    assert calendar.rows[0][4] == "45\u202f000\u00a0€"
    assert calendar.rows[0][6].startswith("validé le ")
    [child] = section.sections
    assert child.title == "Évaluation à mi-parcours du contrat"
    facts = dict(next(block for block in child.blocks if isinstance(block, Facts)).items)
    assert facts["État"] == "prévue"
    questions = next(block for block in child.blocks if isinstance(block, Table))
    number, text, objectives, indicators, decision = questions.rows[0]
    assert (number, text, decision) == ("1", "Le contrat a-t-il réduit le chômage ?", "non soumise")
    assert objectives.startswith("3.1.1 Réduire le chômage des habitants (")
    assert " ".join(indicators.split()) == (
        "Taux de chômage des 15-64 ans : 21,5 % en 2024 (référence 25,0 %, cible 18,0 %)"
    )
    # Only the completed ones for a public page: none yet.
    public = evaluation_outline_section(world.contract, completed_only=True)
    assert [block.text for block in public.blocks if isinstance(block, Paragraph)][-1] == (
        "Aucune évaluation n'est encore programmée."
    )


# --- query counts -----------------------------------------------------------------------------------------------


def populate(size: int, pilot) -> tuple:
    world = World(name=f"Contrat {size}")
    grant(world.contract, pilot, Role.PILOT)
    meeting = copil_meeting(world.contract)
    objectives = [world.objective] + [
        make_objective(world.orientation, title=f"Objectif {index}", indicator=world.indicator, territory=world.qpv)
        for index in range(size)
    ]
    for index in range(size):
        evaluation = make_evaluation(world.contract, title=f"Évaluation {index}", owner=OrganizationFactory.create())
        decide(evaluation, meeting=meeting)
        for number in range(size):
            question = make_question(
                evaluation, text=f"Question {number}", objectives=objectives, indicators=[world.indicator]
            )
            decide(question, meeting=meeting)
        services.evaluation_record_findings(
            evaluation=evaluation, fields=services.FindingsFields(findings="Constats.", completed=True)
        )
    return world.contract, evaluation


@pytest.mark.parametrize("signed_in", [True, False])
@pytest.mark.query_count("reporting:evaluation_list", "reporting:evaluation_detail")
def test_the_evaluation_pages_run_a_constant_number_of_queries(client, signed_in, query_count):
    pilot = UserFactory.create()
    small = populate(1, pilot)
    large = populate(3, pilot)
    if signed_in:
        client.force_login(pilot)

    def pages(contract, evaluation) -> list[str]:
        return [
            url("evaluation_list", contract),
            url("evaluation_detail", contract, evaluation_id=evaluation.pk),
        ]

    for path in pages(*small):  # warm Django's content-type cache, as a running server has
        query_count.page(client, path)
    for small_path, large_path in zip(pages(*small), pages(*large), strict=True):
        assert query_count.page(client, small_path) == query_count.page(client, large_path), small_path


def test_a_report_whose_content_is_not_a_pdf_is_refused_and_not_stored(world):
    evaluation = make_evaluation(world.contract)
    with pytest.raises(BusinessRuleError, match=r"« rapport\.pdf » est refusé : c'est un script"):
        services.evaluation_record_findings(
            evaluation=evaluation,
            fields=services.FindingsFields(report_file=SimpleUploadedFile("rapport.pdf", b"#!/bin/sh\nid\n")),
        )
    evaluation.refresh_from_db()
    assert not evaluation.report_file
