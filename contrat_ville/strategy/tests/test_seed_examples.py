"""The seed's three worked examples (seed 004, « Exemples de déclinaison orientation/objectif/plan d'actions »),
expressed exactly as the seed words them, through the services."""

import pytest

from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.strategy import selectors, services
from contrat_ville.strategy.exports import EXAMPLES
from contrat_ville.strategy.tests.factories import decide, pillar

pytestmark = pytest.mark.django_db

SEED = {
    "cohesion_sociale": (
        "Améliorer le taux de réussite des élèves des quartiers prioritaires au brevet des collèges",
        "Faire progresser le taux de réussite au brevet des collèges de x%",
        "Mobiliser ou réorienter les dispositifs de droit commun existants et/ou les dispositifs spécifiques (PRE...) "
        "sur des établissements ciblés",
    ),
    "cadre_de_vie": (
        "Améliorer la sécurité des habitants",
        "Réduire les incivilités dans les halls d'immeuble",
        "Mettre en place des correspondants de nuit, des mesures de médiation sociale",
    ),
    "developpement_economique": (
        "Réduire le taux de chômage des jeunes des quartiers",
        "Réduire de x% le taux de chômage des jeunes femmes",
        "Mobiliser ou réorienter les dispositifs emplois d'avenir, écoles de l'entrepreneuriat, renforcer les modes "
        "de garde des jeunes enfants",
    ),
}


@pytest.mark.parametrize("pillar_code", list(SEED))
def test_each_seed_example_builds_through_the_services(pillar_code):
    contract = make_contract()
    orientation_title, objective_title, action_title = SEED[pillar_code]
    orientation = services.orientation_create(
        contract=contract, pillar=pillar(contract, pillar_code), title=orientation_title
    )
    decide(orientation)
    objective = services.objective_create(
        orientation=orientation, fields=services.ObjectiveFields(title=objective_title)
    )
    action = services.action_create(objective=objective, fields=services.ActionFields(title=action_title))
    plan = services.action_plan_create(contract=contract, year=2025, actions=[action])
    decide(plan)
    tree = selectors.strategy_tree(contract=contract, access=None)
    (node,) = tree.orientations
    assert (node.orientation.title, node.is_validated) == (orientation_title, True)
    assert node.objectives[0].objective.title == objective_title
    assert node.objectives[0].actions[0].title == action_title
    assert selectors.action_plan_phase_done(contract)


def test_the_import_template_carries_the_same_words():
    assert {row[0]: (row[1], row[2], row[4]) for row in EXAMPLES} == SEED
