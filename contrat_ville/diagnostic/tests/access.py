"""Rows of the access matrix for the diagnostic's URLs and the participation API (see tests/access_rows.py).

Every diagnostic page is private to the contract's members (404 for anyone else, published contract included);
the API is private too (401 without token, 404 outside the contract).
"""

from __future__ import annotations

from typing import Any

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Pillar
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.models import FindingEvidence, MainstreamPolicy
from contrat_ville.diagnostic.services.consultations import consultation_create
from contrat_ville.diagnostic.services.inventory import data_source_create, finding_create
from contrat_ville.diagnostic.services.stakes import stake_create
from contrat_ville.governance.enums import MemberRole
from contrat_ville.governance.models import BodyMember
from contrat_ville.observation.models import Indicator
from tests.access_rows import (
    API_CONTRACT_PRIVATE,
    API_WRITE,
    CONTRACT_PRIVATE,
    EXCLUDED,
    Row,
    _api_obj,
    _contract_id,
    _obj,
    _slug,
)

ACCESS_ROWS: dict[str, Row] = {
    "diagnostic:overview": Row(CONTRACT_PRIVATE, _slug),
    "diagnostic:source_list": Row(CONTRACT_PRIVATE, _slug),
    "diagnostic:source_create": Row(CONTRACT_PRIVATE, _slug),
    "diagnostic:source_update": Row(CONTRACT_PRIVATE, _obj("source")),
    "diagnostic:source_delete": Row(CONTRACT_PRIVATE, _obj("source")),
    "diagnostic:source_archive": Row(CONTRACT_PRIVATE, _obj("source"), method="post"),
    "diagnostic:finding_list": Row(CONTRACT_PRIVATE, _slug),
    "diagnostic:finding_create": Row(CONTRACT_PRIVATE, _slug),
    "diagnostic:finding_detail": Row(CONTRACT_PRIVATE, _obj("finding")),
    "diagnostic:finding_update": Row(CONTRACT_PRIVATE, _obj("finding")),
    "diagnostic:finding_delete": Row(CONTRACT_PRIVATE, _obj("finding")),
    "diagnostic:finding_archive": Row(CONTRACT_PRIVATE, _obj("finding"), method="post"),
    "diagnostic:finding_evidence_add": Row(CONTRACT_PRIVATE, _obj("finding")),
    "diagnostic:finding_evidence_remove": Row(CONTRACT_PRIVATE, _obj("finding", "evidence"), method="post"),
    "diagnostic:stake_list": Row(CONTRACT_PRIVATE, _slug),
    "diagnostic:stake_create": Row(CONTRACT_PRIVATE, _slug),
    "diagnostic:stake_detail": Row(CONTRACT_PRIVATE, _obj("stake")),
    "diagnostic:stake_update": Row(CONTRACT_PRIVATE, _obj("stake")),
    "diagnostic:stake_redefine": Row(CONTRACT_PRIVATE, _obj("stake")),
    "diagnostic:stake_mainstream_add": Row(CONTRACT_PRIVATE, _obj("stake")),
    "diagnostic:stake_mainstream_remove": Row(CONTRACT_PRIVATE, _obj("stake", "mainstream"), method="post"),
    "diagnostic:stake_duplicate": Row(CONTRACT_PRIVATE, _obj("stake")),
    "diagnostic:stake_delete": Row(CONTRACT_PRIVATE, _obj("stake")),
    "diagnostic:stake_archive": Row(CONTRACT_PRIVATE, _obj("stake"), method="post"),
    "diagnostic:stake_validation": Row(CONTRACT_PRIVATE, _obj("stake")),
    "diagnostic:synthesis": Row(CONTRACT_PRIVATE, _slug),
    "diagnostic:consultation_list": Row(CONTRACT_PRIVATE, _slug),
    "diagnostic:consultation_create": Row(CONTRACT_PRIVATE, _slug),
    "diagnostic:consultation_detail": Row(CONTRACT_PRIVATE, _obj("consultation")),
    "diagnostic:consultation_close": Row(CONTRACT_PRIVATE, _obj("consultation"), method="post"),
    "diagnostic:opinion_give": Row(CONTRACT_PRIVATE, _obj("consultation", "version")),
    "diagnostic:item_opinion_give": Row(CONTRACT_PRIVATE, _obj("consultation", "item")),
    "api-1:diagnostic_stake_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:diagnostic_stake_detail": Row(API_CONTRACT_PRIVATE, _api_obj("stake")),
    "api-1:diagnostic_consultation_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:diagnostic_data_source_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:diagnostic_finding_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:diagnostic_finding_detail": Row(API_CONTRACT_PRIVATE, _api_obj("finding")),
    "api-1:diagnostic_data_source_create": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_data_source_update": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_data_source_delete": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_data_source_archive": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_finding_create": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_finding_update": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_finding_delete": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_finding_archive": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_stake_update": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_finding_evidence_add": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_finding_evidence_remove": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_stake_redefine": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_stake_mainstream_add": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_stake_mainstream_remove": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_stake_duplicate": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_consultation_create": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_consultation_close": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_stake_create": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_stake_delete": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_stake_archive": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:diagnostic_opinion_give": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:participation_opinion_list": Row(API_CONTRACT_PRIVATE, _contract_id),
}


def access_objects(contract: Any, objects: dict[str, Any]) -> dict[str, Any]:
    """A data source, a finding citing an indicator, a stake with droit commun submitted to a council."""
    pillar = Pillar.objects.filter(contract=contract).order_by("order").first()
    assert pillar is not None
    source = data_source_create(contract=contract, pillar=pillar, producer="INSEE", dataset="Filosofi", by=None)
    finding = finding_create(
        contract=contract,
        pillar=pillar,
        territory=None,
        kind=FindingKind.HANDICAP,
        text="Taux de pauvreté deux fois supérieur à celui de l'agglomération.",
        data_sources=[source],
        by=None,
    )
    indicator = Indicator.objects.create(
        code=f"acces-{contract.pk}", label="Taux de pauvreté", theme="cohesion_sociale", unit="%"
    )
    evidence = FindingEvidence.objects.create(
        finding=finding, indicator=indicator, territory=contract.epci, period=2021
    )
    council = Organization.objects.create(name=f"Conseil citoyen {contract.pk}", kind=OrganizationKind.CITIZEN_COUNCIL)
    BodyMember.objects.create(body=objects["body"], organization=council, role=MemberRole.MEMBER)
    stake = stake_create(contract=contract, pillar=pillar, title="Réduire la pauvreté", by=None)
    mainstream = MainstreamPolicy.objects.create(stake=stake, organization=council, policy="Accès aux droits")
    stake_for_consultation = stake_create(contract=contract, pillar=pillar, title="Accès aux droits", by=None)
    consultation = consultation_create(
        contract=contract,
        title="Mise en débat",
        deadline=contract.end_on,
        councils=[council],
        stakes=[stake_for_consultation],
        by=None,
    )
    return {
        "source": source,
        "finding": finding,
        "evidence": evidence,
        "stake": stake,
        "mainstream": mainstream,
        "consultation": consultation,
        "version": consultation.stake_versions.get(),
        "item": consultation.items.get(),
    }
