"""API of the observation app, mounted at the API root (config/api.py): the indicator catalogue, values and a
territory's portrait.

Public values answer anonymously. ``contract=<id>`` adds that contract's private values for its members (token
or session); a contract the caller cannot see answers 404 whether it exists or not. Same selectors as the pages:
a value under statistical secrecy comes out as ``value: null, confidential: true``, and nothing is derived
from it.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from contrat_ville.contracts.access import api_contract_access
from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.schemas import Pagination, Text, errors
from contrat_ville.observation import presenters
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.observation.schemas import (
    FigureOut,
    IndicatorOut,
    IndicatorValueFilters,
    IndicatorValueOut,
    PortraitFilters,
    PortraitIndicatorOut,
    PortraitOut,
    PortraitThemeOut,
    ReferenceValueOut,
    TerritoryRefOut,
)
from contrat_ville.observation.selectors import indicators, portraits, territories, values
from contrat_ville.territories.models import Territory


def _scope(request: HttpRequest, contract_id: int | None) -> values.Scope:
    """Public values, plus those of ``contract_id`` for its members; 404 for a contract the caller cannot see."""
    if contract_id is None:
        return values.PUBLIC
    access = api_contract_access(request, contract_id, private=False)
    return values.scope_for(access)


def _territory(territory: Territory) -> TerritoryRefOut:
    return TerritoryRefOut(
        id=territory.pk, kind=territory.kind, code=territory.code, vintage=territory.vintage, name=territory.name
    )


def _figure(cell: values.Cell) -> dict[str, Any]:
    return {"period": cell.period, "value": cell.value, "confidential": cell.is_confidential}


router = Router(tags=["observation"])
endpoints = Endpoints(router, "observation")


@endpoints.reads("/indicators", list[IndicatorOut], summary="Catalogue des indicateurs", errors=errors(401))
def indicator_list(request: HttpRequest) -> list[Indicator]:
    """Tous les indicateurs, dans l'ordre du catalogue (une trentaine : pas de pagination)."""
    return indicators.indicator_list()


@endpoints.reads("/indicators/{code}", IndicatorOut, summary="Détail d'un indicateur")
def indicator_detail(request: HttpRequest, code: Text) -> Indicator:
    return indicators.indicator_get(code=code)


@endpoints.reads("/indicator-values", list[IndicatorValueOut], summary="Valeurs d'indicateurs")
@paginate(Pagination, page_size=100, max_page_size=1000)
def indicator_value_list(request: HttpRequest, filters: Query[IndicatorValueFilters]) -> QuerySet[IndicatorValue]:
    """Valeurs publiques filtrées par indicateur, territoire (code, nature, millésime) et année ; avec `contract`,
    aussi les valeurs privées de ce contrat si l'appelant en est membre. Paginé (`page`, `page_size` ≤ 1000). Une
    valeur couverte par le secret statistique a `value: null` et `confidential: true`."""
    return values.indicator_value_list(
        scope=_scope(request, filters.contract), **filters.model_dump(exclude={"contract"})
    )


@endpoints.reads("/territories/{kind}/{code}/portrait", PortraitOut, summary="Portrait d'un territoire par pilier")
def territory_portrait(request: HttpRequest, kind: Text, code: Text, filters: Query[PortraitFilters]) -> PortraitOut:
    """Dernière valeur de chaque indicateur, valeurs et écarts des territoires de référence (communes,
    intercommunalité, unité urbaine, département, région, France) la même année, et évolution. Le code seul est
    ambigu (région 84, département 84) : la nature est dans le chemin ; `vintage` choisit le millésime (le plus
    récent par défaut) ; `contract` ajoute les valeurs privées de ce contrat pour ses membres."""
    scope = _scope(request, filters.contract)
    territory = territories.territory_find(kind=kind, code=code, vintage=filters.vintage)
    portrait = portraits.portrait_get(territory=territory, scope=scope)
    return PortraitOut(
        territory=_territory(territory),
        references=[_territory(reference) for reference in portrait.references],
        themes=[
            PortraitThemeOut(
                theme=section.theme,
                label=section.label,
                indicators=[
                    PortraitIndicatorOut(
                        code=row.indicator.code,
                        label=row.indicator.label,
                        unit=row.indicator.unit,
                        latest=FigureOut(**_figure(row.latest)),
                        private=row.latest.is_private,
                        source=presenters.source_text(row.latest, row.indicator),
                        trend=row.trend,
                        trend_text=presenters.trend_text(row.indicator, row.evolution),
                        first_period=row.evolution.first_period,
                        last_period=row.evolution.last_period,
                        change=row.evolution.change,
                        references=[
                            ReferenceValueOut(
                                territory_id=reference.pk,
                                **_figure(comparison.reference),
                                difference=comparison.gap.difference,
                                ratio=comparison.gap.ratio,
                            )
                            for reference, comparison in zip(portrait.references, row.comparisons, strict=True)
                        ],
                    )
                    for row in section.rows
                ],
            )
            for section in portrait.sections
        ],
    )
