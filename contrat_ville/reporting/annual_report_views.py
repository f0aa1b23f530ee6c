"""Pages of the annual report on the politique de la ville, under /contrats/<slug>/rapports-annuels/: the list by
year, the report with its procedure (drafting → opinions → approval → publication), its texts, its DSU lines, the
submission for opinion, a municipal council's opinion, the approval and the publication.

Members read every report; everyone reads the published ones (the contract's public pages); the pilot and the State
write (``reporting.permissions.can_manage_annual_reports``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.presenters import contract_crumbs, pages
from contrat_ville.diagnostic.selectors.consultations import council_list
from contrat_ville.reporting import annual_report_selectors as selectors
from contrat_ville.reporting import annual_report_services as services
from contrat_ville.reporting.annual_report_forms import (
    AnnualReportApproveForm,
    AnnualReportCreateForm,
    AnnualReportSubmitForm,
    AnnualReportTextsForm,
    DsuLineForm,
    MunicipalOpinionForm,
)
from contrat_ville.reporting.document_selectors import document_years, latest_done_document
from contrat_ville.reporting.enums import AnnualReportStatus
from contrat_ville.reporting.models import AnnualReport, GeneratedDocument
from contrat_ville.reporting.permissions import can_generate_documents, can_manage_annual_reports
from contrat_ville.ui.page import Crumb, file_download, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()

PREFIX = "contrats/<slug:contract_slug>/rapports-annuels/"
LIST_TITLE = "Rapports annuels politique de la ville"


def list_url(contract: Contract) -> str:
    return reverse("reporting:annual_report_list", kwargs={"contract_slug": contract.slug})


def report_url(report: AnnualReport) -> str:
    return reverse(
        "reporting:annual_report_detail", kwargs={"contract_slug": report.contract.slug, "report_id": report.pk}
    )


def crumbs(contract: Contract, report: AnnualReport | None = None) -> list[Crumb]:
    items = contract_crumbs(contract, Crumb(LIST_TITLE, list_url(contract)))
    if report is not None:
        items.append(Crumb(str(report), report_url(report)))
    return items


def _report(request: ContractRequest, report_id: int) -> AnnualReport:
    return selectors.annual_report_get(contract=request.contract, report_id=report_id, access=request.access)


ANNUAL_REPORT_DOCUMENT = "annual_report"  # its kind among the generated documents (registrations.py)


def final_document(report: AnnualReport) -> GeneratedDocument | None:
    """The report's latest generated files (DOCX and PDF), built by the generated documents' worker."""
    return latest_done_document(contract=report.contract, kind=ANNUAL_REPORT_DOCUMENT, year=report.year)


@routes(PREFIX)
@contract_view(private=False)
def annual_report_list(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    return render_page(
        request,
        "reporting/annual_report_list.html",
        LIST_TITLE,
        parents=crumbs(contract)[:-1],
        reports=selectors.annual_report_list(contract=contract, access=request.access),
        can_manage=can_manage_annual_reports(request.access),
    )


@routes(f"{PREFIX}nouveau/")
@contract_view(private=True, permission=can_manage_annual_reports)
def annual_report_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    form = AnnualReportCreateForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    return pages.form_page(
        request,
        form,
        save=lambda data: services.annual_report_create(contract=contract, year=data["year"], by=request.user),
        done=lambda report: (
            f"Rapport annuel {report.year} créé : rédigez ses textes, puis soumettez-le pour avis.",
            report_url(report),
        ),
        title="Nouveau rapport annuel",
        parents=crumbs(contract),
        intro="Le rapport annuel retrace la situation des quartiers prioritaires, les actions conduites et les moyens "
        "mobilisés pendant l'année écoulée (décret n° 2015-1118).",
        submit_label="Créer le rapport",
        cancel_url=list_url(contract),
    )


@routes(f"{PREFIX}<int:report_id>/")
@contract_view(private=False)
def annual_report_detail(request: ContractRequest, report_id: int) -> HttpResponse:
    """The report: its procedure as steps, what is done and what comes next, the texts, the DSU, the opinions."""
    contract = request.contract
    access = request.access
    report = _report(request, report_id)
    today = timezone.localdate()
    steps = selectors.procedure_steps(report)
    municipal = selectors.municipal_answers(report, today)
    councils = selectors.council_answers(report, today)
    everyone_answered = all(answer.answered for answer in [*municipal, *councils])
    can_manage = can_manage_annual_reports(access)
    return render_page(
        request,
        "reporting/annual_report_detail.html",
        f"Rapport annuel politique de la ville {report.year}",
        parents=crumbs(contract),
        report=report,
        steps=steps,
        current_step=selectors.current_step(steps),
        municipal_answers=municipal,
        council_answers=councils,
        dsu_lines=list(report.dsu_lines.all()),
        can_manage=can_manage,
        can_edit=can_manage and report.is_editable,
        can_submit=can_manage and report.status == AnnualReportStatus.DRAFT,
        can_approve=can_manage
        and report.status == AnnualReportStatus.CONSULTATION
        and (report.deadline_passed(today) or everyone_answered),
        can_publish=can_manage and report.status == AnnualReportStatus.APPROVED,
        in_consultation=report.status == AnnualReportStatus.CONSULTATION,
        document=final_document(report),
        can_generate=can_generate_documents(access) and report.year in document_years(contract=contract),
    )


@routes(f"{PREFIX}<int:report_id>/rapport.<str:extension>")
@contract_view(private=False)
def annual_report_file(request: ContractRequest, report_id: int, extension: str) -> HttpResponse:
    """The report as DOCX or PDF: whoever reads the report (anyone once published) downloads its latest files."""
    report = _report(request, report_id)
    document = final_document(report)
    if extension not in {"docx", "pdf"} or document is None or not getattr(document, extension):
        raise Http404("Le document du rapport n'est pas encore produit.")
    return file_download(getattr(document, extension))


@routes(f"{PREFIX}<int:report_id>/textes/")
@contract_view(private=True, permission=can_manage_annual_reports)
def annual_report_texts(request: ContractRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    form = AnnualReportTextsForm(
        None if not report.is_editable else request.POST or None, initial=AnnualReportTextsForm.initial_from(report)
    )
    return pages.form_page(
        request,
        form,
        save=lambda data: services.annual_report_texts_update(
            report=report, texts=services.ReportTexts(**data), by=request.user
        ),
        done=lambda saved: ("Textes du rapport enregistrés.", report_url(saved)),
        title=f"Textes du rapport annuel {report.year}",
        parents=crumbs(report.contract, report),
        intro="Les blocs du rapport que les données ne disent pas : les chiffres, les actions et les moyens sont "
        "repris du contrat.",
        read_only_message=""
        if report.is_editable
        else "Le rapport est approuvé par le conseil communautaire : ses textes ne se modifient plus.",
        back_label="Retour au rapport",
        cancel_url=report_url(report),
    )


@routes(f"{PREFIX}<int:report_id>/dsu/ajouter/")
@contract_view(private=True, permission=can_manage_annual_reports)
def annual_report_dsu_add(request: ContractRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    form = DsuLineForm(request.POST or None, communes=selectors.commune_choices(contract=report.contract))
    return pages.form_page(
        request,
        form,
        save=lambda data: services.dsu_line_add(report=report, by=request.user, **data),
        done=lambda line: (f"DSU de « {line.commune.name} » ajoutée au rapport.", report_url(report)),
        title=f"Dotation de solidarité urbaine — rapport {report.year}",
        parents=crumbs(report.contract, report),
        intro=f"Une commune qui a perçu la dotation de solidarité urbaine et de cohésion sociale en {report.year} : "
        "le rapport précise les actions de développement social urbain conduites sur son territoire.",
        submit_label="Ajouter",
        cancel_url=report_url(report),
    )


@routes(f"{PREFIX}<int:report_id>/dsu/<int:line_id>/supprimer/")
@require_POST
@contract_view(private=True, permission=can_manage_annual_reports)
def annual_report_dsu_delete(request: ContractRequest, report_id: int, line_id: int) -> HttpResponse:
    report = _report(request, report_id)
    line = selectors.dsu_line_get(report=report, line_id=line_id)
    return pages.post_action(
        request,
        act=lambda: services.dsu_line_delete(line=line, by=request.user),
        message=f"DSU de « {line.commune.name} » retirée du rapport.",
        next_url=report_url(report),
    )


@routes(f"{PREFIX}<int:report_id>/soumettre/")
@contract_view(private=True, permission=can_manage_annual_reports)
def annual_report_submit(request: ContractRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    contract = report.contract
    form = AnnualReportSubmitForm(
        None if report.status != AnnualReportStatus.DRAFT else request.POST or None,
        communes=selectors.commune_choices(contract=contract),
        councils=council_list(contract=contract),
    )

    def save(data: dict[str, Any]) -> AnnualReport:
        return services.annual_report_submit(report=report, by=request.user, **data)

    return pages.form_page(
        request,
        form,
        save=save,
        done=lambda saved: (
            f"Projet de rapport soumis pour avis jusqu'au {saved.deadline:%d/%m/%Y}.",
            report_url(saved),
        ),
        title=f"Soumettre pour avis le rapport annuel {report.year}",
        parents=crumbs(contract, report),
        intro="Le projet de rapport est transmis pour avis aux conseils municipaux des communes concernées et aux "
        "conseils citoyens, qui disposent d'au moins un mois pour répondre ; leurs avis sont annexés au rapport.",
        read_only_message=""
        if report.status == AnnualReportStatus.DRAFT
        else "Ce rapport a déjà été soumis pour avis.",
        back_label="Retour au rapport",
        submit_label="Soumettre pour avis",
        cancel_url=report_url(report),
    )


@routes(f"{PREFIX}<int:report_id>/avis-communes/<int:consultation_id>/")
@contract_view(private=True, permission=can_manage_annual_reports)
def annual_report_municipal_opinion(request: ContractRequest, report_id: int, consultation_id: int) -> HttpResponse:
    report = _report(request, report_id)
    consultation = selectors.municipal_consultation_get(report=report, consultation_id=consultation_id)
    form = MunicipalOpinionForm(
        request.POST or None,
        request.FILES or None,
        initial=MunicipalOpinionForm.initial_from(consultation, file=None),
    )
    return pages.form_page(
        request,
        form,
        save=lambda data: services.municipal_opinion_record(consultation=consultation, by=request.user, **data),
        done=lambda saved: (f"Avis du conseil municipal de {saved.commune.name} enregistré.", report_url(report)),
        title=f"Avis du conseil municipal de {consultation.commune.name}",
        parents=crumbs(report.contract, report),
        intro=f"Délibération du conseil municipal sur le projet de rapport annuel {report.year}.",
        submit_label="Enregistrer l'avis",
        cancel_url=report_url(report),
    )


@routes(f"{PREFIX}<int:report_id>/avis-communes/<int:consultation_id>/deliberation/")
@contract_view(private=False)
def annual_report_municipal_file(request: ContractRequest, report_id: int, consultation_id: int) -> HttpResponse:
    """The deliberation of a municipal council, annexed to the report: readable by whoever reads the report."""
    report = _report(request, report_id)
    consultation = selectors.municipal_consultation_get(report=report, consultation_id=consultation_id)
    if not consultation.file:
        raise Http404("Aucune délibération jointe.")
    return file_download(consultation.file)


@routes(f"{PREFIX}<int:report_id>/approuver/")
@contract_view(private=True, permission=can_manage_annual_reports)
def annual_report_approve(request: ContractRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    form = AnnualReportApproveForm(request.POST or None, initial={"approved_on": timezone.localdate()})
    return pages.form_page(
        request,
        form,
        save=lambda data: services.annual_report_approve(report=report, by=request.user, **data),
        done=lambda saved: (f"Rapport annuel {saved.year} approuvé.", report_url(saved)),
        title=f"Approuver le rapport annuel {report.year}",
        parents=crumbs(report.contract, report),
        intro="Le conseil communautaire approuve le rapport, avec les avis annexés, et indique les suites qu'il "
        "donne aux observations.",
        submit_label="Approuver",
        cancel_url=report_url(report),
    )


@routes(f"{PREFIX}<int:report_id>/publier/")
@require_POST
@contract_view(private=True, permission=can_manage_annual_reports)
def annual_report_publish(request: ContractRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    return pages.post_action(
        request,
        act=lambda: services.annual_report_publish(report=report, by=request.user),
        message=f"Rapport annuel {report.year} publié : il est visible de tous sur les pages du contrat.",
        next_url=report_url(report),
    )
