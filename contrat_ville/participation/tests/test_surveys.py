"""The councils' yearly questionnaire and the regional state of play (issue 11 §5-6, issue 12 §6), on contracts
made in the test: the resource centre's region, a campaign, the facilitator's answers, the figures and the files."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.selectors import contracts_in_region
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.participation import selectors, services
from contrat_ville.participation.enums import (
    AgeBand,
    College,
    DesignationMethod,
    Difficulty,
    FacilitatorKind,
    LegalForm,
    Need,
    Sex,
    SurveyStatus,
)
from contrat_ville.participation.models import CouncilSurvey, SurveyCampaign
from contrat_ville.participation.tests.factories import add_member, make_council
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import TerritoryLink
from contrat_ville.territories.selectors import region_name
from contrat_ville.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

OCCITANIE = "76"
ARA = "84"


def contract_in(departement_code: str, *, name: str, published: bool = False):
    """A contract whose intercommunality has a commune of ``departement_code`` (its code starts with it)."""
    epci = TerritoryFactory.create(epci=True)
    commune = TerritoryFactory.create(code=f"{departement_code}{TerritoryLink.objects.count() % 1000:03d}")
    TerritoryLink.objects.create(parent=epci, child=commune)
    return make_contract(name=name, epci=epci, published=published)


def resource_centre_user(region_code: str, **fields):
    centre = OrganizationFactory.create(kind=OrganizationKind.RESOURCE_CENTRE, region_code=region_code)
    return UserFactory.create(organization=centre, **fields)


def council_user(contract, council):
    user = UserFactory.create(organization=council.organization)
    grant(contract, user, Role.COUNCIL)
    return user


# --- the region -------------------------------------------------------------------------------------------------


def test_a_region_finds_its_contracts_from_the_official_list_or_the_imported_links():
    montpellier = contract_in("34", name="Montpellier Méditerranée Métropole")
    perpignan = contract_in("66", name="Perpignan Méditerranée")
    lyon = contract_in("69", name="Métropole de Lyon")
    fictional = make_contract(name="Val de Sorne")  # communes « 96… »: a département no official list knows
    assert set(contracts_in_region(OCCITANIE)) == {montpellier, perpignan}
    assert set(contracts_in_region(ARA)) == {lyon}
    region = TerritoryFactory.create(kind=TerritoryKind.REGION, code=ARA, name="Auvergne-Rhône-Alpes")
    departement = TerritoryFactory.create(kind=TerritoryKind.DEPARTEMENT, code="96", name="Val-de-Sorne")
    TerritoryLink.objects.create(parent=region, child=departement)
    commune = TerritoryFactory.create(code="96999")
    TerritoryLink.objects.create(parent=fictional.epci, child=commune)
    assert set(contracts_in_region(ARA)) == {lyon, fictional}
    assert set(contracts_in_region(None)) == {montpellier, perpignan, lyon, fictional}
    assert not contracts_in_region("")
    assert region_name(OCCITANIE) == "Occitanie"


# --- the pure figures -------------------------------------------------------------------------------------------


def _state(
    name,
    *,
    legal_form,
    facilitator,
    methods,
    women,
    men,
    residents,
    young,
    budget=None,
    premises=False,
    charter=None,
    survey_year=None,
    difficulties=(),
    needs=(),
):
    """A council's line, made by hand: ``residents`` of the ``women + men`` sit in the residents' college."""
    local_actors = women + men - residents
    colleges = (
        selectors.CollegeCount(
            College.RESIDENTS.value,
            College.RESIDENTS.label,
            women=min(women, residents),
            men=residents - min(women, residents),
        ),
        selectors.CollegeCount(
            College.LOCAL_ACTORS.value,
            College.LOCAL_ACTORS.label,
            women=women - min(women, residents),
            men=local_actors - (women - min(women, residents)),
        ),
    )
    return selectors.CouncilState(
        contract_name="Contrat",
        contract_slug="contrat",
        council_id=hash(name) % 1000,
        council_name=name,
        qpvs=(),
        legal_form=legal_form,
        facilitator_kind=facilitator,
        designation_methods=frozenset(methods),
        composition=selectors.Composition(colleges=colleges, young=young),
        yearly_budget=budget,
        has_premises=premises,
        charter_adopted=charter,
        survey_year=survey_year,
        difficulties=tuple(difficulties),
        needs=tuple(needs),
    )


def test_the_totals_of_the_state_of_play_on_hand_made_councils():
    states = [
        _state(
            "A",
            legal_form=LegalForm.ASSOCIATION,
            facilitator=FacilitatorKind.SELF_RUN,
            methods=[DesignationMethod.DRAWN_FROM_REGISTER, DesignationMethod.APPOINTED],
            women=6,
            men=4,
            residents=6,
            young=2,
            budget=6000,
            premises=True,
            charter=True,
            survey_year=2026,
            difficulties=[Difficulty.MOBILISATION, Difficulty.MEANS],
            needs=[Need.TRAINING],
        ),
        _state(
            "B",
            legal_form=LegalForm.COLLECTIVE,
            facilitator=FacilitatorKind.ADULT_RELAY,
            methods=[DesignationMethod.DRAWN_FROM_VOLUNTEERS],
            women=3,
            men=3,
            residents=4,
            young=1,
            budget=0,
            premises=True,
            charter=False,
            survey_year=2026,
            difficulties=[Difficulty.MOBILISATION],
            needs=[Need.TRAINING, Need.PREMISES],
        ),
        _state(
            "C",
            legal_form=LegalForm.COLLECTIVE,
            facilitator=FacilitatorKind.LOCAL_AUTHORITY,
            methods=[DesignationMethod.DRAWN_FROM_VOLUNTEERS, DesignationMethod.CO_OPTED],
            women=1,
            men=0,
            residents=1,
            young=0,
            budget=1500,
        ),
        _state(
            "D",
            legal_form=LegalForm.HOSTED,
            facilitator=FacilitatorKind.HOST_STRUCTURE,
            methods=[],
            women=0,
            men=0,
            residents=0,
            young=0,
        ),
    ]
    totals = selectors.state_of_play_totals(states)
    assert totals.councils == 4
    forms = {tally.value: (tally.count, tally.share) for tally in totals.legal_forms}
    assert forms == {"association": (1, 25), "collective": (2, 50), "hosted": (1, 25)}
    facilitators = {tally.value: tally.count for tally in totals.facilitators if tally.count}
    assert facilitators == {"self_run": 1, "adult_relay": 1, "local_authority": 1, "host_structure": 1}
    methods = {tally.value: (tally.count, tally.share) for tally in totals.designation_methods}
    assert methods == {
        "drawn_register": (1, 25),
        "drawn_volunteers": (2, 50),
        "appointed": (1, 25),
        "co_opted": (1, 25),
    }
    assert (totals.charter.count, totals.charter.share) == (1, 25)
    assert (totals.budget.count, totals.budget_total, totals.budget_average) == (2, 7500, 2500)  # 0 € is no budget
    assert (totals.premises.count, totals.premises.share) == (2, 50)
    # 17 sitting members: 10 women (59 %), 11 in the residents' college (65 %), 6 local actors (35 %), 3 young (18 %)
    assert totals.members == 17
    assert (totals.women.count, totals.women.share) == (10, 59)
    assert [(tally.count, tally.share) for tally in totals.colleges] == [(11, 65), (6, 35)]
    assert (totals.young.count, totals.young.share) == (3, 18)
    # training, difficulties and needs: over the two councils that transmitted a questionnaire
    assert (totals.answered.count, totals.answered.share) == (2, 50)
    difficulties = {tally.value: (tally.count, tally.share) for tally in totals.difficulties if tally.count}
    assert difficulties == {"mobilisation": (2, 100), "means": (1, 50)}
    needs = {tally.value: (tally.count, tally.share) for tally in totals.needs if tally.count}
    assert needs == {"training": (2, 100), "premises": (1, 50)}


def test_shares_round_halves_up_and_an_empty_whole_has_no_share():
    assert selectors.Tally("x", "x", 1, 8).share == 13
    assert selectors.Tally("x", "x", 3, 8).share == 38
    assert selectors.Tally("x", "x", 0, 0).share is None
    totals = selectors.state_of_play_totals([])
    assert totals.councils == 0 and totals.women.share is None and totals.budget_average is None


# --- a campaign, from the web -----------------------------------------------------------------------------------


@pytest.fixture
def region_world():
    """Two contracts of Occitanie (one council each, with members), one of Auvergne-Rhône-Alpes."""
    montpellier = contract_in("34", name="Montpellier Méditerranée Métropole")
    nimes = contract_in("30", name="Nîmes Métropole")
    lyon = contract_in("69", name="Métropole de Lyon")
    mosson = make_council(
        montpellier,
        name="Conseil citoyen de la Mosson",
        legal_form=LegalForm.ASSOCIATION,
        facilitator_kind=FacilitatorKind.SELF_RUN,
        yearly_budget=4000,
        premises="Maison pour tous",
        charter="Charte…",
        charter_adopted_on=date(2016, 3, 1),
        created_on=date(2015, 11, 1),
    )
    add_member(
        mosson,
        sex=Sex.FEMALE,
        age_band=AgeBand.FROM_18_TO_25,
        designation_method=DesignationMethod.DRAWN_FROM_REGISTER,
    )
    add_member(
        mosson, sex=Sex.MALE, age_band=AgeBand.FROM_40_TO_59, designation_method=DesignationMethod.DRAWN_FROM_REGISTER
    )
    add_member(mosson, sex=Sex.FEMALE, college=College.LOCAL_ACTORS, designation_method=DesignationMethod.APPOINTED)
    pissevin = make_council(nimes, name="Conseil citoyen de Pissevin", facilitator_kind=FacilitatorKind.ADULT_RELAY)
    add_member(pissevin, sex=Sex.MALE, age_band=AgeBand.UNDER_18)
    duchere = make_council(lyon, name="Conseil citoyen de la Duchère")
    return {
        "montpellier": montpellier,
        "nimes": nimes,
        "lyon": lyon,
        "mosson": mosson,
        "pissevin": pissevin,
        "duchere": duchere,
    }


def test_a_resource_centre_opens_the_questionnaire_of_its_region_and_a_facilitator_answers_it(client, region_world):
    centre = resource_centre_user(OCCITANIE)
    client.force_login(centre)
    page = client.get(reverse("councils:campaign_create"))
    assert page.status_code == 200 and "Occitanie" in page.content.decode()
    assert 'name="region_code"' not in page.content.decode()  # its own region, not a choice
    response = client.post(reverse("councils:campaign_create"), {"year": "2026", "due_on": "2026-12-31"})
    campaign = SurveyCampaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "councils:campaign_detail", kwargs={"campaign_id": campaign.pk}
    )
    assert (campaign.region_code, campaign.year, campaign.organization) == (OCCITANIE, 2026, centre.organization)
    surveys = {survey.council.name: survey for survey in campaign.surveys.select_related("council")}
    assert set(surveys) == {"Conseil citoyen de la Mosson", "Conseil citoyen de Pissevin"}  # not Lyon's
    mosson = surveys["Conseil citoyen de la Mosson"]
    # prefilled from the registry
    assert (mosson.legal_form, mosson.facilitator_kind, mosson.yearly_budget, mosson.premises) == (
        "association",
        "self_run",
        4000,
        "Maison pour tous",
    )
    assert mosson.designation_methods == ["drawn_register", "appointed"]
    assert mosson.charter_adopted is True

    # the facilitator of the Mosson (an account of the council's organisation) answers online
    mosson_council = region_world["mosson"]
    facilitator = council_user(region_world["montpellier"], mosson_council)
    client.force_login(facilitator)
    answer_url = reverse(
        "participation:survey_answer",
        kwargs={
            "contract_slug": region_world["montpellier"].slug,
            "council_id": mosson_council.pk,
            "survey_id": mosson.pk,
        },
    )
    page = client.get(answer_url)
    assert page.status_code == 200 and "Maison pour tous" in page.content.decode()
    form = {
        "legal_form": "association",
        "facilitator_kind": "self_run",
        "facilitation": "Une plénière par mois.",
        "meetings_held": "10",
        "designation_methods": ["drawn_register", "appointed"],
        "charter_adopted": "true",
        "yearly_budget": "4500",
        "premises": "Maison pour tous",
        "training_topics": ["contract"],
        "training": "Deux jours avec le centre de ressources.",
        "difficulties": ["mobilisation", "renewal"],
        "difficulties_text": "",
        "needs": ["training", "exchanges"],
        "needs_text": "",
        "prospects": "Renouveler le collège des habitants.",
    }
    assert client.post(answer_url, form).status_code == 302
    mosson.refresh_from_db()
    assert (mosson.status, mosson.yearly_budget, mosson.difficulties) == (
        SurveyStatus.DRAFT,
        4500,
        ["mobilisation", "renewal"],
    )
    submit_url = answer_url + "transmettre/"
    assert client.post(submit_url).status_code == 302
    mosson.refresh_from_db()
    assert mosson.status == SurveyStatus.SUBMITTED and mosson.submitted_by == facilitator
    assert client.post(answer_url, {**form, "yearly_budget": "1"}).status_code == 200  # read-only page, no write
    mosson.refresh_from_db()
    assert mosson.yearly_budget == 4500

    # the resource centre sees who answered, and the state of play of its region
    client.force_login(centre)
    detail = client.get(reverse("councils:campaign_detail", kwargs={"campaign_id": campaign.pk})).content.decode()
    assert "1 questionnaire transmis sur 2" in detail
    state = client.get(reverse("councils:state_of_play")).content.decode()
    assert "Conseil citoyen de la Mosson" in state and "Conseil citoyen de la Duchère" not in state
    assert "questionnaire 2026" in state


def test_the_state_of_play_page_and_its_files_give_the_figures(client, region_world, query_count):
    campaign = services.campaign_open(year=2026, region_code=OCCITANIE)
    mosson = campaign.surveys.get(council=region_world["mosson"])
    services.survey_save(
        survey=mosson,
        answers=services.SurveyAnswers(
            legal_form="association",
            facilitator_kind="self_run",
            designation_methods=["drawn_register"],
            yearly_budget=5000,
            premises="Maison pour tous",
            charter_adopted=True,
            needs=["training"],
            difficulties=["mobilisation"],
        ),
    )
    services.survey_submit(survey=mosson)
    client.force_login(resource_centre_user(OCCITANIE))
    page = client.get(reverse("councils:state_of_play")).content.decode()
    assert "Occitanie" in page
    xlsx = client.get(reverse("councils:state_of_play_export", kwargs={"file_format": "xlsx"}))
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('76.xlsx"')
    workbook = load_workbook(io.BytesIO(xlsx.content))
    councils = list(workbook["Conseils citoyens"].iter_rows(values_only=True))
    assert councils[0][:5] == ("Contrat", "Conseil citoyen", "Quartiers", "Source", "Forme juridique")
    by_name = {row[1]: row for row in councils[1:]}
    assert set(by_name) == {"Conseil citoyen de la Mosson", "Conseil citoyen de Pissevin"}
    mosson_row = by_name["Conseil citoyen de la Mosson"]
    assert mosson_row[3] == "questionnaire 2026" and mosson_row[4] == "association loi 1901"
    # 3 sitting members: 2 women (67 %), 2 residents (67 %), 1 young (33 %)
    assert mosson_row[7:12] == ("3", "67\u202f%", "67\u202f%", "33\u202f%", "33\u202f%")
    assert by_name["Conseil citoyen de Pissevin"][3] == "registre"
    totals = {(row[0], row[1]): row[2:] for row in workbook["Totaux"].iter_rows(min_row=2, values_only=True)}
    assert totals[("Conseils citoyens", "conseils recensés")][0] == "2"
    assert totals[("Forme juridique", "association loi 1901")] == ("1", "2", "50\u202f%")
    assert totals[("Représentativité (membres en fonction)", "femmes")] == ("2", "4", "50\u202f%")
    assert totals[("Représentativité (membres en fonction)", "jeunes (moins de 26 ans)")] == ("2", "4", "50\u202f%")
    assert totals[("Questionnaire", "questionnaire transmis")] == ("1", "2", "50\u202f%")
    assert totals[("Besoins (questionnaires transmis)", "des formations")] == ("1", "1", "100\u202f%")
    csv_response = client.get(reverse("councils:state_of_play_export", kwargs={"file_format": "csv"}))
    text = csv_response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][1] == "Conseil citoyen" and len(rows) == 3


@pytest.mark.query_count(
    "councils:state_of_play",
    "councils:campaign_list",
    "councils:campaign_detail",
    "councils:campaign_survey",
    "councils:council_state",
    "participation:survey_list",
)
def test_regional_pages_cost_the_same_whatever_the_number_of_councils(client, region_world, query_count):
    campaign = services.campaign_open(year=2025, region_code=OCCITANIE)
    administrator = UserFactory.create(is_staff=True)
    client.force_login(administrator)
    mosson = region_world["mosson"]
    survey = campaign.surveys.get(council=mosson)
    contract = region_world["montpellier"]

    def costs():
        return [
            query_count.page(client, reverse("councils:state_of_play")),
            query_count.page(client, reverse("councils:campaign_list")),
            query_count.page(client, reverse("councils:campaign_detail", kwargs={"campaign_id": campaign.pk})),
            query_count.page(
                client,
                reverse("councils:campaign_survey", kwargs={"campaign_id": campaign.pk, "survey_id": survey.pk}),
            ),
            query_count.page(
                client,
                reverse("participation:survey_list", kwargs={"contract_slug": contract.slug, "council_id": mosson.pk}),
            ),
            query_count.page(client, reverse("councils:council_state", kwargs={"council_id": mosson.pk})),
        ]

    small = costs()
    for index in range(4):
        council = make_council(contract, name=f"Conseil citoyen {index}")
        add_member(council)
        add_member(council, sex=Sex.MALE)
    services.campaign_add_new_councils(campaign=campaign)
    services.campaign_open(year=2026, region_code=OCCITANIE)
    assert costs() == small


# --- who may -----------------------------------------------------------------------------------------------------


def test_each_resource_centre_sees_its_own_region_only(client, region_world):
    campaign = services.campaign_open(year=2026, region_code=OCCITANIE)
    lyon_centre = resource_centre_user(ARA)
    client.force_login(lyon_centre)
    assert client.get(reverse("councils:campaign_detail", kwargs={"campaign_id": campaign.pk})).status_code == 404
    assert "Questionnaire 2026" not in client.get(reverse("councils:campaign_list")).content.decode()
    mosson_url = reverse("councils:council_state", kwargs={"council_id": region_world["mosson"].pk})
    assert client.get(mosson_url).status_code == 404
    duchere_url = reverse("councils:council_state", kwargs={"council_id": region_world["duchere"].pk})
    assert "Conseil citoyen de la Duchère" in client.get(duchere_url).content.decode()
    state = client.get(reverse("councils:state_of_play")).content.decode()
    assert "Duchère" in state and "Mosson" not in state
    with pytest.raises(BusinessRuleError):
        services.campaign_open(year=2026, region_code=OCCITANIE, by=lyon_centre)
    # a resource centre without a region, a pilot: refused
    client.force_login(resource_centre_user(""))
    assert client.get(reverse("councils:state_of_play")).status_code == 403
    pilot = UserFactory.create()
    grant(region_world["montpellier"], pilot, Role.PILOT)
    client.force_login(pilot)
    assert client.get(reverse("councils:campaign_list")).status_code == 403
    # an administrator sees every region, and narrows to one
    client.force_login(UserFactory.create(is_staff=True))
    every = client.get(reverse("councils:state_of_play")).content.decode()
    assert "Duchère" in every and "Mosson" in every
    narrowed = client.get(reverse("councils:state_of_play"), {"region": ARA}).content.decode()
    assert "Duchère" in narrowed and "Mosson" not in narrowed


def test_only_the_council_and_the_steering_roles_answer_its_questionnaire(client, region_world):
    campaign = services.campaign_open(year=2026, region_code=OCCITANIE)
    survey = campaign.surveys.get(council=region_world["mosson"])
    contract = region_world["montpellier"]
    url = reverse(
        "participation:survey_answer",
        kwargs={"contract_slug": contract.slug, "council_id": survey.council_id, "survey_id": survey.pk},
    )
    other_council = make_council(contract, name="Conseil citoyen voisin")
    client.force_login(council_user(contract, other_council))
    assert client.get(url).status_code == 403
    partner = UserFactory.create()
    grant(contract, partner, Role.PARTNER)
    client.force_login(partner)
    assert client.get(url).status_code == 403
    pilot = UserFactory.create()
    grant(contract, pilot, Role.PILOT)
    client.force_login(pilot)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory.create())  # not a member of the contract
    assert client.get(url).status_code == 404


def test_a_submitted_questionnaire_is_frozen_and_an_incomplete_one_is_refused(region_world):
    campaign = services.campaign_open(year=2026, region_code=OCCITANIE)
    pissevin = campaign.surveys.get(council=region_world["pissevin"])
    assert pissevin.designation_methods == ["drawn_volunteers"]
    services.survey_save(survey=pissevin, answers=services.SurveyAnswers(legal_form="collective"))
    with pytest.raises(BusinessRuleError, match="incomplet"):
        services.survey_submit(survey=pissevin)
    services.survey_save(
        survey=pissevin,
        answers=services.SurveyAnswers(
            legal_form="collective", facilitator_kind="adult_relay", designation_methods=["drawn_volunteers"]
        ),
    )
    services.survey_submit(survey=pissevin)
    with pytest.raises(BusinessRuleError, match="transmis"):
        services.survey_save(survey=pissevin, answers=services.SurveyAnswers(legal_form="association"))
    with pytest.raises(BusinessRuleError, match="déjà ouvert"):
        services.campaign_open(year=2026, region_code=OCCITANIE)
    with pytest.raises(BusinessRuleError, match="Choix inconnu"):
        services.survey_save(
            survey=campaign.surveys.get(council=region_world["mosson"]),
            answers=services.SurveyAnswers(needs=["a pony"]),
        )


def test_previous_years_stay_for_comparison(client, region_world):
    contract = region_world["montpellier"]
    council = region_world["mosson"]
    last_year = services.campaign_open(year=2025, region_code=OCCITANIE).surveys.get(council=council)
    services.survey_save(
        survey=last_year,
        answers=services.SurveyAnswers(
            legal_form="collective",
            facilitator_kind="adult_relay",
            designation_methods=["drawn_volunteers"],
            yearly_budget=1200,
        ),
    )
    services.survey_submit(survey=last_year)
    this_year = services.campaign_open(year=2026, region_code=OCCITANIE).surveys.get(council=council)
    client.force_login(council_user(contract, council))
    answer = client.get(
        reverse(
            "participation:survey_answer",
            kwargs={"contract_slug": contract.slug, "council_id": council.pk, "survey_id": this_year.pk},
        )
    ).content.decode()
    assert "Réponses de 2025" in answer and "1\u202f200\u00a0€" in answer
    listing = client.get(
        reverse("participation:survey_list", kwargs={"contract_slug": contract.slug, "council_id": council.pk})
    ).content.decode()
    assert "2026 (à compléter)" in listing and "2025 (transmis)" in listing
    assert CouncilSurvey.objects.filter(council=council).count() == 2


def test_the_facilitator_sees_the_unanswered_questionnaire_among_what_awaits_them(client, region_world):
    contract = region_world["montpellier"]
    campaign = services.campaign_open(year=2026, region_code=OCCITANIE, due_on=date(2026, 12, 31))
    survey = campaign.surveys.get(council=region_world["mosson"])
    facilitator = council_user(contract, region_world["mosson"])
    neighbour = council_user(contract, make_council(contract, name="Conseil citoyen sans questionnaire"))
    client.force_login(facilitator)
    awaiting = client.get(reverse("awaiting")).content.decode()
    assert "Remplir le questionnaire 2026 du conseil : Conseil citoyen de la Mosson" in awaiting
    assert (
        reverse(
            "participation:survey_answer",
            kwargs={"contract_slug": contract.slug, "council_id": survey.council_id, "survey_id": survey.pk},
        )
        in awaiting
    )
    client.force_login(neighbour)
    assert "Remplir le questionnaire" not in client.get(reverse("awaiting")).content.decode()
    services.survey_save(
        survey=survey,
        answers=services.SurveyAnswers(
            legal_form="association", facilitator_kind="self_run", designation_methods=["drawn_register"]
        ),
    )
    services.survey_submit(survey=survey)
    client.force_login(facilitator)
    assert "Remplir le questionnaire" not in client.get(reverse("awaiting")).content.decode()
