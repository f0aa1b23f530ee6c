"""A contract's life where it meets the apps above contracts (issue 10 §1, §6): a pillar cited by a stake is
archived, not deleted; an avenant a decision approved is kept; phase 4 waits for the signature."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.contracts.selectors import term_rows
from contrat_ville.contracts.services import amendment_create, term_delete
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.contracts.tests.test_lifecycle import _signed
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.strategy.models import Orientation

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return make_contract(name="Contrat de ville de Rennes Métropole")


def test_a_term_in_use_is_archived_not_deleted(contract):
    from contrat_ville.diagnostic.services.stakes import stake_create

    pillar = contract.pillars.first()
    stake_create(contract=contract, pillar=pillar, title="Réussite éducative", by=None)
    row = next(row for row in term_rows(contract=contract, kind="pillar") if row.term == pillar)
    assert row.is_used
    with pytest.raises(BusinessRuleError, match=r"est utilisé .* archivez-le"):
        term_delete(term=pillar)
    assert Pillar.objects.filter(pk=pillar.pk).exists()


def test_an_amendment_approved_by_a_decision_cannot_be_deleted(contract):
    from contrat_ville.core.services import object_delete
    from contrat_ville.diagnostic.tests.factories import make_meeting
    from contrat_ville.governance.enums import Verdict
    from contrat_ville.governance.services.decisions import decision_record

    contract = _signed(contract)
    amendment = amendment_create(contract=contract, title="Avenant n° 1", signed_on=date(2025, 6, 30))
    decision_record(
        meeting=make_meeting(contract), verdict=Verdict.VALIDATED, text="Approuvé.", target=amendment, by=None
    )
    with pytest.raises(BusinessRuleError, match="fait l'objet d'une décision"):
        object_delete(obj=amendment)


def test_phase_4_is_not_done_before_the_contract_is_signed(contract):
    from contrat_ville.strategy.selectors import action_plan_phase_done
    from contrat_ville.strategy.tests.factories import decide, make_plan, make_tree

    _, _, actions = make_tree(contract)
    plan = make_plan(contract, actions=actions)
    decide(plan)
    assert not action_plan_phase_done(contract)
    _signed(contract)
    assert action_plan_phase_done(contract)


def _contract_url(name: str, contract: Contract, **kwargs: object) -> str:
    return reverse(f"contracts:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def test_a_term_an_orientation_cites_is_archived_not_deleted(client):
    contract = make_contract(name="Contrat aux orientations")
    pilot = UserFactory()
    grant(contract, pilot, Role.PILOT)
    client.force_login(pilot)
    pillar = contract.pillars.order_by("order")[0]
    Orientation.objects.create(contract=contract, pillar=pillar, title="Réussite éducative")
    page = client.get(_contract_url("contract_structure", contract)).content.decode()
    assert "1 orientation stratégique" in page
    assert (
        reverse(
            "contracts:term_archive",
            kwargs={"contract_slug": contract.slug, "kind_slug": "piliers", "term_id": pillar.pk},
        )
        in page
    )
    refused = client.post(_contract_url("term_delete", contract, kind_slug="piliers", term_id=pillar.pk))
    assert "orientation stratégique" in refused.content.decode()
    assert Pillar.objects.filter(pk=pillar.pk).exists()
    client.post(_contract_url("term_archive", contract, kind_slug="piliers", term_id=pillar.pk))
    pillar.refresh_from_db()
    assert pillar.is_archived
    assert Orientation.objects.get().pillar == pillar
