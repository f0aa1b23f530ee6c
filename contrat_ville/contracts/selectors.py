"""Reads of contracts, and the tenancy boundary: which contracts a user may see, with which role.

Every view and API endpoint of the platform resolves its contract through ``contract_access`` (or
the decorator built on it in ``contrat_ville.contracts.access``). Outside it the answer is 404,
whether the contract exists or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404

from contrat_ville.contracts.enums import EDITOR_ROLES, Role
from contrat_ville.contracts.models import Contract, ContractQuerySet, ContractRole, Pillar, Signatory, TransversalAxis


@dataclass(frozen=True)
class ContractAccess:
    """A contract as seen by one user: their role there, if any."""

    contract: Contract
    role: str | None
    is_staff: bool = False

    @property
    def is_member(self) -> bool:
        return self.role is not None or self.is_staff

    @property
    def can_edit(self) -> bool:
        return self.is_staff or self.role in EDITOR_ROLES

    def has_role(self, *roles: str) -> bool:
        return self.is_staff or self.role in roles

    @property
    def role_label(self) -> str:
        if self.role:
            return Role(self.role).label
        return "administrateur" if self.is_staff else "visiteur"


def _is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def contracts_visible_to(user: Any) -> ContractQuerySet:
    """Published contracts for everyone; plus, for a signed-in user, the contracts they hold a role on.

    Staff (platform administrators) see every contract.
    """
    contracts = Contract.objects.all()
    if not _is_authenticated(user):
        return contracts.published()
    if user.is_staff:
        return contracts
    return contracts.filter(Q(is_published=True) | Q(roles__user=user)).distinct()


def contracts_of_member(user: Any) -> ContractQuerySet:
    """Contracts on which the user holds a role (their private space)."""
    if not _is_authenticated(user):
        return Contract.objects.none()
    if user.is_staff:
        return Contract.objects.all()
    return Contract.objects.filter(roles__user=user).distinct()


def contract_role_of(*, user: Any, contract: Contract) -> str | None:
    if not _is_authenticated(user):
        return None
    return ContractRole.objects.filter(user=user, contract=contract).values_list("role", flat=True).first()


def contract_access(*, user: Any, slug: str, private: bool) -> ContractAccess:
    """Resolve a contract for a user or raise 404.

    ``private=True``: the page shows the contract's private data; only members (and staff) get it.
    ``private=False``: the public page of a published contract; members also see unpublished ones.
    """
    contract = Contract.objects.select_related("epci").filter(slug=slug).first()
    if contract is None:
        raise Http404("Contrat introuvable.")
    is_staff = bool(_is_authenticated(user) and user.is_staff)
    role = contract_role_of(user=user, contract=contract)
    access = ContractAccess(contract=contract, role=role, is_staff=is_staff)
    if access.is_member:
        return access
    if not private and contract.is_published:
        return access
    raise Http404("Contrat introuvable.")


def contract_access_by_id(*, user: Any, contract_id: int, private: bool) -> ContractAccess:
    slug = Contract.objects.filter(pk=contract_id).values_list("slug", flat=True).first()
    if slug is None:
        raise Http404("Contrat introuvable.")
    return contract_access(user=user, slug=slug, private=private)


def contract_list_for(user: Any) -> list[Contract]:
    """Contracts listed for the user, with their EPCI and QPV count, in a fixed number of queries."""
    from django.db.models import Count

    return list(
        contracts_visible_to(user)
        .select_related("epci")
        .annotate(qpv_count=Count("qpvs", distinct=True))
        .order_by("name")
    )


def contract_home_data(*, contract: Contract) -> dict[str, Any]:
    """Everything the contract home page shows, in a bounded number of queries."""
    signatories = list(Signatory.objects.filter(contract=contract).select_related("organization"))
    pillars = list(Pillar.objects.filter(contract=contract))
    axes = list(TransversalAxis.objects.filter(contract=contract))
    qpvs = list(contract.qpvs.order_by("code"))
    return {"signatories": signatories, "pillars": pillars, "axes": axes, "qpvs": qpvs}


def contract_members(*, contract: Contract) -> list[ContractRole]:
    return list(
        ContractRole.objects.filter(contract=contract)
        .select_related("user", "user__organization")
        .order_by("role", "user__email")
    )


def contract_prefetch_terms() -> list[Prefetch[Any]]:
    return [Prefetch("pillars"), Prefetch("axes")]
