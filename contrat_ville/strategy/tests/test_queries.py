"""Query counts of the strategy pages do not grow with the data (1 node of each kind vs many)."""

import pytest
from django.urls import reverse

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.observation.enums import Theme
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.strategy import services
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.models import Action
from contrat_ville.strategy.tests.factories import (
    add_qpv,
    copil_meeting,
    decide,
    make_action,
    make_objective,
    make_orientation,
)

pytestmark = pytest.mark.django_db


def populate(size: int, pilot):
    """A published contract: ``size`` orientations of ``size`` objectives of ``size`` actions, and two plans."""
    contract = make_contract(name=f"Contrat {size}", published=True)
    grant(contract, pilot, Role.PILOT)
    qpvs = [add_qpv(contract) for _ in range(size)]
    axes = list(contract.axes.all())
    indicator = Indicator.objects.get_or_create(
        code="CS-99", defaults={"label": "Réussite", "theme": Theme.COHESION_SOCIALE, "unit": "%"}
    )[0]
    meeting = copil_meeting(contract)
    for qpv in qpvs:
        IndicatorValue.objects.create(indicator=indicator, territory=qpv, period=2024, value=50)
    for o in range(size):
        orientation = make_orientation(contract, title=f"Orientation {o}", code=f"{o}")
        decide(orientation, meeting=meeting, is_published=True)
        for j in range(size):
            objective = make_objective(
                orientation,
                title=f"Objectif {o}.{j}",
                code=f"{o}.{j}",
                indicator=indicator,
                territory=qpvs[j % size],
                baseline_value=40,
                baseline_year=2020,
                target_value=60,
                target_year=2030,
            )
            for a in range(size):
                organization = OrganizationFactory.create()
                action = make_action(
                    objective,
                    title=f"Action {o}.{j}.{a}",
                    code=f"{o}.{j}.{a}",
                    lead_organization=organization,
                    lead_contact="Camille Martin",
                    partners=[organization, OrganizationFactory.create()],
                    qpvs=qpvs,
                    axes=axes,
                )
                services.action_set_status(action=action, status=ActionStatus.IN_PROGRESS, by=pilot)
    actions = list(Action.objects.filter(objective__orientation__contract=contract))
    plan = services.action_plan_create(contract=contract, year=2025, actions=actions)
    decide(plan, meeting=meeting)
    if len(actions) > 1:  # so that the small contract's next plan is not empty
        services.action_set_status(action=actions[0], status=ActionStatus.DONE, progress=100)
    next_plan = services.action_plan_prepare_next(plan=plan)
    return contract, orientation, objective, action, plan, next_plan


def pages(contract, orientation, objective, action, plan, next_plan):
    slug = {"contract_slug": contract.slug}
    return {
        "tree": reverse("strategy:tree", kwargs=slug),
        "tree_filtered": reverse("strategy:tree", kwargs=slug) + "?q=action&status=in_progress",
        "tree_export_xlsx": reverse("strategy:tree_export_xlsx", kwargs=slug),
        "orientation": reverse("strategy:orientation_detail", kwargs={**slug, "orientation_id": orientation.pk}),
        "objective": reverse("strategy:objective_detail", kwargs={**slug, "objective_id": objective.pk}),
        "action": reverse("strategy:action_detail", kwargs={**slug, "action_id": action.pk}),
        "plan_list": reverse("strategy:plan_list", kwargs=slug),
        "plan": reverse("strategy:plan_detail", kwargs={**slug, "plan_id": plan.pk}),
        "draft_plan": reverse("strategy:plan_detail", kwargs={**slug, "plan_id": next_plan.pk}),
        "compare": reverse("strategy:plan_compare", kwargs={**slug, "plan_id": next_plan.pk}),
        "plan_export": reverse("strategy:plan_export_xlsx", kwargs={**slug, "plan_id": plan.pk}),
        "home": reverse("contracts:contract_home", kwargs=slug),
    }


@pytest.mark.parametrize("signed_in", [True, False])
@pytest.mark.query_count(
    "strategy:tree",
    "strategy:tree_export_xlsx",
    "strategy:orientation_detail",
    "strategy:objective_detail",
    "strategy:action_detail",
    "strategy:plan_list",
    "strategy:plan_detail",
    "strategy:plan_compare",
    "strategy:plan_export_xlsx",
    "contracts:contract_home",
)
def test_strategy_pages_run_a_constant_number_of_queries(client, signed_in, query_count):
    pilot = UserFactory.create()
    small = pages(*populate(1, pilot))
    large = pages(*populate(3, pilot))
    if signed_in:
        client.force_login(pilot)
    for url in small.values():  # warm Django's content-type cache, as a running server has
        query_count.page(client, url)
    for name in small:
        assert query_count.page(client, small[name]) == query_count.page(client, large[name]), name
