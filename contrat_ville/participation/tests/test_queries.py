"""Query counts of the councils' pages do not grow with the data (1 council of 1 member vs 4 of 6)."""

import pytest
from django.urls import reverse

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.participation.enums import College, DesignationMethod, LegalForm, Sex
from contrat_ville.participation.tests.factories import add_member, add_qpv, make_council

pytestmark = pytest.mark.django_db


def populate(size: int, pilot):
    contract = make_contract(name=f"Contrat {size}", published=True)
    grant(contract, pilot, Role.PILOT)
    host = OrganizationFactory.create(name=f"Centre social {size}")
    councils = []
    for index in range(size * size):
        qpvs = [add_qpv(contract) for _ in range(size)]
        council = make_council(
            contract, name=f"Conseil {size}-{index}", qpvs=qpvs, legal_form=LegalForm.HOSTED, host_structure=host
        )
        for number in range(size + size // 2 * 2):
            add_member(
                council,
                name=f"Membre {number}",
                publish_name=number % 2 == 0,
                sex=Sex.MALE if number % 2 else Sex.FEMALE,
                neighbourhood=qpvs[number % size],
                college=College.LOCAL_ACTORS if number % 3 == 2 else College.RESIDENTS,
                designation_method=DesignationMethod.APPOINTED if number % 3 == 2 else DesignationMethod.CO_OPTED,
            )
        councils.append(council)
    return contract, councils[-1]


def pages(contract, council):
    slug = {"contract_slug": contract.slug}
    return {
        "list": reverse("participation:council_list", kwargs=slug),
        "detail": reverse("participation:council_detail", kwargs={**slug, "council_id": council.pk}),
        "members": reverse("participation:member_list", kwargs={**slug, "council_id": council.pk}),
    }


@pytest.mark.parametrize("signed_in", [True, False])
@pytest.mark.query_count("participation:council_list", "participation:council_detail", "participation:member_list")
def test_council_pages_run_a_constant_number_of_queries(client, signed_in, query_count):
    pilot = UserFactory.create()
    small = pages(*populate(1, pilot))
    large = pages(*populate(2, pilot))
    if signed_in:
        client.force_login(pilot)
    else:  # the nominative list is private: measured as the pilot, the public pages as a visitor
        client.force_login(pilot)
        for name in ("list", "detail", "members"):
            query_count.page(client, small[name])
        assert query_count.page(client, small["members"]) == query_count.page(client, large["members"])
        client.logout()
        small.pop("members")
        large.pop("members")
    for url in small.values():  # warm Django's content-type cache, as a running server has
        query_count.page(client, url)
    for name in small:
        assert query_count.page(client, small[name]) == query_count.page(client, large[name]), name


def test_api_runs_a_constant_number_of_queries(client, query_count):
    pilot = UserFactory.create()
    small_contract, small_council = populate(1, pilot)
    large_contract, large_council = populate(2, pilot)
    client.force_login(pilot)

    def cost(url):
        with query_count() as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for name, kwargs in (
        ("participation_council_list", lambda contract, council: {"contract_id": contract.pk}),
        ("participation_council_member_list", lambda contract, council: {"council_id": council.pk}),
    ):
        small = reverse(f"api-1:{name}", kwargs=kwargs(small_contract, small_council))
        large = reverse(f"api-1:{name}", kwargs=kwargs(large_contract, large_council))
        cost(small)
        assert cost(small) == cost(large), name
