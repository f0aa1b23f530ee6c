"""The demo's conseils citoyens (issue 11 §8): an association with statutes and an informal collective, with
members in both colleges, registered on the councils the bodies seat and the diagnostic consults."""

from datetime import date

import pytest

from contrat_ville.demo.services import DEMO_STEPS, demo_load
from contrat_ville.participation.enums import College
from contrat_ville.participation.models import CitizenCouncil, CouncilMember
from contrat_ville.participation.selectors import council_rows

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
