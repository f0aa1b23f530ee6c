"""Pages of the strategy app: the tree (filters, search, badges, public), nodes, plans, import, home panel."""

import io
import zipfile
from html import unescape
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.spreadsheets import XLSX_CONTENT_TYPE
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.models import Stake
from contrat_ville.strategy import exports, selectors, services
from contrat_ville.strategy.enums import ActionPlanStatus, ActionStatus
from contrat_ville.strategy.models import Action, ActionPlan, Objective, Orientation
from contrat_ville.strategy.tests.factories import (
    add_qpv,
    copil_meeting,
    decide,
    make_action,
    make_objective,
    make_orientation,
    make_plan,
    make_tree,
    pillar,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot():
    return UserFactory.create(first_name="Alix", last_name="Pilote")


@pytest.fixture
def contract(pilot):
    contract = make_contract(name="Contrat de ville du Val Fictif", published=True)
    grant(contract, pilot, Role.PILOT)
    return contract


def url(name, contract, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def html(response):
    """The page's text with entities decoded and white space collapsed, to search sentences in it."""
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).split())


# --- the tree -------------------------------------------------------------------------------------------------


def test_tree_is_public_on_a_published_contract_and_marks_unvalidated_orientations(client, contract):
    validated, _, _ = make_tree(contract)
    make_orientation(contract, title="Orientation en attente", pillar_code="cohesion_sociale")
    page = html(client.get(url("tree", contract)))
    assert validated.title in page
    assert "Orientation en attente" in page
    assert "validée par le comité de pilotage le" in page
    assert "non validée par le comité de pilotage" in page
    assert "2 orientations (1 validée par le comité de pilotage), 1 objectif, 1 action" in page
    assert "Nouvelle orientation" not in page  # visitors do not edit


def test_tree_is_private_on_an_unpublished_contract(client, pilot):
    contract = make_contract(name="Contrat privé")
    grant(contract, pilot, Role.PILOT)
    assert client.get(url("tree", contract)).status_code == 404
    client.force_login(pilot)
    assert "Nouvelle orientation" in html(client.get(url("tree", contract)))


def test_tree_filters_and_search(client, contract):
    qpv = add_qpv(contract, name="Les Glycines")
    lead = OrganizationFactory.create(name="Bailleur du Val")
    youth = contract.axes.get(code="jeunesse")
    _, _, (first, _) = make_tree(contract, action_count=2)
    services.action_update(
        action=first,
        fields=services.ActionFields(
            title="Correspondants de nuit",
            qpvs=[qpv],
            axes=[youth],
            lead_organization=lead,
            status=ActionStatus.IN_PROGRESS,
        ),
    )
    other = make_orientation(contract, title="Réussite éducative", pillar_code="cohesion_sociale")
    make_action(make_objective(other, title="Brevet des collèges"), title="Accompagnement scolaire")

    def shown(**params):
        return html(client.get(f"{url('tree', contract)}?{urlencode(params)}"))

    page = shown(qpv=qpv.pk)
    assert "Correspondants de nuit" in page and "Action 2" not in page and "Réussite éducative" not in page
    page = shown(axis=youth.pk, lead=lead.pk, status=ActionStatus.IN_PROGRESS)
    assert "Correspondants de nuit" in page and "Accompagnement scolaire" not in page
    page = shown(pillar=pillar(contract, "cohesion_sociale").pk)
    assert "Accompagnement scolaire" in page and "Correspondants de nuit" not in page
    page = shown(validated="non")
    assert "Réussite éducative" in page and "Correspondants de nuit" not in page
    page = shown(q="BREVET")
    assert "Brevet des collèges" in page and "Accompagnement scolaire" in page
    assert "Correspondants de nuit" not in page
    page = shown(q="nuit")
    assert "Correspondants de nuit" in page and "Action 2" not in page
    assert "1 orientation (1 validée" in page


def test_tree_exports_follow_the_filters(client, contract):
    make_tree(contract)
    make_orientation(contract, title="Réussite éducative", pillar_code="cohesion_sociale")
    response = client.get(f"{url('tree_export_xlsx', contract)}?validated=non")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    titles = [row[2] for row in book["Arbre"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Réussite éducative"]
    response = client.get(url("tree_export_csv", contract))
    assert response["Content-Type"] == exports.CSV_CONTENT_TYPE
    assert response.content.startswith("\ufeff".encode())


# --- nodes ----------------------------------------------------------------------------------------------------


def test_pilot_creates_an_orientation_from_stakes_of_its_pillar(client, pilot, contract):
    stake = Stake.objects.create(
        contract=contract, pillar=pillar(contract, "cadre_de_vie"), title="Tranquillité", status=StakeStatus.RETAINED
    )
    decide(stake)
    wrong = Stake.objects.create(contract=contract, pillar=pillar(contract, "cohesion_sociale"), title="Réussite")
    client.force_login(pilot)
    page = html(client.get(url("orientation_create", contract)))
    assert "Tranquillité (retenu, validé par le comité de pilotage)" in page
    assert "Réussite (proposé, non validé)" in page
    data = {"pillar": pillar(contract, "cadre_de_vie").pk, "code": "2.1", "title": "Améliorer la sécurité"}
    page = html(client.post(url("orientation_create", contract), {**data, "stakes": [stake.pk, wrong.pk]}))
    assert "relèvent d'un autre pilier" in page
    response = client.post(url("orientation_create", contract), {**data, "stakes": [stake.pk]})
    orientation = Orientation.objects.get()
    assert response.url == url("orientation_detail", contract, orientation_id=orientation.pk)
    page = html(client.get(response.url))
    assert "non validée par le comité de pilotage" in page
    assert "Tranquillité" in page
    meeting = copil_meeting(contract)
    page = html(client.get(response.url))
    assert "Faire valider par le comité de pilotage" in page
    response = client.post(
        url("orientation_request_validation", contract, orientation_id=orientation.pk), {"meeting": meeting.pk}
    )
    decision_url = reverse(
        "governance:decision_create", kwargs={"contract_slug": contract.slug, "meeting_id": meeting.pk}
    )
    assert response.url == f"{decision_url}?cible=strategy.orientation%3A{orientation.pk}"
    page = html(client.get(response.url))
    assert f'value="strategy.orientation:{orientation.pk}" selected' in page


def test_objective_form_checks_years_in_french(client, pilot, contract):
    orientation = make_orientation(contract)
    client.force_login(pilot)
    page = html(
        client.post(
            url("objective_create", contract, orientation_id=orientation.pk),
            {
                "title": "Réduire les incivilités",
                "baseline_value": "120",
                "baseline_year": "2024",
                "target_year": "2020",
            },
        )
    )
    assert "L'année cible (2020) doit être égale ou postérieure à l'année de référence (2024)." in page
    assert not Objective.objects.exists()
    response = client.post(
        url("objective_create", contract, orientation_id=orientation.pk),
        {
            "code": "2.1.1",
            "title": "Réduire les incivilités",
            "indicator_text": "Incivilités signalées",
            "territory": contract.epci.pk,
            "baseline_value": "120,5",
            "baseline_year": "2022",
            "target_value": "60",
            "target_year": "2030",
        },
    )
    objective = Objective.objects.get()
    assert (objective.baseline_value, objective.territory) == (120.5, contract.epci)
    page = html(client.get(response.url))
    assert "non mesurable" in page
    assert "La trajectoire attendue est linéaire" in page


def test_pilot_creates_and_updates_an_action(client, pilot, contract):
    qpv = add_qpv(contract)
    _, objective, _ = make_tree(contract, action_count=0)
    client.force_login(pilot)
    response = client.post(
        url("action_create", contract, objective_id=objective.pk),
        {
            "title": "Médiation sociale",
            "qpvs": [qpv.pk],
            "status": ActionStatus.PLANNED,
            "progress": "0",
            "start_on": "2025-01-01",
            "end_on": "2025-12-31",
        },
    )
    action = Action.objects.get()
    assert response.url == url("action_detail", contract, action_id=action.pk)
    response = client.post(
        url("action_update", contract, action_id=action.pk),
        {"title": "Médiation sociale", "status": ActionStatus.IN_PROGRESS, "progress": "40", "comment": "Lancée"},
    )
    page = html(client.get(response.url))
    assert "en cours" in page and "avancement : 40 %" in page
    assert "prévue → en cours" in page and "Lancée" in page
    assert 'data-testid="node-history"' in page and "Alix Pilote" in page


def test_partner_edits_only_the_actions_its_organisation_leads(client, contract):
    organization = OrganizationFactory.create(kind=OrganizationKind.SOCIAL_LANDLORD)
    partner = UserFactory.create(organization=organization)
    grant(contract, partner, Role.PARTNER)
    _, objective, (own, other) = make_tree(contract, action_count=2)
    services.action_update(action=own, fields=services.ActionFields(title=own.title, lead_organization=organization))
    client.force_login(partner)
    assert client.get(url("action_update", contract, action_id=other.pk)).status_code == 403
    assert "Modifier l'action" in html(client.get(url("action_detail", contract, action_id=own.pk)))
    response = client.post(
        url("action_update", contract, action_id=own.pk),
        {"title": own.title, "lead_organization": organization.pk, "status": ActionStatus.DONE, "progress": "100"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == ActionStatus.DONE
    assert client.get(url("objective_create", contract, orientation_id=objective.orientation_id)).status_code == 403


def test_visitors_see_published_decisions_but_no_history(client, contract):
    orientation, objective, (action,) = make_tree(contract)
    decide(orientation, text="Décision publiée sur l'orientation.", is_published=True)
    page = html(client.get(url("orientation_detail", contract, orientation_id=orientation.pk)))
    assert "Décision publiée sur l'orientation." in page
    assert 'data-testid="node-history"' not in page
    html(client.get(url("objective_detail", contract, objective_id=objective.pk)))
    html(client.get(url("action_detail", contract, action_id=action.pk)))


def test_objective_figures_read_as_observation_writes_them(client, contract):
    orientation, objective, _actions = make_tree(contract)
    Objective.objects.filter(pk=objective.pk).update(baseline_value=1234.5, target_value=60.25)
    for page in (
        html(client.get(url("objective_detail", contract, objective_id=objective.pk))),
        html(client.get(url("orientation_detail", contract, orientation_id=orientation.pk))),
        html(client.get(url("tree", contract))),
    ):
        # Free-text indicator: no unit, one decimal, French digits (observation.presenters.format_value; ``html``
        # folds the no-break spaces).
        assert "1 234,5" in page and "60,2" in page
        assert "1234.5" not in page and "1234,5" not in page


# --- plans ----------------------------------------------------------------------------------------------------


def test_plan_pages_create_prepare_next_and_read_only(client, pilot, contract):
    _, _, (first, second) = make_tree(contract, action_count=2)
    client.force_login(pilot)
    response = client.post(url("plan_create", contract), {"year": "2025", "actions": [first.pk, second.pk]})
    plan = ActionPlan.objects.get()
    assert response.url == url("plan_detail", contract, plan_id=plan.pk)
    page = html(client.get(response.url))
    assert "Préparer le plan de l'année suivante" in page and "en préparation" in page
    response = client.post(url("plan_remove_action", contract, plan_id=plan.pk, action_id=second.pk))
    assert plan.items.count() == 1
    client.post(url("plan_add_action", contract, plan_id=plan.pk), {"action": second.pk})
    assert plan.items.count() == 2
    # Validation through a COPIL decision.
    meeting = copil_meeting(contract)
    response = client.post(url("plan_request_validation", contract, plan_id=plan.pk), {"meeting": meeting.pk})
    assert response.url.endswith(f"?cible=strategy.actionplan%3A{plan.pk}")
    decide(plan, meeting=meeting)
    page = html(client.get(url("plan_detail", contract, plan_id=plan.pk)))
    assert 'data-testid="plan-validated"' in page and "Retirer" not in page
    page = html(client.get(url("plan_update", contract, plan_id=plan.pk)))
    assert "a été validé par le comité de pilotage : il ne peut plus être modifié" in page
    response = client.post(url("plan_remove_action", contract, plan_id=plan.pk, action_id=first.pk))
    assert plan.items.count() == 2
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("ne peut plus être modifié" in message for message in messages)
    # Next year's draft carries over the unfinished actions.
    services.action_set_status(action=first, status=ActionStatus.DONE)
    response = client.post(url("plan_prepare_next", contract, plan_id=plan.pk))
    next_plan = ActionPlan.objects.get(year=2026)
    assert response.url == url("plan_detail", contract, plan_id=next_plan.pk)
    assert list(next_plan.items.values_list("action", flat=True)) == [second.pk]
    page = html(client.get(url("plan_compare", contract, plan_id=next_plan.pk)))
    assert "Plan d'actions 2026 : évolutions depuis 2025" in page
    assert "0 ajoutée, 0 modifiée, 1 reconduite, 1 arrêtée." in page
    assert "absente du plan 2026" in page
    page = html(client.get(url("plan_list", contract)))
    assert "Plan d'actions 2026" in page and "validé" in page


def test_plan_form_refuses_a_second_plan_for_the_same_year(client, pilot, contract):
    make_plan(contract, 2025)
    client.force_login(pilot)
    page = html(client.post(url("plan_create", contract), {"year": "2025"}))
    assert "Le contrat a déjà un plan d'actions pour 2025." in page


def test_plan_comparison_without_a_previous_plan_never_says_none(client, contract):
    """The first plan of a contract has nothing to compare with: its columns say « plan précédent », never « None »."""
    _, _, (action,) = make_tree(contract)
    plan = make_plan(contract, 2025, [action])
    page = html(client.get(url("plan_compare", contract, plan_id=plan.pk)))
    assert "Aucun plan d'actions de l'année précédente" in page
    assert "None" not in page
    assert "Plan précédent" in page


def test_plan_is_public_on_a_published_contract(client, contract):
    _, _, (action,) = make_tree(contract)
    plan = make_plan(contract, 2025, [action])
    page = html(client.get(url("plan_detail", contract, plan_id=plan.pk)))
    assert "Action 1" in page and "Préparer le plan" not in page
    assert client.get(url("plan_export_xlsx", contract, plan_id=plan.pk)).status_code == 200


# --- import, home panel, navigation ---------------------------------------------------------------------------


def test_import_page_reports_errors_then_imports(client, pilot, contract):
    client.force_login(pilot)
    template = client.get(url("import_template", contract))
    assert template["Content-Type"] == XLSX_CONTENT_TYPE
    book = load_workbook(io.BytesIO(template.content))
    book["Orientations"]["B2"] = "inconnu"
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("arbre.xlsx", buffer.getvalue())
    page = html(client.post(url("tree_import", contract), {"file": upload}))
    assert (
        "arbre.xlsx, feuille « Orientations », ligne 2, colonne Pilier (B) : code de pilier inconnu « inconnu »"
        in page
    )
    assert not Orientation.objects.exists()
    upload = SimpleUploadedFile("arbre.xlsx", template.content)
    response = client.post(url("tree_import", contract), {"file": upload})
    assert response.url == url("tree", contract)
    assert Orientation.objects.count() == 3
    page = html(client.get(response.url))
    assert "Import réussi : 3 orientations créé(e)s" in page
    assert "Feuilles non lues" not in page  # the template has no sheet nor column the import leaves
    book = load_workbook(io.BytesIO(template.content))
    book["Orientations"]["E1"] = "Commentaire"
    book.create_sheet("Brouillon")
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(url("tree_import", contract), {"file": SimpleUploadedFile("arbre.xlsx", buffer.getvalue())})
    page = html(client.get(response.url))
    assert "Feuilles non lues : Brouillon. Colonnes non lues (feuille « Orientations ») : Commentaire." in page
    page = html(client.post(url("tree_import", contract), {"file": SimpleUploadedFile("arbre.csv", b"a;b")}))
    assert "Le fichier doit être un classeur Excel au format .xlsx." in page
    # A workbook with macros (vbaProject.bin) is refused by core.uploads before the importer reads it.
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template.content)) as original, zipfile.ZipFile(buffer, "w") as copy:
        for item in original.infolist():
            copy.writestr(item, original.read(item.filename))
        copy.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    page = html(
        client.post(url("tree_import", contract), {"file": SimpleUploadedFile("arbre.xlsx", buffer.getvalue())})
    )
    assert "Le fichier « arbre.xlsx » est refusé : il contient des macros (vbaProject.bin)." in page
    assert Orientation.objects.count() == 3


def test_contract_home_shows_the_strategy_panel_and_menu(client, contract):
    make_tree(contract)
    make_orientation(contract, title="En attente", pillar_code="cohesion_sociale")
    page = html(client.get(reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})))
    assert 'data-testid="strategy-panel"' in page
    assert "2 orientations stratégiques, dont 1 validée par le comité de pilotage et 1 non validée" in page
    assert url("tree", contract) in page and url("plan_list", contract) in page


def test_phase_rules_are_registered():
    from contrat_ville.core.registries import decision_targets, phase_status_rules

    assert phase_status_rules.get("3.2") is not None and phase_status_rules.get("4") is not None
    assert decision_targets.get("strategy.orientation").label == "orientation stratégique"
    assert decision_targets.get("strategy.actionplan").on_decision is services.action_plan_on_decision
    assert selectors.OBJECTIVE_RULE
    assert ActionPlanStatus.VALIDATED.label == "validé"


def test_unvalidated_orientations_are_marked_on_action_and_plan_pages(client, contract):
    _, _, (action,) = make_tree(contract, validated=False)
    plan = make_plan(contract, 2025, [action])
    assert "non validée par le comité de pilotage" in html(
        client.get(url("action_detail", contract, action_id=action.pk))
    )
    assert "non validée par le comité de pilotage" in html(client.get(url("plan_detail", contract, plan_id=plan.pk)))
    validated_tree = make_tree(make_contract(name="Autre contrat publié", published=True))
    other = validated_tree[2][0]
    other_contract = other.objective.orientation.contract
    page = html(client.get(url("action_detail", other_contract, action_id=other.pk)))
    assert "non validée" not in page


def test_contract_dashboard_charts_actions_by_pillar_and_status_with_links_to_the_filtered_tree(client, contract):
    _, _, actions = make_tree(contract, action_count=3)
    actions[0].status = ActionStatus.DONE
    actions[0].save()
    page = html(client.get(reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})))
    assert 'data-testid="actions-chart"' in page and 'data-testid="objectives-chart"' in page
    cadre = pillar(contract, "cadre_de_vie")
    tree = url("tree", contract)
    assert f'<a href="{tree}?pillar={cadre.pk}&status=planned">2</a>' in page
    assert f'<a href="{tree}?pillar={cadre.pk}&status=done">1</a>' in page
    assert "Actions par pilier et par état (3)" in page
    # The objective of make_tree has no measured value yet: « non mesurable ».
    assert "Objectifs opérationnels selon leur trajectoire (1)" in page
