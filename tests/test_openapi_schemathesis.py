"""The whole API against its own OpenAPI document, with schemathesis, in-process (no server, no network).

Every operation is called with generated parameters and bodies by each caller: an anonymous visitor, a caller
with an unknown token, and a member of a contract in each role (pilot, State, partner, council member, applicant,
observer; bearer tokens from ``api_token_create``). The world is made in the test: a private contract (the
members') and a published one, each with the access matrix's objects (bodies,
meetings, decisions, phases, data sources, findings, stakes, a consultation, a strategic tree, a yearly plan).
Cases either aim at those objects (their ids in the path and in the body) or use generated ids (huge ones
included). Each answer must be: no server error, a status code the document declares for the operation, the
declared content type, and a body that conforms to the declared schema. Writes act on the test's own data.

Deterministic (Hypothesis derandomized, no example database: CI does not flake) and bounded (``AIMED_EXAMPLES``,
``FREE_EXAMPLES`` and ``NEGATIVE_EXAMPLES`` cases per operation and caller, fewer for the roles other than the
pilot: ``ROLE_*_EXAMPLES``). On failure, the message lists each failing operation with
the request and the first broken check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from contrat_ville.accounts.services import api_token_create
from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract, ContractArea, Signatory
from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.diagnostic.models import (
    Consultation,
    DataSource,
    Finding,
    FindingEvidence,
    MainstreamPolicy,
    Stake,
    StakeVersion,
)
from contrat_ville.governance.models import Body, BodyMember, Decision, Meeting
from contrat_ville.governance.models import Phase as ElaborationPhase
from contrat_ville.strategy.models import Action, ActionPlan, Objective
from contrat_ville.territories.models import Territory, TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory, square
from tests.test_access_matrix import contract_objects

pytestmark = pytest.mark.django_db

AIMED_EXAMPLES = 12  # per operation, caller and contract of the world
FREE_EXAMPLES = 8  # per operation and caller, with generated ids
NEGATIVE_EXAMPLES = 8  # per operation and caller, with input that breaks the schema
# The other roles of the contract: what differs from the pilot is which answers they get on the world's objects
# (403, 404 or 2xx), so they get aimed cases only, fewer of them, and a few invalid ones (a partner may write).
ROLE_AIMED_EXAMPLES = 4
ROLE_NEGATIVE_EXAMPLES = 2
OPENAPI_URL = "/api/v1/openapi.json"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass(frozen=True)
class Caller:
    headers: dict[str, str]
    aimed: int = AIMED_EXAMPLES
    free: int = FREE_EXAMPLES
    negative: int = NEGATIVE_EXAMPLES


def _world() -> tuple[list[Contract], dict[Role, str]]:
    """Two contracts with one of each object, a member of the private one in each role, and their tokens."""
    epci: Territory = TerritoryFactory.create(epci=True, geometry=square(4.8, 45.6, 0.1))
    commune: Territory = TerritoryFactory.create(geometry=square(4.81, 45.61, 0.05))
    TerritoryLink.objects.create(parent=epci, child=commune)
    qpv: Territory = TerritoryFactory.create(qpv=True, geometry=square(4.82, 45.62, 0.005))
    TerritoryLink.objects.create(parent=commune, child=qpv)
    private_contract = make_contract(name="Contrat en préparation", epci=epci)
    contract_set_qpvs(contract=private_contract, qpvs=[qpv])
    public_contract = make_contract(name="Contrat signé et publié", published=True)
    tokens = {}
    for role in Role:
        member = UserFactory(email=f"{role.value}@exemple.fr")
        grant(private_contract, member, role)
        tokens[role] = api_token_create(user=member)[1]
    for contract in (private_contract, public_contract):
        contract_objects(contract)
    return [private_contract, public_contract], tokens


def _first_pk(queryset: Any) -> int:
    return queryset.order_by("pk").values_list("pk", flat=True).first() or 1


def _target(contract: Contract) -> dict[str, Any]:
    """Ids of real objects of ``contract``, read now: writes of earlier operations (phases replaced…) count."""
    qpv = contract.qpvs.first() or contract.epci
    pillar = contract.pillars.order_by("order").first()
    return {
        "contract_id": contract.pk,
        "territory_id": qpv.pk,
        "kind": qpv.kind,
        "code": qpv.code,
        "pillar": pillar.code if pillar else "",
        "body_id": _first_pk(Body.objects.filter(contract=contract)),
        "member_id": _first_pk(BodyMember.objects.filter(body__contract=contract)),
        "organization_id": _first_pk(BodyMember.objects.filter(body__contract=contract).values("organization")),
        "meeting_id": _first_pk(Meeting.objects.filter(body__contract=contract)),
        "decision_id": _first_pk(Decision.objects.filter(contract=contract)),
        "phase_id": _first_pk(ElaborationPhase.objects.filter(contract=contract)),
        "stake_id": _first_pk(Stake.objects.filter(contract=contract)),
        "source_id": _first_pk(DataSource.objects.filter(contract=contract)),
        "finding_id": _first_pk(Finding.objects.filter(contract=contract)),
        "evidence_id": _first_pk(FindingEvidence.objects.filter(finding__contract=contract)),
        "mainstream_id": _first_pk(MainstreamPolicy.objects.filter(stake__contract=contract)),
        "signatory_id": _first_pk(Signatory.objects.filter(contract=contract)),
        "area_id": _first_pk(ContractArea.objects.filter(contract=contract)),
        "consultation_id": _first_pk(Consultation.objects.filter(contract=contract)),
        "stake_version_id": _first_pk(StakeVersion.objects.filter(consultations__contract=contract)),
        "objective_id": _first_pk(Objective.objects.filter(orientation__contract=contract)),
        "action_id": _first_pk(Action.objects.filter(objective__orientation__contract=contract)),
        "plan_id": _first_pk(ActionPlan.objects.filter(contract=contract)),
    }


def _aim(value: Any, target: dict[str, Any]) -> Any:
    """A generated body whose ids (``objective_id``, ``member_id``…) and codes name the target's objects."""
    if isinstance(value, dict):
        return {
            key: target[key] if key in target and key != "kind" else _aim(item, target) for key, item in value.items()
        }
    if isinstance(value, list):
        return [_aim(item, target) for item in value]
    return value


def _run(strategy: st.SearchStrategy[Case], examples: int, target: dict[str, Any] | None, record: Callable) -> None:
    class StopError(Exception):
        """The operation broke a check: one failure per operation and caller is enough to report."""

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Case) -> None:
        if target is not None and isinstance(case.body, dict | list):
            case.body = _aim(case.body, target)
        response = case.call()
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as error:
            failure = error.exceptions[0]
            record(f"{case.method} {case.formatted_path} → {response.status_code} : {failure.title}")
            raise StopError from error

    try:
        run()
    except StopError:
        pass
    except Unsatisfiable:
        pass  # nothing to negate: every parameter is fixed


@pytest.fixture
def wsgi_app() -> Any:
    """Django's WSGI application, called in the test's thread and transaction.

    Like Django's test client, it must not close the database connection at the end of each request: the test's
    transaction (and its data) lives on it.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_answers_as_its_openapi_document_says(wsgi_app):
    contracts, tokens = _world()
    # Callers are who the headers say: schemathesis adds no credentials of its own.
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    schema = schemathesis.openapi.from_wsgi(OPENAPI_URL, wsgi_app, config=config)
    operations = [result.ok() for result in schema.get_all_operations()]
    callers = {
        "anonyme": Caller({}),
        "jeton inconnu": Caller({"Authorization": "Bearer jeton-inconnu"}),
        "pilote": Caller({"Authorization": f"Bearer {tokens[Role.PILOT]}"}),
    } | {
        role.label: Caller(
            {"Authorization": f"Bearer {token}"}, aimed=ROLE_AIMED_EXAMPLES, free=0, negative=ROLE_NEGATIVE_EXAMPLES
        )
        for role, token in tokens.items()
        if role != Role.PILOT
    }
    failures: dict[str, set[str]] = {}
    for caller, spec in callers.items():
        headers = spec.headers
        for operation in operations:
            names = {parameter.name for parameter in operation.path_parameters}

            def record(message: str, label: str = operation.label, caller: str = caller) -> None:
                failures.setdefault(label, set()).add(f"[{caller}] {message}")

            for contract in contracts:
                target = _target(contract)
                path = {name: value for name, value in target.items() if name in names}
                _run(operation.as_strategy(path_parameters=path, headers=headers), spec.aimed, target, record)
            if spec.free:
                _run(operation.as_strategy(headers=headers), spec.free, None, record)
            # Invalid input (a 300-character title, a page beyond the last, a text where a number goes…) must be
            # refused with a declared 4xx, never a server error.
            negative = operation.as_strategy(GenerationMode.NEGATIVE, headers=headers)
            _run(negative, spec.negative, None, record)
    report = "\n".join(f"{label}\n  " + "\n  ".join(sorted(messages)) for label, messages in sorted(failures.items()))
    assert not failures, f"{len(failures)} opérations sur {len(operations)} ne tiennent pas leur schéma :\n{report}"
