from datetime import timedelta

import pytest
from django.utils import timezone

from contrat_ville.accounts.tests.factories import OrganizationFactory
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.diagnostic.enums import ConsultationStatus, StakeStatus
from contrat_ville.diagnostic.models import StakeVersion
from contrat_ville.diagnostic.selectors.consultations import (
    consultation_is_open,
    consultation_items,
    council_list,
)
from contrat_ville.diagnostic.services.consultations import consultation_close, consultation_opinion_give
from contrat_ville.diagnostic.services.stakes import stake_redefine
from contrat_ville.diagnostic.tests.factories import (
    consult,
    council_member,
    make_council,
    make_stake,
)
from contrat_ville.participation.models import Opinion
from contrat_ville.participation.tests.factories import make_council as register_council

pytestmark = pytest.mark.django_db


def test_council_list_holds_the_contract_councils_only(contract, council):
    by_member = OrganizationFactory.create(name="Conseil citoyen du Plateau", kind="citizen_council")
    council_member(contract, by_member)
    make_council(make_contract(name="Autre"), name="Conseil citoyen d'ailleurs")
    OrganizationFactory.create(name="Conseil citoyen sans lien", kind="citizen_council")
    assert [c.name for c in council_list(contract=contract)] == [
        "Conseil citoyen des Iris",
        "Conseil citoyen du Plateau",
    ]


def test_council_list_holds_a_council_of_the_registry_with_no_seat_and_no_account():
    """On an empty platform the pilot registers the council first (« Conseils citoyens »): it may be consulted before
    it sits in a body or one of its members has an account."""
    contract = make_contract()
    registered = register_council(contract, name="Conseil citoyen de Maurepas")
    register_council(make_contract(name="Autre"), name="Conseil citoyen d'ailleurs")
    assert list(council_list(contract=contract)) == [registered.organization]


def test_consultation_freezes_current_versions_and_submits_the_stakes(contract, council, pilot):
    first, second = make_stake(contract, title="Réussite"), make_stake(contract, title="Santé")
    consultation = consult(contract, [first, second], [council], by=pilot, message="Merci de nous répondre.")
    first.refresh_from_db()
    assert first.status == StakeStatus.SUBMITTED
    versions = list(consultation.stake_versions.order_by("stake_id"))
    assert versions == list(StakeVersion.objects.filter(number=1).order_by("stake_id"))
    assert list(consultation.councils.all()) == [council]
    assert consultation.submitted_by == pilot
    assert consultation_is_open(consultation)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"councils": []}, "au moins un conseil citoyen"),
        ({"stakes": []}, "au moins un objet à soumettre"),
        ({"deadline": timezone.localdate() - timedelta(days=1)}, "ne peut pas être passée"),
        ({"title": ""}, "intitulé de la consultation est obligatoire"),
    ],
)
def test_consultation_refusals(contract, council, kwargs, message):
    stake = make_stake(contract)
    arguments = {"stakes": [stake], "councils": [council], **kwargs}
    with pytest.raises(BusinessRuleError, match=message):
        consult(contract, arguments.pop("stakes"), arguments.pop("councils"), **arguments)


def test_consultation_refuses_a_council_foreign_to_the_contract(contract):
    stranger = OrganizationFactory.create(name="Conseil citoyen étranger", kind="citizen_council")
    with pytest.raises(BusinessRuleError, match="n'est pas un conseil citoyen de ce contrat"):
        consult(contract, [make_stake(contract)], [stranger])


def test_consultation_refuses_a_stake_of_another_contract(contract, council):
    other = make_contract(name="Autre contrat")
    with pytest.raises(BusinessRuleError, match="autre contrat"):
        consult(contract, [make_stake(other)], [council])


def test_council_member_gives_then_changes_an_opinion(contract, council, resident):
    stake = make_stake(contract)
    consultation = consult(contract, [stake], [council])
    version = consultation.stake_versions.get()
    consultation_opinion_give(
        consultation=consultation, version=version, author=resident, verdict="disagree", text="Trop vague."
    )
    opinion = consultation_opinion_give(
        consultation=consultation,
        version=version,
        author=resident,
        verdict="agree_with_reservations",
        text="Préciser les collèges.",
    )
    assert Opinion.objects.count() == 1
    assert (opinion.verdict, opinion.text, opinion.council, opinion.author) == (
        "agree_with_reservations",
        "Préciser les collèges.",
        council,
        resident,
    )
    item = consultation_items(consultation=consultation, user=resident)[0]
    assert item.mine == opinion
    assert item.summary.agree_with_reservations == 1


def test_only_members_of_a_consulted_council_give_an_opinion(contract, council, pilot):
    other_council = make_council(contract, name="Conseil citoyen du Plateau")
    outsider = council_member(contract, other_council)
    consultation = consult(contract, [make_stake(contract)], [council])
    version = consultation.stake_versions.get()
    with pytest.raises(BusinessRuleError, match="Seuls les membres des conseils citoyens consultés"):
        consultation_opinion_give(consultation=consultation, version=version, author=outsider, verdict="agree")
    with pytest.raises(BusinessRuleError, match="Seuls les membres des conseils citoyens consultés"):
        consultation_opinion_give(consultation=consultation, version=version, author=pilot, verdict="agree")


def test_no_opinion_after_the_deadline_or_once_closed(contract, council, resident, pilot):
    consultation = consult(contract, [make_stake(contract)], [council], deadline=timezone.localdate())
    version = consultation.stake_versions.get()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(BusinessRuleError, match=r"date limite des avis \(\d\d/\d\d/\d{4}\) est passée"):
        consultation_opinion_give(
            consultation=consultation, version=version, author=resident, verdict="agree", today=tomorrow
        )
    consultation_close(consultation=consultation, by=pilot)
    assert consultation.status == ConsultationStatus.CLOSED
    assert not consultation_is_open(consultation)
    with pytest.raises(BusinessRuleError, match="consultation est close"):
        consultation_opinion_give(consultation=consultation, version=version, author=resident, verdict="agree")
    with pytest.raises(BusinessRuleError, match="déjà close"):
        consultation_close(consultation=consultation, by=pilot)


def test_opinion_only_on_a_version_of_the_consultation(contract, council, resident, pilot):
    stake = make_stake(contract)
    consultation = consult(contract, [stake], [council])
    stake.refresh_from_db()
    v2 = stake_redefine(stake=stake, title="Nouveau texte", reason="Avis.", by=pilot)
    with pytest.raises(BusinessRuleError, match="pas été soumis aux conseils citoyens dans cette consultation"):
        consultation_opinion_give(consultation=consultation, version=v2, author=resident, verdict="agree")
