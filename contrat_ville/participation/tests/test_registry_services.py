"""The rules of the councils' registry (issue 11 §1-2): French refusals, the organisation kept in step."""

from datetime import date

import pytest

from contrat_ville.accounts.tests.factories import OrganizationFactory
from contrat_ville.contracts.enums import Generation
from contrat_ville.contracts.selectors import organizations_of_contract
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.participation import services
from contrat_ville.participation.enums import AgeBand, College, CouncilStatus, DesignationMethod, LegalForm, Sex
from contrat_ville.participation.models import CitizenCouncil, CouncilMember
from contrat_ville.participation.selectors import composition_warnings, council_composition
from contrat_ville.participation.tests.factories import add_member, add_qpv, make_council

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


@pytest.fixture
def contract():
    return make_contract(name="Contrat des conseils")


def save(contract, council=None, **fields):
    values = {"name": "Conseil citoyen des Tilleuls", "legal_form": LegalForm.ASSOCIATION, **fields}
    if "qpvs" not in values:
        values["qpvs"] = [add_qpv(contract)]
    return services.council_save(
        contract=contract, council=council, fields=services.CouncilFields(**values), today=TODAY
    )


def test_a_new_council_gets_its_organisation_serving_its_qpvs(contract):
    qpv = add_qpv(contract, name="Les Tilleuls")
    council = save(contract, qpvs=[qpv], statutes="Article 1 : …")
    organization = council.organization
    assert organization.kind == "citizen_council"
    assert organization.name == "Conseil citoyen des Tilleuls"
    assert list(organization.served_territories.all()) == [qpv]
    assert organization in organizations_of_contract(contract=contract)
    assert list(council.qpvs.all()) == [qpv]
    renamed = save(contract, council=council, name="Conseil citoyen Tilleuls-Érables", qpvs=[qpv])
    renamed.organization.refresh_from_db()
    assert renamed.organization.pk == organization.pk
    assert renamed.organization.name == "Conseil citoyen Tilleuls-Érables"
    assert council.history.count() == 2


def test_a_council_may_be_registered_on_its_existing_organisation(contract):
    qpv = add_qpv(contract)
    existing = OrganizationFactory.create(name="CC des Tilleuls", kind="citizen_council")
    existing.served_territories.add(qpv)
    council = services.council_save(
        contract=contract,
        fields=services.CouncilFields(name="Conseil citoyen des Tilleuls", qpvs=[qpv], legal_form="collective"),
        organization=existing,
    )
    assert council.organization == existing
    with pytest.raises(BusinessRuleError, match="est déjà inscrit au registre"):
        services.council_save(
            contract=contract,
            fields=services.CouncilFields(name="Autre nom", qpvs=[add_qpv(contract)], legal_form="collective"),
            organization=existing,
        )


def test_an_organisation_of_another_kind_or_foreign_to_the_contract_is_refused(contract):
    association = OrganizationFactory.create(kind="association", departement_code="")
    with pytest.raises(BusinessRuleError, match="n'est pas un conseil citoyen"):
        services.council_save(
            contract=contract,
            fields=services.CouncilFields(name="CC", qpvs=[add_qpv(contract)], legal_form="collective"),
            organization=association,
        )
    foreign = OrganizationFactory.create(kind="citizen_council", departement_code="")
    with pytest.raises(BusinessRuleError, match="n'est pas une organisation de ce contrat"):
        services.council_save(
            contract=contract,
            fields=services.CouncilFields(name="CC", qpvs=[add_qpv(contract)], legal_form="collective"),
            organization=foreign,
        )


def test_qpvs_are_required_and_of_the_contract(contract):
    with pytest.raises(BusinessRuleError, match="au moins un quartier prioritaire") as error:
        save(contract, qpvs=[])
    assert error.value.field == "qpvs"
    other = make_contract(name="Autre contrat")
    with pytest.raises(BusinessRuleError, match="n'est pas un quartier prioritaire du contrat"):
        save(contract, qpvs=[add_qpv(other)])


def test_one_council_per_qpv_but_a_council_may_cover_several(contract):
    first, second = add_qpv(contract, name="Les Tilleuls"), add_qpv(contract, name="Les Érables")
    council = save(contract, qpvs=[first, second])
    assert council.qpvs.count() == 2
    with pytest.raises(BusinessRuleError, match="Le quartier « Les Érables » a déjà son conseil citoyen"):
        save(contract, name="Conseil citoyen des Érables", qpvs=[second])
    save(contract, council=council, qpvs=[first, second], status=CouncilStatus.DORMANT)  # itself is no other


def test_names_are_unique_in_the_contract(contract):
    save(contract)
    with pytest.raises(BusinessRuleError, match="a déjà un conseil citoyen nommé"):
        save(contract, name="conseil citoyen des tilleuls")
    with pytest.raises(BusinessRuleError, match="Donnez le nom du conseil citoyen"):
        save(contract, name="  ")


def test_a_hosted_collective_names_its_host_structure(contract):
    with pytest.raises(BusinessRuleError, match="nomme cette structure") as error:
        save(contract, legal_form=LegalForm.HOSTED)
    assert error.value.field == "host_structure"
    host = OrganizationFactory.create(name="Centre social des Tilleuls", kind="association")
    assert save(contract, legal_form=LegalForm.HOSTED, host_structure=host).host_structure == host
    council_org = OrganizationFactory.create(kind="citizen_council")
    with pytest.raises(BusinessRuleError, match="autre organisation qu'un conseil citoyen"):
        save(contract, name="CC 2", legal_form=LegalForm.HOSTED, host_structure=council_org)


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"created_on": date(2027, 1, 1)}, "ne peut pas être dans le futur", "created_on"),
        ({"status": CouncilStatus.RENEWED}, "Indiquez la date du renouvellement", "renewed_on"),
        ({"renewed_on": date(2020, 1, 1)}, "ne se donne qu'à un conseil renouvelé", "renewed_on"),
        (
            {"created_on": date(2020, 1, 1), "status": CouncilStatus.RENEWED, "renewed_on": date(2019, 1, 1)},
            "Le renouvellement du conseil suit sa création",
            "renewed_on",
        ),
        (
            {"created_on": date(2020, 1, 1), "charter_adopted_on": date(2019, 6, 1)},
            "adoptée après la création",
            "charter_adopted_on",
        ),
        ({"yearly_budget": 20_000_000}, "inférieure ou égale", "yearly_budget"),
    ],
)
def test_dates_and_bounds_are_refused_in_french(contract, fields, message, field):
    with pytest.raises(BusinessRuleError, match=message) as error:
        save(contract, **fields)
    assert error.value.field == field
    assert not CitizenCouncil.objects.exists()


def test_a_council_of_another_contract_is_refused(contract):
    council = make_council(make_contract(name="Autre"))
    with pytest.raises(BusinessRuleError, match="appartient à un autre contrat"):
        save(contract, council=council)


def test_deleting_a_council_keeps_its_organisation(contract):
    council = make_council(contract)
    add_member(council)
    organization = council.organization
    services.council_delete(council=council)
    assert not CitizenCouncil.objects.exists()
    assert not CouncilMember.objects.exists()
    organization.refresh_from_db()


# --- members ------------------------------------------------------------------------------------------------


def test_member_rules(contract):
    council = make_council(contract, created_on=date(2024, 6, 1))
    elsewhere = add_qpv(contract, name="Ailleurs")
    with pytest.raises(BusinessRuleError, match="« Ailleurs » n'est pas l'un des quartiers du conseil"):
        add_member(council, neighbourhood=elsewhere)
    with pytest.raises(BusinessRuleError, match="La fin du mandat suit son début") as error:
        add_member(council, end_on=date(2024, 1, 1))
    assert error.value.field == "end_on"
    with pytest.raises(BusinessRuleError, match="avant la création du conseil \\(01/06/2024\\)"):
        add_member(council, start_on=date(2024, 5, 31))
    with pytest.raises(BusinessRuleError, match="Indiquez le nom du membre pour pouvoir le publier"):
        add_member(council, publish_name=True, name="  ")
    member = add_member(council, neighbourhood=council.qpvs.get(), name=" Awa Diop ", publish_name=True)
    assert member.name == "Awa Diop"
    other = make_council(contract, name="Autre conseil")
    with pytest.raises(BusinessRuleError, match="appartient à un autre conseil citoyen"):
        services.member_save(
            council=other,
            member=member,
            fields=services.MemberFields(
                college="residents", sex="male", designation_method="appointed", start_on=date(2024, 9, 1)
            ),
        )


def test_residents_are_drawn_by_lot_in_a_2015_contract_only():
    """Loi 2014-173 art. 7 (2014 version): the residents' college is drawn by lot; décret 2024-1036 made it a local
    option for the 2024 generation (domain.md §6)."""
    old = make_contract(
        name="Contrat 2015", generation=Generation.G2015, start_on=date(2015, 1, 1), end_on=date(2023, 12, 31)
    )
    council = make_council(old)
    with pytest.raises(
        BusinessRuleError, match="génération 2015, les membres du collège des habitants sont tirés au sort"
    ):
        add_member(council, designation_method=DesignationMethod.APPOINTED)
    add_member(council, designation_method=DesignationMethod.DRAWN_FROM_REGISTER)
    add_member(council, college=College.LOCAL_ACTORS, designation_method=DesignationMethod.APPOINTED)
    recent = make_council(make_contract(name="Contrat 2024"))
    add_member(recent, designation_method=DesignationMethod.CO_OPTED)


def test_composition_counts_sitting_members_only(contract):
    council = make_council(contract)
    add_member(council, sex=Sex.FEMALE, age_band=AgeBand.UNDER_18)
    add_member(council, sex=Sex.MALE, age_band=AgeBand.FROM_18_TO_25)
    add_member(council, sex=Sex.FEMALE, age_band=AgeBand.FROM_40_TO_59)
    add_member(council, college=College.LOCAL_ACTORS, sex=Sex.MALE, designation_method=DesignationMethod.APPOINTED)
    add_member(council, sex=Sex.MALE, end_on=date(2025, 6, 30))  # left
    add_member(council, sex=Sex.MALE, start_on=date(2027, 1, 1))  # not yet
    composition = council_composition(council.members.all(), today=TODAY)
    residents, actors = composition.colleges
    assert (residents.women, residents.men, actors.women, actors.men) == (2, 1, 0, 1)
    assert (composition.total, composition.women, composition.young, composition.former) == (4, 2, 2, 1)
    assert (composition.women_share, composition.young_share, composition.residents_share) == (50, 50, 75)
    assert council_composition([], today=TODAY).women_share is None


def test_composition_warnings(contract):
    council = make_council(contract)
    assert composition_warnings(council, council_composition([], today=TODAY)) == []
    add_member(council, college=College.LOCAL_ACTORS, designation_method=DesignationMethod.APPOINTED)
    add_member(council, college=College.LOCAL_ACTORS, designation_method=DesignationMethod.APPOINTED)
    add_member(council)
    warnings = composition_warnings(council, council_composition(council.members.all(), today=TODAY))
    assert warnings == [
        "Le collège des habitants compte moins de la moitié des membres (le cadre de référence de 2014 en demande "
        "au moins 50 %)."
    ]  # a 2024 contract: parity of a drawn college is not asked
    old = make_contract(
        name="Contrat 2015", generation=Generation.G2015, start_on=date(2015, 1, 1), end_on=date(2023, 12, 31)
    )
    drawn = make_council(old)
    add_member(drawn, sex=Sex.FEMALE)
    warnings = composition_warnings(drawn, council_composition(drawn.members.all(), today=TODAY))
    assert warnings == ["Le collège des habitants n'est pas paritaire : 1 femme(s), 0 homme(s) (loi 2014-173 art. 7)."]
