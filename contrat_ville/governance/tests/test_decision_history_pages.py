"""An object shows its decision history: a phase on its page, the contract on its home page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.governance.enums import BodyKind, Verdict
from contrat_ville.governance.models import Body, Decision, Meeting, Phase
from contrat_ville.governance.services.phases import phases_apply

pytestmark = pytest.mark.django_db


def _decision(contract, target, *, published: bool, text: str) -> Decision:
    body, _ = Body.objects.get_or_create(
        contract=contract, kind=BodyKind.STEERING_COMMITTEE, defaults={"name": "Comité de pilotage"}
    )
    meeting = Meeting.objects.create(
        body=body, title="Séance", starts_at=timezone.now() - timedelta(days=1), location="Mairie"
    )
    return Decision.objects.create(
        contract=contract,
        meeting=meeting,
        target=target,
        target_label=str(target),
        verdict=Verdict.VALIDATED,
        text=text,
        is_published=published,
    )


def test_phase_page_shows_the_decisions_on_that_phase(client):
    contract = make_contract()
    pilot = UserFactory()
    grant(contract, pilot, Role.PILOT)
    phases_apply(contract=contract, by=pilot)
    phase = Phase.objects.get(contract=contract, code="3")
    _decision(contract, phase, published=False, text="Lancement du diagnostic validé.")
    client.force_login(pilot)
    html = client.get(
        reverse("governance:phase_update", kwargs={"contract_slug": contract.slug, "phase_id": phase.pk})
    ).content.decode()
    assert 'data-testid="decision-history"' in html
    assert "Lancement du diagnostic validé." in html


def test_contract_home_shows_only_published_decisions_to_visitors(client):
    contract = make_contract(published=True)
    _decision(contract, contract, published=True, text="Le comité valide le calendrier.")
    _decision(contract, contract, published=False, text="Décision interne non publiée.")
    html = client.get(reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})).content.decode()
    assert "Le comité valide le calendrier." in html
    assert "Décision interne non publiée." not in html
