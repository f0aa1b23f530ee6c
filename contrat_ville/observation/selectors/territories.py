"""Territories as the observation pages find them: by kind and code, a contract's QPVs, the communes of a map."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from contrat_ville.contracts.models import Contract
from contrat_ville.core.lookups import found_or_404
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink

# What a territory row of an observation page needs: never the geometry nor the import attributes.
LIGHT_FIELDS = ("geometry", "attributes", "former_codes")


def territory_get(*, kind: str, vintage: str, code: str) -> Territory:
    return found_or_404(
        Territory.objects.defer("geometry").filter(kind=kind, vintage=vintage, code=code).first(),
        "Territoire introuvable.",
    )


def territory_find(*, kind: str, code: str, vintage: str | None = None) -> Territory:
    """A territory by kind and code (codes alone are ambiguous: région 84, département 84); newest vintage
    unless one is given."""
    territories = Territory.objects.defer("geometry").filter(kind=kind, code=code)
    if vintage:
        territories = territories.filter(vintage=vintage)
    return found_or_404(territories.order_by("-vintage").first(), "Territoire introuvable.")


def territories_by_codes(*, kind: str, codes: Sequence[str], vintage: str | None = None) -> list[Territory]:
    """Territories of one kind by code (newest vintage of each code unless one is given), in the given order."""
    found = Territory.objects.defer("geometry").filter(kind=kind, code__in=list(codes))
    if vintage:
        found = found.filter(vintage=vintage)
    newest: dict[str, Territory] = {}
    for territory in found.order_by("code", "vintage"):
        newest[territory.code] = territory
    return [newest[code] for code in codes if code in newest]


def contract_qpvs(*, contract: Contract) -> list[Territory]:
    return list(contract.qpvs.defer("geometry").order_by("name", "code"))


def contract_qpv_get(*, contract: Contract, territory_id: int) -> Territory:
    """One of the contract's QPVs, or 404 (a territory outside the contract is not one of its pages)."""
    return found_or_404(
        contract.qpvs.defer("geometry").filter(pk=territory_id).first(),
        "Ce quartier n'est pas un quartier prioritaire du contrat.",
    )


def map_area_communes(territories: Sequence[Territory]) -> list[int]:
    """The communes a map covers: those of the chosen territories (their own communes, or themselves)."""
    ids = [territory.pk for territory in territories]
    communes = {territory.pk for territory in territories if territory.kind == TerritoryKind.COMMUNE}
    parents = TerritoryLink.objects.filter(
        Q(child_id__in=ids, parent__kind=TerritoryKind.COMMUNE)
        | Q(parent_id__in=ids, child__kind=TerritoryKind.COMMUNE)
    ).values_list("parent_id", "child_id", "parent__kind")
    for parent_id, child_id, parent_kind in parents:
        communes.add(parent_id if parent_kind == TerritoryKind.COMMUNE else child_id)
    return sorted(communes)


def contract_map_communes(*, contract: Contract) -> list[int]:
    """The communes of the contract's EPCI (one query)."""
    return list(
        TerritoryLink.objects.filter(parent=contract.epci, child__kind=TerritoryKind.COMMUNE).values_list(
            "child_id", flat=True
        )
    )


# Areas the national table may be narrowed to (the ONPV publishes by région and département).
AREA_KINDS: tuple[str, ...] = (TerritoryKind.REGION, TerritoryKind.DEPARTEMENT)


def area_choices() -> list[Territory]:
    """Régions then départements, newest vintage of each code, by code (one query)."""
    newest: dict[tuple[str, str], Territory] = {}
    for territory in (
        Territory.objects.filter(kind__in=AREA_KINDS).defer(*LIGHT_FIELDS).order_by("kind", "code", "vintage")
    ):
        newest[(territory.kind, territory.code)] = territory
    return sorted(newest.values(), key=lambda item: (AREA_KINDS.index(item.kind), item.code))
