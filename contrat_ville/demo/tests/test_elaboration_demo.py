"""The demo's participatory diagnostic, strategic tree and annual action plans (issue 5, part 9).

The demo is loaded once for the module (twice, to check that a reload adds no row), inside a transaction rolled back
at the end; the elaboration steps run after ``DEMO_STEPS`` whether or not it lists them yet.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from frictionless import Resource, Schema, validate

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract
from contrat_ville.core.models import ImportBatch
from contrat_ville.demo.context import DemoStep
from contrat_ville.demo.services import DEMO_STEPS, demo_load
from contrat_ville.demo.steps.diagnostic import CONSULTATION_TITLE, SECOND_ROUND_TITLE, step_diagnostic
from contrat_ville.demo.steps.funding import step_funding
from contrat_ville.demo.steps.strategy import step_strategy
from contrat_ville.demo.tests.test_seed_examples import SEED
from contrat_ville.diagnostic.enums import ConsultationStatus, FindingKind, StakeStatus
from contrat_ville.diagnostic.models import Consultation, DataSource, Finding, FindingEvidence, Stake, StakeVersion
from contrat_ville.funding.enums import ApplicationStatus
from contrat_ville.funding.models import Application, CallForProjects, CommitmentYear, Credit, FinalReport
from contrat_ville.funding.selectors import awaiting_drafts, contract_balance, credit_warnings, open_data_grants
from contrat_ville.governance.enums import BodyKind, PhaseStatus, PhaseStatusSource
from contrat_ville.governance.selectors.decisions import is_validated, latest_decision
from contrat_ville.governance.selectors.phases import phase_list
from contrat_ville.observation.enums import ObjectiveStatus
from contrat_ville.observation.models import IndicatorValue
from contrat_ville.participation.enums import OpinionVerdict
from contrat_ville.participation.models import Draw, Opinion
from contrat_ville.participation.services import draw_is_verified
from contrat_ville.strategy.enums import ActionPlanStatus, ActionStatus
from contrat_ville.strategy.models import Action, ActionPlan, Objective, Orientation
from contrat_ville.strategy.selectors import objective_states, plan_comparison

pytestmark = pytest.mark.django_db

TODAY = date(2026, 2, 10)
ELABORATION_STEPS = (
    DemoStep("diagnostic", "Diagnostic participatif", step_diagnostic),
    DemoStep("strategy", "Arbre stratégique et plans d'actions annuels", step_strategy),
    DemoStep("funding", "Engagements de droit commun des partenaires", step_funding),
)


def elaboration_steps() -> list[DemoStep]:
    """``DEMO_STEPS`` in their order (later steps — the annual report, the evaluation — read the strategy), then the
    elaboration steps it does not list."""
    keys = {step.key for step in DEMO_STEPS}
    return [*DEMO_STEPS, *(step for step in ELABORATION_STEPS if step.key not in keys)]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model is not ImportBatch and model._meta.app_label not in {"sessions", "axes"}
    }


@dataclass(frozen=True)
class LoadedDemo:
    first: dict[str, int]
    second: dict[str, int]


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[LoadedDemo]:
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load(today=TODAY, steps=elaboration_steps())
        first = row_counts()
        demo_load(today=TODAY, steps=elaboration_steps())
        yield LoadedDemo(first=first, second=row_counts())
        transaction.set_rollback(True)


@pytest.fixture
def contract(demo: LoadedDemo) -> Contract:
    return Contract.objects.get(slug="val-de-sorne-2024")


def copil_date(contract: Contract) -> date:
    stake = Stake.objects.filter(contract=contract, status=StakeStatus.RETAINED).first()
    assert stake is not None
    decision = latest_decision(stake)
    assert decision is not None
    return timezone.localtime(decision.meeting.starts_at).date()


def test_loading_twice_gives_the_same_rows(demo: LoadedDemo) -> None:
    assert demo.second == demo.first
    for label in (
        "diagnostic.DataSource",
        "diagnostic.Finding",
        "diagnostic.Stake",
        "diagnostic.StakeVersion",
        "diagnostic.Consultation",
        "participation.Opinion",
        "strategy.Orientation",
        "strategy.Objective",
        "strategy.Action",
        "strategy.ActionPlan",
        "strategy.ActionPlanItem",
        "governance.Decision",
        "core.StatusChange",
        "funding.MainstreamCommitment",
        "funding.CommitmentYear",
        "funding.HistoricalMainstreamCommitment",
        "funding.Credit",
        "funding.CallForProjects",
        "funding.Application",
        "funding.Review",
        "funding.FinalReport",
    ):
        assert demo.first[label] > 0, label


def test_each_pillar_has_its_inventory_findings_and_stakes(contract: Contract) -> None:
    qpvs = set(contract.qpvs.values_list("pk", flat=True))
    for pillar in contract.pillars.all():
        sources = DataSource.objects.filter(contract=contract, pillar=pillar)
        assert 4 <= sources.count() <= 6, pillar.code
        findings = Finding.objects.filter(contract=contract, pillar=pillar)
        assert {finding.kind for finding in findings} == {FindingKind.STRENGTH, FindingKind.HANDICAP}, pillar.code
        assert all(finding.data_sources.exists() for finding in findings), pillar.code
        territories = {finding.territory_id for finding in findings}
        assert None in territories and territories - {None} <= qpvs, pillar.code
        stakes = Stake.objects.filter(contract=contract, pillar=pillar)
        assert 3 <= stakes.count() <= 4, pillar.code
        for stake in stakes:
            assert stake.mainstream.exists() and stake.findings.exists(), stake.title
    # Every QPV of the contract has findings of its own.
    assert set(Finding.objects.filter(contract=contract).values_list("territory_id", flat=True)) >= qpvs
    # The observation step ran: findings cite indicator figures that exist (CS-08 brevet, DE-04 youth unemployment).
    evidence = FindingEvidence.objects.filter(finding__contract=contract).select_related("indicator")
    assert {"CS-08", "DE-04", "CS-02"} <= {item.indicator.code for item in evidence}
    for item in evidence:
        assert IndicatorValue.objects.filter(
            indicator=item.indicator, territory=item.territory, period=item.period
        ).exists()
    assert Stake.objects.filter(contract=contract, axes__code="jeunesse").exists()
    assert Stake.objects.filter(
        contract=contract, mainstream__organization__name__startswith="France Travail"
    ).exists()


def test_both_councils_gave_opinions_in_one_closed_consultation(contract: Contract) -> None:
    consultation = Consultation.objects.get(contract=contract, title=CONSULTATION_TITLE)
    assert consultation.status == ConsultationStatus.CLOSED
    assert set(consultation.councils.values_list("name", flat=True)) == {
        "Conseil citoyen des Hauts de Sorne",
        "Conseil citoyen du Pré-Vert",
    }
    assert consultation.stake_versions.count() == Stake.objects.filter(contract=contract).count()
    assert consultation.deadline < copil_date(contract)
    # The opinions on the stakes (the councils also give theirs on orientations, plans and the annual report).
    opinions = Opinion.objects.filter(
        contract=contract, content_type=ContentType.objects.get_for_model(StakeVersion)
    ).select_related("author", "council")
    assert {(opinion.author.email, opinion.council.name) for opinion in opinions} == {
        ("conseil@exemple.fr", "Conseil citoyen des Hauts de Sorne"),
        ("conseil2@exemple.fr", "Conseil citoyen du Pré-Vert"),
    }
    verdicts = Counter(opinion.verdict for opinion in opinions)
    assert set(verdicts) == set(OpinionVerdict.values)
    assert all(opinion.text for opinion in opinions if opinion.verdict != OpinionVerdict.AGREE)
    # Opinions stay on the version they were given on: version 1, the one submitted.
    versions = set(consultation.stake_versions.values_list("pk", flat=True))
    assert set(opinions.values_list("object_id", flat=True)) <= versions


def test_stakes_are_redefined_after_the_opinions_then_decided_by_the_copil(contract: Contract) -> None:
    stakes = list(Stake.objects.filter(contract=contract).prefetch_related("versions"))
    redefined = [stake for stake in stakes if stake.version == 2]
    assert len(redefined) >= 4
    for stake in redefined:
        (first, second) = sorted(stake.versions.all(), key=lambda version: version.number)
        assert second.reason and second.title == stake.title != first.title
        assert Opinion.objects.filter(object_id=first.pk).exists()
    duplicates = [stake for stake in stakes if stake.duplicate_of_id]
    assert len(duplicates) == 1
    assert duplicates[0].status == StakeStatus.REJECTED
    assert duplicates[0].duplicate_of.status == StakeStatus.RETAINED
    statuses = Counter(stake.status for stake in stakes)
    # The redefined stake the committee has not decided on is submitted again (second round, open today).
    assert statuses == {StakeStatus.RETAINED: 8, StakeStatus.REJECTED: 1, StakeStatus.SUBMITTED: 1}
    for stake in stakes:
        decision = latest_decision(stake)
        if stake.status == StakeStatus.RETAINED:
            assert is_validated(stake), stake.title
        if decision is not None:
            assert decision.meeting.body.kind == BodyKind.STEERING_COMMITTEE
            assert decision.meeting.starts_at < timezone.now()
            assert timezone.localtime(decision.meeting.starts_at).date() <= TODAY
        else:
            assert stake.status == StakeStatus.SUBMITTED and stake.version == 2


def test_orientations_are_validated_by_the_copil_except_one_awaiting_its_next_meeting(contract: Contract) -> None:
    orientations = list(Orientation.objects.filter(contract=contract).select_related("pillar"))
    by_pillar = Counter(orientation.pillar.code for orientation in orientations)
    assert set(by_pillar) == set(SEED) and all(2 <= count <= 3 for count in by_pillar.values())
    pending = [orientation.code for orientation in orientations if not is_validated(orientation)]
    assert pending == ["3.3"]
    for orientation in orientations:
        assert orientation.stakes.exists(), orientation.title
        if orientation.code != "3.3":
            assert all(stake.status == StakeStatus.RETAINED for stake in orientation.stakes.all())


def test_objectives_have_an_indicator_a_territory_a_baseline_and_a_target(contract: Contract) -> None:
    objectives = Objective.objects.filter(orientation__contract=contract).select_related("indicator", "territory")
    assert objectives.count() >= 9
    for objective in objectives:
        assert objective.indicator_id or objective.indicator_text, objective.title
        assert objective.territory is not None, objective.title
        assert None not in (objective.baseline_value, objective.baseline_year, objective.target_value)
        assert objective.target_year == contract.end_on.year
        assert objective.actions.exists(), objective.title
    catalogue = {objective.indicator.code for objective in objectives if objective.indicator}
    assert {"CS-08", "CV-06", "DE-04"} <= catalogue
    brevet = objectives.get(indicator__code="CS-08")
    latest = IndicatorValue.objects.filter(indicator__code="CS-08", territory=brevet.territory).order_by("-period")[0]
    assert (brevet.baseline_year, brevet.baseline_value) == (latest.period, round(latest.value, 1))
    assert brevet.baseline_value is not None
    assert brevet.target_value == pytest.approx(brevet.baseline_value + 8)
    assert "« x % » vaut 8 points" in brevet.description
    young_women = objectives.get(title=SEED["developpement_economique"][1])
    assert young_women.baseline_value is not None
    assert young_women.target_value == pytest.approx(young_women.baseline_value * 0.8, abs=0.1)
    assert "« x % » vaut 20" in young_women.description
    # Figures recorded by the working groups put some objectives on their trajectory, others behind it.
    states = objective_states(objectives, contract=contract, access=None)
    assert {ObjectiveStatus.ON_TRACK, ObjectiveStatus.LATE} <= {state.status for state in states.values()}


def test_actions_have_their_lead_partners_qpvs_axes_status_and_progress(contract: Contract) -> None:
    actions = list(Action.objects.filter(objective__orientation__contract=contract).prefetch_related("qpvs"))
    assert len(actions) >= 15
    for action in actions:
        assert action.lead_organization_id and action.start_on and action.end_on, action.title
        assert action.partners.exists() and action.qpvs.exists(), action.title
    statuses = Counter(action.status for action in actions)
    assert set(statuses) == set(ActionStatus.values)
    assert any(0 < action.progress < 100 for action in actions)
    titles = " ".join(action.title.lower() for action in actions)
    for words in ("correspondants de nuit", "médiation sociale", "réussite éducative", "emplois d'avenir"):
        assert words in titles, words
    assert "entrepreneuriat" in titles and "crèche" in titles


def test_two_yearly_plans_last_validated_this_one_in_draft_with_every_kind_of_change(contract: Contract) -> None:
    validated, draft = ActionPlan.objects.filter(contract=contract).order_by("year")
    assert (validated.status, draft.status) == (ActionPlanStatus.VALIDATED, ActionPlanStatus.DRAFT)
    assert draft.year == validated.year + 1 and draft.previous == validated
    assert validated.year == copil_date(contract).year
    decision = latest_decision(validated)
    assert decision is not None and is_validated(validated)
    comparison = plan_comparison(plan=draft)
    assert comparison.previous_year == validated.year
    assert {entry.label for entry in comparison.added} == {
        "1.1.1.d Café des parents et ateliers de français au collège des Hauts de Sorne",
        "3.3.1.a Plateforme de mobilité : auto-école sociale et location de deux-roues",
    }
    assert comparison.changed and comparison.carried_over
    assert {entry.label.split()[0]: entry.reason for entry in comparison.stopped} == {
        "1.1.1.c": f"absente du plan {draft.year}",
        "2.1.1.d": f"abandonnée dans le plan {draft.year}",
    }
    assert all(item.carried_over for item in draft.items.exclude(action__code__in=["1.1.1.d", "3.3.1.a"]))
    # The validated plan keeps the state its actions had when the committee validated it.
    frozen = validated.items.get(action__code="1.1.1.c")
    assert frozen.snapshot["status"] == ActionStatus.PLANNED
    assert frozen.action.status == ActionStatus.DONE


def test_the_seed_examples_are_in_the_demo_word_for_word(contract: Contract) -> None:
    for pillar_code, (orientation_title, objective_title, action_title) in SEED.items():
        orientation = Orientation.objects.get(contract=contract, pillar__code=pillar_code, title=orientation_title)
        assert is_validated(orientation)
        objective = orientation.objectives.get(title=objective_title)
        assert objective.actions.filter(title=action_title).exists()
        assert objective.actions.get(title=action_title).plan_items.filter(plan__status="validated").exists()


def test_phases_follow_the_data(contract: Contract) -> None:
    """3.1 done (first debate closed), 3 in progress (one redefined stake is debated again in a second round),
    3.2 open (orientation 3.3 awaits the committee), 4 not done (a yearly plan is validated but the contract, in
    preparation, is not signed yet): governance's phase rules computed from the demo's data."""
    views = {view.phase.code: view for view in phase_list(contract=contract, today=TODAY)}
    assert (views["3.1"].status, views["3.1"].source) == (PhaseStatus.DONE, PhaseStatusSource.RULE)
    assert (views["4"].status, views["4"].source) == (PhaseStatus.TODO, PhaseStatusSource.RULE)
    assert views["3"].status != PhaseStatus.DONE
    assert (views["3.2"].status, views["3.2"].source) == (PhaseStatus.TODO, PhaseStatusSource.RULE)


def test_the_published_contract_has_a_public_validated_tree_and_plan(demo: LoadedDemo) -> None:
    contract = Contract.objects.get(slug="coteaux-orbe-2024")
    orientations = list(Orientation.objects.filter(contract=contract))
    assert len(orientations) == 3 and all(is_validated(orientation) for orientation in orientations)
    assert all(orientation.objectives.get().actions.count() == 1 for orientation in orientations)
    # Baselines of the year before the signature; the later figures of the observation data measure the progress.
    objectives = list(Objective.objects.filter(orientation__contract=contract).select_related("indicator"))
    assert all(objective.baseline_year is not None and objective.baseline_year <= 2023 for objective in objectives)
    states = objective_states(objectives, contract=contract, access=None)
    assert sum(state.status != ObjectiveStatus.UNKNOWN for state in states.values()) == 2  # CS-08, DE-04
    plan = ActionPlan.objects.get(contract=contract)
    assert (plan.year, plan.status) == (2024, ActionPlanStatus.VALIDATED)
    decision = latest_decision(plan)
    assert decision is not None and decision.is_published
    assert contract.signed_on is not None and decision.meeting.starts_at.date() < contract.signed_on

    response = Client().get(reverse("strategy:tree", kwargs={"contract_slug": contract.slug}))
    assert response.status_code == 200
    text = " ".join(unescape(response.content.decode()).split())
    for orientation in orientations:
        assert orientation.title in text
    assert "non validée par le comité de pilotage" not in text
    response = Client().get(
        reverse("strategy:plan_detail", kwargs={"contract_slug": contract.slug, "plan_id": plan.pk})
    )
    assert response.status_code == 200


def test_reloading_another_month_adds_nothing(demo: LoadedDemo, contract: Contract) -> None:
    """Governance's meetings move with the month of the load; the elaboration keeps its rows and its years."""
    years = list(ActionPlan.objects.filter(contract=contract).order_by("year").values_list("year", flat=True))
    demo_load(today=date(2026, 3, 10), steps=elaboration_steps())
    counts = row_counts()
    for label, count in demo.first.items():
        if label.split(".")[0] in {"diagnostic", "participation", "strategy", "funding"} or label in {
            "governance.Decision",
            "core.StatusChange",
        }:
            assert counts[label] == count, label
    assert list(ActionPlan.objects.filter(contract=contract).order_by("year").values_list("year", flat=True)) == years
    assert Consultation.objects.get(contract=contract, title=CONSULTATION_TITLE).deadline < copil_date(contract)


def test_the_pages_of_the_elaboration_show_the_demo(contract: Contract) -> None:
    pilot = Client()
    pilot.force_login(User.objects.get(email="pilote@exemple.fr"))
    draft = ActionPlan.objects.get(contract=contract, status=ActionPlanStatus.DRAFT)
    consultation = Consultation.objects.get(contract=contract, title=CONSULTATION_TITLE)
    slug = {"contract_slug": contract.slug}
    pages = {
        reverse("diagnostic:overview", kwargs=slug): "Diagnostic participatif",
        reverse("diagnostic:stake_list", kwargs=slug): "non validé par le comité de pilotage",
        reverse("diagnostic:synthesis", kwargs=slug): "L'accès aux services publics de proximité",
        reverse("diagnostic:consultation_detail", kwargs={**slug, "consultation_id": consultation.pk}): (
            "Le permis de conduire coûte trop cher pour les jeunes du quartier."
        ),
        reverse("strategy:tree", kwargs=slug): "non validée par le comité de pilotage",
        reverse("strategy:plan_detail", kwargs={**slug, "plan_id": draft.pk}): "Plateforme de mobilité",
        reverse("strategy:plan_compare", kwargs={**slug, "plan_id": draft.pk}): "abandonnée dans le plan",
    }
    for url, expected in pages.items():
        response = pilot.get(url)
        assert response.status_code == 200, url
        assert expected in " ".join(unescape(response.content.decode()).split()), url
    council = Client()
    council.force_login(User.objects.get(email="conseil2@exemple.fr"))
    response = council.get(
        reverse("diagnostic:consultation_detail", kwargs={**slug, "consultation_id": consultation.pk})
    )
    assert response.status_code == 200
    second_round = Consultation.objects.get(contract=contract, title=SECOND_ROUND_TITLE)
    assert second_round.status == ConsultationStatus.OPEN and second_round.deadline > TODAY
    assert not Opinion.objects.filter(object_id__in=second_round.stake_versions.values("pk")).exists()


def test_six_partners_commit_money_and_people_over_two_years_partly_realised(contract: Contract) -> None:
    balance = contract_balance(contract=contract, today=TODAY)
    assert balance.partner_count == 6
    units = {totals.unit for totals in balance.by_unit}
    assert {"euros", "personnes"} <= units
    first_year = contract.start_on.year
    years = set(CommitmentYear.objects.filter(commitment__contract=contract).values_list("year", flat=True))
    assert years == {first_year, first_year + 1}
    realised = CommitmentYear.objects.filter(commitment__contract=contract, year=first_year)
    assert realised.filter(realised__isnull=False).exists() and realised.filter(realised__isnull=True).exists()
    euros = next(totals for totals in balance.by_unit if totals.unit == "euros")
    assert euros.rate is not None and 0 < euros.rate < 1
    # The published contract's partners are followed too, one of them still owing a figure.
    coteaux = Contract.objects.get(slug="coteaux-orbe-2024")
    assert [
        item.commitment.partner.acronym or item.commitment.partner.name
        for item in contract_balance(contract=coteaux, today=TODAY).awaiting
    ] == ["Conseil départemental du Val-de-Sorne"]


def test_specific_credits_and_the_adultes_relais_posts_of_the_anct(contract: Contract) -> None:
    credits = Credit.objects.filter(contract=contract)
    assert credits.filter(programme="p147", post_id="").count() >= 3
    posts = credits.filter(programme="adultes_relais")
    assert posts.count() == 3 and {post.year for post in posts} == {TODAY.year}
    assert Credit.objects.filter(contract__slug="coteaux-orbe-2024", programme="adultes_relais").count() == 1
    batch = ImportBatch.objects.filter(importer="p147_posts").latest("pk")
    assert any("CV963 absent de la plateforme" in item for item in batch.ignored)
    assert any("sans code de contrat" in item for item in batch.ignored)
    # The droit commun first: the business-creation credits serve an objective no partner commits to.
    warnings = credit_warnings(list(credits.select_related("objective", "action")))
    assert any("3.2.1" in credit.objective.code for credit in credits if credit.pk in warnings and credit.objective)


def test_a_published_draw_that_verifies_and_a_draft(contract: Contract) -> None:
    draws = {draw.title: draw for draw in Draw.objects.filter(council__contract=contract)}
    published_draw, draft = (
        draws["Renouvellement du collège des habitants"],
        draws["Sièges vacants du collège des habitants"],
    )
    assert published_draw.is_published and not draft.is_published and not draft.fingerprint
    assert draw_is_verified(published_draw)
    [replacement] = published_draw.replacements.all()
    substitutes = dict(published_draw.result["colleges"]["residents"]["substitutes"])
    seated = dict(published_draw.result["colleges"]["residents"]["seated"])
    assert substitutes[replacement.substitute] == seated[replacement.leaving]  # same sex: parity holds
    assert draft.quotas == [
        {"college": "residents", "feature": "age_band", "value": "18_25", "minimum": 1, "maximum": 2}
    ]


def test_last_years_call_is_programmed_and_followed_this_years_is_open(contract: Contract) -> None:
    calls = list(CallForProjects.objects.filter(contract=contract).order_by("year"))
    assert [(call.year, call.status) for call in calls] == [(TODAY.year - 1, "programmed"), (TODAY.year, "open")]
    applications = Application.objects.filter(contract=contract)
    assert applications.filter(call=calls[0]).count() == 25 and applications.count() == 28
    assert set(applications.values_list("status", flat=True)) == set(ApplicationStatus.values)
    # Last year's call went through every status a programmed call holds; its final reports count the
    # beneficiaries by sex, age band and residence in a QPV, and the realised budget.
    assert set(applications.filter(call=calls[0]).values_list("status", flat=True)) == {
        ApplicationStatus.DRAFT,
        ApplicationStatus.PROGRAMMED,
        ApplicationStatus.REFUSED,
        ApplicationStatus.AGREEMENT_SIGNED,
        ApplicationStatus.PAID,
        ApplicationStatus.REPORT_RECEIVED,
    }
    reports = FinalReport.objects.filter(application__call=calls[0])
    assert reports.count() == 7
    for report in reports:
        assert report.women + report.men == (
            report.age_under_16 + report.age_16_25 + report.age_26_64 + report.age_65_plus
        )
        assert 0 < report.qpv_residents <= report.beneficiaries and report.realised_budget
    assert reports.exclude(realised_budget=F("application__total_budget")).count() == 3
    # The steering committee's decision on last year's programme programmed what the instruction proposed.
    assert latest_decision(calls[0]) is not None
    # The demo's association account follows its own applications, of both years.
    association = User.objects.get(email="association@exemple.fr")
    mine = applications.filter(organization=association.organization)
    assert {application.call.year for application in mine} == {TODAY.year - 1, TODAY.year}
    assert mine.filter(status=ApplicationStatus.DRAFT).exists()


def test_the_demo_grants_are_open_data_and_what_awaits_the_demo_accounts(contract: Contract) -> None:
    last, _current = CallForProjects.objects.filter(contract=contract).order_by("year")
    grants = open_data_grants(calls=[last])
    assert grants.missing == [] and len(grants.grants) > 20
    pilot = Client()
    pilot.force_login(User.objects.get(email="pilote@exemple.fr"))
    csv_file = pilot.get(reverse("funding_calls:call_open_data_csv", args=[contract.slug, last.pk]))
    assert csv_file.status_code == 200
    schema_path = Path(__file__).parents[2] / "funding" / "tests" / "fixtures" / "scdl-subventions-2.1.1.schema.json"
    schema = Schema.from_descriptor(json.loads(schema_path.read_text(encoding="utf-8")))
    report = validate(Resource(source=csv_file.content, format="csv", encoding="utf-8", schema=schema))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])

    def awaiting(email: str) -> str:
        client = Client()
        client.force_login(User.objects.get(email=email))
        return unescape(client.get(reverse("awaiting")).content.decode())

    assert "Comptes rendus à transmettre" in awaiting("association@exemple.fr")
    assert "Avis techniques demandés" in awaiting("partenaire@exemple.fr")
    assert "Dossiers déposés à instruire" in awaiting("pilote@exemple.fr")
    # The drafts at the demo's date (the open call's deadline is after it; the real today may be later).
    association = User.objects.get(email="association@exemple.fr")
    drafts = [draft.title for draft in awaiting_drafts(user=association, today=TODAY)]
    assert drafts == ["Aide aux devoirs au Pré-Vert"]


def test_the_pages_of_the_calls_show_the_demo(contract: Contract) -> None:
    last, current = CallForProjects.objects.filter(contract=contract).order_by("year")
    association = Client()
    association.force_login(User.objects.get(email="association@exemple.fr"))
    mine = association.get(reverse("funding_calls:my_applications", args=[contract.slug]))
    assert mine.status_code == 200 and "Aide aux devoirs au Pré-Vert" in mine.content.decode()
    assert "Correspondants de nuit" not in mine.content.decode()  # another association's
    reviewer = Client()
    reviewer.force_login(User.objects.get(email="partenaire@exemple.fr"))
    review = reviewer.get(reverse("funding_calls:call_review", args=[contract.slug, current.pk]))
    assert review.status_code == 200 and "Jobs d&#x27;été des 16-25 ans" in review.content.decode()
    pilot = Client()
    pilot.force_login(User.objects.get(email="pilote@exemple.fr"))
    programme = pilot.get(reverse("funding_calls:call_programme", args=[contract.slug, last.pk])).content.decode()
    assert "Correspondants de nuit" in programme and "Festival des quartiers" not in programme
    assert pilot.get(reverse("funding_calls:financial_annex", args=[contract.slug])).status_code == 200


def test_next_years_plan_is_submitted_to_both_councils(contract: Contract) -> None:
    plan = ActionPlan.objects.filter(contract=contract).order_by("-year").first()
    assert plan is not None
    consultation = Consultation.objects.get(
        contract=contract, title=f"Avis des conseils citoyens sur le plan d'actions {plan.year}"
    )
    assert consultation.status == ConsultationStatus.OPEN
    assert consultation.deadline == TODAY + timedelta(days=30)
    assert consultation.councils.count() == 2
    assert [(item.kind, item.target_id) for item in consultation.items.all()] == [("strategy.actionplan", plan.pk)]
