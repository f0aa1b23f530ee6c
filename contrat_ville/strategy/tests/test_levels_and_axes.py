"""The contract's structure as data in the strategy (issue 10 §2): orientations and objectives cite any number of
the contract's transversal axes, and the pages and exports name the levels as the contract does."""

import csv
import io
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.services import term_archive
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.strategy import services
from contrat_ville.strategy.forms import ObjectiveForm, OrientationForm
from contrat_ville.strategy.tests.factories import make_action, make_objective, make_orientation, pillar

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot():
    return UserFactory.create()


@pytest.fixture
def contract(pilot):
    contract = make_contract(name="Contrat de ville du Val Fictif", published=True)
    grant(contract, pilot, Role.PILOT)
    return contract


def url(name, contract, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).split())


def test_orientations_and_objectives_cite_the_contracts_axes_from_their_forms(client, pilot, contract):
    youth, equality = list(contract.axes.order_by("order", "pk")[:2])
    client.force_login(pilot)
    response = client.post(
        url("orientation_create", contract),
        {"pillar": pillar(contract, "cadre_de_vie").pk, "title": "Tranquillité", "axes": [youth.pk, equality.pk]},
    )
    assert response.status_code == 302, response.content
    orientation = contract.orientations.get()
    assert set(orientation.axes.all()) == {youth, equality}
    assert f"<strong>Axes transversaux :</strong> {youth.label}, {equality.label}" in text(
        client.get(url("orientation_detail", contract, orientation_id=orientation.pk))
    )

    response = client.post(
        url("objective_create", contract, orientation_id=orientation.pk),
        {"title": "Réduire les incivilités", "axes": [equality.pk]},
    )
    assert response.status_code == 302, response.content
    objective = orientation.objectives.get()
    assert list(objective.axes.all()) == [equality]
    assert f"<strong>Axes transversaux :</strong> {equality.label}" in text(
        client.get(url("objective_detail", contract, objective_id=objective.pk))
    )
    # Editing the objective keeps its axes on the form; an import or API write that names none keeps them.
    assert ObjectiveForm(contract=contract, initial=ObjectiveForm.initial_from(objective)).initial["axes"] == [
        equality.pk
    ]
    services.objective_update(objective=objective, fields=services.ObjectiveFields(title="Réduire les incivilités"))
    assert list(objective.axes.all()) == [equality]


def test_an_axis_of_another_contract_is_refused_and_an_archived_axis_leaves_the_forms(contract):
    other = make_contract(name="Autre contrat")
    foreign = other.axes.first()
    with pytest.raises(BusinessRuleError, match="pas des axes du contrat"):
        make_orientation(contract, axes=[foreign])
    orientation = make_orientation(contract)
    with pytest.raises(BusinessRuleError, match="pas des axes du contrat"):
        make_objective(orientation, axes=[foreign])

    archived = contract.axes.order_by("order", "pk").first()
    orientation = make_orientation(contract, title="Citée", axes=[archived])
    term_archive(term=archived, on=timezone.localdate())
    assert archived not in OrientationForm(contract=contract, stake_rows=[]).fields["axes"].queryset
    editing = OrientationForm(contract=contract, stake_rows=[], initial={"axes": [archived.pk]})
    assert archived in editing.fields["axes"].queryset
    assert list(orientation.axes.all()) == [archived]


def test_pages_buttons_and_exports_use_the_contracts_names_of_its_levels(client, pilot, contract):
    contract.pillar_term = "défi"
    contract.orientation_term = "axe prioritaire"
    contract.objective_term = "fiche action"
    contract.save()
    orientation = make_orientation(contract)
    objective = make_objective(orientation)
    make_action(objective, title="Correspondants de nuit")
    client.force_login(pilot)

    tree = text(client.get(url("tree", contract)))
    assert "Ajouter : axe prioritaire" in tree
    assert f"Défi « {orientation.pillar.label} »" in tree
    page = text(client.get(url("orientation_detail", contract, orientation_id=orientation.pk)))
    assert f"Défi : {orientation.pillar.label}" in page
    assert "Ajouter : fiche action" in page
    assert "<h1>Ajouter : fiche action</h1>" in text(
        client.get(url("objective_create", contract, orientation_id=orientation.pk))
    )
    assert f"(défi « {orientation.pillar.label} »)" in text(
        client.get(url("objective_detail", contract, objective_id=objective.pk))
    )

    rows = list(
        csv.reader(
            io.StringIO(client.get(url("tree_export_csv", contract)).content.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][:6] == [
        "Défi",
        "Axe prioritaire (référence)",
        "Axe prioritaire",
        "Validée par le comité de pilotage",
        "Fiche action (référence)",
        "Fiche action",
    ]
    assert "Action" in rows[0]


def test_the_default_names_keep_the_usual_wording(client, pilot, contract):
    orientation = make_orientation(contract)
    client.force_login(pilot)
    assert "Nouvelle orientation" in text(client.get(url("tree", contract)))
    assert "Ajouter un objectif" in text(
        client.get(url("orientation_detail", contract, orientation_id=orientation.pk))
    )
    rows = list(
        csv.reader(
            io.StringIO(client.get(url("tree_export_csv", contract)).content.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][:3] == ["Pilier", "Orientation (référence)", "Orientation"]
