"""The annual report's procedure (décret n° 2015-1118) and what its outline says, on a contract built from scratch."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.models import StatusChange
from contrat_ville.core.registries import awaiting_sources, consultable_kinds
from contrat_ville.diagnostic.enums import ConsultationStatus
from contrat_ville.diagnostic.services.consultations import consultation_opinion_give
from contrat_ville.participation.enums import OpinionVerdict
from contrat_ville.reporting import annual_report_services as services
from contrat_ville.reporting.annual_report_outline import annual_report_outline
from contrat_ville.reporting.annual_report_selectors import (
    TACIT_FAVOURABLE,
    all_answered,
    awaiting_approvals,
    council_answers,
    current_step,
    municipal_answers,
    procedure_steps,
)
from contrat_ville.reporting.enums import AnnualReportStatus, MunicipalOpinion
from contrat_ville.reporting.outline import Facts, Outline, Paragraph, Section, Table, document_kinds
from contrat_ville.reporting.tests.annual_report_factories import ACTION_TITLE, YEAR, report_world, submitted

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def _texts(outline: Outline) -> str:
    """Every text of the outline, flattened (titles, paragraphs, facts, table cells)."""
    parts: list[str] = [outline.title, *(value for pair in outline.cover for value in pair)]

    def walk(section: Section) -> None:
        parts.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, Facts):
                parts.extend(value for pair in block.items for value in pair)
            elif isinstance(block, Table):
                parts.extend(cell for row in block.rows for cell in row)
            else:
                parts.extend(getattr(block, "items", ()))
        for child in section.sections:
            walk(child)

    for section in [*outline.sections, *outline.annexes]:
        walk(section)
    return "\n".join(parts)


# --- the procedure ------------------------------------------------------------------------------------------------


def test_a_deadline_less_than_a_month_after_sending_is_refused():
    world = report_world()
    with pytest.raises(BusinessRuleError, match="au moins un mois") as refused:
        services.annual_report_submit(
            report=world.report,
            sent_on=datetime.date(2026, 1, 31),
            deadline=datetime.date(2026, 2, 27),
            communes=[world.commune],
            by=world.pilot,
            today=TODAY,
        )
    assert refused.value.field == "deadline"
    assert "28/02/2026" in refused.value.message  # one month after 31 January
    world.report.refresh_from_db()
    assert world.report.status == AnnualReportStatus.DRAFT


def test_submitting_consults_the_councils_and_the_municipal_councils():
    world = report_world()
    report = submitted(world, today=TODAY)
    assert report.status == AnnualReportStatus.CONSULTATION
    assert report.consultation is not None
    assert list(report.consultation.councils.all()) == [world.council]
    item = report.consultation.items.get()
    assert item.kind == "reporting.annualreport" and item.target_id == report.pk
    assert [item.commune for item in report.municipal_consultations.all()] == [world.commune]
    change = StatusChange.objects.get(object_id=report.pk, to_status=AnnualReportStatus.CONSULTATION)
    assert change.from_status == AnnualReportStatus.DRAFT
    with pytest.raises(BusinessRuleError, match="déjà été soumis"):
        submitted(world, today=TODAY)


def test_submitting_needs_someone_to_consult():
    world = report_world()
    with pytest.raises(BusinessRuleError, match="Choisissez les conseils municipaux"):
        services.annual_report_submit(
            report=world.report,
            sent_on=TODAY,
            deadline=TODAY + datetime.timedelta(days=40),
            by=world.pilot,
            today=TODAY,
        )


def test_approving_before_the_deadline_is_refused_unless_everyone_answered():
    world = report_world()
    report = submitted(world, today=TODAY)
    with pytest.raises(BusinessRuleError, match="s'approuve après cette date"):
        services.annual_report_approve(
            report=report, approved_on=TODAY, follow_up="Retenu.", by=world.pilot, today=TODAY
        )
    municipal = report.municipal_consultations.get()
    services.municipal_opinion_record(
        consultation=municipal,
        deliberated_on=TODAY,
        opinion=MunicipalOpinion.FAVOURABLE_WITH_RESERVATIONS,
        text="Associer davantage les bailleurs.",
        by=world.pilot,
        today=TODAY,
    )
    assert not all_answered(report)  # the conseil citoyen has not answered yet
    item = report.consultation.items.get()
    consultation_opinion_give(
        consultation=report.consultation,
        author=world.resident,
        verdict=OpinionVerdict.AGREE,
        item=item,
        today=TODAY,
    )
    assert all_answered(report)
    services.annual_report_approve(
        report=report, approved_on=TODAY, follow_up="Les bailleurs rejoignent le comité.", by=world.pilot, today=TODAY
    )
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.APPROVED
    assert report.consultation.status == ConsultationStatus.CLOSED


def test_silence_after_the_deadline_is_a_tacit_favourable_opinion_and_the_report_may_be_approved():
    world = report_world()
    report = submitted(world, today=TODAY - datetime.timedelta(days=40), days_ago=0)
    assert report.deadline is not None and report.deadline < TODAY
    report.refresh_from_db()
    assert [answer.opinion for answer in municipal_answers(report, TODAY)] == [TACIT_FAVOURABLE]
    assert [answer.opinion for answer in council_answers(report, TODAY)] == [TACIT_FAVOURABLE]
    before = report.deadline
    assert [answer.opinion for answer in municipal_answers(report, before)] == ["avis attendu"]
    with pytest.raises(BusinessRuleError, match="suites données"):
        services.annual_report_approve(report=report, approved_on=TODAY, follow_up=" ", by=world.pilot, today=TODAY)
    services.annual_report_approve(
        report=report, approved_on=TODAY, follow_up="Aucune observation.", by=None, today=TODAY
    )
    assert report.status == AnnualReportStatus.APPROVED


def test_publishing_needs_an_approved_report_and_texts_freeze_once_approved():
    world = report_world()
    with pytest.raises(BusinessRuleError, match="Seul un rapport approuvé"):
        services.annual_report_publish(report=world.report, by=world.pilot)
    report = submitted(world, today=TODAY - datetime.timedelta(days=40))
    services.annual_report_approve(report=report, approved_on=TODAY, follow_up="Vu.", by=world.pilot, today=TODAY)
    with pytest.raises(BusinessRuleError, match="ne se modifie plus"):
        services.annual_report_texts_update(report=report, texts=services.ReportTexts(perspectives="x"), by=None)
    services.annual_report_publish(report=report, by=world.pilot, today=TODAY)
    assert report.status == AnnualReportStatus.PUBLISHED and report.published_on == TODAY
    moves = list(StatusChange.objects.filter(object_id=report.pk).order_by("pk").values_list("to_status", flat=True))
    assert moves == ["consultation", "approved", "published"]


def test_a_municipal_opinion_with_reservations_needs_its_observations():
    world = report_world()
    report = submitted(world, today=TODAY)
    with pytest.raises(BusinessRuleError, match="Résumez les réserves") as refused:
        services.municipal_opinion_record(
            consultation=report.municipal_consultations.get(),
            deliberated_on=TODAY,
            opinion=MunicipalOpinion.UNFAVOURABLE,
            by=world.pilot,
            today=TODAY,
        )
    assert refused.value.field == "text"


def test_one_report_per_year_and_dsu_of_a_commune_of_the_contract():
    world = report_world()
    with pytest.raises(BusinessRuleError, match="existe déjà"):
        services.annual_report_create(contract=world.contract, year=YEAR, by=world.pilot)
    other = report_world(name="Autre contrat")
    with pytest.raises(BusinessRuleError, match="n'est pas une commune de ce contrat"):
        services.dsu_line_add(report=world.report, commune=other.commune, amount=1000, actions="x", by=None)


def test_the_report_is_registered_for_consultations_documents_and_awaiting_items():
    assert "reporting.annualreport" in consultable_kinds
    assert document_kinds["annual_report"].yearly
    assert "reporting.annual_report_approvals" in awaiting_sources


def test_the_pilot_is_awaited_to_have_the_report_approved_once_the_deadline_passed():
    world = report_world()
    report = submitted(world, today=TODAY - datetime.timedelta(days=40))
    items = awaiting_approvals(world.pilot, TODAY)
    assert [item.key for item in items] == [f"reporting.annual_report.approve:{report.pk}"]
    assert awaiting_approvals(world.resident, TODAY) == []
    assert awaiting_approvals(world.pilot, report.deadline) == []


# --- the outline --------------------------------------------------------------------------------------------------


def test_the_outline_holds_the_six_blocks_from_the_data():
    world = report_world()
    services.annual_report_texts_update(
        report=world.report,
        texts=services.ReportTexts(
            introduction="Un projet de territoire coproduit.",
            perspectives="Renforcer le droit commun de l'Éducation nationale.",
        ),
        by=world.pilot,
    )
    outline = document_kinds["annual_report"].build(world.contract, YEAR)
    titles = outline.titles()
    assert titles[0] == "1. Orientations du contrat et projet de territoire"
    assert "2. Évolution de la situation dans les quartiers prioritaires" in titles
    assert f"3. Actions conduites en {YEAR}" in titles
    assert "4. Perspectives" in titles
    assert not any(title.startswith("5.") for title in titles)  # no DSU: no section
    assert not any(title.startswith("6.") for title in titles)  # no renewal text: no section
    text = _texts(outline)
    assert ACTION_TITLE in text
    assert "Améliorer la sécurité des habitants" in text  # the orientation
    assert "150\u00a0000\u00a0€" in text  # the commitment planned for the year
    assert "120\u00a0000\u00a0€" in text  # and realised
    assert "18\u00a0000\u00a0€" in text  # a credit granted
    assert "42,5\u00a0%" in text and "14,0\u00a0%" in text  # the QPV and the EPCI
    assert "Un projet de territoire coproduit." in text
    assert "Renforcer le droit commun de l'Éducation nationale." in text
    assert dict(outline.cover)["État"] == "Projet de rapport"
    assert outline.filename == f"rapport-annuel-{YEAR}-{world.contract.slug}"


def test_the_dsu_and_renewal_sections_appear_only_when_filled():
    world = report_world()
    services.dsu_line_add(
        report=world.report, commune=world.commune, amount=1250000, actions="Médiation sociale.", by=world.pilot
    )
    services.annual_report_texts_update(
        report=world.report, texts=services.ReportTexts(renewal_text="Le NPNRU des Tilleuls."), by=world.pilot
    )
    outline = annual_report_outline(world.contract, YEAR)
    titles = outline.titles()
    assert "5. Dotation de solidarité urbaine et actions de développement social urbain" in titles
    assert "6. Articulation avec le projet de renouvellement urbain" in titles
    text = _texts(outline)
    assert world.commune.name in text and "1\u202f250\u202f000\u00a0€" in text and "Médiation sociale." in text


def test_the_annexes_hold_the_councils_opinions_and_the_approval():
    world = report_world()
    report = submitted(world, today=TODAY - datetime.timedelta(days=40))
    services.municipal_opinion_record(
        consultation=report.municipal_consultations.get(),
        deliberated_on=TODAY - datetime.timedelta(days=10),
        opinion=MunicipalOpinion.FAVOURABLE_WITH_RESERVATIONS,
        text="Associer les bailleurs.",
        by=world.pilot,
        today=TODAY,
    )
    services.annual_report_approve(
        report=report, approved_on=TODAY, follow_up="Les bailleurs sont associés.", by=None, today=TODAY
    )
    outline = annual_report_outline(world.contract, YEAR)
    annexes = [section.title for section in outline.annexes]
    assert annexes == [
        "Avis des conseils citoyens",
        "Avis des conseils municipaux",
        "Délibération d'approbation du conseil communautaire",
    ]
    text = _texts(outline)
    assert "favorable avec réserves" in text and "Associer les bailleurs." in text
    assert TACIT_FAVOURABLE in text  # the silent conseil citoyen
    assert "Les bailleurs sont associés." in text
    assert dict(outline.cover)["État"] == f"Version approuvée le {TODAY:%d/%m/%Y}"


def test_the_outline_costs_the_same_queries_whatever_the_data():
    small = report_world(name="Petit contrat")
    large = report_world(name="Grand contrat", size=6)
    for world in (small, large):
        submitted(world, today=TODAY)
    with CaptureQueriesContext(connection) as few:
        annual_report_outline(small.contract, YEAR)
    with CaptureQueriesContext(connection) as many:
        outline = annual_report_outline(large.contract, YEAR)
    assert "Action 6" in _texts(outline)
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


def test_the_procedure_steps_follow_the_status():
    world = report_world()
    assert current_step(procedure_steps(world.report)) == 1
    report = submitted(world, today=TODAY - datetime.timedelta(days=40))
    steps = procedure_steps(report)
    assert current_step(steps) == 2 and "avis jusqu'au" in steps[1].detail
    services.annual_report_approve(report=report, approved_on=TODAY, follow_up="Vu.", by=None, today=TODAY)
    steps = procedure_steps(report)
    assert [step.done for step in steps] == [True, True, True, False] and current_step(steps) == 4
    services.annual_report_publish(report=report, by=None, today=TODAY)
    assert all(step.done for step in procedure_steps(report))
