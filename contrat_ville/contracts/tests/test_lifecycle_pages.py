"""Opening and completing a contract from the web (issue 10 §1-3, §6): the opening page, the settings with the
names of the strategic tree's levels, the territories, the structure's terms and the steps of the contract's life."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import ContractStatus, Role
from contrat_ville.contracts.models import Amendment, Contract, ContractRole, TransversalAxis
from contrat_ville.contracts.services import (
    AmendmentChanges,
    amendment_create,
    contract_create,
    contract_set_qpvs,
    contract_set_status,
    contract_sign,
    signatory_add,
)
from contrat_ville.contracts.tests.factories import grant, settings_form_data
from contrat_ville.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

OPEN_URL = reverse("contracts:contract_open")


def _url(name: str, contract: Contract, **kwargs: object) -> str:
    return reverse(f"contracts:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def _text(response) -> str:
    """The page as the user reads it (entities decoded)."""
    return html.unescape(response.content.decode())


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def contract(territory):
    return contract_create(name="Contrat de ville de Rennes Métropole", epci=territory["epci"], generation="2024")


@pytest.fixture
def pilot(client, contract):
    user = UserFactory()
    grant(contract, user, Role.PILOT)
    client.force_login(user)
    return user


def _state_agent(departement_code: str):
    organization = OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE, departement_code=departement_code)
    return UserFactory(organization=organization)


# --- opening a contract's space ---------------------------------------------------------------------------------


def test_an_administrator_opens_a_space_by_siren_with_its_generation_structure_and_communes(client, territory):
    client.force_login(UserFactory(is_staff=True))
    assert OPEN_URL in _text(client.get(reverse("contracts:contract_list")))
    page = client.get(OPEN_URL)
    assert page.status_code == 200
    assert "Ouvrir l'espace d'un contrat de ville" in _text(page)
    response = client.post(
        OPEN_URL,
        {"name": "Contrat de ville de Rennes Métropole", "epci_query": "243500139", "generation": "2024"},
    )
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("contract_settings", contract)
    assert contract.epci == territory["epci"]
    assert (contract.start_on, contract.end_on) == (date(2024, 1, 1), date(2030, 12, 31))
    assert contract.pillars.count() == 3
    assert contract.axes.count() == 3
    assert {commune.name for commune in contract.communes.all()} == {"Rennes", "Bruz"}
    assert not ContractRole.objects.exists()  # an administrator reaches every contract without a role


def test_a_state_agent_opens_a_space_in_their_departement_and_becomes_its_state_delegate(client, territory):
    agent = _state_agent("35")
    client.force_login(agent)
    response = client.post(
        OPEN_URL, {"name": "Contrat de Rennes", "epci_query": "Rennes Métropole", "generation": "2024"}
    )
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert ContractRole.objects.get(contract=contract).role == Role.STATE
    assert client.get(_url("contract_settings", contract)).status_code == 200


def test_a_state_agent_of_another_departement_is_refused_on_the_form_and_nothing_is_written(client, territory):
    client.force_login(_state_agent("29"))
    assert OPEN_URL in _text(client.get(reverse("contracts:contract_list")))
    response = client.post(OPEN_URL, {"name": "Contrat de Rennes", "epci_query": "243500139", "generation": "2024"})
    assert response.status_code == 200
    assert "pour une intercommunalité de votre département" in _text(response)
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Nulle part", "Aucune intercommunalité ne correspond"),
        ("Métropole", "Plusieurs intercommunalités correspondent : Brest Métropole (242900314), Rennes Métropole"),
    ],
)
def test_an_unknown_or_ambiguous_intercommunality_is_said_in_french(client, territory, query, message):
    TerritoryFactory.create(epci=True, name="Brest Métropole", code="242900314", siren="242900314")
    client.force_login(UserFactory(is_staff=True))
    response = client.post(OPEN_URL, {"name": "Contrat", "epci_query": query, "generation": "2024"})
    assert response.status_code == 200
    assert message in _text(response)
    assert not Contract.objects.exists()


def test_a_period_ending_before_it_starts_is_refused(client, territory):
    client.force_login(UserFactory(is_staff=True))
    response = client.post(
        OPEN_URL,
        {
            "name": "Contrat",
            "epci_query": "243500139",
            "generation": "2024",
            "start_on": "2030-01-01",
            "end_on": "2024-01-01",
        },
    )
    assert "La date de fin du contrat doit suivre sa date de début." in _text(response)
    assert not Contract.objects.exists()


# --- settings, territories -----------------------------------------------------------------------------------------


def test_the_pilot_names_the_levels_and_the_structure_page_speaks_the_contracts_words(client, pilot, contract):
    response = client.post(
        _url("contract_settings", contract),
        settings_form_data(contract, pillar_term="défi", pillar_term_plural="défis", anct_code="CV-035-01"),
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.pillar_term_plural, contract.anct_code) == ("défis", "CV-035-01")
    assert contract.name == "Contrat de ville de Rennes Métropole"  # the level names once overwrote it
    page = _text(client.get(_url("contract_structure", contract)))
    assert "<h2>Défis</h2>" in page
    assert "Ajouter : défi" in page


def test_the_settings_refuse_an_empty_level_name_and_a_too_long_code(client, pilot, contract):
    response = client.post(
        _url("contract_settings", contract), settings_form_data(contract, pillar_term=" ", anct_code="X" * 21)
    )
    body = _text(response)
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in body
    assert "au plus 20 caractères" in body
    contract.refresh_from_db()
    assert contract.pillar_term == "pilier"


def test_the_territories_page_offers_the_generations_qpvs_inside_the_epci_only(client, pilot, contract, territory):
    page = _text(client.get(_url("contract_territories", contract)))
    assert "Maurepas (QN03501M)" in page
    assert "Recouvrance" not in page  # another intercommunality
    assert "QP035001" not in page  # the 2015 geography
    refused = client.post(
        _url("contract_territories", contract),
        {"qpvs": [territory["brest_qpv"].pk], "communes": [territory["rennes"].pk]},
    )
    assert refused.status_code == 200
    assert "Sélectionnez un choix valide" in _text(refused)
    assert not contract.qpvs.exists()
    saved = client.post(
        _url("contract_territories", contract),
        {"qpvs": [territory["maurepas"].pk], "communes": [territory["rennes"].pk]},
    )
    assert saved.status_code == 302
    assert list(contract.qpvs.all()) == [territory["maurepas"]]
    assert list(contract.communes.all()) == [territory["rennes"]]


def test_a_partner_may_read_the_structure_but_not_open_the_settings(client, contract):
    partner = UserFactory()
    grant(contract, partner, Role.PARTNER)
    client.force_login(partner)
    assert OPEN_URL not in _text(client.get(reverse("contracts:contract_list")))
    structure = client.get(_url("contract_structure", contract))
    assert structure.status_code == 200
    assert "Ajouter" not in _text(structure)
    assert client.get(_url("contract_settings", contract)).status_code == 403


# --- the terms of the structure ---------------------------------------------------------------------------------


def test_the_pilot_adds_renames_moves_and_deletes_a_term(client, pilot, contract):
    created = client.post(
        _url("term_create", contract, kind_slug="axes"), {"label": "Valeurs de la République", "slogan": ""}
    )
    assert created.status_code == 302
    axis = TransversalAxis.objects.get(contract=contract, label="Valeurs de la République")
    assert axis.is_local
    client.post(
        _url("term_update", contract, kind_slug="axes", term_id=axis.pk),
        {"label": "Valeurs de la République et citoyenneté", "slogan": "Faire République"},
    )
    axis.refresh_from_db()
    assert (axis.label, axis.slogan) == ("Valeurs de la République et citoyenneté", "Faire République")
    assert axis.history.count() == 2

    client.post(_url("term_move", contract, kind_slug="axes", term_id=axis.pk, direction="monter"))
    labels = list(TransversalAxis.objects.filter(contract=contract).order_by("order").values_list("label", flat=True))
    assert labels[-2] == "Valeurs de la République et citoyenneté"

    confirm = client.get(_url("term_delete", contract, kind_slug="axes", term_id=axis.pk))
    assert "Rien ne le cite encore" in _text(confirm)
    client.post(_url("term_delete", contract, kind_slug="axes", term_id=axis.pk))
    assert not TransversalAxis.objects.filter(pk=axis.pk).exists()


def test_a_duplicate_label_is_refused_on_the_form(client, pilot, contract):
    response = client.post(_url("term_create", contract, kind_slug="piliers"), {"label": "cohésion sociale"})
    assert response.status_code == 200
    assert "Le contrat a déjà un(e) niveau « cohésion sociale »." in _text(response)


def test_once_signed_the_structure_changes_only_by_an_amendment(client, pilot, contract):
    organization = OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE)
    signatory = signatory_add(contract=contract, organization=organization, kind="state")
    contract_sign(contract=contract, signed_on=date(2024, 6, 1), signatures={signatory.pk: ("Le préfet", None)})
    page = _text(client.get(_url("contract_structure", contract)))
    assert "sa structure change désormais par un avenant" in page
    assert "Ajouter" not in page
    response = client.post(_url("term_create", contract, kind_slug="axes"), {"label": "Nouvel axe"})
    assert "Le contrat est signé" in _text(response)
    assert contract.axes.count() == 3


@pytest.mark.query_count("contracts:contract_structure")
def test_the_structure_page_reads_a_constant_number_of_queries(client, pilot, contract, query_count):
    few = query_count.page(client, _url("contract_structure", contract))
    for number in range(6):
        TransversalAxis.objects.create(
            contract=contract, code=f"axe_{number}", label=f"Axe {number}", order=10 + number
        )
    assert query_count.page(client, _url("contract_structure", contract)) == few


# --- the steps of the contract's life ---------------------------------------------------------------------------


def test_status_and_publication_from_the_settings_page(client, pilot, contract):
    organization = OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE)
    signatory = signatory_add(contract=contract, organization=organization, kind="state")
    page = _text(client.get(_url("contract_settings", contract)))
    assert 'data-testid="contract-status-form"' not in page  # in preparation: only the signature moves it on
    assert "Aucun signataire n'est enregistré pour l'intercommunalité" in page

    contract_sign(contract=contract, signed_on=date(2024, 6, 1), signatures={signatory.pk: ("Le préfet", None)})
    response = client.post(_url("contract_status", contract), {"status": ContractStatus.IN_FORCE})
    assert _messages(response) == ["Le contrat est désormais « en vigueur »."]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE

    refused = client.post(_url("contract_status", contract), {"status": ContractStatus.IN_PREPARATION})
    assert _messages(refused)[-1:] == ["Choisissez l'un des états que le contrat peut prendre maintenant."]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE

    client.post(_url("contract_publication", contract), {"publish": "1"})
    contract.refresh_from_db()
    assert contract.is_published


def test_the_side_menu_offers_structure_to_members_and_settings_to_the_steering_roles(client, pilot, contract):
    page = _text(client.get(_url("contract_home", contract)))
    assert "Structure du contrat" in page
    assert "Paramètres du contrat" in page
    observer = UserFactory()
    grant(contract, observer, Role.OBSERVER)
    client.force_login(observer)
    page = _text(client.get(_url("contract_home", contract)))
    assert "Structure du contrat" in page
    assert "Paramètres du contrat" not in page


def test_an_ended_contract_can_go_back_in_force(client, pilot, contract):
    organization = OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE)
    signatory = signatory_add(contract=contract, organization=organization, kind="state")
    contract_sign(contract=contract, signed_on=date(2024, 6, 1), signatures={signatory.pk: ("Le préfet", None)})
    contract_set_status(contract=contract, status=ContractStatus.ENDED)
    page = _text(client.get(_url("contract_settings", contract)))
    assert '<option value="in_force">' in page


# --- signatories and signature ----------------------------------------------------------------------------------


def test_the_pilot_lists_the_signatories_and_records_the_signature(client, pilot, contract):
    prefecture = OrganizationFactory.create(name="Préfecture d'Ille-et-Vilaine", kind=OrganizationKind.STATE_SERVICE)
    metropole = OrganizationFactory.create(name="Rennes Métropole", kind=OrganizationKind.LOCAL_AUTHORITY)
    page = _text(client.get(_url("contract_signature", contract)))
    assert "Aucun signataire n'est enregistré pour l'État (le préfet)" in page
    client.post(_url("signatory_add", contract), {"organization": prefecture.pk, "kind": "state"})
    client.post(_url("signatory_add", contract), {"organization": metropole.pk, "kind": "epci"})
    signatories = {signatory.organization_id: signatory for signatory in contract.signatories.all()}
    assert set(signatories) == {prefecture.pk, metropole.pk}

    empty = client.post(_url("contract_signature", contract), {"signed_on": "2024-06-14"})
    assert "Indiquez qui a signé pour au moins un signataire." in _text(empty)
    contract.refresh_from_db()
    assert not contract.is_signed

    signed = client.post(
        _url("contract_signature", contract),
        {
            "signed_on": "2024-06-14",
            f"signed_by_{signatories[prefecture.pk].pk}": "Amélie Puech, préfète",
            f"signed_by_{signatories[metropole.pk].pk}": "Nathalie Appéré, présidente",
        },
    )
    assert signed.status_code == 302
    contract.refresh_from_db()
    assert (contract.status, contract.signed_on) == (ContractStatus.SIGNED, date(2024, 6, 14))
    page = _text(client.get(_url("contract_signature", contract)))
    assert "Le contrat a été signé le 14/06/2024" in page
    assert "Amélie Puech, préfète, le 14 juin 2024" in page
    assert (
        client.post(_url("signatory_remove", contract, signatory_id=signatories[prefecture.pk].pk)).status_code == 200
    )
    assert contract.signatories.count() == 2  # refused once signed: the page says so


# --- avenants and the contract as it stood ----------------------------------------------------------------------


def _signed(contract: Contract, on: date = date(2024, 6, 14)) -> None:
    organization = OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE)
    signatory = signatory_add(contract=contract, organization=organization, kind="state")
    contract_sign(contract=contract, signed_on=on, signatures={signatory.pk: ("Le préfet", None)})


def test_an_amendment_adds_a_fourth_pillar_and_extends_the_contract_and_the_past_stays_readable(
    client, pilot, contract, territory
):
    contract_set_qpvs(contract=contract, qpvs=[])
    before = _text(client.get(_url("amendment_create", contract)))
    assert "enregistrez d'abord la signature du contrat" in before
    _signed(contract)
    response = client.post(
        _url("amendment_create", contract),
        {
            "title": "Révision à mi-parcours",
            "signed_on": "2027-03-01",
            "new_end_on": "2031-12-31",
            "pillars_added": "Valeurs de la République et citoyenneté",
            "axes_added": "Numérique\nTransition écologique",
            "qpvs_added": [territory["maurepas"].pk],
        },
    )
    assert response.status_code == 302
    amendment = contract.amendments.get()
    detail = _text(client.get(response["Location"]))
    assert "Avenant n° 1 — Révision à mi-parcours" in detail
    assert "Valeurs de la République et citoyenneté" in detail
    contract.refresh_from_db()
    assert (contract.end_on, contract.status) == (date(2031, 12, 31), ContractStatus.EXTENDED)
    assert contract.pillars.count() == 4
    assert contract.axes.count() == 5

    then = _text(client.get(_url("structure_as_of", contract), {"day": "2026-01-01"}))
    assert "le contrat court jusqu'au 31 décembre 2030" in then
    assert "Valeurs de la République" not in then
    assert "Maurepas" not in then
    now = _text(client.get(_url("structure_as_of", contract), {"day": amendment.signed_on.isoformat()}))
    assert "Valeurs de la République et citoyenneté" in now
    assert "Maurepas (QN03501M)" in now
    listing = _text(client.get(_url("amendment_list", contract)))
    assert "Avenant n° 1 — Révision à mi-parcours" in listing


def test_an_amendment_signed_before_the_contract_is_refused(client, pilot, contract):
    _signed(contract)
    response = client.post(_url("amendment_create", contract), {"title": "Avenant", "signed_on": "2020-01-01"})
    assert "Un avenant est signé après le contrat." in _text(response)
    assert not contract.amendments.exists()


@pytest.mark.query_count("contracts:amendment_list", "contracts:amendment_detail", "contracts:structure_as_of")
def test_the_amendment_pages_read_a_constant_number_of_queries(client, pilot, contract, query_count):
    _signed(contract)

    def amend(number: int) -> Amendment:
        return amendment_create(
            contract=contract,
            title=f"Avenant {number}",
            signed_on=date(2025, 1, 1) + timedelta(days=number),
            changes=AmendmentChanges(
                pillars_added=[(f"Pilier local {number}", "")], axes_added=[(f"Axe local {number}", "")]
            ),
            by=pilot,
        )

    first = amend(0)
    pages = {
        "list": _url("amendment_list", contract),
        "detail": _url("amendment_detail", contract, amendment_id=first.pk),
        "as_of": _url("structure_as_of", contract) + "?day=2026-01-01",
    }
    few = {name: query_count.page(client, url) for name, url in pages.items()}
    for number in range(1, 7):
        amend(number)
    assert {name: query_count.page(client, url) for name, url in pages.items()} == few
    assert "Pilier local 6" in _text(query_count.response)


def test_the_home_never_says_the_qpv_population_is_missing(client, pilot, contract, territory):
    """Populations imported as indicator values are shown by the observation panel, with their source and year:
    the contract's own key facts show the population of the QPV files only when they carry it."""
    contract_set_qpvs(contract=contract, qpvs=[territory["maurepas"]])
    territory["maurepas"].population = None
    territory["maurepas"].save()
    page = _text(client.get(_url("contract_home", contract)))
    assert "non renseignée" not in page
    assert 'data-testid="qpv-population"' not in page
    territory["maurepas"].population = 4200
    territory["maurepas"].save()
    assert "4200 habitants" in _text(client.get(_url("contract_home", contract)))


# --- the other perimeters ---------------------------------------------------------------------------------------


def test_the_pilot_adds_a_lived_neighbourhood_with_its_outline_and_a_watch_area(client, pilot, contract, territory):
    contract_set_qpvs(contract=contract, qpvs=[territory["maurepas"]])
    ring = "[[-1.66, 48.12], [-1.65, 48.12], [-1.65, 48.13], [-1.66, 48.12]]"
    outline = f'{{"type": "Feature", "geometry": {{"type": "Polygon", "coordinates": [{ring}]}}}}'
    response = client.post(
        _url("area_create", contract),
        {
            "kind": "lived",
            "name": "Maurepas vécu",
            "description": "Le QPV et le parc des Gayeulles",
            "qpv": territory["maurepas"].pk,
            "geometry": outline,
        },
    )
    assert response.status_code == 302
    client.post(_url("area_create", contract), {"kind": "watch", "name": "Cleunay"})
    page = _text(client.get(_url("contract_territories", contract)))
    assert "Maurepas vécu" in page and "autour de Maurepas" in page
    assert "quartier de veille active" in page
    area = contract.areas.get(name="Maurepas vécu")
    assert area.geometry["type"] == "Polygon"


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ('{"type": "Point", "coordinates": [1, 2]}', "de type Polygon ou MultiPolygon"),
        ('{"type": "Polygon",\n "coordinates": [[[1, 2]]', "GeoJSON lisible (ligne 2, colonne"),
    ],
)
def test_a_wrong_outline_is_refused_in_french_and_nothing_is_written(client, pilot, contract, geometry, message):
    response = client.post(_url("area_create", contract), {"kind": "watch", "name": "Cleunay", "geometry": geometry})
    assert message in _text(response)
    assert not contract.areas.exists()


def test_a_qpv_of_another_contract_cannot_be_tied_to_an_area(client, pilot, contract, territory):
    response = client.post(
        _url("area_create", contract), {"kind": "lived", "name": "Recouvrance", "qpv": territory["brest_qpv"].pk}
    )
    assert "Sélectionnez un choix valide" in _text(response)
    assert not contract.areas.exists()


def test_the_home_lists_what_the_pilot_still_has_to_complete(client, pilot, contract, territory):
    page = _text(client.get(_url("contract_home", contract)))
    assert 'data-testid="setup-steps"' in page
    assert f'href="{_url("contract_territories", contract)}">Rattacher les quartiers prioritaires</a>' in page
    contract_set_qpvs(contract=contract, qpvs=[territory["maurepas"]])
    page = _text(client.get(_url("contract_home", contract)))
    assert 'Rattacher les quartiers prioritaires <span class="fr-sr-only">(fait)</span>' in page
    partner = UserFactory.create()
    grant(contract, partner, Role.PARTNER)
    client.force_login(partner)
    assert 'data-testid="setup-steps"' not in _text(client.get(_url("contract_home", contract)))
