"""Councils and members for the participation tests, built through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.participation import services
from contrat_ville.participation.enums import College, DesignationMethod, LegalForm, Sex
from contrat_ville.participation.models import CitizenCouncil, CouncilMember
from contrat_ville.territories.models import Territory, TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory


def add_qpv(contract: Contract, *, name: str = "") -> Territory:
    """A QPV of the contract's generation (2015 « QP… » or 2024 « QN… »), inside a commune of its EPCI."""
    commune = TerritoryFactory.create()
    TerritoryLink.objects.create(parent=contract.epci, child=commune)
    vintage = contract.generation_defaults.qpv_vintage
    number = Territory.objects.count()
    prefix = "QP" if vintage == "2015" else "QN"
    qpv = TerritoryFactory.create(
        qpv=True, vintage=vintage, code=f"{prefix}096{number:03d}", **({"name": name} if name else {})
    )
    TerritoryLink.objects.create(parent=commune, child=qpv)
    contract_set_qpvs(contract=contract, qpvs=[*contract.qpvs.all(), qpv])
    return qpv


def make_council(contract: Contract, *, qpvs: list[Territory] | None = None, **fields: Any) -> CitizenCouncil:
    """A council of ``contract`` on ``qpvs`` (a new QPV of the contract when none is given)."""
    values: dict[str, Any] = {"name": f"Conseil citoyen {CitizenCouncil.objects.count() + 1}"}
    values["legal_form"] = LegalForm.COLLECTIVE
    values.update(fields)
    organization = values.pop("organization", None)
    return services.council_save(
        contract=contract,
        fields=services.CouncilFields(qpvs=qpvs if qpvs is not None else [add_qpv(contract)], **values),
        organization=organization,
    )


def add_member(council: CitizenCouncil, **fields: Any) -> CouncilMember:
    values: dict[str, Any] = {
        "college": College.RESIDENTS,
        "sex": Sex.FEMALE,
        "designation_method": DesignationMethod.DRAWN_FROM_VOLUNTEERS,
        "start_on": date(2024, 9, 1),
    }
    values.update(fields)
    return services.member_save(council=council, fields=services.MemberFields(**values))
