"""API router of the participation app, mounted in config/api.py: the opinions of the conseils citoyens.

Opinions are given through the app that submitted the object (e.g. ``POST /contracts/{id}/consultations/{id}/
opinions`` in the diagnostic), which checks who was consulted and until when. Reading them is open to the
contract's members: 401 without token, 404 outside the contract.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router

from contrat_ville.contracts.access import api_contract_access
from contrat_ville.core.bounds import BIGGEST_ID
from contrat_ville.core.schemas import READ_ERRORS, Id, InputSchema
from contrat_ville.participation.enums import OpinionVerdict
from contrat_ville.participation.models import Opinion
from contrat_ville.participation.schemas import CouncilRefOut, OpinionOut
from contrat_ville.participation.selectors import opinion_list, opinion_targets

router = Router(tags=["participation"])


class OpinionFilters(InputSchema):
    council_id: int | None = Field(None, ge=1, le=BIGGEST_ID)
    verdict: OpinionVerdict | None = None


def opinion_out(opinion: Opinion, target: Any) -> OpinionOut:
    content_type = opinion.content_type
    number = getattr(target, "number", None)
    return OpinionOut(
        id=opinion.pk,
        council=CouncilRefOut(id=opinion.council.pk, name=opinion.council.name),
        author=opinion.author.display_name if opinion.author is not None else None,
        verdict=opinion.verdict,
        verdict_label=opinion.get_verdict_display(),
        text=opinion.text,
        target_type=f"{content_type.app_label}.{content_type.model}",
        target_id=opinion.object_id,
        target_label=str(target) if target is not None else "",
        target_version=number if isinstance(number, int) else None,
        created_at=opinion.created_at,
        updated_at=opinion.updated_at,
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
