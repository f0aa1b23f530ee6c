"""API routers of the participation app, mounted in config/api.py: the registry of the conseils citoyens
(``/contracts/{id}/councils``, ``/councils/{id}/members``) and their opinions.

The registry is public on a published contract, with counts only: the names of members are for the pilot, the
State and the council's own members, plus the names members agreed to publish.

Opinions are given through the app that submitted the object (e.g. ``POST /contracts/{id}/consultations/{id}/
opinions`` in the diagnostic), which checks who was consulted and until when. Reading them is open to the
contract's members: 401 without token, 404 outside the contract.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from contrat_ville.contracts.access import api_caller, api_contract_access
from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.bounds import BIGGEST_ID
from contrat_ville.core.schemas import READ_ERRORS, Id, InputSchema, OutputSchema
from contrat_ville.participation import selectors, services
from contrat_ville.participation.enums import OpinionVerdict
from contrat_ville.participation.models import Draw, Opinion
from contrat_ville.participation.permissions import can_read_council_members
from contrat_ville.participation.schemas import (
    CouncilMembersOut,
    CouncilOut,
    OpinionOut,
    PublicMemberOut,
)
from contrat_ville.participation.selectors import (
    CouncilRow,
    council_access,
    council_row,
    council_rows,
    draw_access,
    opinion_list,
    opinion_targets,
)

router = Router(tags=["participation"])


class OpinionFilters(InputSchema):
    council_id: int | None = Field(None, ge=1, le=BIGGEST_ID)
    verdict: OpinionVerdict | None = None


def opinion_out(opinion: Opinion, target: Any) -> OpinionOut:
    """The opinion, with the object it judges (``opinion_targets``)."""
    number = getattr(target, "number", None)
    return OpinionOut.of(
        opinion,
        target_label=str(target) if target is not None else "",
        target_version=number if isinstance(number, int) else None,
    )


@router.get(
    "/{contract_id}/opinions",
    response={200: list[OpinionOut], **READ_ERRORS},
    url_name="participation_opinion_list",
    summary="Avis des conseils citoyens",
    description="Les avis donnés par les membres des conseils citoyens sur ce qui leur a été soumis (enjeux du "
    "diagnostic…), avec l'objet jugé et sa version. Réservé aux membres du contrat : 401 sans jeton, 404 hors du "
    "contrat.",
)
def opinion_list_view(request: HttpRequest, contract_id: Id, filters: Query[OpinionFilters]) -> Any:
    access = api_contract_access(request, contract_id, private=True)
    opinions = list(
        opinion_list(
            contract=access.contract,
            council_id=filters.council_id,
            verdict=filters.verdict.value if filters.verdict else None,
        )
    )
    targets = opinion_targets(opinions)
    return [opinion_out(opinion, targets.get((opinion.content_type_id, opinion.object_id))) for opinion in opinions]


# --- the registry of councils -------------------------------------------------------------------------------

endpoints = Endpoints(router, "participation")
councils_router = Router(tags=["participation"])
council_endpoints = Endpoints(councils_router, "participation")


def council_out(row: CouncilRow) -> CouncilOut:
    return CouncilOut.of(row.council, composition=row.composition)


@endpoints.reads("/{contract_id}/councils", list[CouncilOut], summary="Conseils citoyens d'un contrat")
def council_list(request: HttpRequest, contract_id: Id) -> Any:
    """Le registre des conseils citoyens du contrat : quartiers, forme juridique, structure porteuse, animation,
    moyens, état, et leur composition en effectifs (jamais de nom). Public pour un contrat publié ; sinon réservé
    à ses membres (404 pour les autres)."""
    access = api_contract_access(request, contract_id, private=False)
    return [council_out(row) for row in council_rows(contract=access.contract)]


@council_endpoints.reads("/{council_id}/members", CouncilMembersOut, summary="Membres d'un conseil citoyen")
def council_member_list(request: HttpRequest, council_id: Id) -> Any:
    """La composition d'un conseil citoyen en effectifs (par collège et par sexe, part des femmes et des jeunes),
    les noms que ses membres ont accepté de publier, et — pour le pilote, l'État et les membres du conseil — la
    liste nominative. Public pour un contrat publié ; 404 hors de l'accès de l'appelant."""
    access, council = council_access(user=api_caller(request), council_id=council_id)
    row = council_row(council)
    readable = can_read_council_members(access, council)
    return CouncilMembersOut.model_validate(
        {
            "council": council,
            "composition": row.composition,
            "members": council.members.all() if readable else None,
            "public_names": [PublicMemberOut(name=name, college=college) for name, college in row.public_names],
        }
    )


draws_router = Router(tags=["participation"])
draw_endpoints = Endpoints(draws_router, "participation")


class DrawReplacementOut(Schema):
    leaving: str
    substitute: str
    left_on: date
    reason: str


class DrawOut(OutputSchema):
    id: int
    council_id: int
    title: str
    status: str
    published_at: datetime | None
    seed_source: str
    seed_date: date | None
    file: dict[str, Any] = Field(
        description="Le fichier publié du tirage : algorithme, graine, sièges, suppléants, quotas (cv-tirage-2), "
        "vivier anonymisé, résultat et empreinte — ce que `manage.py verify_draw` refait."
    )
    replacements: list[DrawReplacementOut] = Field(
        description="Les remplacements par la liste complémentaire, dans l'ordre, après la publication."
    )

    @staticmethod
    def resolve_file(draw: Draw) -> dict[str, Any]:
        return services.draw_file(draw)

    @staticmethod
    def resolve_replacements(draw: Draw) -> Any:
        return selectors.draw_seats_now(draw).replacements


@draw_endpoints.reads("/{draw_id}", DrawOut, summary="Un tirage au sort publié")
def draw_detail(request: HttpRequest, draw_id: Id) -> Any:
    """Public une fois publié, pour un contrat publié (et pour ses membres sinon) ; un tirage en préparation n'est
    visible que du pilote et de l'État (404 pour les autres)."""
    return draw_access(user=api_caller(request), draw_id=draw_id)
