"""The seed's three worked examples (seed 004, « Exemples de déclinaison orientation/objectif/plan d'actions »), word
for word: built pillar → orientation → objective → action through the services on a fresh contract, shown as the
example rows of the strategy's import template, and present in the demo even when no indicator value was loaded.

``SEED`` is the one copy of the seed's words in the tests (``test_elaboration_demo`` reads it from here)."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import User
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.demo.services import DEMO_STEPS, demo_load
from contrat_ville.demo.steps.strategy import SEED_EXAMPLES as DEMO_SEED_EXAMPLES
from contrat_ville.diagnostic.models import FindingEvidence
from contrat_ville.governance.enums import AttendanceStatus, BodyKind, MemberRole, Verdict
from contrat_ville.governance.models import BodyMember, Meeting
from contrat_ville.governance.selectors.decisions import is_validated
from contrat_ville.governance.services.bodies import body_create, body_member_add
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.governance.services.meetings import attendance_record, meeting_schedule
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.observation.services import catalogue_load
from contrat_ville.strategy import selectors, services
from contrat_ville.strategy.enums import ActionPlanStatus
from contrat_ville.strategy.models import Objective, Orientation

pytestmark = pytest.mark.django_db

# Copied from seed 004 (lines « Orientation stratégique », « Objectif opérationnel », « Plan d'actions »).
SEED = {
    "cohesion_sociale": (
        "Améliorer le taux de réussite des élèves des quartiers prioritaires au brevet des collèges",
        "Faire progresser le taux de réussite au brevet des collèges de x%",
        "Mobiliser ou réorienter les dispositifs de droit commun existants et/ou les dispositifs spécifiques (PRE...) "
        "sur des établissements ciblés",
    ),
    "cadre_de_vie": (
        "Améliorer la sécurité des habitants",
        "Réduire les incivilités dans les halls d'immeuble",
        "Mettre en place des correspondants de nuit, des mesures de médiation sociale",
    ),
    "developpement_economique": (
        "Réduire le taux de chômage des jeunes des quartiers",
        "Réduire de x% le taux de chômage des jeunes femmes",
        "Mobiliser ou réorienter les dispositifs emplois d'avenir, écoles de l'entrepreneuriat, renforcer les modes "
        "de garde des jeunes enfants",
    ),
}
# The catalogue indicator each example's objective is measured with, where one fits.
INDICATORS = {"cohesion_sociale": "CS-08", "cadre_de_vie": "CV-06", "developpement_economique": "DE-04"}


def test_the_demo_uses_the_seed_words() -> None:
    assert {row[0]: row[1:] for row in DEMO_SEED_EXAMPLES} == SEED


@pytest.fixture
def contract() -> Contract:
    return make_contract(name="Contrat de ville des exemples de la note de cadrage")


def test_the_import_template_shows_the_seed_words(client: Client, contract: Contract) -> None:
    """The example rows of the strategy's import template: one per example, across its three sheets."""
    pilot = UserFactory.create()
    grant(contract, pilot, Role.PILOT)
    client.force_login(pilot)
    response = client.get(reverse("strategy:import_template", kwargs={"contract_slug": contract.slug}))
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    orientations, objectives, actions = (
        list(workbook[sheet].iter_rows(min_row=2, values_only=True))
        for sheet in ("Orientations", "Objectifs", "Actions")
    )
    examples = zip(orientations, objectives, actions, strict=True)
    assert {
        orientation[1]: (orientation[2], objective[2], action[2]) for orientation, objective, action in examples
    } == SEED


def held_steering_meeting(contract: Contract, by: User) -> Meeting:
    """A steering committee and its meeting that started an hour ago, through governance's services."""
    committee = body_create(contract=contract, kind=BodyKind.STEERING_COMMITTEE, by=by)
    organization = OrganizationFactory.create(kind=OrganizationKind.LOCAL_AUTHORITY)
    body_member_add(body=committee, organization=organization, role=MemberRole.CO_CHAIR, user=by, by=by)
    starts_at = timezone.now() - timedelta(hours=1)
    meeting = meeting_schedule(
        body=committee, title="Comité de pilotage", starts_at=starts_at, location="Hôtel de communauté", by=by
    )
    seats = BodyMember.objects.filter(body=committee).values_list("pk", flat=True)
    attendance_record(meeting=meeting, entries=dict.fromkeys(seats, (AttendanceStatus.PRESENT, "")), by=by)
    return meeting


@pytest.mark.parametrize("pillar_code", list(SEED))
def test_each_example_builds_pillar_orientation_objective_action_through_the_services(
    contract: Contract, pillar_code: str
) -> None:
    orientation_title, objective_title, action_title = SEED[pillar_code]
    pilot = UserFactory.create()
    grant(contract, pilot, Role.PILOT)
    catalogue_load()
    meeting = held_steering_meeting(contract, pilot)
    pillar = Pillar.objects.get(contract=contract, code=pillar_code)

    orientation = services.orientation_create(contract=contract, pillar=pillar, title=orientation_title, by=pilot)
    decision_record(
        meeting=meeting,
        verdict=Verdict.VALIDATED,
        text="Le comité de pilotage valide l'orientation.",
        target=orientation,
        by=pilot,
    )
    objective = services.objective_create(
        orientation=orientation,
        fields=services.ObjectiveFields(
            title=objective_title,
            indicator=Indicator.objects.get(code=INDICATORS[pillar_code]),
            territory=contract.epci,
            baseline_value=40.0,
            baseline_year=2024,
            target_value=32.0,
            target_year=2030,
        ),
        by=pilot,
    )
    action = services.action_create(
        objective=objective, fields=services.ActionFields(title=action_title, start_on=date(2025, 1, 1)), by=pilot
    )
    plan = services.action_plan_create(contract=contract, year=2025, actions=[action], by=pilot)
    decision_record(
        meeting=meeting,
        verdict=Verdict.VALIDATED,
        text="Le comité de pilotage valide le plan d'actions 2025.",
        target=plan,
        by=pilot,
    )

    stored = Orientation.objects.get(pk=orientation.pk)
    assert (stored.pillar.code, stored.title) == (pillar_code, orientation_title)
    assert is_validated(stored)
    stored_objective = stored.objectives.get()
    assert stored_objective.title == objective_title
    assert stored_objective.actions.get().title == action_title
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.VALIDATED
    assert plan.items.get().snapshot["title"] == action_title
    (node,) = selectors.strategy_tree(contract=contract, access=None).orientations
    assert (node.orientation.title, node.is_validated) == (orientation_title, True)
    assert node.objectives[0].objective.title == objective_title
    assert node.objectives[0].actions[0].title == action_title


def test_the_demo_holds_the_examples_even_without_indicator_values() -> None:
    """Without the observation step, objectives take the demo's plausible baselines and findings cite no figure."""
    steps = [step for step in DEMO_STEPS if step.key != "observation"]
    demo_load(today=date(2026, 2, 10), steps=steps)
    assert not IndicatorValue.objects.exists()
    assert not FindingEvidence.objects.exists()
    contract = Contract.objects.get(slug="val-de-sorne-2024")
    for pillar_code, (orientation_title, objective_title, action_title) in SEED.items():
        orientation = Orientation.objects.get(contract=contract, pillar__code=pillar_code, title=orientation_title)
        assert is_validated(orientation)
        objective = orientation.objectives.get(title=objective_title)
        assert objective.actions.filter(title=action_title).exists()
    brevet = Objective.objects.get(orientation__contract=contract, indicator__code="CS-08")
    assert (brevet.baseline_value, brevet.baseline_year, brevet.target_value) == (76.7, 2024, 84.7)
