"""The demo's conseils citoyens (issue 11 §8): an association with statutes and an informal collective, with
members in both colleges, registered on the councils the bodies seat and the diagnostic consults."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from contrat_ville.accounts.models import User
from contrat_ville.demo.services import DEMO_STEPS, demo_load
from contrat_ville.participation.enums import College
from contrat_ville.participation.models import CitizenCouncil, CouncilMember, CouncilSurvey, SurveyCampaign
from contrat_ville.participation.selectors import council_rows, state_of_play

pytestmark = pytest.mark.django_db

TODAY = date(2026, 2, 10)
STEPS = [step for step in DEMO_STEPS if step.key in {"reference_data", "organizations", "contracts", "accounts"}] + [
    step for step in DEMO_STEPS if step.key == "participation"
]


def test_two_councils_with_members_in_both_colleges():
    demo_load(today=TODAY, steps=STEPS)
    rows = {
        row.council.name: row for row in council_rows(contract=CitizenCouncil.objects.first().contract, today=TODAY)
    }
    assert set(rows) == {"Conseil citoyen des Hauts de Sorne", "Conseil citoyen du Pré-Vert"}
    hauts = rows["Conseil citoyen des Hauts de Sorne"]
    assert hauts.council.get_legal_form_display() == "association loi 1901"
    assert hauts.council.statutes.startswith("Article 1")
    assert hauts.council.status == "renewed"
    assert hauts.council.organization.users.get().email == "conseil@exemple.fr"
    assert [qpv.code for qpv in hauts.council.qpvs.all()] == ["QN09603N"]
    pre_vert = rows["Conseil citoyen du Pré-Vert"]
    assert pre_vert.council.legal_form == "collective"
    assert pre_vert.council.organization.users.get().email == "conseil2@exemple.fr"
    for row in rows.values():
        assert all(college.total > 0 for college in row.composition.colleges), row.council.name
        assert row.composition.residents.college == College.RESIDENTS
    assert (hauts.composition.total, hauts.composition.former) == (9, 1)
    assert ("Mamadou Diallo", "collège des habitants") in hauts.public_names
    assert "Inès Moreau" not in [name for name, _ in hauts.public_names]  # a name, but not to publish


def test_the_step_is_idempotent():
    demo_load(today=TODAY, steps=STEPS)
    counts = (CitizenCouncil.objects.count(), CouncilMember.objects.count(), CitizenCouncil.history.count())
    demo_load(today=TODAY, steps=STEPS)
    assert (CitizenCouncil.objects.count(), CouncilMember.objects.count(), CitizenCouncil.history.count()) == counts


SURVEY_STEPS = [*STEPS, next(step for step in DEMO_STEPS if step.key == "council_surveys")]


def test_the_region_s_resource_centre_ran_two_years_of_questionnaires_one_still_awaited():
    demo_load(today=TODAY, steps=SURVEY_STEPS)
    centre = User.objects.get(email="ressources@exemple.fr")
    assert centre.organization.region_code == "84"
    campaigns = {campaign.year: campaign for campaign in SurveyCampaign.objects.all()}
    assert set(campaigns) == {2025, 2026}
    this_year = {survey.council.name: survey.status for survey in campaigns[2026].surveys.select_related("council")}
    assert this_year == {"Conseil citoyen des Hauts de Sorne": "submitted", "Conseil citoyen du Pré-Vert": "draft"}
    state = state_of_play(region_code="84", today=TODAY)
    assert [line.council_name for line in state.states] == [
        "Conseil citoyen des Hauts de Sorne",
        "Conseil citoyen du Pré-Vert",
    ]
    assert state.states[0].survey_year == 2026 and state.states[1].survey_year is None
    assert (state.totals.answered.count, state.totals.councils) == (1, 2)
    client = Client()
    client.force_login(User.objects.get(email="conseil2@exemple.fr"))
    assert (
        "Remplir le questionnaire 2026 du conseil : Conseil citoyen du Pré-Vert"
        in client.get(reverse("awaiting")).content.decode()
    )
    demo_load(today=TODAY, steps=SURVEY_STEPS)
    assert CouncilSurvey.objects.count() == 4  # idempotent
