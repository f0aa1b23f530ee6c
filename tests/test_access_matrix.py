"""The tenancy boundary, proven on every URL of the platform.

One table (``ACCESS_TABLE``) says, for every named URL, how it is scoped. The test walks Django's URL
resolver and fails when a URL has no row: every URL added later must join the table.

- pilote2@exemple.fr (pilot of the published contract only) and anonymous visitors get 404 on every
  private URL of the unpublished contract, on the web and in the API (401 in the API without a token);
- the public pages of the published contract answer 200 to anyone;
- the pilot of the unpublished contract gets 200 on all of them;
- pages for the State (``STATE_OR_STAFF``, not tied to a contract) send anonymous visitors to the login page,
  answer 403 to a pilot, 200 to a State delegate of any contract and to an administrator.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from contrat_ville.accounts.models import hash_token
from contrat_ville.accounts.services import api_token_create
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Amendment, ContractArea, Invitation, Signatory
from contrat_ville.contracts.selectors import contract_access
from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.governance.enums import BodyKind, MemberRole, Verdict
from contrat_ville.governance.models import Body, BodyMember, Decision, Meeting, MeetingAttachment, Phase
from contrat_ville.governance.services.phases import phases_apply
from contrat_ville.territories.models import Territory, TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory, square
from tests.access_rows import (
    API_CONTRACT_PRIVATE,
    API_CONTRACT_PUBLIC,
    API_GLOBAL,
    API_WRITE,
    CONTRACT_PRIVATE,
    CONTRACT_PUBLIC,
    EXCLUDED,
    GLOBAL,
    MATRIX_REGION,
    REGION_FOLLOWER_OR_STAFF,
    RESOURCE_CENTRE_OR_STAFF,
    SIGNED_IN,
    STAFF,
    STATE_AGENT_OR_STAFF,
    STATE_OR_STAFF,
    Row,
    _api_obj,
    _contract_id,
    _obj,
    _slug,
)

pytestmark = pytest.mark.django_db


def _term(**extra: str) -> Any:
    """kwargs of a page about the contract's first pillar."""

    def kwargs(world: Any, contract: Any) -> dict[str, Any]:
        pillar = contract.pillars.order_by("order").first()
        return {"contract_slug": contract.slug, "kind_slug": "piliers", "term_id": pillar.pk, **extra}

    return kwargs


def _signatory(world: Any, contract: Any) -> dict[str, Any]:
    signatory = Signatory.objects.filter(contract=contract).first() or Signatory.objects.create(
        contract=contract, organization=OrganizationFactory.create(), kind="state"
    )
    return {"contract_slug": contract.slug, "signatory_id": signatory.pk}


def _amendment(world: Any, contract: Any) -> dict[str, Any]:
    amendment = Amendment.objects.filter(contract=contract).first() or Amendment.objects.create(
        contract=contract, number=1, title="Avenant de test", signed_on=contract.start_on
    )
    return {"contract_slug": contract.slug, "amendment_id": amendment.pk}


def _contract_area(world: Any, contract: Any) -> dict[str, Any]:
    area = ContractArea.objects.filter(contract=contract).first() or ContractArea.objects.create(
        contract=contract, kind="watch", name="Quartier de veille"
    )
    return {"contract_slug": contract.slug, "area_id": area.pk}


def _organization(world: Any, contract: Any) -> dict[str, Any]:
    """kwargs of a page about an organisation serving the contract's EPCI."""
    organization = OrganizationFactory.create()
    contract.epci.serving_organizations.add(organization)
    return {"contract_slug": contract.slug, "organization_id": organization.pk}


def _member(world: Any, contract: Any) -> dict[str, Any]:
    """kwargs of a page about the contract's first member."""
    return {"contract_slug": contract.slug, "user_id": contract.roles.order_by("pk").first().user_id}


def _new_invitation(contract: Any) -> str:
    """A pending invitation of ``contract`` (created for the row), and its raw token."""
    raw = f"jeton-{contract.slug}-{Invitation.objects.count()}"
    Invitation.objects.create(
        contract=contract,
        email=f"invite{Invitation.objects.count()}@exemple.fr",
        role=Role.PARTNER,
        token_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=14),
    )
    return raw


def _invitation(world: Any, contract: Any) -> dict[str, Any]:
    _new_invitation(contract)
    invitation = Invitation.objects.filter(contract=contract).order_by("-pk").first()
    return {"contract_slug": contract.slug, "invitation_id": invitation.pk}


ACCESS_TABLE: dict[str, Row] = {
    "home": Row(GLOBAL),
    "healthz": Row(GLOBAL),
    "readyz": Row(GLOBAL),
    "awaiting": Row(SIGNED_IN),
    "reporting:state_dashboard": Row(STATE_OR_STAFF),
    "reporting:open_data": Row(CONTRACT_PUBLIC, _slug),
    "reporting:open_data_zip": Row(CONTRACT_PUBLIC, _slug),
    "reporting:open_data_json": Row(CONTRACT_PUBLIC, _slug),
    "accounts:login": Row(GLOBAL),
    "accounts:password_set": Row(GLOBAL, lambda world, contract: {"uidb64": "MQ", "token": "lien-perime"}),
    "accounts:logout": Row(EXCLUDED, why_excluded="déconnexion : POST uniquement"),
    "accounts:proconnect_authenticate": Row(
        EXCLUDED, why_excluded="ProConnect : renvoi au fournisseur ; 404 hors configuration (accounts/test_proconnect)"
    ),
    "accounts:proconnect_callback": Row(
        EXCLUDED, why_excluded="ProConnect : retour du fournisseur ; 404 hors configuration (accounts/test_proconnect)"
    ),
    "contracts:contract_list": Row(GLOBAL),
    "contracts:contract_home": Row(CONTRACT_PUBLIC, _slug),
    "contracts:contract_territory": Row(CONTRACT_PUBLIC, _slug),
    "contracts:contract_members": Row(CONTRACT_PRIVATE, _slug),
    "contracts:contract_open": Row(STATE_AGENT_OR_STAFF),
    "contracts:invitation_accept": Row(
        GLOBAL, lambda world, contract: {"token": _new_invitation(world.private_contract)}
    ),
    "contracts:invitation_create": Row(CONTRACT_PRIVATE, _slug),
    "contracts:member_role": Row(CONTRACT_PRIVATE, _member, method="post"),
    "contracts:member_remove": Row(CONTRACT_PRIVATE, _member),
    "contracts:invitation_resend": Row(CONTRACT_PRIVATE, _invitation, method="post"),
    "contracts:invitation_revoke": Row(CONTRACT_PRIVATE, _invitation, method="post"),
    "contracts:organization_list": Row(CONTRACT_PRIVATE, _slug),
    "contracts:organization_create": Row(CONTRACT_PRIVATE, _slug),
    "contracts:organization_update": Row(CONTRACT_PRIVATE, _organization),
    "contracts:organization_delete": Row(CONTRACT_PRIVATE, _organization),
    "contracts:contract_settings": Row(CONTRACT_PRIVATE, _slug),
    "contracts:contract_status": Row(CONTRACT_PRIVATE, _slug, method="post"),
    "contracts:contract_publication": Row(CONTRACT_PRIVATE, _slug, method="post"),
    "contracts:contract_territories": Row(CONTRACT_PRIVATE, _slug),
    "contracts:area_create": Row(CONTRACT_PRIVATE, _slug),
    "contracts:area_delete": Row(CONTRACT_PRIVATE, _contract_area),
    "contracts:contract_signature": Row(CONTRACT_PRIVATE, _slug),
    "contracts:amendment_list": Row(CONTRACT_PRIVATE, _slug),
    "contracts:amendment_create": Row(CONTRACT_PRIVATE, _slug),
    "contracts:amendment_detail": Row(CONTRACT_PRIVATE, _amendment),
    "contracts:structure_as_of": Row(CONTRACT_PRIVATE, _slug),
    "contracts:signatory_add": Row(CONTRACT_PRIVATE, _slug),
    "contracts:signatory_remove": Row(CONTRACT_PRIVATE, _signatory),
    "contracts:contract_structure": Row(CONTRACT_PRIVATE, _slug),
    "contracts:term_create": Row(
        CONTRACT_PRIVATE, lambda world, contract: {**_slug(world, contract), "kind_slug": "axes"}
    ),
    "contracts:term_update": Row(CONTRACT_PRIVATE, _term()),
    "contracts:term_delete": Row(CONTRACT_PRIVATE, _term()),
    "contracts:term_archive": Row(CONTRACT_PRIVATE, _term(), method="post"),
    "contracts:term_move": Row(CONTRACT_PRIVATE, _term(direction="descendre"), method="post"),
    "territory_import": Row(STAFF),
    "territories:territory_search": Row(GLOBAL),
    "territories:territory_detail": Row(
        GLOBAL, lambda world, contract: {"kind": "qpv", "vintage": "2024", "code": world.qpv.code}
    ),
    "api-1:contract_list": Row(API_GLOBAL),
    "api-1:contract_detail": Row(API_CONTRACT_PUBLIC, _contract_id),
    "api-1:contract_member_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:contract_pillar_list": Row(API_CONTRACT_PUBLIC, _contract_id),
    "api-1:contract_axis_list": Row(API_CONTRACT_PUBLIC, _contract_id),
    "api-1:contract_amendment_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:contract_invitation_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:contract_organization_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:contract_area_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    **{
        f"api-1:{name}": Row(EXCLUDED, why_excluded=API_WRITE)
        for name in (
            "contract_create",
            "contract_update",
            "contract_territories_update",
            "contract_amendment_create",
            "contract_invitation_create",
            "contract_invitation_revoke",
            "contract_invitation_resend",
            "contract_organization_create",
            "contract_organization_update",
            "contract_organization_delete",
            "contract_member_role_update",
            "contract_member_remove",
            "contract_signatory_add",
            "contract_signatory_remove",
            "contract_sign",
            "contract_status_update",
            "contract_publication",
            "contract_area_create",
            "contract_area_delete",
            *(
                f"contract_{kind}_{verb}"
                for kind in ("pillar", "axis")
                for verb in ("create", "update", "archive", "delete", "reorder")
            ),
        )
    },
    "api-1:territory_list": Row(API_GLOBAL),
    "api-1:territory_detail": Row(API_GLOBAL, lambda world, contract: {"territory_id": world.qpv.pk}),
    "api-1:openapi-json": Row(API_GLOBAL),
    "api-1:openapi-view": Row(API_GLOBAL),
    "api-1:api-root": Row(EXCLUDED, why_excluded="racine de django-ninja : 404 par conception, rien n'y est servi"),
    # governance (issue 4)
    "governance:body_list": Row(CONTRACT_PRIVATE, _slug),
    "governance:bodies_constitute": Row(CONTRACT_PRIVATE, _slug, method="post"),
    "governance:body_create": Row(CONTRACT_PRIVATE, _slug),
    "governance:body_detail": Row(CONTRACT_PRIVATE, _obj("body")),
    "governance:body_update": Row(CONTRACT_PRIVATE, _obj("body")),
    "governance:body_delete": Row(CONTRACT_PRIVATE, _obj("body")),
    "governance:body_member_add": Row(CONTRACT_PRIVATE, _obj("body")),
    "governance:body_member_remove": Row(CONTRACT_PRIVATE, _obj("body", "member"), method="post"),
    "governance:body_member_suggest_add": Row(CONTRACT_PRIVATE, _obj("body"), method="post"),
    "governance:meeting_calendar": Row(CONTRACT_PRIVATE, _slug),
    "governance:meeting_create": Row(CONTRACT_PRIVATE, _obj("body")),
    "governance:meeting_detail": Row(CONTRACT_PRIVATE, _obj("meeting")),
    "governance:meeting_update": Row(CONTRACT_PRIVATE, _obj("meeting")),
    "governance:meeting_convene": Row(CONTRACT_PRIVATE, _obj("meeting"), method="post"),
    "governance:meeting_cancel": Row(CONTRACT_PRIVATE, _obj("meeting"), method="post"),
    "governance:meeting_attendance": Row(CONTRACT_PRIVATE, _obj("meeting")),
    "governance:meeting_minutes": Row(CONTRACT_PRIVATE, _obj("meeting")),
    "governance:meeting_attachment_add": Row(CONTRACT_PRIVATE, _obj("meeting")),
    "governance:meeting_attachment_download": Row(CONTRACT_PRIVATE, _obj("meeting", "attachment")),
    "governance:meeting_attachment_remove": Row(CONTRACT_PRIVATE, _obj("meeting", "attachment"), method="post"),
    "governance:meeting_convocation_docx": Row(CONTRACT_PRIVATE, _obj("meeting")),
    "governance:meeting_convocation_pdf": Row(CONTRACT_PRIVATE, _obj("meeting")),
    "governance:meeting_minutes_docx": Row(CONTRACT_PRIVATE, _obj("meeting")),
    "governance:meeting_minutes_pdf": Row(CONTRACT_PRIVATE, _obj("meeting")),
    "governance:decision_list": Row(CONTRACT_PUBLIC, _slug),
    "governance:decision_detail": Row(CONTRACT_PUBLIC, _obj("decision")),
    "governance:decision_create": Row(CONTRACT_PRIVATE, _obj("meeting")),
    "governance:decision_update": Row(CONTRACT_PRIVATE, _obj("decision")),
    "governance:decision_publish": Row(CONTRACT_PRIVATE, _obj("decision"), method="post"),
    "governance:phase_timeline": Row(CONTRACT_PRIVATE, _slug),
    "governance:phase_apply": Row(CONTRACT_PRIVATE, _slug),
    "governance:phase_update": Row(CONTRACT_PRIVATE, _obj("phase")),
    "api-1:governance_body_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:governance_body_detail": Row(API_CONTRACT_PRIVATE, _api_obj("body")),
    "api-1:governance_body_member_list": Row(API_CONTRACT_PRIVATE, _api_obj("body")),
    "api-1:governance_meeting_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:governance_meeting_detail": Row(API_CONTRACT_PRIVATE, _api_obj("meeting")),
    "api-1:governance_meeting_attendance": Row(API_CONTRACT_PRIVATE, _api_obj("meeting")),
    "api-1:governance_meeting_attachment_list": Row(API_CONTRACT_PRIVATE, _api_obj("meeting")),
    "api-1:governance_meeting_attachment_add": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_meeting_attachment_remove": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_decision_list": Row(API_CONTRACT_PUBLIC, _contract_id),
    "api-1:governance_phase_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:governance_phase_detail": Row(API_CONTRACT_PRIVATE, _api_obj("phase")),
    "api-1:governance_body_create": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_body_member_add": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_meeting_create": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_meeting_attendance_record": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_decision_create": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_phase_apply": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_phase_update": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_body_update": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_body_delete": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_body_member_update": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_body_member_remove": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_meeting_update": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_meeting_cancel": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_meeting_convene": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:governance_meeting_minutes_update": Row(EXCLUDED, why_excluded=API_WRITE),
}

# Each app above governance declares its rows and the objects they need in ``<app>/tests/access.py``.
AREA_MODULES = [
    "contrat_ville.observation.tests.access",
    "contrat_ville.diagnostic.tests.access",
    "contrat_ville.strategy.tests.access",
    "contrat_ville.funding.tests.access",
    "contrat_ville.resources.tests.access",
    "contrat_ville.participation.tests.access",
    "contrat_ville.reporting.tests.access",
    "contrat_ville.reporting.tests.access_evaluation",
    "contrat_ville.reporting.tests.access_annual_report",
    "contrat_ville.accounts.tests.access_two_factor",
]
_AREAS = [importlib.import_module(name) for name in AREA_MODULES]
for _area in _AREAS:
    _overlap = set(ACCESS_TABLE) & set(_area.ACCESS_ROWS)
    assert not _overlap, f"lignes en double : {_overlap}"
    ACCESS_TABLE.update(_area.ACCESS_ROWS)


def iter_url_names(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[str]:
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            child_namespace = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from iter_url_names(pattern.url_patterns, child_namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_row_in_the_access_table():
    missing = sorted(set(iter_url_names()) - set(ACCESS_TABLE))
    assert not missing, (
        "Ces URL n'ont pas de ligne dans ACCESS_TABLE (tests/test_access_matrix.py) : "
        + ", ".join(missing)
        + ". Ajoutez-les en disant si elles sont publiques ou privées."
    )


def test_access_table_has_no_stale_row():
    stale = sorted(set(ACCESS_TABLE) - set(iter_url_names()))
    assert not stale, f"Lignes de ACCESS_TABLE sans URL : {', '.join(stale)}"


@dataclass
class World:
    private_contract: Any
    public_contract: Any
    pilot: Any
    other_pilot: Any
    qpv: Any
    pilot_token: str
    other_pilot_token: str
    objects: dict[int, dict[str, Any]]


@pytest.fixture
def world() -> World:
    epci: Territory = TerritoryFactory.create(epci=True, geometry=square(4.8, 45.6, 0.1))
    commune: Territory = TerritoryFactory.create(geometry=square(4.81, 45.61, 0.05))
    TerritoryLink.objects.create(parent=epci, child=commune)
    qpv: Territory = TerritoryFactory.create(qpv=True, geometry=square(4.82, 45.62, 0.005))
    TerritoryLink.objects.create(parent=commune, child=qpv)
    private_contract = make_contract(name="Contrat en préparation", epci=epci)
    contract_set_qpvs(contract=private_contract, qpvs=[qpv])
    public_contract = make_contract(name="Contrat signé et publié", published=True)
    pilot = UserFactory(email="pilote@exemple.fr")
    other_pilot = UserFactory(email="pilote2@exemple.fr")
    grant(private_contract, pilot, Role.PILOT)
    grant(public_contract, other_pilot, Role.PILOT)
    return World(
        private_contract=private_contract,
        public_contract=public_contract,
        pilot=pilot,
        other_pilot=other_pilot,
        qpv=qpv,
        pilot_token=api_token_create(user=pilot)[1],
        other_pilot_token=api_token_create(user=other_pilot)[1],
        objects={
            private_contract.pk: contract_objects(private_contract),
            public_contract.pk: contract_objects(public_contract),
        },
    )


def contract_objects(contract: Any) -> dict[str, Any]:
    objects = governance_objects(contract)
    for area in _AREAS:
        objects.update(area.access_objects(contract, objects))
    return objects


def governance_objects(contract: Any) -> dict[str, Any]:
    """One of each governance object in the contract; the published contract's decision is published."""
    organization = OrganizationFactory.create()
    body = Body.objects.create(contract=contract, kind=BodyKind.STEERING_COMMITTEE, name="Comité de pilotage")
    member = BodyMember.objects.create(body=body, organization=organization, role=MemberRole.CO_CHAIR)
    meeting = Meeting.objects.create(
        body=body, title="Installation", starts_at=timezone.now() - timedelta(days=2), location="Hôtel de ville"
    )
    attachment = MeetingAttachment.objects.create(
        meeting=meeting, title="Diaporama", file=ContentFile(b"%PDF-1.4 test", name="diaporama.pdf")
    )
    decision = Decision.objects.create(
        contract=contract,
        meeting=meeting,
        verdict=Verdict.VALIDATED,
        text="Le comité valide sa composition.",
        is_published=contract.is_published,
    )
    phases_apply(contract=contract, by=None)
    phase = Phase.objects.filter(contract=contract).order_by("order").first()
    return {
        "body": body,
        "member": member,
        "meeting": meeting,
        "attachment": attachment,
        "decision": decision,
        "phase": phase,
    }


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _request(client: Client, url_name: str, url: str) -> int:
    if ACCESS_TABLE[url_name].method == "post":
        return client.post(url).status_code
    return client.get(url).status_code


def _api_get(url: str, token: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get(url, headers=headers).status_code


def _rows(*scopes: str) -> list[str]:
    return sorted(name for name, row in ACCESS_TABLE.items() if row.scope in scopes)


@pytest.mark.parametrize("url_name", _rows(GLOBAL))
def test_global_pages_answer_anyone(world, url_name):
    url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, None))
    assert _client().get(url).status_code == 200


@pytest.mark.parametrize("url_name", _rows(SIGNED_IN))
def test_personal_pages_answer_signed_in_users_only(world, url_name):
    url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, None))
    assert _client().get(url)["Location"].startswith(reverse("accounts:login")), f"anonyme sur {url}"
    assert _client(UserFactory(email="sans-role@exemple.fr")).get(url).status_code == 200, url
    assert _client(world.pilot).get(url).status_code == 200, url


@pytest.mark.parametrize("url_name", _rows(STATE_OR_STAFF))
def test_state_pages_answer_state_delegates_and_administrators_only(world, url_name):
    url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, None))
    anonymous = _client().get(url)
    assert anonymous.status_code == 302, f"anonyme sur {url}"
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert _client(world.pilot).get(url).status_code == 403, f"pilote sur {url}"
    delegate = UserFactory(email="delegue-etat@exemple.fr")
    grant(world.public_contract, delegate, Role.STATE)
    assert _client(delegate).get(url).status_code == 200, f"délégué de l'État sur {url}"
    administrator = UserFactory(email="admin-matrice@exemple.fr", is_staff=True)
    assert _client(administrator).get(url).status_code == 200, f"administrateur sur {url}"


@pytest.mark.parametrize("url_name", _rows(STAFF))
def test_administration_pages_answer_administrators_only(world, url_name):
    url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, None))
    assert _client().get(url)["Location"].startswith(reverse("accounts:login")), f"anonyme sur {url}"
    delegate = UserFactory(email="delegue-etat@exemple.fr")
    grant(world.public_contract, delegate, Role.STATE)
    administrator = UserFactory(email="admin-matrice@exemple.fr", is_staff=True)
    callers = {"pilote": world.pilot, "délégué de l'État": delegate, "administrateur": administrator}
    answers = {who: _client(user).get(url).status_code for who, user in callers.items()}
    assert answers == {"pilote": 403, "délégué de l'État": 403, "administrateur": 200}, url


@pytest.mark.parametrize("url_name", _rows(RESOURCE_CENTRE_OR_STAFF))
def test_resource_centre_pages_answer_resource_centres_and_administrators_only(world, url_name):
    url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, None))
    assert _client().get(url)["Location"].startswith(reverse("accounts:login")), f"anonyme sur {url}"
    centre = UserFactory(organization=OrganizationFactory.create(kind="resource_centre"))
    administrator = UserFactory(email="admin-matrice@exemple.fr", is_staff=True)
    callers = {"pilote": world.pilot, "centre de ressources": centre, "administrateur": administrator}
    answers = {who: _client(user).get(url).status_code for who, user in callers.items()}
    assert answers == {"pilote": 403, "centre de ressources": 200, "administrateur": 200}, url


@pytest.mark.parametrize("url_name", _rows(REGION_FOLLOWER_OR_STAFF))
def test_regional_pages_answer_the_region_s_resource_centre_and_administrators_only(world, url_name):
    row = ACCESS_TABLE[url_name]
    url = reverse(url_name, kwargs=row.kwargs(world, None))
    anonymous = _request(_client(), url_name, url)
    assert anonymous == 302, f"anonyme sur {url}"
    centre = UserFactory(organization=OrganizationFactory.create(kind="resource_centre", region_code=MATRIX_REGION))
    elsewhere = UserFactory(organization=OrganizationFactory.create(kind="resource_centre", region_code="76"))
    nowhere = UserFactory(organization=OrganizationFactory.create(kind="resource_centre"))
    administrator = UserFactory(email="admin-matrice@exemple.fr", is_staff=True)
    callers = {
        "pilote": world.pilot,
        "centre sans région": nowhere,
        "centre de la région": centre,
        "administrateur": administrator,
    }
    answers = {who: _request(_client(user), url_name, url) for who, user in callers.items()}
    ok = 302 if row.method == "post" else 200
    assert answers == {
        "pilote": 403,
        "centre sans région": 403,
        "centre de la région": ok,
        "administrateur": ok,
    }, url
    if {"campaign_id", "council_id"} & set(row.kwargs(world, None)):
        assert _request(_client(elsewhere), url_name, url) == 404, f"centre d'une autre région sur {url}"


@pytest.mark.parametrize("url_name", _rows(STATE_AGENT_OR_STAFF))
def test_contract_opening_answers_state_agents_and_administrators_only(world, url_name):
    url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, None))
    anonymous = _client().get(url)
    assert anonymous.status_code == 302, f"anonyme sur {url}"
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert _client(world.pilot).get(url).status_code == 403, f"pilote sur {url}"
    delegate = UserFactory(email="delegue-etat@exemple.fr")
    grant(world.public_contract, delegate, Role.STATE)
    assert _client(delegate).get(url).status_code == 403, f"délégué sans service de l'État sur {url}"
    agent = UserFactory(organization=OrganizationFactory.create(kind="state_service", departement_code="69"))
    assert _client(agent).get(url).status_code == 200, f"agent d'un service de l'État sur {url}"
    administrator = UserFactory(email="admin-matrice@exemple.fr", is_staff=True)
    assert _client(administrator).get(url).status_code == 200, f"administrateur sur {url}"


@pytest.mark.parametrize("url_name", _rows(CONTRACT_PUBLIC, CONTRACT_PRIVATE))
def test_private_contract_urls_are_404_for_other_pilot_and_anonymous(world, url_name):
    url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, world.private_contract))
    assert _request(_client(), url_name, url) == 404, f"anonyme sur {url}"
    assert _request(_client(world.other_pilot), url_name, url) == 404, f"pilote2 sur {url}"
    pilot_status = _request(_client(world.pilot), url_name, url)
    if ACCESS_TABLE[url_name].method == "post":
        assert pilot_status not in {403, 404, 405}, f"pilote sur {url} : {pilot_status}"
    else:
        assert pilot_status == 200, f"pilote sur {url} : {pilot_status}"


@pytest.mark.parametrize("url_name", _rows(CONTRACT_PUBLIC))
def test_public_pages_of_published_contract_answer_anyone(world, url_name):
    url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, world.public_contract))
    assert _client().get(url).status_code == 200
    assert _client(world.pilot).get(url).status_code == 200


@pytest.mark.parametrize("url_name", _rows(CONTRACT_PRIVATE))
def test_private_pages_of_published_contract_stay_private(world, url_name):
    url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, world.public_contract))
    assert _request(_client(), url_name, url) == 404
    assert _request(_client(world.pilot), url_name, url) == 404
    if ACCESS_TABLE[url_name].method != "post":
        assert _request(_client(world.other_pilot), url_name, url) == 200


@pytest.mark.parametrize("url_name", _rows(API_GLOBAL))
def test_global_api_answers_anyone(world, url_name):
    assert _api_get(reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, None))) == 200


@pytest.mark.parametrize("url_name", _rows(API_CONTRACT_PRIVATE))
def test_private_contract_api_is_401_without_token_and_404_for_other_pilot(world, url_name):
    url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, world.private_contract))
    assert _api_get(url) == 401
    assert _api_get(url, world.other_pilot_token) == 404
    assert _api_get(url, "jeton-inconnu") == 401
    assert _api_get(url, world.pilot_token) == 200


@pytest.mark.parametrize("url_name", _rows(API_CONTRACT_PUBLIC))
def test_public_contract_api(world, url_name):
    private_url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, world.private_contract))
    assert _api_get(private_url) == 404
    assert _api_get(private_url, world.other_pilot_token) == 404
    assert _api_get(private_url, world.pilot_token) == 200
    public_url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, world.public_contract))
    assert _api_get(public_url) == 200


# --- every role on every contract page, from the views' own predicates -----------------------------------------

# The organisation each role acts for; every one of them holds a seat in the world's bodies, the partner leads the
# world's action and the council member's organisation is the consulted conseil citoyen, so that the object
# conditions hold and a page refuses only on the role, as its predicate says.
ROLE_ORGANIZATION_KINDS = {
    Role.STATE: "state_service",
    Role.PARTNER: "public_operator",
    Role.APPLICANT: "association",
    Role.OBSERVER: "other",
}


@pytest.fixture
def role_users(world: World) -> dict[str, Any]:
    """A member of the private contract for each role (the pilot is the world's), plus a platform administrator."""
    contract = world.private_contract
    objects = world.objects[contract.pk]
    users: dict[str, Any] = {Role.PILOT: world.pilot}
    for role in Role:
        if role == Role.PILOT:
            continue
        if role == Role.COUNCIL:
            organization = objects["consultation"].councils.get()
        else:
            organization = OrganizationFactory.create(kind=ROLE_ORGANIZATION_KINDS[role])
            BodyMember.objects.create(body=objects["body"], organization=organization, role=MemberRole.MEMBER)
        user = UserFactory(organization=organization)
        grant(contract, user, role)
        users[role] = user
    partner_organization = users[Role.PARTNER].organization
    type(objects["action"]).objects.filter(pk=objects["action"].pk).update(lead_organization=partner_organization)
    # The partner's pages on a commitment are those of its own organisation's commitment.
    type(objects["commitment"]).objects.filter(pk=objects["commitment"].pk).update(partner=partner_organization)
    # The applicant's pages on an application are those of its own organisation's application; the partner reviews
    # applications from its seat in the contract's technical committee.
    type(objects["application"]).objects.filter(pk=objects["application"].pk).update(
        organization=users[Role.APPLICANT].organization
    )
    BodyMember.objects.create(
        body=objects["technical_committee"], organization=partner_organization, role=MemberRole.MEMBER
    )
    Meeting.objects.filter(pk=objects["meeting"].pk).update(minutes="<p>Relevé</p>", minutes_published=True)
    users["staff"] = UserFactory(is_staff=True)
    return users


def test_every_role_has_a_user_in_the_role_matrix(role_users):
    """A role added to ``Role`` must get its user here, so the matrix below cannot forget it."""
    assert set(Role.values) <= set(role_users)


def _view_permission(url: str) -> Any:
    return getattr(resolve(url).func, "contract_view_permission", None)


@pytest.mark.parametrize("url_name", _rows(CONTRACT_PUBLIC, CONTRACT_PRIVATE))
def test_each_role_gets_what_the_page_predicate_admits(world, role_users, url_name):
    """403 for a member whose role the page's predicate does not admit; the page itself for every other member.

    The expectation is read from the predicate the view declares (``contract_view(permission=...)``), the same
    object ARCHITECTURE.md's table is generated from. POST actions are tried only by the roles they refuse, so the
    world is not changed under the other rows (the pilot's success is checked above).
    """
    contract = world.private_contract
    url = reverse(url_name, kwargs=ACCESS_TABLE[url_name].kwargs(world, contract))
    predicate = _view_permission(url)
    is_post = ACCESS_TABLE[url_name].method == "post"
    for role, user in role_users.items():
        access = contract_access(user=user, slug=contract.slug, private=True)
        admitted = predicate is None or predicate.admits(access)
        if admitted and is_post:
            continue
        status = _request(_client(user), url_name, url)
        expected = 200 if admitted else 403
        assert status == expected, f"{role} sur {url} : {status} (attendu {expected}, prédicat {predicate})"


def test_every_contract_write_page_declares_its_predicate():
    """A contract page that changes something names the predicate that admits it (or every member may do it)."""
    undeclared = []
    for url_name, row in ACCESS_TABLE.items():
        if row.scope not in {CONTRACT_PUBLIC, CONTRACT_PRIVATE} or row.method != "post":
            continue
        func = resolve_view(url_name)
        if getattr(func, "contract_view_permission", None) is None:
            undeclared.append(url_name)
    assert not undeclared, f"Actions POST sans prédicat : {', '.join(sorted(undeclared))}"


def resolve_view(url_name: str) -> Any:
    """The view function behind a URL name (its pattern, whatever its arguments)."""
    for pattern, name in _patterns():
        if name == url_name:
            return pattern.callback
    raise LookupError(url_name)


def _patterns(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[tuple[URLPattern, str]]:
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            child_namespace = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, child_namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern, f"{namespace}{pattern.name}"
