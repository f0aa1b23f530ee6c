"""Specific credits: rules, the droit commun first (a warning, never a refusal), totals and the multi-year share,
pages and API, and the posts of the State delegate's contracts."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory, bearer
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.models import ImportBatch
from contrat_ville.funding import selectors, services
from contrat_ville.funding.enums import AgreementKind, CreditProgramme
from contrat_ville.funding.models import Credit
from contrat_ville.funding.tests.factories import make_commitment, partner_member
from contrat_ville.strategy.tests.factories import make_action, make_objective, make_orientation

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return make_contract(
        name="Contrat du Val", anct_code="CV096", start_on=date(2024, 1, 1), end_on=date(2030, 12, 31)
    )


@pytest.fixture
def pilot(contract):
    user = UserFactory.create()
    grant(contract, user, Role.PILOT)
    return user


def fields(**kwargs):
    return services.CreditFields(
        **{"programme": CreditProgramme.P147, "title": "Ville Vie Vacances", "year": 2025, **kwargs}
    )


def text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).replace("\u00a0", " ").split())


def test_rules_of_a_credit(contract):
    with pytest.raises(BusinessRuleError, match="hors de la période du contrat"):
        services.credit_create(contract=contract, fields=fields(year=2031))
    with pytest.raises(BusinessRuleError, match="indiquez sa dernière année"):
        services.credit_create(contract=contract, fields=fields(agreement=AgreementKind.MULTI_YEAR))
    with pytest.raises(BusinessRuleError, match="versé dépasse le montant accordé"):
        services.credit_create(contract=contract, fields=fields(granted=Decimal(10), paid=Decimal(11)))
    with pytest.raises(BusinessRuleError, match="intitulé"):
        services.credit_create(contract=contract, fields=fields(title=" "))
    other = make_objective(make_orientation(make_contract(name="Autre")))
    with pytest.raises(BusinessRuleError, match="n'appartient pas à ce contrat"):
        services.credit_create(contract=contract, fields=fields(objective=other))
    assert not Credit.objects.exists()
    credit = services.credit_create(
        contract=contract, fields=fields(agreement=AgreementKind.MULTI_YEAR, agreement_end_year=2027)
    )
    assert credit.agreement_end_year == 2027
    single = services.credit_create(contract=contract, fields=fields(title="CLAS"))
    assert single.agreement_end_year == 2025


def test_credits_for_an_objective_without_droit_commun_are_warned_not_refused(contract):
    _, caf = partner_member(contract)
    orientation = make_orientation(contract)
    served = make_objective(orientation, title="Servi")
    bare = make_objective(orientation, title="Sans droit commun")
    make_commitment(contract, caf, action=make_action(served))
    ok = services.credit_create(contract=contract, fields=fields(objective=served))
    warned = services.credit_create(contract=contract, fields=fields(action=make_action(bare)))
    warnings = selectors.credit_warnings([ok, warned])
    assert list(warnings) == [warned.pk]
    assert (
        "Aucun engagement de droit commun n'est enregistré pour l'objectif « Sans droit commun »"
        in warnings[warned.pk]
    )


def test_totals_and_the_share_under_multi_year_agreements(contract):
    services.credit_create(contract=contract, fields=fields(requested=Decimal(10_000), granted=Decimal(8_000)))
    services.credit_create(
        contract=contract,
        fields=fields(
            programme=CreditProgramme.ADULTES_RELAIS,
            title="Poste",
            agreement=AgreementKind.MULTI_YEAR,
            agreement_end_year=2027,
            granted=Decimal(21_246),
            paid=Decimal(10_000),
        ),
    )
    services.credit_create(contract=contract, fields=fields(title="Demandé seulement", requested=Decimal(2_000)))
    services.credit_create(
        contract=contract,
        fields=fields(
            title="Pluriannuel demandé",
            year=2026,
            agreement=AgreementKind.MULTI_YEAR,
            agreement_end_year=2028,
            requested=Decimal(5_000),
        ),
    )
    everything, by_programme = selectors.credit_totals(Credit.objects.all())
    assert (everything.requested, everything.granted, everything.paid) == (
        Decimal(17_000),
        Decimal(29_246),
        Decimal(10_000),
    )
    # Each line counts for what was granted, or what was requested while nothing is granted: the share stays a
    # share (it was 124 % when a multi-year line only requested counted against the granted total).
    assert everything.engaged == Decimal(8_000 + 21_246 + 2_000 + 5_000)
    assert everything.multi_year_share == Decimal(21_246 + 5_000) / Decimal(36_246)
    assert [totals.label for totals in by_programme] == [
        CreditProgramme.P147.label,
        CreditProgramme.ADULTES_RELAIS.label,
    ]


def test_the_pilot_records_credits_from_the_web_and_sees_the_warning(client, contract, pilot):
    objective = make_objective(make_orientation(contract), title="Réussite éducative")
    client.force_login(pilot)
    response = client.post(
        reverse("funding:credit_create", args=[contract.slug]),
        {
            "programme": "p147",
            "title": "Programme de réussite éducative",
            "year": 2025,
            "target": f"objective:{objective.pk}",
            "agreement": "single_year",
            "requested": "40000",
            "granted": "35000",
            "theme_code": "1112",
        },
        follow=True,
    )
    page = text(response)
    assert "Crédits « Programme de réussite éducative » enregistrés." in page
    assert "Aucun engagement de droit commun n'est enregistré pour l'objectif « Réussite éducative »" in page
    assert "35 000 €" in page and "code 1112" in page
    refused = text(
        client.post(
            reverse("funding:credit_create", args=[contract.slug]),
            {"programme": "p147", "title": "X", "year": 2025, "agreement": "multi_year"},
        )
    )
    assert "indiquez sa dernière année" in refused
    assert Credit.objects.count() == 1


def test_a_partner_reads_the_credits_but_does_not_keep_them(client, contract):
    user, _ = partner_member(contract)
    credit = services.credit_create(contract=contract, fields=fields())
    client.force_login(user)
    assert "Ville Vie Vacances" in text(client.get(reverse("funding:credit_list", args=[contract.slug])))
    assert client.get(reverse("funding:credit_create", args=[contract.slug])).status_code == 403
    assert client.get(reverse("funding:credit_update", args=[contract.slug, credit.pk])).status_code == 403
    outsider = UserFactory.create()
    grant(make_contract(name="Ailleurs"), outsider, Role.PILOT)
    client.force_login(outsider)
    assert client.get(reverse("funding:credit_list", args=[contract.slug])).status_code == 404


def test_credits_api_with_the_same_rules(contract, pilot):
    path = f"/api/v1/contracts/{contract.pk}/credits"
    payload = {"programme": "p147", "title": "VVV", "year": 2025, "granted": "5000"}
    client = Client()
    created = client.post(path, payload, content_type="application/json", headers=bearer(pilot))
    assert created.status_code == 201, created.content
    assert created.json()["granted"] == 5000.0
    paid_too_much = client.put(
        f"{path}/{created.json()['id']}",
        {**payload, "paid": "6000"},
        content_type="application/json",
        headers=bearer(pilot),
    )
    assert paid_too_much.status_code == 422 and "versé dépasse" in paid_too_much.json()["detail"]
    partner, _ = partner_member(contract)
    assert client.post(path, payload, content_type="application/json", headers=bearer(partner)).status_code == 403
    assert [item["title"] for item in client.get(path, headers=bearer(partner)).json()] == ["VVV"]
    assert client.get(path).status_code == 401
    assert client.delete(f"{path}/{created.json()['id']}", headers=bearer(pilot)).status_code == 204


@pytest.mark.query_count("funding:credit_list", "funding_posts_across_contracts")
def test_posts_imported_from_the_web_show_to_the_state_delegate_of_their_contract(
    client, contract, pilot, query_count
):
    delegate = UserFactory.create()
    grant(contract, delegate, Role.STATE)
    admin = UserFactory.create(is_staff=True)
    posts = [
        {
            "id_poste": f"00112R{index:06d}",
            "code_tiers": "77568878900017",
            "annee": 2025,
            "montant": 21246,
            "code_cv": "CV096",
        }
        for index in range(3)
    ] + [{"id_poste": "00112R999999", "code_tiers": "77568878900017", "annee": 2025, "montant": 1, "code_cv": "CV404"}]
    upload = io.BytesIO(json.dumps(posts).encode())
    upload.name = "adulte-relais-2025.json"
    client.force_login(delegate)
    assert client.get(reverse("funding_posts_import")).status_code == 403
    client.force_login(admin)
    response = client.post(reverse("funding_posts_import"), {"file": upload, "programme": ""}, follow=True)
    page = text(response)
    assert "Import terminé : 3 créé(s)" in page and "contrat CV404 absent de la plateforme" in page
    client.force_login(delegate)
    path = reverse("funding_posts_across_contracts")
    query_count.page(client, path)
    small = query_count.page(client, path)
    assert "Poste d'adulte-relais 00112R000000" in text(query_count.response)
    credit_list = reverse("funding:credit_list", args=[contract.slug])
    # One credit serving an objective from the start: the droit commun check reads nothing for no objective.
    services.credit_create(contract=contract, fields=fields(objective=make_objective(make_orientation(contract))))
    query_count.page(client, credit_list)
    few = query_count.page(client, credit_list)
    for index in range(3):
        services.credit_create(
            contract=contract,
            fields=fields(title=f"Action {index}", objective=make_objective(make_orientation(contract))),
        )
    more = make_contract(name="Autre contrat suivi", anct_code="CV097")
    grant(more, delegate, Role.STATE)
    services.credit_create(contract=more, fields=fields(programme=CreditProgramme.FONJEP, title="Poste FONJEP D1"))
    assert query_count.page(client, path) == small
    assert query_count.page(client, credit_list) == few
    client.force_login(pilot)
    assert client.get(path).status_code == 403


def test_a_posts_file_that_is_not_json_is_refused_and_nothing_is_imported(client):
    client.force_login(UserFactory.create(is_staff=True))
    upload = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 60)
    upload.name = "adulte-relais-2025.json"
    page = text(client.post(reverse("funding_posts_import"), {"file": upload, "programme": ""}))
    assert "Le fichier « adulte-relais-2025.json » est refusé : c'est un programme Windows." in page
    assert not ImportBatch.objects.exists()
