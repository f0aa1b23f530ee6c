"""Public read API on territories (reference data: no authentication needed)."""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.schemas import Id, Pagination, errors
from contrat_ville.territories import selectors
from contrat_ville.territories.models import Territory
from contrat_ville.territories.schemas import TerritoryDetailOut, TerritoryFilters, TerritoryOut

router = Router(tags=["territoires"])
endpoints = Endpoints(router, "territory")


@endpoints.reads("", list[TerritoryOut], summary="Lister les territoires", errors=errors(401, 422))
# At most 100 per page: a full COG holds 35 000 communes.
@paginate(Pagination, page_size=50, max_page_size=100)
def territory_list(request: HttpRequest, filters: Query[TerritoryFilters]) -> QuerySet[Territory]:
    return selectors.territory_list(
        kind=filters.kind, code=filters.code, parent_id=filters.parent, vintage=filters.vintage
    )


@endpoints.reads("/{territory_id}", TerritoryDetailOut, summary="Détail d'un territoire, avec son contour")
def territory_detail(request: HttpRequest, territory_id: Id) -> Territory:
    territory = selectors.territory_list().defer(None).filter(pk=territory_id).first()
    if territory is None:
        raise Http404("Territoire introuvable.")
    return territory
