"""« Ce qui vous attend »: the sources apps contribute, the page, the contract home's panel, the platform home's
callout and the digest e-mail (one per user, not sent again while the list is unchanged)."""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.awaiting import awaiting_groups, send_awaiting_digests
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import AwaitingDigest
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.registries import AwaitingItem, AwaitingSource, awaiting_sources, contribute

pytestmark = pytest.mark.django_db

# What the fake sources return, by user pk: the tests fill it.
_PENDING: dict[int, list[AwaitingItem]] = {}


def _collect(user) -> list[AwaitingItem]:
    return list(_PENDING.get(user.pk, []))


@pytest.fixture
def source() -> Iterator[None]:
    _PENDING.clear()
    contribute(awaiting={"tests.fake": AwaitingSource(label="Avis à donner", collect=_collect, order=1)})
    yield
    awaiting_sources.unregister("tests.fake")
    _PENDING.clear()


def _item(contract, number: int, *, due: datetime.date | None = None) -> AwaitingItem:
    return AwaitingItem(
        title=f"Donner l'avis n° {number}",
        url=f"/contrats/{contract.slug}/avis/{number}/",
        contract_id=contract.pk,
        contract_name=contract.name,
        key=f"tests.opinion:{number}",
        due=due,
    )


@pytest.fixture
def contracts():
    return make_contract(name="Contrat de Rennes"), make_contract(name="Contrat de Brest")


@pytest.fixture
def member(contracts):
    user = UserFactory.create(email="nora@rennes.fr", first_name="Nora", last_name="Benali")
    for contract in contracts:
        grant(contract, user, Role.PILOT)
    return user


def test_groups_sort_by_due_date_and_filter_by_contract(source, contracts, member):
    rennes, brest = contracts
    _PENDING[member.pk] = [
        _item(rennes, 1, due=datetime.date(2027, 3, 1)),
        _item(brest, 2, due=datetime.date(2027, 1, 15)),
        _item(rennes, 3),
    ]
    groups = awaiting_groups(member)
    assert [group.label for group in groups] == ["Avis à donner"]
    assert [item.key for item in groups[0].items] == ["tests.opinion:2", "tests.opinion:1", "tests.opinion:3"]
    only_rennes = awaiting_groups(member, contract_id=rennes.pk)
    assert [item.key for item in only_rennes[0].items] == ["tests.opinion:1", "tests.opinion:3"]
    assert awaiting_groups(member, contract_id=make_contract(name="Autre").pk) == []


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("awaiting"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_page_lists_every_item_with_its_contract_and_due_date(client, source, contracts, member):
    rennes, brest = contracts
    _PENDING[member.pk] = [_item(rennes, 1, due=datetime.date(2027, 3, 1)), _item(brest, 2)]
    client.force_login(member)
    page = html.unescape(client.get(reverse("awaiting")).content.decode())
    assert "2 éléments attendent votre action" in page
    assert f'href="/contrats/{rennes.slug}/avis/1/"' in page
    assert "Donner l'avis n° 1</a> — Contrat de Rennes" in page
    assert "1er mars 2027" in page or "01/03/2027" in page


def test_the_page_says_when_nothing_awaits(client, source, member):
    client.force_login(member)
    assert "Rien ne vous attend pour le moment." in html.unescape(client.get(reverse("awaiting")).content.decode())


def test_the_contract_home_shows_only_its_own_items_and_the_platform_home_counts_them(
    client, source, contracts, member
):
    rennes, brest = contracts
    _PENDING[member.pk] = [_item(rennes, 1), _item(brest, 2)]
    client.force_login(member)
    home = html.unescape(
        client.get(reverse("contracts:contract_home", kwargs={"contract_slug": rennes.slug})).content.decode()
    )
    assert "Ce qui vous attend sur ce contrat" in home
    assert "Donner l'avis n° 1" in home
    assert "Donner l'avis n° 2" not in home
    platform = html.unescape(client.get(reverse("home")).content.decode())
    assert 'data-testid="awaiting-callout"' in platform
    assert "2 éléments attendent votre action" in platform


def test_a_visitor_of_a_published_contract_sees_no_awaiting_panel(client, source, contracts):
    rennes, _ = contracts
    rennes.published_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    rennes.save()
    outsider = UserFactory.create()
    _PENDING[outsider.pk] = [_item(rennes, 9)]
    client.force_login(outsider)
    response = client.get(reverse("contracts:contract_home", kwargs={"contract_slug": rennes.slug}))
    assert "Ce qui vous attend sur ce contrat" not in response.content.decode()


def test_the_digest_sends_one_mail_per_user_and_not_again_while_unchanged(source, contracts, member):
    rennes, brest = contracts
    other = UserFactory.create(email="yanis@brest.fr")
    idle = UserFactory.create(email="idle@brest.fr")
    _PENDING[member.pk] = [_item(rennes, 1, due=datetime.date(2027, 3, 1)), _item(brest, 2)]
    _PENDING[other.pk] = [_item(brest, 3)]

    outcome = send_awaiting_digests(users=[member, other, idle])
    assert (outcome.sent, outcome.unchanged, outcome.empty) == (2, 0, 1)
    assert sorted(message.to[0] for message in mail.outbox) == ["nora@rennes.fr", "yanis@brest.fr"]
    body = next(message.body for message in mail.outbox if message.to == ["nora@rennes.fr"])
    assert "Donner l'avis n° 1 — Contrat de Rennes (avant le 01/03/2027)" in body
    assert f"http://127.0.0.1:8000/contrats/{brest.slug}/avis/2/" in body
    assert "Tout retrouver : http://127.0.0.1:8000/a-faire/" in body

    mail.outbox.clear()
    assert send_awaiting_digests(users=[member, other, idle]).unchanged == 2
    assert mail.outbox == []

    _PENDING[member.pk].append(_item(rennes, 4))
    assert send_awaiting_digests(users=[member, other]).sent == 1
    assert [message.to for message in mail.outbox] == [["nora@rennes.fr"]]
    assert "[nouveau] Donner l'avis n° 4" in mail.outbox[0].body
    assert "[nouveau] Donner l'avis n° 1" not in mail.outbox[0].body
    assert AwaitingDigest.objects.get(user=member).keys == sorted(
        ["tests.opinion:1", "tests.opinion:2", "tests.opinion:4"]
    )


def test_the_command_dry_run_sends_nothing(source, contracts, member, capsys):
    _PENDING[member.pk] = [_item(contracts[0], 1)]
    call_command("send_awaiting_digest", "--dry-run")
    assert "Récapitulatifs seraient envoyés : 1" in capsys.readouterr().out
    assert mail.outbox == []
    assert not AwaitingDigest.objects.exists()
    call_command("send_awaiting_digest")
    assert len(mail.outbox) == 1


@pytest.mark.query_count("awaiting")
def test_the_page_query_count_does_not_grow_with_items(client, source, contracts, member, query_count):
    rennes, _ = contracts
    client.force_login(member)
    client.get(reverse("awaiting"))  # warm-up (sessions)
    _PENDING[member.pk] = [_item(rennes, 1)]
    few = query_count.page(client, reverse("awaiting"))
    _PENDING[member.pk] = [_item(rennes, number) for number in range(50)]
    assert query_count.page(client, reverse("awaiting")) == few
