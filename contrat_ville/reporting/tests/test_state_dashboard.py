"""The State delegate's dashboard across their contracts (issue 12 §1): their contracts only, by département, with
each area's figures, in a number of queries that does not grow with the contracts."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.funding.enums import ApplicationStatus, CallStatus, CreditProgramme
from contrat_ville.funding.models import Application, CallForProjects, Credit
from contrat_ville.governance.services.phases import phases_apply
from contrat_ville.participation.tests.factories import add_member, make_council
from contrat_ville.reporting.selectors import state_dashboard
from contrat_ville.territories.models import TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
URL = reverse("reporting:state_dashboard")


COMMUNE_NUMBERS = itertools.count(1)


def contract_in(departement: str, name: str):
    epci = TerritoryFactory.create(epci=True)
    for _ in range(2):
        commune = TerritoryFactory.create(code=f"{departement}{next(COMMUNE_NUMBERS):03d}")
        TerritoryLink.objects.create(parent=epci, child=commune)
    return make_contract(name=name, epci=epci)


@pytest.fixture
def delegate():
    return UserFactory.create(email="delegue@prefecture.gouv.fr")


def test_only_the_delegates_contracts_grouped_by_departement_with_each_areas_figures(delegate):
    today = timezone.localdate()
    rennes = contract_in("35", "Contrat de Rennes")
    brest = contract_in("29", "Contrat de Brest")
    elsewhere = contract_in("35", "Contrat d'un autre délégué")
    for contract in (rennes, brest):
        grant(contract, delegate, Role.STATE)
    grant(elsewhere, UserFactory.create(), Role.STATE)
    Credit.objects.create(
        contract=rennes,
        programme=CreditProgramme.P147,
        title="Médiation",
        year=today.year,
        requested=Decimal(12000),
        granted=Decimal(10000),
        paid=Decimal(4000),
    )
    Credit.objects.create(
        contract=rennes, programme=CreditProgramme.P147, title="Ancien", year=today.year - 1, granted=Decimal(99)
    )
    council = make_council(rennes)
    add_member(council)
    add_member(council, end_on=today - datetime.timedelta(days=1))  # left: not counted
    call = CallForProjects.objects.create(
        contract=rennes, title="Appel", year=today.year, opens_on=today, closes_on=today, status=CallStatus.OPEN
    )
    applicant = OrganizationFactory.create(kind="association")
    for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.DRAFT):
        Application.objects.create(
            contract=rennes, call=call, organization=applicant, title="Projet", description="…", status=status
        )

    dashboard = state_dashboard(user=delegate, today=today)
    assert [group.code for group in dashboard.groups] == ["29", "35"]
    [rennes_row] = dashboard.groups[1].rows
    assert rennes_row.contract == rennes
    assert (rennes_row.credits_requested, rennes_row.credits_granted, rennes_row.credits_paid) == (12000, 10000, 4000)
    assert (rennes_row.councils, rennes_row.council_members) == (1, 1)
    assert (rennes_row.open_calls, rennes_row.applications_to_instruct) == (1, 2)
    assert dashboard.contract_count == 2


def test_the_page_is_for_state_delegates_and_administrators(client, delegate):
    assert client.get(URL)["Location"].startswith(reverse("accounts:login"))
    pilot = UserFactory.create()
    grant(contract_in("35", "Contrat du pilote"), pilot, Role.PILOT)
    client.force_login(pilot)
    assert client.get(URL).status_code == 403
    grant(contract_in("35", "Contrat de Rennes"), delegate, Role.STATE)
    client.force_login(delegate)
    page = unescape(client.get(URL).content.decode())
    assert "Contrat de Rennes" in page and "Contrat du pilote" not in page
    assert "Département 35" in page
    assert 'data-testid="state-dashboard-link"' in unescape(client.get(reverse("home")).content.decode())


@pytest.mark.query_count("reporting:state_dashboard")
def test_the_page_costs_the_same_whatever_the_number_of_contracts(client, delegate, query_count):
    grant(contract_in("35", "Premier"), delegate, Role.STATE)
    client.force_login(delegate)
    client.get(URL)  # warm-up
    few = query_count.page(client, URL)
    for number in range(6):
        contract = contract_in("29" if number % 2 else "56", f"Contrat {number}")
        grant(contract, delegate, Role.STATE)
        add_member(make_council(contract))
    assert query_count.page(client, URL) == few


def test_the_phase_is_the_one_the_calendar_places_today_or_the_next(delegate):
    today = timezone.localdate()
    contract = contract_in("35", "Contrat phasé")
    grant(contract, delegate, Role.STATE)
    phases_apply(contract=contract, launch_on=today - datetime.timedelta(days=45), by=None)
    [row] = state_dashboard(user=delegate, today=today).groups[0].rows
    assert row.phase is not None and row.phase.planned_start <= today <= row.phase.planned_end
    assert not row.phase.upcoming
    later = state_dashboard(user=delegate, today=today - datetime.timedelta(days=60)).groups[0].rows[0]
    assert later.phase is not None and later.phase.upcoming


def test_the_introduction_agrees_with_the_number_of_contracts(client, delegate):
    """« Où en est votre contrat de ville » for one contract, never « Où en sont vos 1 contrat de ville »."""
    grant(contract_in("35", "Contrat de Rennes"), delegate, Role.STATE)
    client.force_login(delegate)
    page = " ".join(unescape(client.get(URL).content.decode()).split())
    assert "Où en est votre contrat de ville, par département" in page
    assert "vos 1 contrat" not in page
    grant(contract_in("29", "Contrat de Brest"), delegate, Role.STATE)
    page = " ".join(unescape(client.get(URL).content.decode()).split())
    assert "Où en sont vos 2 contrats de ville, par département" in page
