"""Rows of the access matrix for this app's URLs (see tests/access_rows.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.base import ContentFile

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.participation import services
from contrat_ville.participation.enums import College, DesignationMethod, LegalForm, Sex
from contrat_ville.participation.models import CitizenCouncil, CouncilSurvey, SurveyCampaign
from contrat_ville.participation.tests.factories import add_qpv
from contrat_ville.territories.models import Territory, TerritoryLink
from tests.access_rows import (
    API_CONTRACT_PUBLIC,
    CONTRACT_PRIVATE,
    CONTRACT_PUBLIC,
    MATRIX_REGION,
    REGION_FOLLOWER_OR_STAFF,
    Row,
    _contract_id,
    _obj,
    _slug,
)


def _council_id(world: Any, contract: Any) -> dict[str, Any]:
    return {"council_id": world.objects[contract.pk]["council"].pk}


def _council_member(world: Any, contract: Any) -> dict[str, Any]:
    """kwargs of a page about the council's member (``member`` is governance's seat in the world's objects)."""
    objects = world.objects[contract.pk]
    return {
        "contract_slug": contract.slug,
        "council_id": objects["council"].pk,
        "member_id": objects["council_member"].pk,
    }


def _survey(world: Any, contract: Any) -> dict[str, Any]:
    objects = world.objects[contract.pk]
    return {"contract_slug": contract.slug, "council_id": objects["council"].pk, "survey_id": objects["survey"].pk}


def _campaign(world: Any, contract: Any) -> dict[str, Any]:
    """A campaign of the matrix's region (the rows' resource centre covers it)."""
    campaign, _ = SurveyCampaign.objects.get_or_create(region_code=MATRIX_REGION, year=2026)
    return {"campaign_id": campaign.pk}


def _campaign_survey(world: Any, contract: Any) -> dict[str, Any]:
    campaign = SurveyCampaign.objects.get(pk=_campaign(world, contract)["campaign_id"])
    council = CitizenCouncil.objects.order_by("pk").first()
    survey, _ = CouncilSurvey.objects.get_or_create(campaign=campaign, council=council)
    return {"campaign_id": campaign.pk, "survey_id": survey.pk}


def _region_council(world: Any, contract: Any) -> dict[str, Any]:
    """A council of a contract in the matrix's region (its intercommunality gets a commune of the Rhône)."""
    council = CitizenCouncil.objects.select_related("contract__epci").order_by("pk").first()
    commune, _ = Territory.objects.get_or_create(
        kind="commune", code="69123", vintage="2026", defaults={"name": "Lyon"}
    )
    TerritoryLink.objects.get_or_create(parent=council.contract.epci, child=commune)
    return {"council_id": council.pk}


ACCESS_ROWS: dict[str, Row] = {
    # the registry: public on a published contract (counts, never a name the member did not agree to publish)
    "participation:council_list": Row(CONTRACT_PUBLIC, _slug),
    "participation:council_detail": Row(CONTRACT_PUBLIC, _obj("council")),
    "participation:council_create": Row(CONTRACT_PRIVATE, _slug),
    "participation:council_update": Row(CONTRACT_PRIVATE, _obj("council")),
    "participation:council_delete": Row(CONTRACT_PRIVATE, _obj("council")),
    # the nominative list: the pilot, the State and the council's own members
    "participation:member_list": Row(CONTRACT_PRIVATE, _obj("council")),
    "participation:member_create": Row(CONTRACT_PRIVATE, _obj("council")),
    "participation:member_update": Row(CONTRACT_PRIVATE, _council_member),
    "participation:member_delete": Row(CONTRACT_PRIVATE, _council_member),
    # draws: a published draw is public with its contract (file and verification); preparing one is private
    "participation:draw_create": Row(CONTRACT_PRIVATE, _obj("council")),
    "participation:draw_detail": Row(CONTRACT_PUBLIC, _obj("draw")),
    "participation:draw_file": Row(CONTRACT_PUBLIC, _obj("draw")),
    "participation:draw_verify": Row(CONTRACT_PUBLIC, _obj("draw")),
    "participation:draw_pool": Row(CONTRACT_PRIVATE, _obj("draw"), method="post"),
    "participation:draw_seed": Row(CONTRACT_PRIVATE, _obj("draw"), method="post"),
    "participation:draw_execute": Row(CONTRACT_PRIVATE, _obj("draw"), method="post"),
    "participation:draw_publish": Row(CONTRACT_PRIVATE, _obj("draw")),
    "participation:council_document_upload": Row(
        CONTRACT_PRIVATE, lambda world, contract: {**_obj("council")(world, contract), "kind": "charte"}, method="post"
    ),
    "participation:council_document_remove": Row(
        CONTRACT_PRIVATE, lambda world, contract: {**_obj("council")(world, contract), "kind": "charte"}, method="post"
    ),
    "participation:council_document_download": Row(
        CONTRACT_PUBLIC, lambda world, contract: {**_obj("council")(world, contract), "kind": "charte"}
    ),
    "participation:draw_quota_add": Row(CONTRACT_PRIVATE, _obj("draw"), method="post"),
    "participation:draw_quota_remove": Row(
        CONTRACT_PRIVATE,
        lambda world, contract: {**_obj("draw")(world, contract), "position": 1},
        method="post",
    ),
    "participation:draw_replace": Row(CONTRACT_PRIVATE, _obj("draw"), method="post"),
    # the yearly questionnaire: the council's own accounts, the pilot and the State
    "participation:survey_list": Row(CONTRACT_PRIVATE, _obj("council")),
    "participation:survey_answer": Row(CONTRACT_PRIVATE, _survey),
    "participation:survey_submit": Row(CONTRACT_PRIVATE, _survey),
    # the councils of a region: its resource centre and the administrators
    "councils:campaign_list": Row(REGION_FOLLOWER_OR_STAFF),
    "councils:campaign_create": Row(REGION_FOLLOWER_OR_STAFF),
    "councils:campaign_detail": Row(REGION_FOLLOWER_OR_STAFF, _campaign),
    "councils:campaign_refresh": Row(REGION_FOLLOWER_OR_STAFF, _campaign, method="post"),
    "councils:campaign_survey": Row(REGION_FOLLOWER_OR_STAFF, _campaign_survey),
    "councils:state_of_play": Row(REGION_FOLLOWER_OR_STAFF),
    "councils:council_state": Row(REGION_FOLLOWER_OR_STAFF, _region_council),
    "councils:state_of_play_export": Row(REGION_FOLLOWER_OR_STAFF, lambda world, contract: {"file_format": "xlsx"}),
    # API
    "api-1:participation_council_list": Row(API_CONTRACT_PUBLIC, _contract_id),
    "api-1:participation_council_member_list": Row(API_CONTRACT_PUBLIC, _council_id),
    "api-1:participation_draw_detail": Row(
        API_CONTRACT_PUBLIC, lambda world, contract: {"draw_id": world.objects[contract.pk]["draw"].pk}
    ),
}


def access_objects(contract: Any, objects: dict[str, Any]) -> dict[str, Any]:
    """A council with a member. Its organisation is the conseil citoyen the diagnostic consults (the matrix's council
    member acts for it), so that the council member's object condition holds on their council's pages."""
    consultation = objects.get("consultation")
    organization = (
        consultation.councils.get()
        if consultation is not None
        else Organization.objects.create(name=f"Conseil citoyen {contract.pk}", kind=OrganizationKind.CITIZEN_COUNCIL)
    )
    qpv = contract.qpvs.order_by("pk").first() or add_qpv(contract)
    organization.served_territories.add(qpv)
    council = services.council_save(
        contract=contract,
        fields=services.CouncilFields(name=organization.name, qpvs=[qpv], legal_form=LegalForm.COLLECTIVE),
        organization=organization,
    )
    council.charter_file.save("charte.pdf", ContentFile(b"%PDF-1.4 charte"), save=True)
    member = services.member_save(
        council=council,
        fields=services.MemberFields(
            college=College.RESIDENTS,
            sex=Sex.FEMALE,
            designation_method=DesignationMethod.DRAWN_FROM_VOLUNTEERS,
            start_on=date(2024, 9, 1),
            name="Awa Diop",
        ),
    )
    draw = services.draw_save(council=council, title="Tirage de test", residents_seats=2)
    draw.pool = [
        {"identifier": f"C{index}", "sex": sex, "college": College.RESIDENTS, "source": "volontaires"}
        for index, sex in enumerate([Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.MALE])
    ]
    draw.save(update_fields=["pool"])
    services.draw_seed_set(draw=draw, seed="graine de test", seed_source="", seed_date=None)
    services.draw_execute(draw=draw)
    services.draw_publish(draw=draw)
    campaign, _ = SurveyCampaign.objects.get_or_create(region_code="11", year=2025)
    survey = CouncilSurvey.objects.create(campaign=campaign, council=council)
    return {"council": council, "council_member": member, "draw": draw, "survey": survey}
