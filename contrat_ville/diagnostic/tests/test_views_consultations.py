from datetime import timedelta

import pytest
from django.utils import timezone

from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.diagnostic.enums import ConsultationStatus, StakeStatus
from contrat_ville.diagnostic.models import Consultation
from contrat_ville.diagnostic.tests.factories import (
    consult,
    council_member,
    make_council,
    make_stake,
    member,
    url,
)
from contrat_ville.participation.models import Opinion
from contrat_ville.participation.services import opinion_give

pytestmark = pytest.mark.django_db


def test_pilot_submits_stakes_to_councils(client, contract, council, pilot):
    proposed = make_stake(contract, title="Réussite au brevet")
    client.force_login(pilot)
    form = client.get(url("consultation_create", contract)).content.decode()
    assert "Conseil citoyen des Iris" in form
    assert "Réussite au brevet" in form
    deadline = timezone.localdate() + timedelta(days=21)
    response = client.post(
        url("consultation_create", contract),
        {
            "title": "Mise en débat des enjeux",
            "message": "Vos avis avant la fin du mois.",
            "deadline": deadline.isoformat(),
            "councils": [council.pk],
            "stakes": [proposed.pk],
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response.url == url("consultation_detail", contract, consultation_id=consultation.pk)
    proposed.refresh_from_db()
    assert proposed.status == StakeStatus.SUBMITTED
    page = client.get(response.url).content.decode()
    assert "Vos avis avant la fin du mois." in page
    assert deadline.strftime("%d/%m/%Y") in page
    assert "Clore la consultation" in page


def test_consultation_form_refuses_a_past_deadline(client, contract, council, pilot):
    stake = make_stake(contract)
    client.force_login(pilot)
    response = client.post(
        url("consultation_create", contract),
        {
            "title": "Trop tard",
            "deadline": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "councils": [council.pk],
            "stakes": [stake.pk],
        },
    )
    assert response.status_code == 200
    assert "La date limite ne peut pas être passée." in response.content.decode()
    assert not Consultation.objects.exists()


def test_only_the_pilot_and_the_state_create_consultations(client, contract, resident):
    partner = member(contract, Role.PARTNER)
    for user in (partner, resident):
        client.force_login(user)
        assert client.get(url("consultation_create", contract)).status_code == 403


def test_council_member_sees_open_consultations_and_gives_an_opinion(client, contract, council, resident):
    stake = make_stake(contract, title="Sécurité dans les halls")
    consultation = consult(contract, [stake], [council], title="Débat sur le cadre de vie")
    version = consultation.stake_versions.get()
    client.force_login(resident)
    listing = client.get(url("consultation_list", contract)).content.decode()
    assert "Débat sur le cadre de vie" in listing[listing.index('data-testid="consultations-open"') :]
    detail = client.get(url("consultation_detail", contract, consultation_id=consultation.pk)).content.decode()
    assert "Donner mon avis" in detail
    opinion_url = url("opinion_give", contract, consultation_id=consultation.pk, version_id=version.pk)
    response = client.post(opinion_url, {"verdict": "disagree", "text": ""})
    assert response.status_code == 200
    assert "Précisez vos réserves ou votre désaccord" in response.content.decode()
    response = client.post(opinion_url, {"verdict": "disagree", "text": "Il faut des correspondants de nuit."})
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.council, opinion.author, opinion.target) == (council, resident, version)
    # Editable until the deadline.
    page = client.get(opinion_url).content.decode()
    assert "Il faut des correspondants de nuit." in page
    client.post(opinion_url, {"verdict": "agree", "text": ""})
    opinion.refresh_from_db()
    assert opinion.verdict == "agree"
    detail = client.get(url("consultation_detail", contract, consultation_id=consultation.pk)).content.decode()
    assert "Modifier mon avis" in detail


def test_after_the_deadline_the_opinion_is_read_only(client, contract, council, resident):
    consultation = consult(contract, [make_stake(contract)], [council])
    Consultation.objects.filter(pk=consultation.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    version = consultation.stake_versions.get()
    client.force_login(resident)
    opinion_url = url("opinion_give", contract, consultation_id=consultation.pk, version_id=version.pk)
    page = client.get(opinion_url).content.decode()
    assert "votre avis ne peut plus être donné ni modifié" in page
    assert 'data-testid="opinion-form"' not in page
    assert client.post(opinion_url, {"verdict": "agree"}).status_code == 403
    assert not Opinion.objects.exists()
    listing = client.get(url("consultation_list", contract)).content.decode()
    assert consultation.title in listing[listing.index('data-testid="consultations-past"') :]


def test_pilot_closes_a_consultation(client, contract, council, pilot):
    consultation = consult(contract, [make_stake(contract)], [council])
    client.force_login(pilot)
    response = client.post(url("consultation_close", contract, consultation_id=consultation.pk))
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED


def test_pilot_reads_the_opinion_page_without_a_form(client, contract, council, pilot):
    consultation = consult(contract, [make_stake(contract)], [council])
    version = consultation.stake_versions.get()
    client.force_login(pilot)
    opinion_url = url("opinion_give", contract, consultation_id=consultation.pk, version_id=version.pk)
    page = client.get(opinion_url).content.decode()
    assert "Seuls les membres des conseils citoyens consultés donnent un avis" in page
    assert client.post(opinion_url, {"verdict": "agree"}).status_code == 403


def test_a_council_not_consulted_does_not_see_the_consultation(client, contract, council):
    consultation = consult(contract, [make_stake(contract)], [council])
    other_council = make_council(contract, name="Conseil citoyen du Plateau")
    outsider = council_member(contract, other_council)
    client.force_login(outsider)
    assert client.get(url("consultation_detail", contract, consultation_id=consultation.pk)).status_code == 404
    assert consultation.title not in client.get(url("consultation_list", contract)).content.decode()


def test_member_of_another_contract_gets_404(client, contract, council):
    consultation = consult(contract, [make_stake(contract)], [council])
    other = make_contract(name="Autre contrat")
    stranger = member(other, Role.PARTNER)
    client.force_login(stranger)
    assert client.get(url("consultation_detail", contract, consultation_id=consultation.pk)).status_code == 404
    assert client.get(url("consultation_detail", other, consultation_id=consultation.pk)).status_code == 404


@pytest.mark.query_count("diagnostic:consultation_detail", "diagnostic:consultation_list")
def test_consultation_pages_query_counts_do_not_grow(client, contract, council, resident, pilot, query_count):
    first = consult(contract, [make_stake(contract, title="Premier")], [council])
    opinion_give(
        target=first.stake_versions.get(), council=council, author=resident, verdict="agree", contract=contract
    )
    client.force_login(resident)
    detail_few = query_count.page(client, url("consultation_detail", contract, consultation_id=first.pk))
    list_few = query_count.page(client, url("consultation_list", contract))
    stakes = [make_stake(contract, title=f"Enjeu {index}") for index in range(5)]
    second_council = make_council(contract, name="Conseil citoyen du Plateau")
    big = consult(contract, stakes, [council, second_council])
    other_resident = council_member(contract, second_council)
    for version in big.stake_versions.all():
        opinion_give(target=version, council=council, author=resident, verdict="agree", contract=contract)
        opinion_give(
            target=version,
            council=second_council,
            author=other_resident,
            verdict="disagree",
            text="Non.",
            contract=contract,
        )
    consult(contract, stakes[:2], [council], title="Encore une")
    assert query_count.page(client, url("consultation_detail", contract, consultation_id=big.pk)) == detail_few
    assert query_count.page(client, url("consultation_list", contract)) == list_few
