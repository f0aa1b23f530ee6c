"""Rows of the access matrix for this app's URLs (see tests/access_rows.py).

Global pages (catalogue, indicator, territory portrait) and the API show public values: they answer anyone.
The national table and its export answer State delegates and administrators only (``permissions``).
A contract's observation pages are public pages of a published contract (public values only for visitors, the
contract's private values for its members); the import page is members-only.
"""

from __future__ import annotations

from typing import Any

from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.territories.tests.factories import TerritoryFactory
from tests.access_rows import API_GLOBAL, CONTRACT_PRIVATE, CONTRACT_PUBLIC, GLOBAL, STATE_OR_STAFF, Row, _slug

INDICATOR_CODE = "ACCES-01"


def _code(world: Any, contract: Any) -> dict[str, Any]:
    return {"code": INDICATOR_CODE}


def _export(world: Any, contract: Any) -> dict[str, Any]:
    return {"code": INDICATOR_CODE, "fmt": "csv"}


def _territory(world: Any, contract: Any) -> dict[str, Any]:
    return {"kind": world.qpv.kind, "vintage": world.qpv.vintage, "code": world.qpv.code}


def _territory_export(world: Any, contract: Any) -> dict[str, Any]:
    return {**_territory(world, contract), "fmt": "csv"}


def _contract_code(world: Any, contract: Any) -> dict[str, Any]:
    return {"contract_slug": contract.slug, "code": INDICATOR_CODE}


def _contract_export(world: Any, contract: Any) -> dict[str, Any]:
    return {"contract_slug": contract.slug, "fmt": "csv"}


def _contract_code_export(world: Any, contract: Any) -> dict[str, Any]:
    return {**_contract_code(world, contract), "fmt": "csv"}


def _qpv(world: Any, contract: Any) -> dict[str, Any]:
    return {"contract_slug": contract.slug, "territory_id": world.objects[contract.pk]["observation_qpv"].pk}


def _qpv_export(world: Any, contract: Any) -> dict[str, Any]:
    return {**_qpv(world, contract), "fmt": "csv"}


def _csv(world: Any, contract: Any) -> dict[str, Any]:
    return {"fmt": "csv"}


def _api_portrait(world: Any, contract: Any) -> dict[str, Any]:
    return {"kind": world.qpv.kind, "code": world.qpv.code}


ACCESS_ROWS: dict[str, Row] = {
    "observation:indicator_list": Row(GLOBAL),
    "observation:indicator_detail": Row(GLOBAL, _code),
    "observation:indicator_export": Row(GLOBAL, _export),
    "observation:territory_portrait": Row(GLOBAL, _territory),
    "observation:territory_portrait_export": Row(GLOBAL, _territory_export),
    "observation:national_gaps": Row(STATE_OR_STAFF),
    "observation:national_gaps_export": Row(STATE_OR_STAFF, _csv),
    "observation_contract:comparison": Row(CONTRACT_PUBLIC, _slug),
    "observation_contract:comparison_export": Row(CONTRACT_PUBLIC, _contract_export),
    "observation_contract:qpv_portrait": Row(CONTRACT_PUBLIC, _qpv),
    "observation_contract:qpv_portrait_export": Row(CONTRACT_PUBLIC, _qpv_export),
    "observation_contract:indicator_detail": Row(CONTRACT_PUBLIC, _contract_code),
    "observation_contract:indicator_export": Row(CONTRACT_PUBLIC, _contract_code_export),
    "observation_contract:value_import": Row(CONTRACT_PRIVATE, _slug),
    "api-1:observation_indicator_list": Row(API_GLOBAL),
    "api-1:observation_indicator_detail": Row(API_GLOBAL, _code),
    "api-1:observation_indicator_value_list": Row(API_GLOBAL),
    "api-1:observation_territory_portrait": Row(API_GLOBAL, _api_portrait),
}


def access_objects(contract: Any, objects: dict[str, Any]) -> dict[str, Any]:
    """An indicator with a public and a private value, and a QPV of the contract (one is created when the
    contract has none)."""
    indicator, _ = Indicator.objects.get_or_create(
        code=INDICATOR_CODE, defaults={"label": "Indicateur de la matrice d'accès", "theme": "context", "unit": "%"}
    )
    qpv = contract.qpvs.order_by("pk").first()
    if qpv is None:
        qpv = TerritoryFactory.create(qpv=True)
        contract_set_qpvs(contract=contract, qpvs=[qpv])
    IndicatorValue.objects.create(indicator=indicator, territory=qpv, period=2021, value=12.5)
    IndicatorValue.objects.create(indicator=indicator, territory=qpv, period=2022, value=13.5, contract=contract)
    return {"observation_indicator": indicator, "observation_qpv": qpv}
