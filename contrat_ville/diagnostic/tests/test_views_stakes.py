from urllib.parse import quote

import pytest
from django.urls import reverse

from contrat_ville.accounts.tests.factories import OrganizationFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.models import MainstreamPolicy, Stake
from contrat_ville.diagnostic.services.stakes import stake_duplicate_set, stake_mainstream_add, stake_redefine
from contrat_ville.diagnostic.tests.factories import (
    axes,
    consult,
    make_meeting,
    make_stake,
    member,
    pillars,
    url,
)
from contrat_ville.governance.enums import Verdict
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.participation.services import opinion_give

pytestmark = pytest.mark.django_db


def test_pilot_creates_a_stake_through_the_form(client, contract, pilot):
    client.force_login(pilot)
    pillar = pillars(contract)[0]
    response = client.post(
        url("stake_create", contract),
        {
            "pillar": pillar.pk,
            "title": "Améliorer le taux de réussite au brevet",
            "description": "Écart avec l'agglomération.",
            "axes": [axes(contract)[1].pk],
        },
    )
    stake = Stake.objects.get()
    assert response.status_code == 302
    assert response.url == url("stake_detail", contract, stake_id=stake.pk)
    assert [axis.pk for axis in stake.axes.all()] == [axes(contract)[1].pk]
    page = client.get(response.url).content.decode()
    assert "Améliorer le taux de réussite au brevet" in page
    assert "non validé par le comité de pilotage" in page
    assert "proposé" in page


def test_stake_form_shows_french_errors(client, contract, pilot):
    client.force_login(pilot)
    response = client.post(url("stake_create", contract), {"title": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()


def test_partner_edits_stakes_but_council_member_and_observer_do_not(client, contract, resident):
    stake = make_stake(contract)
    partner = member(contract, Role.PARTNER)
    observer = member(contract, Role.OBSERVER)
    client.force_login(partner)
    assert client.get(url("stake_update", contract, stake_id=stake.pk)).status_code == 200
    for user in (resident, observer):
        client.force_login(user)
        assert client.get(url("stake_detail", contract, stake_id=stake.pk)).status_code == 200
        assert client.get(url("stake_create", contract)).status_code == 403
        assert client.post(url("stake_update", contract, stake_id=stake.pk), {"title": "X"}).status_code == 403
        assert client.get(url("stake_redefine", contract, stake_id=stake.pk)).status_code == 403
        page = client.get(url("stake_detail", contract, stake_id=stake.pk)).content.decode()
        assert "Modifier</a>" not in page
        assert "Faire valider par le comité de pilotage" not in page
    # Partners do not steer: duplicates and COPIL validation are for the pilot and the State.
    client.force_login(partner)
    assert client.get(url("stake_duplicate", contract, stake_id=stake.pk)).status_code == 403
    assert client.get(url("stake_validation", contract, stake_id=stake.pk)).status_code == 403


def test_partner_of_another_contract_gets_404(client, contract):
    stake = make_stake(contract)
    other = make_contract(name="Autre contrat", published=True)
    outsider = member(other, Role.PARTNER)
    client.force_login(outsider)
    for path in (
        url("stake_list", contract),
        url("stake_detail", contract, stake_id=stake.pk),
        url("synthesis", contract),
        # the stake exists, but not in the outsider's contract
        url("stake_detail", other, stake_id=stake.pk),
    ):
        assert client.get(path).status_code == 404, path


def test_stake_list_marks_stakes_not_validated_and_shows_opinions(client, contract, council, resident, pilot):
    retained = make_stake(contract, title="Sécurité des habitants")
    pending = make_stake(contract, title="Accès à la santé")
    consultation = consult(contract, [retained, pending], [council])
    version = consultation.stake_versions.get(stake=pending)
    opinion_give(target=version, council=council, author=resident, verdict="agree", contract=contract)
    decision_record(
        meeting=make_meeting(contract), verdict=Verdict.VALIDATED, text="Retenu.", target=retained, by=pilot
    )
    client.force_login(pilot)
    page = client.get(url("stake_list", contract)).content.decode()
    assert page.count('data-testid="stake-not-validated"') == 1
    assert page.count('data-testid="stake-validated"') == 1
    assert "1 d&#x27;accord" in page
    assert "retenu" in page


@pytest.mark.query_count("diagnostic:stake_list")
def test_stake_list_query_count_does_not_grow(client, contract, council, resident, pilot, query_count):
    client.force_login(pilot)
    stake = make_stake(contract)
    few = query_count.page(client, url("stake_list", contract))
    caf = OrganizationFactory.create()
    for index, pillar in enumerate(pillars(contract) * 3):
        other = make_stake(contract, pillar=pillar, title=f"Enjeu {index}", axes=axes(contract))
        stake_mainstream_add(stake=other, organization=caf, policy="Politique", by=pilot)
    consultation = consult(contract, list(Stake.objects.all()), [council])
    for version in consultation.stake_versions.all():
        opinion_give(target=version, council=council, author=resident, verdict="agree", contract=contract)
    decision_record(meeting=make_meeting(contract), verdict=Verdict.VALIDATED, text="Retenu.", target=stake, by=pilot)
    assert query_count.page(client, url("stake_list", contract)) == few


def test_stake_detail_shows_versions_side_by_side_with_opinions(client, contract, council, resident, pilot):
    stake = make_stake(contract, title="Emploi des jeunes")
    consultation = consult(contract, [stake], [council])
    v1 = consultation.stake_versions.get()
    opinion_give(
        target=v1,
        council=council,
        author=resident,
        verdict="disagree",
        text="Et les jeunes femmes ?",
        contract=contract,
    )
    stake.refresh_from_db()
    stake_redefine(
        stake=stake,
        title="Emploi des jeunes femmes et des jeunes hommes",
        reason="Le conseil citoyen rappelle les jeunes femmes.",
        by=pilot,
    )
    client.force_login(pilot)
    response = client.get(url("stake_detail", contract, stake_id=stake.pk))
    page = response.content.decode()
    assert 'data-testid="stake-version-2"' in page
    assert 'data-testid="stake-version-1"' in page
    version_1 = page[page.index('data-testid="stake-version-1"') :]
    assert "Et les jeunes femmes ?" in version_1
    assert "Conseil citoyen des Iris" in version_1
    assert "Le conseil citoyen rappelle les jeunes femmes." in page
    assert "soumis aux conseils citoyens" in page  # status history
    assert "Élise Marchand" in page
    assert 'data-testid="decision-history"' in page


@pytest.mark.query_count("diagnostic:stake_detail")
def test_stake_detail_query_count_does_not_grow(client, contract, council, resident, pilot, query_count):
    client.force_login(pilot)
    stake = make_stake(contract)
    meeting = make_meeting(contract)
    few = query_count.page(client, url("stake_detail", contract, stake_id=stake.pk))
    consult(contract, [stake], [council])
    for round_number in range(2):
        stake.refresh_from_db()
        version = stake.versions.get(number=stake.version)
        opinion_give(target=version, council=council, author=resident, verdict="agree", contract=contract)
        stake_redefine(stake=stake, title=f"Version {round_number + 2}", reason="Avis.", by=pilot)
        consult(contract, [stake], [council], title=f"Tour {round_number + 2}")
    stake_mainstream_add(stake=stake, organization=council, policy="Accès aux droits", by=pilot)
    make_meeting(contract, days_ago=3, title="Autre COPIL")
    decision_record(meeting=meeting, verdict=Verdict.VALIDATED, text="Retenu.", target=stake, by=pilot)
    assert query_count.page(client, url("stake_detail", contract, stake_id=stake.pk)) == few


def test_redefine_page_shows_the_opinions_and_creates_a_version(client, contract, council, resident, pilot):
    stake = make_stake(contract)
    consultation = consult(contract, [stake], [council])
    opinion_give(
        target=consultation.stake_versions.get(),
        council=council,
        author=resident,
        verdict="agree_with_reservations",
        text="Associer les parents.",
        contract=contract,
    )
    client.force_login(pilot)
    redefine_url = url("stake_redefine", contract, stake_id=stake.pk)
    assert "Associer les parents." in client.get(redefine_url).content.decode()
    response = client.post(redefine_url, {"title": "Réussite éducative avec les parents", "reason": ""})
    assert "Ce champ est obligatoire." in response.content.decode()
    response = client.post(
        redefine_url, {"title": "Réussite éducative avec les parents", "reason": "Avis du conseil citoyen."}
    )
    assert response.status_code == 302
    stake.refresh_from_db()
    assert (stake.status, stake.version) == (StakeStatus.REDEFINED, 2)


def test_redefining_a_proposed_stake_shows_the_refusal(client, contract, pilot):
    stake = make_stake(contract)
    client.force_login(pilot)
    response = client.post(url("stake_redefine", contract, stake_id=stake.pk), {"title": "Autre", "reason": "Motif"})
    assert response.status_code == 200
    assert "Seul un enjeu soumis aux conseils citoyens se redéfinit" in response.content.decode()


def test_mainstream_rows_are_added_and_removed(client, contract, pilot):
    stake = make_stake(contract)
    partner_org = OrganizationFactory.create(name="Mission locale", kind="association")
    client.force_login(pilot)
    response = client.post(
        url("stake_mainstream_add", contract, stake_id=stake.pk),
        {"organization": partner_org.pk, "policy": "Garantie jeunes"},
    )
    assert response.status_code == 302
    row = MainstreamPolicy.objects.get()
    assert "Garantie jeunes" in client.get(url("stake_detail", contract, stake_id=stake.pk)).content.decode()
    response = client.post(url("stake_mainstream_remove", contract, stake_id=stake.pk, mainstream_id=row.pk))
    assert response.status_code == 302
    assert not MainstreamPolicy.objects.exists()


def test_validation_request_redirects_to_the_governance_decision_form(client, contract, council, pilot):
    stake = make_stake(contract, title="Tranquillité publique")
    consult(contract, [stake], [council])
    meeting = make_meeting(contract, title="COPIL de validation")
    make_meeting(contract, days_ago=-10, title="COPIL futur")  # not started: not offered
    client.force_login(pilot)
    detail = client.get(url("stake_detail", contract, stake_id=stake.pk)).content.decode()
    assert "COPIL de validation" in detail
    assert "COPIL futur" not in detail
    response = client.get(url("stake_validation", contract, stake_id=stake.pk), {"seance": meeting.pk})
    expected = reverse("governance:decision_create", kwargs={"contract_slug": contract.slug, "meeting_id": meeting.pk})
    assert response.status_code == 302
    assert response.url == f"{expected}?cible={quote(f'diagnostic.stake:{stake.pk}')}"
    form = client.get(response.url).content.decode()
    assert f'value="diagnostic.stake:{stake.pk}" selected' in form
    response = client.post(
        expected, {"target": f"diagnostic.stake:{stake.pk}", "verdict": Verdict.VALIDATED, "text": "Enjeu retenu."}
    )
    assert response.status_code == 302
    stake.refresh_from_db()
    assert stake.status == StakeStatus.RETAINED
    page = client.get(url("stake_detail", contract, stake_id=stake.pk)).content.decode()
    assert 'data-testid="stake-validated"' in page
    assert "Enjeu retenu." in page


def test_synthesis_groups_duplicates_and_shows_counts(client, contract, council, resident, pilot):
    social, urban, economic = pillars(contract)
    original = make_stake(contract, pillar=economic, title="Réduire le chômage des jeunes", axes=axes(contract)[1:2])
    duplicate = make_stake(contract, pillar=social, title="Insertion professionnelle des jeunes")
    make_stake(contract, pillar=urban, title="Sécurité des habitants")
    consultation = consult(contract, [original], [council])
    opinion_give(
        target=consultation.stake_versions.get(), council=council, author=resident, verdict="agree", contract=contract
    )
    client.force_login(pilot)
    response = client.post(
        url("stake_duplicate", contract, stake_id=duplicate.pk), {"duplicate_of": original.pk, "next": "synthese"}
    )
    assert response.status_code == 302
    assert response.url == url("synthesis", contract)
    page = client.get(url("synthesis", contract)).content.decode()
    economic_column = page[page.index(f'data-testid="synthesis-{economic.code}"') :]
    assert "Insertion professionnelle des jeunes" in economic_column.split('data-testid="synthesis-duplicates"')[1]
    assert "1 d&#x27;accord" in page
    assert "Jeunesse" in page or axes(contract)[1].label in page
    social_column = page[
        page.index(f'data-testid="synthesis-{social.code}"') : page.index(f'data-testid="synthesis-{urban.code}"')
    ]
    assert "Aucun enjeu proposé par ce groupe de travail." in social_column
    # Unflag it.
    client.post(url("stake_duplicate", contract, stake_id=duplicate.pk), {"duplicate_of": ""})
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of is None


@pytest.mark.query_count("diagnostic:synthesis")
def test_synthesis_query_count_does_not_grow(client, contract, council, resident, pilot, query_count):
    client.force_login(pilot)
    make_stake(contract)
    few = query_count.page(client, url("synthesis", contract))
    stakes = [
        make_stake(contract, pillar=pillar, title=f"Enjeu {index}", axes=axes(contract))
        for index, pillar in enumerate(pillars(contract) * 2)
    ]
    stake_duplicate_set(stake=stakes[1], duplicate_of=stakes[0], by=pilot)
    consultation = consult(contract, stakes, [council])
    for version in consultation.stake_versions.all():
        opinion_give(target=version, council=council, author=resident, verdict="agree", contract=contract)
    assert query_count.page(client, url("synthesis", contract)) == few


def test_overview_and_navigation_for_council_members(client, contract, council, resident):
    stake = make_stake(contract)
    consult(contract, [stake], [council], title="Débat de printemps")
    client.force_login(resident)
    page = client.get(url("overview", contract)).content.decode()
    assert "Consultations en cours" in page
    assert "Débat de printemps" in page
    home = client.get(reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})).content.decode()
    assert url("overview", contract) in home
    assert 'data-testid="diagnostic-counts"' in home


def test_diagnostic_is_not_in_the_menu_of_a_visitor(client):
    published = make_contract(name="Contrat publié", published=True)
    home = client.get(reverse("contracts:contract_home", kwargs={"contract_slug": published.slug})).content.decode()
    assert url("overview", published) not in home


@pytest.mark.query_count("diagnostic:overview")
def test_overview_query_count_does_not_grow(client, contract, council, pilot, query_count):
    client.force_login(pilot)
    consult(contract, [make_stake(contract, title="Premier enjeu")], [council], title="Première consultation")
    client.get(url("overview", contract))  # warms the content-type cache, which a test run may or may not have
    few = query_count.page(client, url("overview", contract))
    for index in range(4):
        consult(contract, [make_stake(contract, title=f"Enjeu {index}")], [council], title=f"Consultation {index}")
    assert query_count.page(client, url("overview", contract)) == few


def test_state_delegate_may_steer(client, contract):
    state = member(contract, Role.STATE)
    stake = make_stake(contract)
    client.force_login(state)
    assert client.get(url("stake_duplicate", contract, stake_id=stake.pk)).status_code == 200
    grant(contract, state, Role.OBSERVER)  # role changed: no longer allowed
    assert client.get(url("stake_duplicate", contract, stake_id=stake.pk)).status_code == 403
