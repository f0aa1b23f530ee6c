"""The data migration that turns the stake versions already submitted in a consultation into its items
(``diagnostic.0006``; style.md §5.10: data migrations get a test)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contrat_ville.diagnostic.models import ConsultedObject
from contrat_ville.territories.models import Territory

BEFORE = ("diagnostic", "0005_consulted_objects")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_submitted_stake_versions_become_the_consultations_items():
    old = migrate([node for node in latest() if node[0] != "diagnostic"] + [BEFORE])
    contract = old.get_model("contracts", "Contract").objects.create(
        slug="val",
        name="Val",
        epci_id=Territory.objects.create(kind="epci", code="200099001", vintage="2026", name="CA").pk,
        generation="2024",
        start_on=date(2024, 1, 1),
        end_on=date(2030, 12, 31),
    )
    pillar = old.get_model("contracts", "Pillar").objects.create(
        contract=contract, code="cohesion_sociale", label="Cohésion sociale", order=1
    )
    stake_model = old.get_model("diagnostic", "Stake")
    version_model = old.get_model("diagnostic", "StakeVersion")
    council = old.get_model("accounts", "Organization").objects.create(name="Conseil des Iris", kind="citizen_council")
    consultation = old.get_model("diagnostic", "Consultation").objects.create(
        contract=contract, title="Mise en débat", deadline=date(2026, 12, 31)
    )
    consultation.councils.set([council])
    versions = []
    for order, title in ((2, "Santé"), (1, "Réussite")):
        stake = stake_model.objects.create(contract=contract, pillar=pillar, title=title, order=order, version=2)
        version_model.objects.create(stake=stake, number=1, title=f"{title} v1")
        versions.append(version_model.objects.create(stake=stake, number=2, title=title))
    consultation.stake_versions.set(versions)

    migrate(latest())

    items = list(ConsultedObject.objects.filter(consultation_id=consultation.pk).order_by("order"))
    assert [item.label for item in items] == ["Cohésion sociale — Réussite (v2)", "Cohésion sociale — Santé (v2)"]
    assert [item.target_id for item in items] == [versions[1].pk, versions[0].pk]
    assert {(item.kind, item.target_type.model, item.subject_type.model) for item in items} == {
        ("diagnostic.stake", "stakeversion", "stake")
    }
    assert [item.subject_id for item in items] == [versions[1].stake_id, versions[0].stake_id]
