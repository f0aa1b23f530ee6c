"""Composition checks R07, R09, R10, R11, R12: one pass and one fail case per rule, and the conformity report."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.tests.factories import OrganizationFactory
from contrat_ville.contracts.enums import Generation
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.governance.enums import BodyKind, MemberRole
from contrat_ville.governance.registrations import conformity_panel_context
from contrat_ville.governance.selectors.composition import (
    CompositionContext,
    body_conformity,
    check_citizen_council,
    check_pillars_have_working_group,
    check_steering_committee_cochairs,
    check_steering_committee_exists,
    check_technical_committee_facilitators,
    check_working_group_cochairs,
    contract_conformity,
    steering_committee_cochairs_complete,
)
from contrat_ville.governance.tests.factories_bodies import (
    BodyFactory,
    governance_world,
    seat,
    steering_committee,
    working_group,
)

pytestmark = pytest.mark.django_db

PILLARS = ("cohesion_sociale", "cadre_de_vie", "developpement_economique")


@pytest.fixture
def world():
    """A 2015 contract: every composition rule of the 2014 framework applies to it."""
    return governance_world(generation=Generation.G2015)


def context_of(world):
    return CompositionContext.build(world.contract)


# --- R10 -----------------------------------------------------------------------------------------------


def test_r10_technical_committee_is_co_animated_by_state_epci_and_communes(world):
    committee = BodyFactory.create(contract=world.contract, kind=BodyKind.TECHNICAL_COMMITTEE, name="Comité technique")
    seat(committee, world.state_org, MemberRole.FACILITATOR)
    seat(committee, world.epci_org, MemberRole.CO_CHAIR)
    seat(committee, world.commune_org, MemberRole.TECHNICIAN)
    issues = check_technical_committee_facilitators(committee, context_of(world))
    assert [issue.rule_code for issue in issues] == ["R10"]
    assert f"la commune de {world.commune.name}" in issues[0].message_fr
    assert issues[0].basis == "note de cadrage de 2014, phase 2.2"
    assert issues[0].fix_url.endswith(f"?role=facilitator&organization={world.commune_org.pk}")
    committee.members.filter(organization=world.commune_org).update(role=MemberRole.FACILITATOR)
    assert check_technical_committee_facilitators(committee, context_of(world)) == []
    assert "R10" not in {issue.rule_code for issue in body_conformity(body=committee)}


# --- R09 -----------------------------------------------------------------------------------------------


def test_r09_passes_when_state_epci_and_each_commune_cochair(world):
    committee = steering_committee(world)
    assert check_steering_committee_cochairs(committee, context_of(world)) == []
    assert steering_committee_cochairs_complete(committee) is True


def test_r09_names_the_missing_commune_and_links_to_the_member_form(world):
    committee = steering_committee(world, complete=False)
    seat(committee, world.state_org, MemberRole.CO_CHAIR)
    seat(committee, world.epci_org, MemberRole.CO_CHAIR)
    issues = check_steering_committee_cochairs(committee, context_of(world))
    assert [issue.rule_code for issue in issues] == ["R09"]
    assert f"la commune de {world.commune.name}" in issues[0].message_fr
    assert issues[0].basis == "note de cadrage de 2014, phase 2.1"
    url = reverse("governance:body_member_add", kwargs={"contract_slug": world.contract.slug, "body_id": committee.pk})
    assert issues[0].fix_url == f"{url}?role=co_chair&organization={world.commune_org.pk}"
    assert issues[0].severity == "warning"
    assert steering_committee_cochairs_complete(committee) is False


def test_r09_a_state_service_seated_as_member_is_not_a_cochair(world):
    committee = steering_committee(world, complete=False)
    seat(committee, world.state_org, MemberRole.MEMBER)
    seat(committee, world.epci_org, MemberRole.CO_CHAIR)
    seat(committee, world.commune_org, MemberRole.CO_CHAIR)
    issues = check_steering_committee_cochairs(committee, context_of(world))
    assert len(issues) == 1
    assert "l'État" in issues[0].message_fr


def test_r09_empty_committee_misses_all_three_parties(world):
    committee = steering_committee(world, complete=False)
    assert len(check_steering_committee_cochairs(committee, context_of(world))) == 3


def test_r09_warns_when_there_is_no_steering_committee(world):
    issues = check_steering_committee_exists([], context_of(world))
    assert len(issues) == 1
    assert issues[0].fix_url.endswith("?kind=steering_committee")
    assert check_steering_committee_exists([steering_committee(world)], context_of(world)) == []


# --- R12 -----------------------------------------------------------------------------------------------


def test_r12_body_without_conseil_citoyen_is_flagged(world):
    committee = steering_committee(world, complete=False)
    seat(committee, world.epci_org)
    issues = check_citizen_council(committee, context_of(world))
    assert [issue.rule_code for issue in issues] == ["R12"]
    assert "conseil citoyen" in issues[0].message_fr
    assert issues[0].basis == "loi du 21 février 2014, art. 7"


def test_r12_passes_with_a_conseil_citoyen(world):
    committee = steering_committee(world, complete=False)
    seat(committee, world.council_org)
    assert check_citizen_council(committee, context_of(world)) == []


@pytest.mark.parametrize("kind", [BodyKind.STATE_CORE_TEAM, BodyKind.INTERMINISTERIAL_TEAM])
def test_r12_state_teams_are_exempt(world, kind):
    team = BodyFactory.create(contract=world.contract, kind=kind)
    assert check_citizen_council(team, context_of(world)) == []


# --- R07 -----------------------------------------------------------------------------------------------


def test_r07_every_pillar_without_working_group_is_flagged(world):
    issues = check_pillars_have_working_group([], context_of(world))
    assert len(issues) == 3
    assert all(issue.rule_code == "R07" for issue in issues)
    assert "Cohésion sociale" in issues[0].message_fr


def test_r07_passes_when_every_pillar_has_a_group(world):
    groups = [working_group(world, code, complete=False) for code in PILLARS]
    assert check_pillars_have_working_group(groups, context_of(world)) == []
    cohesion = world.contract.pillars.get(code="cohesion_sociale")
    issues = check_pillars_have_working_group(groups[1:], context_of(world))
    assert len(issues) == 1
    assert issues[0].fix_query == f"kind=working_group&pillar={cohesion.pk}"


# --- R11 -----------------------------------------------------------------------------------------------


def test_r11_passes_with_state_epci_and_commune_cochairs(world):
    group = working_group(world, "cadre_de_vie")
    assert check_working_group_cochairs(group, context_of(world)) == []


def test_r11_warns_with_the_seeds_wording(world):
    cohesion = working_group(world, "cohesion_sociale", complete=False)
    economy = working_group(world, "developpement_economique", complete=False)
    cohesion_issues = check_working_group_cochairs(cohesion, context_of(world))
    economy_issues = check_working_group_cochairs(economy, context_of(world))
    assert len(cohesion_issues) == 3
    assert "peut être coprésidé" in cohesion_issues[0].message_fr
    assert "DDETS, ex-DDCS" in cohesion_issues[0].message_fr
    assert "sera coprésidé" in economy_issues[0].message_fr
    assert all(issue.severity == "warning" for issue in cohesion_issues + economy_issues)


def test_r11_a_commune_without_organisation_is_still_required(world):
    group = working_group(world, "cadre_de_vie")
    group.members.filter(organization=world.commune_org).delete()
    world.commune_org.delete()
    issues = check_working_group_cochairs(group, context_of(world))
    assert len(issues) == 1
    assert "?role=co_chair" in issues[0].fix_url
    assert "organization=" not in issues[0].fix_url


# --- report --------------------------------------------------------------------------------------------


def test_conformant_contract(world):
    steering_committee(world)
    for code in PILLARS:
        working_group(world, code)
    report = contract_conformity(contract=world.contract)
    assert report.is_conformant
    assert report.body_count == 4


def test_report_groups_issues_by_body_with_counts(world):
    steering_committee(world, complete=False)
    report = contract_conformity(contract=world.contract)
    assert report.counts_by_rule == {"R07": 3, "R09": 3, "R12": 1}
    assert report.issue_count == 7
    assert len(report.contract_issues) == 3
    assert [entry.body.kind for entry in report.bodies_with_issues] == [BodyKind.STEERING_COMMITTEE]


def test_body_conformity_of_one_body(world):
    group = working_group(world, "cohesion_sociale", complete=False)
    seat(group, world.council_org)
    assert [issue.rule_code for issue in body_conformity(body=group)] == ["R11", "R11", "R11"]


def test_contract_conformity_runs_a_bounded_number_of_queries(world, query_count):
    def add_groups(count):
        for index in range(count):
            group = BodyFactory.create(
                contract=world.contract,
                kind=BodyKind.WORKING_GROUP,
                pillar=world.contract.pillars.first(),
                name=f"Sous-groupe {index}",
            )
            for _ in range(3):
                seat(group, OrganizationFactory.create(kind=OrganizationKind.ASSOCIATION))

    add_groups(2)
    with query_count() as few:
        contract_conformity(contract=world.contract)
    add_groups(18)
    with query_count() as many:
        report = contract_conformity(contract=world.contract)
    assert len(few) <= 6
    assert len(many) <= 6
    assert report.body_count == 20


def test_panel_says_conformant_or_lists_issues_with_links(world):
    steering_committee(world)
    for code in PILLARS:
        working_group(world, code)
    editor = ContractAccess(contract=world.contract, role="pilot")

    def panel(access: ContractAccess) -> str:
        context = {"contract": world.contract, **conformity_panel_context(world.contract, access)}
        return render_to_string("governance/panels/_conformity.html", context)

    html = panel(editor)
    assert "Gouvernance conforme aux règles de composition applicables à ce contrat" in html
    assert "R07 : un groupe de travail thématique par pilier" in html

    BodyFactory.create(contract=world.contract, kind=BodyKind.TECHNICAL_COMMITTEE, name="Comité technique")
    html = panel(editor)
    assert "Ajouter un conseil citoyen" in html
    assert "<h4" in html and "<h2" not in html and "<h3" not in html  # inside the dashboard panel's <h3>

    html = panel(ContractAccess(contract=world.contract, role="partner"))
    assert "Comité technique" not in html
    # R12 (no conseil citoyen) and R10 (State, EPCI and the commune do not co-animate it).
    assert "4 points d'attention" in html


def test_a_commune_without_siren_is_matched_by_its_organisations_name(world):
    world.commune.siren = ""
    world.commune.save()
    world.commune_org.siren = ""
    world.commune_org.save()
    committee = steering_committee(world)
    assert world.commune_org.name == f"Commune de {world.commune.name}"
    assert check_steering_committee_cochairs(committee, context_of(world)) == []


# --- rules per generation (domain.md §10) ----------------------------------------------------------------


def test_a_2015_contract_is_checked_against_every_rule_with_its_basis(world):
    steering_committee(world, complete=False)
    BodyFactory.create(contract=world.contract, kind=BodyKind.TECHNICAL_COMMITTEE, name="Comité technique")
    report = contract_conformity(contract=world.contract)
    assert set(report.counts_by_rule) == {"R07", "R09", "R10", "R12"}
    assert [rule.code for rule, _ in report.rules] == ["R07", "R09", "R10", "R11", "R12"]
    bases = {issue.rule_code: issue.basis for issue in report.issues}
    assert bases["R07"] == "circulaire du 15 octobre 2014, annexe ; note de cadrage de 2014, phase 2.3"
    assert bases["R10"] == "note de cadrage de 2014, phase 2.2"
    group = working_group(world, "cohesion_sociale", complete=False)
    assert {issue.basis for issue in body_conformity(body=group) if issue.rule_code == "R11"} == {
        "note de cadrage de 2014, phase 2.3.1"
    }


def test_a_2024_contract_is_not_checked_against_the_2014_framework():
    world = governance_world(generation=Generation.G2024)
    committee = steering_committee(world, complete=False)
    technical = BodyFactory.create(contract=world.contract, kind=BodyKind.TECHNICAL_COMMITTEE, name="Comité technique")
    group = working_group(world, "cohesion_sociale", complete=False)
    report = contract_conformity(contract=world.contract)
    # No R07 (a working group per pillar), R10 (co-animated COTECH) nor R11 (co-chaired groups) on 2024-2030.
    assert set(report.counts_by_rule) == {"R09", "R12"}
    assert [rule.code for rule, _ in report.rules] == ["R09", "R12"]
    context = CompositionContext.build(world.contract)
    assert check_pillars_have_working_group([group], context) == []
    assert check_technical_committee_facilitators(technical, context) == []
    assert check_working_group_cochairs(group, context) == []
    # The rules that remain state their 2024 basis, never the 2014 note de cadrage.
    r09 = check_steering_committee_cochairs(committee, context)
    assert r09 and all("note de cadrage" not in issue.basis for issue in r09)
    assert r09[0].basis.startswith("usage des contrats 2024-2030")
    r12 = check_citizen_council(group, context)
    assert r12[0].basis == "loi du 21 février 2014, art. 7, maintenu par défaut pour les contrats 2024-2030"
    assert all("2014" not in issue.message_fr for issue in report.issues)


def test_the_warning_shows_its_basis_on_the_body_page(client):
    world = governance_world(generation=Generation.G2024)
    committee = steering_committee(world, complete=False)
    client.force_login(world.pilot)
    url = reverse("governance:body_detail", kwargs={"contract_slug": world.contract.slug, "body_id": committee.pk})
    html = client.get(url).content.decode()
    assert "Fondement : usage des contrats 2024-2030" in html
    assert "note de cadrage de 2014, phase 2.1" not in html
