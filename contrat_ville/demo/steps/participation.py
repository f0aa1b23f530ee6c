"""The conseils citoyens of the demo (issue 11 §1-2; design.md §6: « two conseils citoyens »).

Contract « val-de-sorne-2024 »: the Hauts de Sorne's council, an association loi 1901 with its charter and statutes,
renewed in November 2024; the Pré-Vert's, an informal collective facilitated by an adulte-relais. Each has members
in both colleges (some agreed to the publication of their name, most did not), and the Hauts de Sorne keeps a
former member whose mandate ended. Both are registered on the conseil citoyen organisations the earlier steps seated
in the bodies and consulted on the stakes, so that the registry, the seats and the opinions name the same council.

Idempotent: a council is looked up by contract and organisation; a council already registered is left as it is
(members included). Every write goes through ``participation.services``. The content is data, in
``demo/data/participation.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contrat_ville.core.datafiles import load_records
from contrat_ville.demo.context import DemoContext
from contrat_ville.demo.users import SLUG_VAL_DE_SORNE
from contrat_ville.participation.models import CitizenCouncil
from contrat_ville.participation.services import (
    CouncilFields,
    CouncilMeans,
    MemberFields,
    council_save,
    member_save,
)
from contrat_ville.territories.enums import TerritoryKind

PACKAGE, DATA_FILE = "contrat_ville.demo", "data/participation.yaml"
PILOT = "pilote@exemple.fr"


@dataclass(frozen=True)
class MemberSpec:
    college: str
    sex: str
    designation_method: str
    start_on: date
    age_band: str = ""
    qpv: str = ""
    end_on: date | None = None
    name: str = ""
    publish_name: bool = False


@dataclass(frozen=True, kw_only=True)
class CouncilSpec(CouncilMeans):
    organization: str  # key of organizations.yaml
    name: str
    qpv_codes: tuple[str, ...]
    legal_form: str
    created_on: date
    members: tuple[MemberSpec, ...]
    status: str = "active"
    renewed_on: date | None = None


COUNCILS: tuple[CouncilSpec, ...] = load_records(CouncilSpec, PACKAGE, DATA_FILE, key="name")


def step_participation(context: DemoContext) -> None:
    """The two conseils citoyens of the Val de Sorne contract and their members."""
    contract = context.contracts[SLUG_VAL_DE_SORNE]
    pilot = context.users.get(PILOT)
    created = 0
    for spec in COUNCILS:
        organization = context.organizations[spec.organization]
        if CitizenCouncil.objects.filter(contract=contract, organization=organization).exists():
            continue
        qpvs = [context.territory_of(TerritoryKind.QPV, code) for code in spec.qpv_codes]
        council = council_save(
            contract=contract,
            organization=organization,
            fields=CouncilFields(
                name=spec.name,
                qpvs=qpvs,
                legal_form=spec.legal_form,
                created_on=spec.created_on,
                status=spec.status,
                renewed_on=spec.renewed_on,
                **spec.means(),
            ),
            by=pilot,
            today=context.today,
        )
        for member in spec.members:
            member_save(
                council=council,
                fields=MemberFields(
                    college=member.college,
                    sex=member.sex,
                    designation_method=member.designation_method,
                    start_on=member.start_on,
                    age_band=member.age_band,
                    neighbourhood=context.territory_of(TerritoryKind.QPV, member.qpv) if member.qpv else None,
                    end_on=member.end_on,
                    name=member.name,
                    publish_name=member.publish_name,
                ),
                by=pilot,
            )
        created += 1
    context.log(f"  {created} conseil(s) citoyen(s) inscrit(s) au registre.")
