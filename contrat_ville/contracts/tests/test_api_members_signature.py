"""Writes of the contracts API, continued (issue 10 §7): members' roles, signatories and signature, the contract's
status and publication, its other perimeters, invitations sent again — the same services, permissions and French
messages as the pages."""

from __future__ import annotations

import pytest
from django.core import mail

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import ContractStatus, Role
from contrat_ville.contracts.models import ContractArea, ContractRole, Signatory
from contrat_ville.contracts.services import contract_create
from contrat_ville.contracts.tests.factories import grant
from contrat_ville.contracts.tests.test_api_writes import CONTRACTS, bearer

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[-1.7, 48.1], [-1.6, 48.1], [-1.6, 48.2], [-1.7, 48.1]]]}


@pytest.fixture
def contract(territory):
    contract = contract_create(name="Contrat de ville de Rennes Métropole", epci=territory["epci"], generation="2024")
    contract.qpvs.add(territory["maurepas"])
    return contract


@pytest.fixture
def pilot(contract):
    user = UserFactory.create()
    grant(contract, user, Role.PILOT)
    return user


@pytest.fixture
def partner(contract):
    user = UserFactory.create()
    grant(contract, user, Role.PARTNER)
    return user


@pytest.fixture
def outsider(territory):
    other = contract_create(name="Un autre contrat", epci=territory["epci"], generation="2024")
    user = UserFactory.create()
    grant(other, user, Role.PILOT)
    return user


def send(client, method, url, payload=None, user=None):
    headers = bearer(user) if user is not None else {}
    if payload is None:
        return getattr(client, method)(url, headers=headers)
    return getattr(client, method)(url, payload, content_type="application/json", headers=headers)


def test_the_pilot_changes_a_role_and_removes_a_member(client, contract, pilot, partner, outsider):
    url = f"{CONTRACTS}/{contract.pk}/members/{partner.pk}"
    listed = send(client, "get", f"{CONTRACTS}/{contract.pk}/members", user=partner).json()
    assert {member["user_id"] for member in listed} == {pilot.pk, partner.pk}
    assert send(client, "put", url, {"role": "observer"}).status_code == 401
    refused = send(client, "put", url, {"role": "observer"}, partner)
    assert refused.status_code == 403
    assert send(client, "put", url, {"role": "observer"}, outsider).status_code == 404
    assert (
        send(client, "put", f"{CONTRACTS}/{contract.pk}/members/999999", {"role": "state"}, pilot).status_code == 404
    )
    assert send(client, "put", url, {"role": "chef"}, pilot).status_code == 422
    last = send(client, "put", f"{CONTRACTS}/{contract.pk}/members/{pilot.pk}", {"role": "partner"}, pilot)
    assert (last.status_code, last.json()["detail"]) == (
        422,
        "Le contrat garde au moins un pilote ou un délégué de l'État.",
    )
    changed = send(client, "put", url, {"role": "state"}, pilot)
    assert changed.status_code == 200, changed.content
    assert (changed.json()["user_id"], changed.json()["role"]) == (partner.pk, "state")

    assert send(client, "delete", url).status_code == 401
    assert send(client, "delete", url, user=outsider).status_code == 404
    assert send(client, "delete", url, user=pilot).status_code == 204
    assert not ContractRole.objects.filter(contract=contract, user=partner).exists()
    alone = send(client, "delete", f"{CONTRACTS}/{contract.pk}/members/{pilot.pk}", user=pilot)
    assert (alone.status_code, alone.json()["detail"]) == (
        422,
        "Le contrat garde au moins un pilote ou un délégué de l'État.",
    )


def test_signatories_and_the_signature(client, contract, pilot, partner, outsider):
    prefecture = OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE, name="Préfecture")
    url = f"{CONTRACTS}/{contract.pk}/signatories"
    payload = {"organization_id": prefecture.pk, "kind": "state"}
    assert send(client, "post", url, payload).status_code == 401
    assert send(client, "post", url, payload, partner).status_code == 403
    assert send(client, "post", url, payload, outsider).status_code == 404
    unknown = send(client, "post", url, {**payload, "organization_id": 999999}, pilot)
    assert (unknown.status_code, unknown.json()["detail"]) == (422, "Organisation inconnue.")
    assert send(client, "post", url, {**payload, "kind": "roi"}, pilot).status_code == 422
    created = send(client, "post", url, payload, pilot)
    assert created.status_code == 201, created.content
    signatory_id = created.json()["id"]
    assert (created.json()["organization_id"], created.json()["is_signed"]) == (prefecture.pk, False)
    other = send(client, "post", url, {"organization_id": OrganizationFactory.create().pk, "kind": "other"}, pilot)
    assert send(client, "delete", f"{url}/{other.json()['id']}", user=partner).status_code == 403
    assert send(client, "delete", f"{url}/{other.json()['id']}", user=pilot).status_code == 204

    sign_url = f"{CONTRACTS}/{contract.pk}/signature"
    signature = {"signed_on": "2024-06-14", "signatures": [{"signatory_id": signatory_id, "signed_by": "Le préfet"}]}
    assert send(client, "post", sign_url, signature).status_code == 401
    assert send(client, "post", sign_url, signature, partner).status_code == 403
    assert send(client, "post", sign_url, signature, outsider).status_code == 404
    assert send(client, "post", sign_url, {**signature, "signatures": []}, pilot).status_code == 422
    foreign = send(
        client, "post", sign_url, {**signature, "signatures": [{"signatory_id": 999999, "signed_by": "X"}]}, pilot
    )
    assert (foreign.status_code, foreign.json()["detail"]) == (
        422,
        "Un signataire indiqué n'est pas un signataire de ce contrat.",
    )
    too_early = send(client, "post", sign_url, {**signature, "signed_on": "2001-01-01"}, pilot)
    assert (too_early.status_code, too_early.json()["detail"]) == (
        422,
        "La date de signature précède de loin le début du contrat : vérifiez-la.",
    )
    signed = send(client, "post", sign_url, signature, pilot)
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == ContractStatus.SIGNED
    assert signed.json()["signatories"][0]["signed_by"] == "Le préfet"
    frozen = send(client, "delete", f"{url}/{signatory_id}", user=pilot)
    assert (frozen.status_code, frozen.json()["detail"]) == (
        422,
        "Le contrat est signé : ses signataires changent par un avenant.",
    )
    assert Signatory.objects.filter(contract=contract).count() == 1


def test_status_and_publication(client, contract, pilot, partner, outsider):
    status_url = f"{CONTRACTS}/{contract.pk}/status"
    assert send(client, "post", status_url, {"status": "in_force"}).status_code == 401
    assert send(client, "post", status_url, {"status": "in_force"}, partner).status_code == 403
    assert send(client, "post", status_url, {"status": "in_force"}, outsider).status_code == 404
    forbidden = send(client, "post", status_url, {"status": "in_force"}, pilot)
    assert forbidden.status_code == 422
    signing = send(client, "post", status_url, {"status": "signed"}, pilot)
    assert (signing.status_code, "POST …/signature" in signing.json()["detail"]) == (422, True)

    publication_url = f"{CONTRACTS}/{contract.pk}/publication"
    assert send(client, "post", publication_url, {"is_published": True}).status_code == 401
    assert send(client, "post", publication_url, {"is_published": True}, partner).status_code == 403
    published = send(client, "post", publication_url, {"is_published": True}, pilot)
    assert published.status_code == 200, published.content
    contract.refresh_from_db()
    assert contract.is_published
    assert client.get(f"{CONTRACTS}/{contract.pk}").status_code == 200


def test_other_perimeters(client, contract, pilot, partner, outsider, territory):
    url = f"{CONTRACTS}/{contract.pk}/areas"
    payload = {
        "kind": "watch",
        "name": "Le Blosne Nord",
        "description": "Rues de Hongrie et de Pologne.",
        "qpv": territory["maurepas"].code,
        "geometry": SQUARE,
    }
    assert send(client, "post", url, payload).status_code == 401
    assert send(client, "post", url, payload, partner).status_code == 403
    assert send(client, "post", url, payload, outsider).status_code == 404
    assert send(client, "get", url, user=partner).status_code == 403
    elsewhere = send(client, "post", url, {**payload, "qpv": territory["brest_qpv"].code}, pilot)
    assert (elsewhere.status_code, elsewhere.json()["detail"]) == (
        422,
        f"Ce contrat n'a pas de quartier prioritaire de code « {territory['brest_qpv'].code} ».",
    )
    point = send(client, "post", url, {**payload, "geometry": {"type": "Point", "coordinates": [0, 0]}}, pilot)
    assert (point.status_code, point.json()["detail"]) == (
        422,
        "Le contour doit être une géométrie GeoJSON de type Polygon ou MultiPolygon (WGS84).",
    )
    assert send(client, "post", url, {**payload, "name": " "}, pilot).json()["detail"] == (
        "Le nom du périmètre est obligatoire."
    )
    created = send(client, "post", url, payload, pilot)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind_label"], body["qpv"], body["geometry"]["type"]) == (
        "quartier de veille active",
        territory["maurepas"].code,
        "Polygon",
    )
    assert [area["id"] for area in send(client, "get", url, user=pilot).json()] == [body["id"]]
    assert send(client, "delete", f"{url}/{body['id']}", user=partner).status_code == 403
    assert send(client, "delete", f"{url}/{body['id']}", user=outsider).status_code == 404
    assert send(client, "delete", f"{url}/{body['id']}", user=pilot).status_code == 204
    assert not ContractArea.objects.filter(pk=body["id"]).exists()


def test_an_invitation_is_resent_with_a_new_link(client, contract, pilot, partner, outsider):
    created = send(
        client, "post", f"{CONTRACTS}/{contract.pk}/invitations", {"email": "a@b.fr", "role": "partner"}, pilot
    )
    url = f"{CONTRACTS}/{contract.pk}/invitations/{created.json()['id']}/resend"
    first_link = mail.outbox[-1].body
    assert send(client, "post", url, {}).status_code == 401
    assert send(client, "post", url, {}, partner).status_code == 403
    assert send(client, "post", url, {}, outsider).status_code == 404
    resent = send(client, "post", url, {}, pilot)
    assert (resent.status_code, resent.json()["state"]) == (200, "pending")
    assert len(mail.outbox) == 2 and mail.outbox[-1].body != first_link
    send(client, "delete", f"{CONTRACTS}/{contract.pk}/invitations/{created.json()['id']}", user=pilot)
    revoked = send(client, "post", url, {}, pilot)
    assert (revoked.status_code, revoked.json()["detail"]) == (
        422,
        "Cette invitation est révoquée : elle ne se renvoie plus.",
    )
