"""``manage.py purge_person`` (issue 13 §3, docs/operations.md « Personal data »): a person's names and e-mail
addresses go from every app that holds them — council members, invitations, seats, action leads, the user account
on request — and from their django-simple-history rows; the anonymous counts (composition of the councils by
college, sex and age band) stay exactly the same. Dry run by default."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contrat_ville.accounts.models import ApiToken, User
from contrat_ville.accounts.services import api_token_create
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Invitation
from contrat_ville.contracts.services import invitation_create
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.personal_data import ANONYMISED
from contrat_ville.governance.enums import BodyKind, MemberRole
from contrat_ville.governance.models import Body, BodyMember
from contrat_ville.governance.services.bodies import body_member_add
from contrat_ville.participation.enums import AgeBand, College, Sex
from contrat_ville.participation.models import CouncilMember
from contrat_ville.participation.selectors import council_rows
from contrat_ville.participation.services import MemberFields, member_save
from contrat_ville.participation.tests.factories import add_member, make_council
from contrat_ville.strategy.models import Action
from contrat_ville.strategy.tests.factories import make_action, make_objective, make_orientation

pytestmark = pytest.mark.django_db

EMAIL = "Nadia.Benali@exemple.fr"


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_person", *args, stdout=out)
    return out.getvalue()


def composition(contract):
    return [
        (row.council.pk, row.composition.total, row.composition.women_share, row.composition.young_share)
        for row in council_rows(contract=contract)
    ]


def test_a_council_member_is_anonymised_and_the_counts_stay():
    contract = make_contract(name="Contrat des Tilleuls")
    council = make_council(contract, name="Conseil citoyen des Tilleuls")
    nadia = add_member(council, name="Nadia Benali", publish_name=True, age_band=AgeBand.FROM_18_TO_25)
    add_member(council, name="Marc Petit", sex=Sex.MALE, college=College.LOCAL_ACTORS)
    # A later change, so that the history holds the name twice.
    member_save(
        council=council,
        member=nadia,
        fields=MemberFields(
            college=College.RESIDENTS,
            sex=Sex.FEMALE,
            age_band=AgeBand.FROM_18_TO_25,
            designation_method=nadia.designation_method,
            start_on=nadia.start_on,
            name="Nadia Benali",
            publish_name=True,
        ),
    )
    before = composition(contract)
    dry = purge("--council-member", str(nadia.pk))
    assert "Serait effacé : Membre n° " in dry and "Nadia Benali" in dry and "Simulation" in dry
    assert CouncilMember.objects.get(pk=nadia.pk).name == "Nadia Benali"  # nothing written by a dry run
    done = purge("--council-member", str(nadia.pk), "--confirm")
    assert "1 élément(s) anonymisé(s)" in done
    nadia.refresh_from_db()
    assert (nadia.name, nadia.publish_name) == (ANONYMISED, False)
    assert (nadia.college, nadia.sex, nadia.age_band) == (College.RESIDENTS, Sex.FEMALE, AgeBand.FROM_18_TO_25)
    assert composition(contract) == before
    history = CouncilMember.history.filter(id=nadia.pk)
    assert history.count() >= 2
    assert set(history.values_list("name", flat=True)) == {ANONYMISED}
    assert not CouncilMember.history.filter(name__icontains="Benali").exists()
    assert CouncilMember.objects.get(name="Marc Petit")  # the others untouched


def test_an_e_mail_is_erased_everywhere_and_the_account_on_request():
    contract = make_contract(name="Contrat des Tilleuls")
    user = UserFactory.create(email=EMAIL.lower(), first_name="Nadia", last_name="Benali")
    _, raw = api_token_create(user=user)
    invitation_create(
        contract=contract,
        email=EMAIL,
        role=Role.PARTNER,
        accept_url_for=lambda token: f"http://exemple.invalid/{token}",
        first_name="Nadia",
        last_name="Benali",
    )
    body = Body.objects.create(contract=contract, kind=BodyKind.STEERING_COMMITTEE, name="Comité de pilotage")
    body_member_add(
        body=body,
        organization=OrganizationFactory.create(name="Centre social"),
        by=None,
        role=MemberRole.MEMBER,
        person_name="Nadia Benali, directrice",
        person_email=EMAIL,
    )
    make_action(make_objective(make_orientation(contract)), lead_contact="Nadia Benali", lead_email=EMAIL)

    dry = purge("--email", EMAIL, "--account")
    assert dry.count("Serait effacé") == 4
    assert User.objects.get(pk=user.pk).email == EMAIL.lower()
    with pytest.raises(CommandError, match="Indiquez une adresse électronique"):
        purge("--confirm")

    purge("--email", EMAIL, "--confirm")  # without --account, the account stays
    assert User.objects.get(pk=user.pk).email == EMAIL.lower()
    purge("--email", EMAIL, "--account", "--confirm")
    user.refresh_from_db()
    assert user.email == f"anonyme-{user.pk}@anonymise.invalid" and not user.is_active
    assert (user.first_name, user.last_name) == (ANONYMISED, "") and not user.has_usable_password()
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    invitation = Invitation.objects.get()
    assert "benali" not in f"{invitation.email} {invitation.first_name} {invitation.last_name}".lower()
    seat = BodyMember.objects.get(body=body)
    assert (seat.person_name, seat.person_email) == (ANONYMISED, "")
    action = Action.objects.get()
    assert (action.lead_contact, action.lead_email) == (ANONYMISED, "")
    # No personal field left in the history tables either.
    assert not BodyMember.history.filter(person_email__iexact=EMAIL).exists()
    assert not BodyMember.history.filter(person_name__icontains="Benali").exists()
    assert not Action.history.filter(lead_email__iexact=EMAIL).exists()
    assert not Action.history.filter(lead_contact__icontains="Benali").exists()
    assert "Aucune donnée personnelle" in purge("--email", EMAIL)
    assert raw  # the token existed and is now revoked
