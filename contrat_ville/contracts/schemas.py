"""Input and output shapes of the contracts API (django-ninja)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Schema

from contrat_ville.contracts.enums import ContractStatus, Generation


class ContractTerritoryOut(Schema):
    """A territory of the contract (its EPCI, its QPVs): enough to find it in ``/territories/{id}``."""

    id: int
    kind: str
    code: str
    vintage: str
    name: str


class ContractListItemOut(Schema):
    id: int
    slug: str
    name: str
    epci: ContractTerritoryOut
    generation: str
    generation_label: str
    status: str
    status_label: str
    is_published: bool
    start_on: date
    end_on: date
    signed_on: date | None
    qpv_count: int

    @staticmethod
    def resolve_generation_label(obj: Any) -> str:
        return str(Generation(obj.generation).label)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(ContractStatus(obj.status).label)


class TermOut(Schema):
    code: str
    label: str
    objective: str
    is_local: bool


class SignatoryOut(Schema):
    organization: str
    kind: str
    kind_label: str
    signed_by: str
    signed_on: date | None
    is_signed: bool


class ContractDetailOut(Schema):
    id: int
    slug: str
    name: str
    summary: str
    epci: ContractTerritoryOut
    generation: str
    generation_label: str
    status: str
    status_label: str
    is_published: bool
    start_on: date
    end_on: date
    signed_on: date | None
    qpvs: list[ContractTerritoryOut]
    pillars: list[TermOut]
    axes: list[TermOut]
    signatories: list[SignatoryOut]


class MemberOut(Schema):
    name: str
    organization: str | None
    role: str
    role_label: str
