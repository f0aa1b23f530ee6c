import pytest
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.governance.enums import MeetingStatus, Verdict
from contrat_ville.governance.models import Decision
from contrat_ville.governance.selectors.decisions import target_value
from contrat_ville.governance.tests.factories_decisions import make_body, make_decision, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot():
    return UserFactory(first_name="Alix", last_name="Pilote")


@pytest.fixture
def contract(pilot):
    contract = make_contract(name="Contrat de ville du Val Fictif", published=True)
    grant(contract, pilot, Role.PILOT)
    return contract


@pytest.fixture
def meeting(contract):
    return make_meeting(make_body(contract), title="Comité de pilotage de mars")


def _url(name, contract, **kwargs):
    return reverse(f"governance:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def test_pilot_records_a_decision_through_the_form(client, pilot, contract, meeting):
    client.force_login(pilot)
    url = _url("decision_create", contract, meeting_id=meeting.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert "Enregistrer une décision" in response.content.decode()
    assert target_value(contract) in response.content.decode()

    response = client.post(
        url,
        {
            "target": target_value(contract),
            "verdict": Verdict.VALIDATED,
            "text": "Le comité valide les orientations stratégiques.",
            "is_published": "on",
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response.url == _url("decision_detail", contract, decision_id=decision.pk)
    assert decision.target == contract
    assert decision.is_published
    page = client.get(response.url).content.decode()
    assert "Le comité valide les orientations stratégiques." in page
    assert "validé" in page


def test_decision_form_shows_the_service_refusal(client, pilot, contract):
    upcoming = make_meeting(make_body(contract), days_ago=-5, status=MeetingStatus.PLANNED)
    client.force_login(pilot)
    response = client.post(
        _url("decision_create", contract, meeting_id=upcoming.pk), {"verdict": Verdict.VALIDATED, "text": "Validé."}
    )
    assert response.status_code == 200
    assert "séance qui s&#x27;est tenue ou qui a commencé" in response.content.decode()
    assert not Decision.objects.exists()


def test_decision_form_rejects_a_target_of_another_contract(client, pilot, contract, meeting):
    other = make_contract(name="Autre contrat")
    client.force_login(pilot)
    response = client.post(
        _url("decision_create", contract, meeting_id=meeting.pk),
        {"target": target_value(other), "verdict": Verdict.VALIDATED, "text": "Validé."},
    )
    assert response.status_code == 200
    assert not Decision.objects.exists()


def test_partner_may_not_record_a_decision(client, contract, meeting):
    partner = UserFactory()
    grant(contract, partner, Role.PARTNER)
    client.force_login(partner)
    assert client.get(_url("decision_create", contract, meeting_id=meeting.pk)).status_code == 403


def test_meeting_of_another_contract_is_not_found(client, pilot, contract):
    foreign = make_meeting(make_body(make_contract(name="Autre contrat")))
    client.force_login(pilot)
    assert client.get(_url("decision_create", contract, meeting_id=foreign.pk)).status_code == 404


def test_update_and_publish_a_decision(client, pilot, contract, meeting):
    decision = make_decision(meeting)
    client.force_login(pilot)
    response = client.post(
        _url("decision_update", contract, decision_id=decision.pk),
        {"verdict": Verdict.VALIDATED_WITH_AMENDMENTS, "text": "Validé avec deux amendements."},
    )
    assert response.status_code == 302
    response = client.post(_url("decision_publish", contract, decision_id=decision.pk), {"publish": "1"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.verdict, decision.is_published) == (Verdict.VALIDATED_WITH_AMENDMENTS, True)
    assert client.get(_url("decision_publish", contract, decision_id=decision.pk)).status_code == 405


def test_anonymous_reads_only_published_decisions_of_a_published_contract(client, contract, meeting):
    make_decision(meeting, text="Décision publiée sur le contrat.", is_published=True)
    hidden = make_decision(meeting, text="Décision encore confidentielle.")
    response = client.get(_url("decision_list", contract))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Décision publiée sur le contrat." in page
    assert "confidentielle" not in page
    assert client.get(_url("decision_detail", contract, decision_id=hidden.pk)).status_code == 404


def test_decision_list_is_not_found_on_an_unpublished_contract_for_anonymous(client):
    contract = make_contract(name="Contrat non publié")
    make_decision(make_meeting(make_body(contract)), is_published=True)
    assert client.get(_url("decision_list", contract)).status_code == 404


def test_decision_list_filters_by_verdict(client, pilot, contract, meeting):
    make_decision(meeting, verdict=Verdict.VALIDATED, text="Premier texte validé.")
    make_decision(meeting, verdict=Verdict.REJECTED, text="Second texte rejeté.")
    client.force_login(pilot)
    page = client.get(_url("decision_list", contract), {"verdict": Verdict.REJECTED}).content.decode()
    assert "Second texte rejeté." in page
    assert "Premier texte validé." not in page


@pytest.mark.query_count("governance:decision_list")
def test_decision_list_queries_do_not_grow_with_decisions(client, pilot, contract, meeting, query_count):
    client.force_login(pilot)
    url = _url("decision_list", contract)
    for _ in range(2):
        make_decision(meeting, is_published=True)
    few = query_count.page(client, url)
    other_body = make_body(contract, name="Comité bis")
    for index in range(18):
        make_decision(make_meeting(other_body, days_ago=index + 1), target=contract, is_published=index % 2 == 0)
    assert query_count.page(client, url) == few


@pytest.mark.query_count("governance:decision_detail")
def test_decision_detail_queries_do_not_grow_with_the_targets_history(client, pilot, contract, meeting, query_count):
    client.force_login(pilot)
    decision = make_decision(meeting, target=contract, is_published=True)
    url = _url("decision_detail", contract, decision_id=decision.pk)
    few = query_count.page(client, url)
    other_body = make_body(contract, name="Comité bis")
    for index in range(12):
        verdict = Verdict.POSTPONED if index % 2 else Verdict.VALIDATED
        make_decision(make_meeting(other_body, days_ago=index + 1), target=contract, verdict=verdict)
    assert query_count.page(client, url) == few
