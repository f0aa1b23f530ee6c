"""Who's who in the demo: organisations, contracts and signatories, read from ``data/organizations.yaml`` and
``data/contracts.yaml`` (no database).

Every organisation and person there is fictional except the real institutions a contract in région 84 would
involve (conseil régional, national operators), named under their current names with the former ones the seeds
use (domain.md §3.4). The territory itself (communes, IRIS, QPV) is in ``data/territory.yaml``, the accounts in
``data/accounts.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contrat_ville.core.datafiles import load_records

PACKAGE = "contrat_ville.demo"


@dataclass(frozen=True)
class OrganizationSpec:
    key: str
    name: str
    kind: str
    acronym: str = ""
    siren: str = ""
    former_names: str = ""
    departement_code: str = ""  # empty for regional and national bodies
    region_code: str = ""  # the region a resource centre covers


ORGANIZATIONS: tuple[OrganizationSpec, ...] = load_records(
    OrganizationSpec, PACKAGE, "data/organizations.yaml", key="key"
)


@dataclass(frozen=True)
class SignatorySpec:
    organization: str  # key in ORGANIZATIONS
    kind: str
    signed_by: str = ""


@dataclass(frozen=True)
class ContractSpec:
    slug: str
    name: str
    epci_siren: str
    generation: str
    status: str
    is_published: bool
    summary: str
    qpv_codes: tuple[str, ...]
    signatories: tuple[SignatorySpec, ...]
    # Fixed dates; ``None`` means « relative to today » (see ``services.preparation_dates``).
    start_on: date | None = None
    end_on: date | None = None
    signed_on: date | None = None
    # The contract's code at the ANCT (« CV… »), which its programme 147 posts carry.
    anct_code: str = ""


CONTRACTS: tuple[ContractSpec, ...] = load_records(ContractSpec, PACKAGE, "data/contracts.yaml", key="slug")
