"""The demo's mid-term evaluation (issue 12 §5): three evaluative questions validated by the steering committee,
linked to real objectives and indicators of the Val de Sorne tree; loading twice adds no row."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract
from contrat_ville.demo.services import DEMO_STEPS, demo_load
from contrat_ville.governance.selectors.decisions import is_validated
from contrat_ville.reporting.models import Evaluation, EvaluativeQuestion

pytestmark = pytest.mark.django_db

TODAY = date(2026, 2, 10)
NEEDED = {"reference_data", "organizations", "contracts", "accounts", "governance", "observation", "diagnostic"}
NEEDED |= {"strategy", "evaluation"}


@dataclass(frozen=True)
class Loaded:
    first: tuple[int, int]
    second: tuple[int, int]
    evaluation_seconds: float


def _counts() -> tuple[int, int]:
    return Evaluation.objects.count(), EvaluativeQuestion.objects.count()


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Loaded]:
    steps = [step for step in DEMO_STEPS if step.key in NEEDED]
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load(today=TODAY, steps=steps)
        first = _counts()
        started = time.perf_counter()
        demo_load(today=TODAY, steps=[step for step in steps if step.key in {"evaluation"}])
        yield Loaded(first=first, second=_counts(), evaluation_seconds=time.perf_counter() - started)
        transaction.set_rollback(True)


def test_the_mid_term_evaluation_and_its_three_validated_questions(demo: Loaded) -> None:
    assert demo.first == demo.second == (1, 3)
    assert demo.evaluation_seconds < 5
    contract = Contract.objects.get(slug="val-de-sorne-2024")
    evaluation = Evaluation.objects.get(contract=contract)
    assert evaluation.get_kind_display() == "évaluation à mi-parcours"
    assert evaluation.owner is not None and evaluation.budget == 45000
    assert evaluation.planned_start_on.year == contract.start_on.year + 3
    assert is_validated(evaluation)
    questions = list(evaluation.questions.order_by("order"))
    assert [question.pillar.code for question in questions if question.pillar] == [
        "developpement_economique",
        "cohesion_sociale",
        "cohesion_sociale",
    ]
    assert all(is_validated(question) for question in questions)
    assert [sorted(objective.code for objective in question.objectives.all()) for question in questions] == [
        ["3.1.1", "3.1.2"],
        ["1.2.1", "1.2.2"],
        ["1.1.1", "3.1.2"],
    ]
    assert [sorted(indicator.code for indicator in question.indicators.all()) for question in questions] == [
        ["DE-04"],
        [],
        ["CS-08", "DE-04"],
    ]


def test_the_pilot_reads_the_evaluation_page_of_the_demo(demo: Loaded) -> None:
    client = Client()
    client.force_login(User.objects.get(email="pilote@exemple.fr"))
    response = client.get(reverse("reporting:evaluation_list", kwargs={"contract_slug": "val-de-sorne-2024"}))
    assert response.status_code == 200
    page = " ".join(unescape(response.content.decode()).split())
    assert "Évaluation à mi-parcours du contrat de ville du Val de Sorne" in page
    assert "3 sur 3" in page
    assert "non-recours aux droits" in page
