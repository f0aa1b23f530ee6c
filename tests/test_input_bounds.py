"""Input outside the model's bounds never reaches the database: the web forms answer a French form error, the API
a 422 (or 404) in the one error shape, and nothing is written. One test per rule, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from ninja import Schema

from config.api import api
from contrat_ville.accounts.services import api_token_create
from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.bounds import BIGGEST_ID, field_bounds, form_field
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.schemas import MAX_PAGE
from contrat_ville.diagnostic.models import Stake
from contrat_ville.governance.enums import BodyKind
from contrat_ville.governance.forms.bodies import BodyMemberForm
from contrat_ville.governance.forms.meetings import MeetingForm
from contrat_ville.governance.models import Body, Meeting
from contrat_ville.governance.services.meetings import meeting_schedule
from contrat_ville.strategy.forms import ActionForm, ActionPlanForm
from contrat_ville.strategy.models import Action, ActionPlan
from contrat_ville.strategy.schemas import ActionIn, ActionStatusIn
from contrat_ville.strategy.tests.factories import make_plan, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot() -> Any:
    return UserFactory.create()


@pytest.fixture
def contract(pilot: Any) -> Any:
    contract = make_contract(name="Contrat borné", start_on=date(2024, 1, 1), end_on=date(2030, 12, 31))
    grant(contract, pilot, Role.PILOT)
    return contract


@pytest.fixture
def api_client(pilot: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=pilot)[1]}"})


def page_text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).split())


def field_errors(response: Any) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"detail", "errors"}, body
    return {error["location"]: error["message"] for error in body["errors"]}


# --- one place for each bound: forms and schemas read the model ------------------------------------------------


def test_progress_bounds_come_from_the_model_in_form_and_schema():
    bounds = field_bounds(Action, "progress")
    assert (bounds.min_value, bounds.max_value) == (0, 100)
    progress = ActionForm.base_fields["progress"]
    assert (progress.min_value, progress.max_value) == (0, 100)
    for schema in (ActionIn, ActionStatusIn):
        json_schema = schema.model_json_schema()["properties"]["progress"]
        limits = json_schema.get("anyOf", [json_schema])[0]
        assert (limits["minimum"], limits["maximum"]) == (0, 100), schema


def test_integer_columns_take_the_range_every_database_stores():
    # A PositiveSmallIntegerField without validators: PostgreSQL's smallint, whichever database runs.
    assert (field_bounds(ActionPlan, "year").min_value, field_bounds(ActionPlan, "year").max_value) == (1990, 2100)
    assert form_field(Stake, "version").max_value == 32767  # PositiveSmallIntegerField: PostgreSQL's smallint


def test_api_schema_names_are_unique():
    # django-ninja names an OpenAPI component after its class: two classes of one name silently share one schema
    # (a contract's EPCI was documented with another app's territory shape).
    api.get_openapi_schema()  # every router's schemas are imported
    classes: dict[str, set[str]] = {}

    def walk(cls: type) -> None:
        for sub in cls.__subclasses__():
            if sub.__module__.startswith(("contrat_ville.", "config.")):
                classes.setdefault(sub.__name__, set()).add(f"{sub.__module__}.{sub.__qualname__}")
            walk(sub)

    walk(Schema)
    assert len(classes) > 40
    duplicates = {name: where for name, where in classes.items() if len(where) > 1}
    assert not duplicates, duplicates


# --- ranges -------------------------------------------------------------------------------------------------


def test_progress_of_150_is_a_form_error_on_the_web(client, pilot, contract):
    # It answered 500: the form's message « … 100 %. » was formatted with the limit and broke on « %. ».
    _, _, (action,) = make_tree(contract)
    client.force_login(pilot)
    response = client.post(
        reverse("strategy:action_update", kwargs={"contract_slug": contract.slug, "action_id": action.pk}),
        {"title": action.title, "status": action.status, "progress": "150"},
    )
    assert "L'avancement est compris entre 0 et 100 %." in page_text(response)
    action.refresh_from_db()
    assert action.progress == 0


@pytest.mark.parametrize("progress", [150, -5])
def test_progress_out_of_range_is_422_in_the_api(api_client, contract, progress):
    _, objective, (action,) = make_tree(contract)
    created = api_client.post(
        f"/api/v1/contracts/{contract.pk}/actions",
        {"objective_id": objective.pk, "title": "Médiation", "progress": progress},
        content_type="application/json",
    )
    assert created.status_code == 422
    message = field_errors(created)["body.progress"]
    assert message in {
        "La valeur doit être inférieure ou égale à 100.",
        "La valeur doit être supérieure ou égale à 0.",
    }
    assert created.json()["detail"].startswith("Requête invalide : body.progress : ")
    updated = api_client.patch(
        f"/api/v1/contracts/{contract.pk}/actions/{action.pk}",
        {"status": "in_progress", "progress": progress},
        content_type="application/json",
    )
    assert updated.status_code == 422
    assert "body.progress" in field_errors(updated)
    assert Action.objects.count() == 1
    action.refresh_from_db()
    assert (action.status, action.progress) == ("planned", 0)


# --- lengths ------------------------------------------------------------------------------------------------


def test_stake_title_of_300_characters_is_422_and_not_stored(api_client, contract):
    response = api_client.post(
        f"/api/v1/contracts/{contract.pk}/stakes",
        {"pillar": contract.pillars.first().code, "title": "x" * 300},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert field_errors(response) == {"body.title": "255 caractères au plus."}
    assert not Stake.objects.exists()


def test_nul_character_is_refused_before_postgresql_sees_it(api_client, contract):
    response = api_client.post(
        f"/api/v1/contracts/{contract.pk}/stakes",
        {"pillar": contract.pillars.first().code, "title": "Tranquillité\x00publique"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert field_errors(response) == {"body.title": "Les caractères nuls ne sont pas autorisés."}
    territories = Client().get("/api/v1/territories", {"code": "QN\x00"})
    assert field_errors(territories) == {"query.code": "Les caractères nuls ne sont pas autorisés."}
    assert not Stake.objects.exists()


# --- numbers the database cannot hold -------------------------------------------------------------------------


def test_huge_page_number_is_422_not_a_server_error():
    response = Client().get("/api/v1/territories", {"page": 288230376151711744})
    assert response.status_code == 422
    assert field_errors(response) == {"query.page": f"La valeur doit être inférieure ou égale à {MAX_PAGE}."}


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/territories/{2**63}",
        f"/api/v1/contracts/{2**63}",
        f"/api/v1/contracts/1/stakes/{2**63}",
        f"/api/v1/indicator-values?contract={2**63}",
        f"/api/v1/territories?parent={2**63}",
        f"/api/v1/contracts/1/opinions?council_id={2**64}",
    ],
)
def test_an_id_beyond_64_bits_is_422(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 422
    (message,) = field_errors(response).values()
    assert message == f"La valeur doit être inférieure ou égale à {BIGGEST_ID}."


def test_an_unknown_id_within_64_bits_is_404_in_french(api_client):
    response = api_client.get(f"/api/v1/contracts/{BIGGEST_ID}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Contrat introuvable."}


# --- dates within the contract ----------------------------------------------------------------------------------


def test_yearly_plan_outside_the_contract_is_refused_in_french(client, pilot, contract):
    client.force_login(pilot)
    response = client.post(reverse("strategy:plan_create", kwargs={"contract_slug": contract.slug}), {"year": "2031"})
    assert "L'année du plan (2031) doit être une année du contrat, de 2024 à 2030." in page_text(response)
    assert not ActionPlan.objects.exists()
    # The form field itself refuses years no plan can have.
    form = ActionPlanForm({"year": "20300"}, contract=contract)
    assert form.errors["year"] == ["L'année doit être comprise entre 1990 et 2100."]


def test_next_yearly_plan_stops_at_the_contract_end(client, pilot, contract):
    last = make_plan(contract, year=2030)
    client.force_login(pilot)
    client.post(reverse("strategy:plan_prepare_next", kwargs={"contract_slug": contract.slug, "plan_id": last.pk}))
    assert list(ActionPlan.objects.values_list("year", flat=True)) == [2030]


def test_action_dates_outside_the_contract_are_refused_on_the_web_and_in_the_api(client, api_client, pilot, contract):
    _, objective, (action,) = make_tree(contract)
    client.force_login(pilot)
    response = client.post(
        reverse("strategy:action_update", kwargs={"contract_slug": contract.slug, "action_id": action.pk}),
        {"title": action.title, "status": action.status, "progress": "0", "start_on": "2023-06-01"},
    )
    assert (
        "La date de début de l'action (01/06/2023) doit être dans la période du contrat, du 01/01/2024 au 31/12/2030."
        in page_text(response)
    )
    created = api_client.post(
        f"/api/v1/contracts/{contract.pk}/actions",
        {"objective_id": objective.pk, "title": "Médiation", "end_on": "2031-01-15"},
        content_type="application/json",
    )
    assert created.status_code == 422
    assert created.json() == {
        "detail": "La date de fin de l'action (15/01/2031) doit être dans la période du contrat, du 01/01/2024 au "
        "31/12/2030."
    }
    assert Action.objects.count() == 1
    action.refresh_from_db()
    assert action.start_on == date(2025, 1, 1)


def test_implausible_meeting_date_is_refused_in_french(api_client, contract):
    response = api_client.post(
        f"/api/v1/contracts/{contract.pk}/meetings",
        {"body_id": 1, "title": "Séance", "starts_at": "0001-01-01T00:00:00+14:00", "location": "Mairie"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert field_errors(response) == {
        "body.starts_at": "Date invraisemblable : l'année doit être comprise entre 1900 et 2100."
    }


# --- the one error shape, in French ----------------------------------------------------------------------------


def test_errors_speak_french_in_one_shape(api_client, contract):
    anonymous = Client()
    private = anonymous.get(f"/api/v1/contracts/{contract.pk}/stakes")
    assert private.status_code == 401
    assert private.json()["detail"].startswith("Authentification requise")
    unknown_token = anonymous.get("/api/v1/territories", headers={"Authorization": "Bearer inconnu"})
    assert unknown_token.status_code == 401
    wrong_type = anonymous.get("/api/v1/territories", {"parent": "deux"})
    assert wrong_type.json() == {
        "detail": "Requête invalide : query.parent : Nombre entier attendu.",
        "errors": [{"location": "query.parent", "message": "Nombre entier attendu."}],
    }
    unreadable = api_client.post(
        f"/api/v1/contracts/{contract.pk}/stakes", "{pas du json", content_type="application/json"
    )
    assert unreadable.status_code == 400
    assert unreadable.json() == {"detail": "Corps de la requête illisible : un objet JSON est attendu."}


# --- the other forms: lengths of the model, dates people can type --------------------------------------------------


def test_governance_forms_take_the_model_lengths(contract):
    member = BodyMemberForm(
        {"role": "member", "person_email": f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 63}.fr"}, contract=contract
    )
    assert not member.is_valid()
    assert "254" in member.errors["person_email"][0]
    meeting = MeetingForm(
        {
            "title": "Séance",
            "starts_at": "0001-01-01T10:00",
            "video_url": "https://visio.exemple.fr/" + "x" * 200,
        }
    )
    assert not meeting.is_valid()
    assert meeting.errors["starts_at"] == ["Date invraisemblable : l'année doit être comprise entre 1900 et 2100."]
    assert "200" in meeting.errors["video_url"][0]


def test_an_agenda_line_longer_than_its_field_is_refused_and_nothing_written(contract):
    body = Body.objects.create(contract=contract, kind=BodyKind.STEERING_COMMITTEE, name="Comité de pilotage")
    with pytest.raises(BusinessRuleError, match="255 caractères au plus"):
        meeting_schedule(
            body=body,
            title="Installation",
            starts_at=timezone.now(),
            location="Mairie",
            agenda=[("x" * 300, "")],
            by=None,
        )
    assert not Meeting.objects.exists()
