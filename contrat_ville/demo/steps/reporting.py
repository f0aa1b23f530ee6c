"""The annual report on the politique de la ville of the demo (décret n° 2015-1118, issue 12 §3).

Contract « val-de-sorne-2024 », for the year of its first action plan: the pilot's texts, the DSU of Sorne-la-Ville,
the draft sent ten days ago to both municipal councils and both conseils citoyens (deadline one month later, so that a
council member who logs in finds the opinion to give in « Ce qui vous attend »); Saint-Aubin-sur-Sorne's council has
deliberated (favourable with reservations) and the Hauts de Sorne's conseil citoyen has answered.

Idempotent: nothing is done when the report of that year exists. Every write goes through
``reporting.services`` and the diagnostic's consultations. The content is data, in
``demo/data/reporting.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from contrat_ville.contracts.selectors import epci_communes
from contrat_ville.core.datafiles import load_record
from contrat_ville.demo.context import DemoContext
from contrat_ville.demo.users import PILOT, SLUG_VAL_DE_SORNE
from contrat_ville.diagnostic.selectors.consultations import council_list
from contrat_ville.diagnostic.services.consultations import consultation_opinion_give
from contrat_ville.participation.enums import OpinionVerdict
from contrat_ville.reporting import services
from contrat_ville.reporting.models import AnnualReport
from contrat_ville.strategy.models import ActionPlan

PACKAGE, DATA_FILE = "contrat_ville.demo", "data/reporting.yaml"


@dataclass(frozen=True)
class ReportSpec:
    introduction: str
    situation_comment: str
    perspectives: str
    renewal_text: str
    dsu_commune: str
    dsu_amount: int
    dsu_actions: str
    sent_days_ago: int
    municipal_commune: str
    municipal_opinion: str
    municipal_text: str
    council_author: str
    council_text: str


REPORT = load_record(ReportSpec, PACKAGE, DATA_FILE)


def step_annual_report(context: DemoContext) -> None:
    contract = context.contracts[SLUG_VAL_DE_SORNE]
    plan = ActionPlan.objects.filter(contract=contract, year__lte=context.today.year).order_by("year").first()
    year = plan.year if plan is not None else context.today.year
    if AnnualReport.objects.filter(contract=contract, year=year).exists():
        return
    pilot = context.users[PILOT]
    report = services.annual_report_create(contract=contract, year=year, by=pilot, today=context.today)
    services.annual_report_texts_update(
        report=report,
        texts=services.ReportTexts(
            introduction=REPORT.introduction,
            situation_comment=REPORT.situation_comment,
            perspectives=REPORT.perspectives,
            renewal_text=REPORT.renewal_text,
        ),
        by=pilot,
    )
    communes = {
        commune.code: commune for commune in (list(contract.communes.all()) or epci_communes(epci=contract.epci))
    }
    if REPORT.dsu_commune in communes:
        services.dsu_line_add(
            report=report,
            commune=communes[REPORT.dsu_commune],
            amount=REPORT.dsu_amount,
            actions=REPORT.dsu_actions,
            by=pilot,
        )
    sent_on = context.today - timedelta(days=REPORT.sent_days_ago)
    councils = list(council_list(contract=contract))
    consulted = [communes[code] for code in (REPORT.dsu_commune, REPORT.municipal_commune) if code in communes]
    services.annual_report_submit(
        report=report,
        sent_on=sent_on,
        deadline=services.earliest_deadline(sent_on),
        councils=councils,
        communes=consulted,
        message="Le projet de rapport annuel : vos observations seront annexées au rapport.",
        by=pilot,
        today=context.today,
    )
    for municipal in report.municipal_consultations.select_related("commune"):
        if municipal.commune.code == REPORT.municipal_commune:
            services.municipal_opinion_record(
                consultation=municipal,
                deliberated_on=context.today - timedelta(days=2),
                opinion=REPORT.municipal_opinion,
                text=REPORT.municipal_text,
                by=pilot,
                today=context.today,
            )
    author = context.users.get(REPORT.council_author)
    if report.consultation is not None and author is not None:
        consultation_opinion_give(
            consultation=report.consultation,
            author=author,
            verdict=OpinionVerdict.AGREE,
            text=REPORT.council_text,
            item=report.consultation.items.get(),
            today=context.today,
        )
    context.log(f"    rapport annuel {year} du Val de Sorne, en consultation")
