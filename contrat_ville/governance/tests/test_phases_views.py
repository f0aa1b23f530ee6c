from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contrat_ville.accounts.models import User
from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.registries import home_panels
from contrat_ville.governance import phase_templates
from contrat_ville.governance.enums import PhaseStatus
from contrat_ville.governance.models import Phase, PhaseTemplateStep
from contrat_ville.governance.services.phases import phase_templates_sync, phases_apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot():
    return UserFactory(first_name="Alix", last_name="Pilote")


@pytest.fixture
def contract(pilot):
    contract = make_contract(name="Contrat de ville du Val Fictif", published=True)
    grant(contract, pilot, Role.PILOT)
    return contract


def _url(name, contract, **kwargs):
    return reverse(f"governance:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def test_timeline_reads_as_a_table_with_every_phase_and_late_badges(client, pilot, contract):
    phases_apply(contract=contract, launch_on=timezone.localdate() - timedelta(days=400), by=None)
    client.force_login(pilot)
    response = client.get(_url("phase_timeline", contract))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<caption>Calendrier des phases d'élaboration" in page
    assert page.count('data-testid="phase-row"') == len(phase_templates.SEED_2014.steps)
    for step in phase_templates.SEED_2014.steps:
        assert f"<td>{step.code}</td>" in page
    assert "en retard" in page
    assert "cv-gantt__cell--on" in page
    assert "governance/gantt.css" in page
    assert "style=" not in page.split("<main", 1)[1]
    assert "fr-accordion__btn" in page


def test_timeline_tells_who_set_a_status_by_hand(client, pilot, contract):
    phases = phases_apply(contract=contract, by=None)
    client.force_login(pilot)
    response = client.post(
        _url("phase_update", contract, phase_id=phases[1].pk),
        {
            "manual_status": PhaseStatus.DONE,
            "planned_start": phases[1].planned_start.isoformat(),
            "planned_end": phases[1].planned_end.isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(_url("phase_timeline", contract)).content.decode()
    assert "saisi à la main par Alix Pilote" in page


def test_timeline_is_private(client, contract):
    phases_apply(contract=contract, by=None)
    assert client.get(_url("phase_timeline", contract)).status_code == 404
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(_url("phase_timeline", contract)).status_code == 404


def test_empty_timeline_offers_to_apply_a_template(client, pilot, contract):
    client.force_login(pilot)
    page = client.get(_url("phase_timeline", contract)).content.decode()
    assert "Aucune phase d'élaboration" in page
    assert _url("phase_apply", contract) in page


def test_apply_a_template_through_the_form(client, pilot, contract):
    client.force_login(pilot)
    assert client.get(_url("phase_apply", contract)).status_code == 200
    response = client.post(
        _url("phase_apply", contract), {"template_code": "calendrier-2024", "launch_on": "2023-09-01"}
    )
    assert response.status_code == 302
    first = Phase.objects.filter(contract=contract).order_by("order").first()
    assert first.planned_start == date(2023, 9, 1)
    assert Phase.objects.filter(contract=contract).count() == len(phase_templates.CALENDAR_2024.steps)


def test_apply_form_shows_the_refusal(client, pilot, contract):
    phases = phases_apply(contract=contract, by=None)
    client.force_login(pilot)
    client.post(
        _url("phase_update", contract, phase_id=phases[0].pk),
        {"manual_status": PhaseStatus.IN_PROGRESS, "planned_start": "2024-01-01", "planned_end": "2024-01-31"},
    )
    response = client.post(
        _url("phase_apply", contract), {"template_code": "processus-2014", "launch_on": "2024-01-01"}
    )
    assert response.status_code == 200
    assert "saisi à la main" in response.content.decode()


def test_phase_update_explains_a_computed_status_and_refuses_bad_dates(client, pilot, contract):
    phases = {phase.code: phase for phase in phases_apply(contract=contract, by=None)}
    client.force_login(pilot)
    page = client.get(_url("phase_update", contract, phase_id=phases["2.2"].pk)).content.decode()
    assert "L'état de cette phase est calculé" in page
    assert "Le comité technique a des membres." in page
    response = client.post(
        _url("phase_update", contract, phase_id=phases["2.2"].pk),
        {"manual_status": PhaseStatus.TODO, "planned_start": "2024-03-01", "planned_end": "2024-02-01"},
    )
    assert response.status_code == 200
    assert "ne peut pas précéder" in response.content.decode()


def test_partner_reads_the_timeline_but_may_not_edit(client, contract):
    phases = phases_apply(contract=contract, by=None)
    partner = UserFactory()
    grant(contract, partner, Role.PARTNER)
    client.force_login(partner)
    assert client.get(_url("phase_timeline", contract)).status_code == 200
    assert client.get(_url("phase_apply", contract)).status_code == 403
    assert client.get(_url("phase_update", contract, phase_id=phases[0].pk)).status_code == 403


def test_phase_of_another_contract_is_not_found(client, pilot, contract):
    foreign = phases_apply(contract=make_contract(name="Autre contrat"), by=None)[0]
    client.force_login(pilot)
    assert client.get(_url("phase_update", contract, phase_id=foreign.pk)).status_code == 404


def test_next_steps_panel_on_the_contract_home_page(client, pilot, contract, monkeypatch):
    # Only this panel: the other governance panels are tested by their own modules.
    monkeypatch.delitem(home_panels._entries, "governance-conformity", raising=False)
    phases_apply(contract=contract, launch_on=timezone.localdate() - timedelta(days=45), by=None)
    client.force_login(pilot)
    page = client.get(reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})).content.decode()
    panel = page.split('data-testid="next-steps"', 1)[1]
    assert "Prochaines étapes" in page
    assert "Travail préparatoire à l&#x27;État" in panel  # 1.1 is late
    assert "en retard" in panel
    assert "<h4" in panel
    assert _url("phase_timeline", contract) in panel


def test_next_steps_panel_is_hidden_from_visitors(client, contract, monkeypatch):
    monkeypatch.delitem(home_panels._entries, "governance-conformity", raising=False)
    phases_apply(contract=contract, by=None)
    page = client.get(reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})).content.decode()
    assert 'data-testid="next-steps"' not in page


def _add_phases(contract, count, *, first_order):
    step = PhaseTemplateStep.objects.order_by("pk").first()
    assert step is not None
    setter = User.objects.create_user(email=f"saisie{first_order}@exemple.test", first_name="Dominique")
    Phase.objects.bulk_create(
        Phase(
            contract=contract,
            template_step=step,
            code=f"7.{first_order + index}",
            title=f"Phase supplémentaire {index}",
            order=first_order + index,
            planned_start=date(2024, 1, 1) + timedelta(days=index),
            planned_end=date(2024, 3, 1) + timedelta(days=index),
            status_set_by=setter if index % 2 else None,
            manual_status=PhaseStatus.IN_PROGRESS if index % 2 else PhaseStatus.TODO,
        )
        for index in range(count)
    )


@pytest.mark.query_count("governance:phase_timeline")
def test_timeline_queries_do_not_grow_with_phases(client, pilot, contract, query_count):
    phase_templates_sync()
    client.force_login(pilot)
    url = _url("phase_timeline", contract)
    _add_phases(contract, 2, first_order=1)
    few = query_count.page(client, url)
    _add_phases(contract, 18, first_order=10)
    assert query_count.page(client, url) == few
