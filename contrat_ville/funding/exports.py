"""The *bilan du droit commun* and the programme as workbooks (issue 14 §2, §4): figures as numbers, so that partners
can sum them; the grants as the national open-data file (SCDL « subventions », §8)."""

from __future__ import annotations

import io

from contrat_ville.core.spreadsheets import csv_writer, workbook_bytes, write_sheet
from contrat_ville.core.workbooks import new_workbook
from contrat_ville.funding.enums import CommitmentNature, CommitmentStatus
from contrat_ville.funding.models import MainstreamCommitment
from contrat_ville.funding.selectors import (
    Balance,
    OpenDataGrant,
    Programme,
    commitment_pillar,
    commitment_target_label,
    year_awaits_figure,
)


def _pillar_label(commitment: MainstreamCommitment) -> str:
    pillar = commitment_pillar(commitment)
    return pillar.label if pillar is not None else ""


def balance_xlsx(balance: Balance, commitments: list[MainstreamCommitment]) -> bytes:
    """Four sheets: the balance per partner and pillar, every commitment's yearly figures, the commitments
    waiting for a figure, the objectives no commitment serves."""
    workbook, sheet = new_workbook("Bilan")
    write_sheet(
        sheet,
        ("Partenaire", "Pilier", "Unité", "Engagements", "Prévu (toutes années)", "Prévu échu", "Réalisé", "Taux"),
        (
            (
                row.partner.name,
                row.pillar_label,
                totals.unit,
                totals.commitments,
                totals.planned,
                totals.due_planned,
                totals.realised,
                float(totals.rate) if totals.rate is not None else None,
            )
            for row in balance.rows
            for totals in row.totals
        ),
    )
    lines = workbook.create_sheet("Engagements")
    write_sheet(
        lines,
        (
            "Partenaire",
            "Engagement",
            "Cible",
            "Pilier",
            "Nature",
            "État",
            "Unité",
            "Année",
            "Prévu",
            "Réalisé",
            "En attente du réalisé",
            "Commentaire",
        ),
        (
            (
                commitment.partner.name,
                commitment.title,
                commitment_target_label(commitment),
                _pillar_label(commitment),
                CommitmentNature(commitment.nature).label,
                CommitmentStatus(commitment.status).label,
                commitment.unit_text,
                line.year,
                line.planned,
                line.realised,
                "oui" if year_awaits_figure(line, balance.today) else "",
                line.note,
            )
            for commitment in commitments
            for line in commitment.years.all()
        ),
    )
    waiting = workbook.create_sheet("Sans suivi")
    write_sheet(
        waiting,
        ("Partenaire", "Engagement", "Années sans réalisé"),
        (
            (item.commitment.partner.name, item.commitment.title, ", ".join(str(year) for year in item.years))
            for item in balance.awaiting
        ),
    )
    orphans = workbook.create_sheet("Objectifs sans engagement")
    write_sheet(
        orphans,
        ("Pilier", "Objectif", "Intitulé"),
        (
            (objective.orientation.pillar.label, objective.code, objective.title)
            for objective in balance.objectives_without_commitment
        ),
    )
    return workbook_bytes(workbook)


def programme_xlsx(programme: Programme) -> bytes:
    """The programme table of a call (one row per programmed application, one column per funder) and its financial
    annex per pillar and per funder; amounts as numbers."""
    funders = [funder.name for funder in programme.funders]
    workbook, sheet = new_workbook("Programmation")
    write_sheet(
        sheet,
        ("Porteur", "Projet", "Pilier", "Quartiers", "État", "Budget total", *funders, "Total accordé"),
        (
            (
                line.application.organization.name,
                line.application.title,
                line.pillar_label,
                ", ".join(qpv.name for qpv in line.application.qpvs.all()),
                line.application.get_status_display(),
                line.application.total_budget,
                *line.granted,
                line.total,
            )
            for line in programme.lines
        ),
    )
    annex = workbook.create_sheet("Annexe financière")
    write_sheet(
        annex,
        ("Pilier", "Projets", *funders, "Total"),
        [
            *((line.label, line.count, *line.granted, line.total) for line in programme.annex),
            ("Total", len(programme.lines), *programme.totals, programme.total),
        ],
    )
    return workbook_bytes(workbook)


# The columns of the SCDL « subventions » schema, version 2.1.1 (schema.data.gouv.fr/scdl/subventions), in order.
SCDL_COLUMNS = (
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
)


def scdl_values(grant: OpenDataGrant) -> dict[str, str]:
    """One grant under the SCDL « subventions » 2.1.1 names: a grant in money, paid at once, to one beneficiary,
    not notified to the European Commission; ISO dates and a decimal point."""
    values = (
        grant.funder_name,
        grant.funder_siret,
        grant.agreement_on.isoformat(),
        grant.decision_reference,
        grant.beneficiary_name,
        grant.beneficiary_siret,
        grant.beneficiary_rna,
        grant.purpose,
        f"{grant.amount:.2f}",
        "aide en numéraire",
        "unique",
        grant.payment_period,
        "",
        "non",
        "1.00",
        grant.scheme,
    )
    return dict(zip(SCDL_COLUMNS, values, strict=True))


def open_data_csv(grants: list[OpenDataGrant]) -> bytes:
    """The grants as the SCDL « subventions » 2.1.1 file: UTF-8, comma-separated, one header row."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")
    writer.writerow(SCDL_COLUMNS)
    for grant in grants:
        writer.writedict(SCDL_COLUMNS, scdl_values(grant))
    return buffer.getvalue().encode("utf-8")
