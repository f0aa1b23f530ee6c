"""The diagnostic API: stakes, consultations and opinions, behind the tenancy boundary, through the same services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from contrat_ville.accounts.services import api_token_create
from contrat_ville.accounts.tests.factories import OrganizationFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.models import Consultation, Stake
from contrat_ville.diagnostic.services.stakes import stake_mainstream_add, stake_redefine
from contrat_ville.diagnostic.tests.factories import (
    axes,
    consult,
    make_meeting,
    make_stake,
    member,
    pillars,
)
from contrat_ville.governance.enums import Verdict
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.participation.models import Opinion
from contrat_ville.participation.services import opinion_give

pytestmark = pytest.mark.django_db

BASE = "/api/v1/contracts"


def bearer(user: Any) -> dict[str, str]:
    _, raw_token = api_token_create(user=user)
    return {"Authorization": f"Bearer {raw_token}"}


def test_stake_list_with_versions_axes_mainstream_and_validation(contract, council, resident, pilot):
    caf = OrganizationFactory.create(name="CAF")
    stake = make_stake(contract, title="Réussite au brevet", axes=axes(contract)[:1])
    stake_mainstream_add(stake=stake, organization=caf, policy="CLAS", by=pilot)
    consult(contract, [stake], [council])
    stake.refresh_from_db()
    stake_redefine(
        stake=stake,
        title="Réussite au brevet des filles et des garçons",
        axes=axes(contract)[:1],
        reason="Avis.",
        by=pilot,
    )
    decision_record(meeting=make_meeting(contract), verdict=Verdict.VALIDATED, text="Retenu.", target=stake, by=pilot)
    make_stake(contract, pillar=pillars(contract)[1], title="Sécurité")
    response = Client().get(f"{BASE}/{contract.pk}/stakes", headers=bearer(resident))
    assert response.status_code == 200
    first, second = response.json()
    assert first["title"] == "Réussite au brevet des filles et des garçons"
    assert (first["status"], first["version"], first["is_validated"]) == (StakeStatus.RETAINED, 2, True)
    assert first["axes"] == [{"code": axes(contract)[0].code, "label": axes(contract)[0].label}]
    assert first["mainstream"] == [{"organization_id": caf.pk, "organization": "CAF", "policy": "CLAS"}]
    assert [version["number"] for version in first["versions"]] == [1, 2]
    assert first["versions"][1]["reason"] == "Avis."
    assert (second["status"], second["is_validated"]) == (StakeStatus.PROPOSED, False)
    filtered = (
        Client()
        .get(f"{BASE}/{contract.pk}/stakes", {"pillar": pillars(contract)[1].code}, headers=bearer(pilot))
        .json()
    )
    assert [item["title"] for item in filtered] == ["Sécurité"]
    assert (
        Client().get(f"{BASE}/{contract.pk}/stakes", {"pillar": "inconnu"}, headers=bearer(pilot)).status_code == 422
    )


def test_stake_list_query_count_does_not_grow(contract, pilot, query_count):
    headers = bearer(pilot)
    make_stake(contract)
    Client().get(f"{BASE}/{contract.pk}/stakes", headers=headers)  # warm-up: content types, token use
    with query_count() as few:
        Client().get(f"{BASE}/{contract.pk}/stakes", headers=headers)
    for index in range(6):
        make_stake(contract, title=f"Enjeu {index}", axes=axes(contract))
    with query_count() as many:
        Client().get(f"{BASE}/{contract.pk}/stakes", headers=headers)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_stake_detail_and_tenancy(contract, pilot):
    stake = make_stake(contract)
    other_pilot = member(make_contract(name="Autre contrat"), Role.PILOT)
    url = f"{BASE}/{contract.pk}/stakes/{stake.pk}"
    assert Client().get(url).status_code == 401
    assert Client().get(url, headers=bearer(other_pilot)).status_code == 404
    response = Client().get(url, headers=bearer(pilot))
    assert response.status_code == 200
    assert response.json()["status_history"] == []
    other = make_contract(name="Troisième contrat")
    assert Client().get(f"{BASE}/{other.pk}/stakes/{stake.pk}", headers=bearer(pilot)).status_code == 404


def test_stake_create_through_the_api(contract, pilot, resident):
    payload = {
        "pillar": pillars(contract)[2].code,
        "title": "Réduire le chômage des jeunes",
        "axes": [axes(contract)[1].code],
        "mainstream": [{"organization_id": OrganizationFactory.create(name="Mission locale").pk, "policy": "CEJ"}],
    }
    url = f"{BASE}/{contract.pk}/stakes"
    assert Client().post(url, payload, content_type="application/json").status_code == 401
    assert Client().post(url, payload, content_type="application/json", headers=bearer(resident)).status_code == 403
    response = Client().post(url, payload, content_type="application/json", headers=bearer(pilot))
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["version"], body["versions"][0]["mainstream"][0]["policy"]) == ("proposed", 1, "CEJ")
    assert Stake.objects.get().pillar == pillars(contract)[2]
    refused = Client().post(url, {**payload, "title": " "}, content_type="application/json", headers=bearer(pilot))
    assert refused.status_code == 422
    assert "intitulé de l'enjeu est obligatoire" in refused.json()["detail"]
    unknown_axis = Client().post(
        url, {**payload, "axes": ["inconnu"]}, content_type="application/json", headers=bearer(pilot)
    )
    assert unknown_axis.status_code == 422


def test_consultations_and_opinions_through_the_api(contract, council, resident, pilot):
    stake = make_stake(contract)
    consultation = consult(contract, [stake], [council])
    version = consultation.stake_versions.get()
    listing = Client().get(f"{BASE}/{contract.pk}/consultations", headers=bearer(resident)).json()
    assert listing[0]["stake_version_ids"] == [version.pk]
    assert listing[0]["is_open"] is True
    url = f"{BASE}/{contract.pk}/consultations/{consultation.pk}/opinions"
    payload = {"stake_version_id": version.pk, "verdict": "disagree", "text": ""}
    assert Client().post(url, payload, content_type="application/json").status_code == 401
    assert Client().post(url, payload, content_type="application/json", headers=bearer(pilot)).status_code == 403
    refused = Client().post(url, payload, content_type="application/json", headers=bearer(resident))
    assert refused.status_code == 422
    assert "Précisez vos réserves" in refused.json()["detail"]
    response = Client().post(
        url, {**payload, "text": "Trop général."}, content_type="application/json", headers=bearer(resident)
    )
    assert response.status_code == 201
    assert (response.json()["council_id"], response.json()["stake_version_id"]) == (council.pk, version.pk)
    assert Opinion.objects.get().text == "Trop général."
    Consultation.objects.filter(pk=consultation.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    late = Client().post(
        url, {**payload, "verdict": "agree"}, content_type="application/json", headers=bearer(resident)
    )
    assert late.status_code == 422
    assert "est passée" in late.json()["detail"]


def test_opinion_list_of_the_participation_api(contract, council, resident, pilot):
    stake = make_stake(contract, title="Tranquillité")
    consultation = consult(contract, [stake], [council])
    version = consultation.stake_versions.get()
    opinion_give(target=version, council=council, author=resident, verdict="agree", text="Oui.", contract=contract)
    url = f"{BASE}/{contract.pk}/opinions"
    assert Client().get(url).status_code == 401
    outsider = member(make_contract(name="Autre contrat"), Role.PILOT)
    assert Client().get(url, headers=bearer(outsider)).status_code == 404
    response = Client().get(url, headers=bearer(pilot))
    assert response.status_code == 200
    [opinion] = response.json()
    assert opinion["council"] == {"id": council.pk, "name": council.name}
    assert (opinion["verdict"], opinion["text"], opinion["author"]) == ("agree", "Oui.", "Nadia Benali")
    assert (opinion["target_type"], opinion["target_id"], opinion["target_version"]) == (
        "diagnostic.stakeversion",
        version.pk,
        1,
    )
    assert opinion["target_label"] == "Tranquillité (v1)"
    assert Client().get(url, {"verdict": "disagree"}, headers=bearer(pilot)).json() == []
