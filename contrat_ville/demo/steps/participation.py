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

import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from contrat_ville.core.datafiles import load_records
from contrat_ville.core.services import fields_as_arguments
from contrat_ville.demo.context import DemoContext
from contrat_ville.demo.users import PILOT, SLUG_VAL_DE_SORNE
from contrat_ville.participation.models import CitizenCouncil, Draw, SurveyCampaign
from contrat_ville.participation.services import (
    CouncilFields,
    CouncilMeans,
    MemberFields,
    SurveyAnswers,
    campaign_open,
    council_save,
    draw_execute,
    draw_pool_import,
    draw_publish,
    draw_quota_add,
    draw_replace,
    draw_save,
    draw_seed_set,
    member_save,
    survey_save,
    survey_submit,
)
from contrat_ville.territories.enums import TerritoryKind

PACKAGE, DATA_FILE = "contrat_ville.demo", "data/participation.yaml"


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
                **fields_as_arguments(spec, leave_out={"organization", "qpv_codes", "members"}), qpvs=qpvs
            ),
            by=pilot,
            today=context.today,
        )
        for member in spec.members:
            member_save(
                council=council,
                fields=MemberFields(
                    **fields_as_arguments(member, leave_out={"qpv"}),
                    neighbourhood=context.territory_of(TerritoryKind.QPV, member.qpv) if member.qpv else None,
                ),
                by=pilot,
            )
        created += 1
    draws = _draws(context, contract, pilot)
    context.log(f"  {created} conseil(s) citoyen(s) inscrit(s) au registre ; {draws}")


PUBLISHED_DRAW = "Renouvellement du collège des habitants"
DRAFT_DRAW = "Sièges vacants du collège des habitants"


AGE_BANDS = ("18-25", "26-39", "40-59", "60 ans et plus", "26-39", "40-59")


def _pool_file(name: str, people: int) -> io.BytesIO:
    """A pool as the pilot exports it: anonymous identifiers, sex (as many women as men), college, source list
    (volunteers, and one person in three from a social landlord's register), age band and neighbourhood."""
    lines = ["identifiant;sexe;college;liste;tranche_age;quartier"]
    for index in range(1, people + 1):
        source = "volontaires" if index % 3 else "fichier du bailleur"
        age_band = AGE_BANDS[index % len(AGE_BANDS)]
        neighbourhood = "Hauts de Sorne" if index % 4 else "Le Bourg"
        lines.append(f"HS-{index:03d};{'F' if index % 2 else 'H'};habitants;{source};{age_band};{neighbourhood}")
    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = name
    return upload


def _draws(context: DemoContext, contract: Any, pilot: Any) -> str:
    """The Hauts de Sorne council's draws: one published last spring (seed: a lottery result of its eve), one being
    prepared (pool imported, no seed yet). Idempotent: a draw found by its title is left as it is."""
    council = CitizenCouncil.objects.filter(contract=contract).order_by("pk").first()
    if council is None:
        return "aucun tirage"
    existing = set(Draw.objects.filter(council=council).values_list("title", flat=True))
    if PUBLISHED_DRAW not in existing:
        draw = draw_save(council=council, title=PUBLISHED_DRAW, residents_seats=6, substitutes=2, by=pilot)
        draw_pool_import(draw=draw, upload=_pool_file("vivier-hauts-de-sorne.csv", 24), by=pilot)
        draw_seed_set(
            draw=draw,
            seed="07-19-22-35-41 étoiles 02-11",
            seed_source="résultat de l'Euromillions de la veille du tirage",
            seed_date=context.today - timedelta(days=200),
            by=pilot,
        )
        draw_execute(draw=draw, by=pilot)
        draw_publish(draw=draw, by=pilot)
        leaving = draw.result["colleges"]["residents"]["seated"][1][0]
        draw_replace(
            draw=draw, leaving=leaving, left_on=context.today - timedelta(days=60), reason="déménagement", by=pilot
        )
    if DRAFT_DRAW not in existing:
        draft = draw_save(council=council, title=DRAFT_DRAW, residents_seats=4, substitutes=2, by=pilot)
        draw_pool_import(draw=draft, upload=_pool_file("vivier-sieges-vacants.csv", 16), by=pilot)
        draw_quota_add(
            draw=draft, college="residents", feature="age_band", value="18-25", minimum=1, maximum=2, by=pilot
        )
    return "tirages au sort : un publié (et un remplacement par la liste complémentaire), un en préparation avec quota"


# --- the yearly questionnaire (issue 11 §5) --------------------------------------------------------------------

SURVEYS_FILE = "data/council_surveys.yaml"
RESOURCE_CENTRE = "ressources@exemple.fr"
DEMO_REGION = "84"


@dataclass(frozen=True, kw_only=True)
class SurveySpec(SurveyAnswers):
    council: str
    years_ago: int
    submitted_by: str


def step_council_surveys(context: DemoContext) -> None:
    """Last year's and this year's questionnaires over the demo's region, opened by its resource centre: the Hauts
    de Sorne answered both, the Pré-Vert's questionnaire of this year awaits. Idempotent: a campaign of that year
    already opened is left as it is."""
    centre = context.users.get(RESOURCE_CENTRE)
    specs = load_records(SurveySpec, PACKAGE, SURVEYS_FILE)
    opened = 0
    for years_ago in (1, 0):
        year = context.today.year - years_ago
        if SurveyCampaign.objects.filter(region_code=DEMO_REGION, year=year).exists():
            continue
        due_on = date(year, 12, 15) if years_ago else context.today + timedelta(days=45)
        campaign = campaign_open(year=year, region_code=DEMO_REGION, due_on=due_on, by=centre)
        opened += 1
        for spec in (spec for spec in specs if spec.years_ago == years_ago):
            survey = campaign.surveys.get(council__name=spec.council)
            author = context.users.get(spec.submitted_by)
            answers = {name: getattr(spec, name) for name in SurveyAnswers.__dataclass_fields__}
            survey_save(survey=survey, answers=SurveyAnswers(**answers), by=author)
            survey_submit(survey=survey, by=author)
    context.log(f"  questionnaire annuel des conseils citoyens : {opened} campagne(s) ouverte(s)")
