"""The shared diagnostic (issue 12 §2, seed 004 phase 3's output, debated with the councils): the data inventory,
the findings with their indicator figures, the QPV portraits, the stakes per pillar with their transversal axes and
*droit commun*, the councils' consultations and their opinions.

Built from the diagnostic, observation and participation selectors in a fixed number of queries whatever the data.
"""

from __future__ import annotations

from collections import defaultdict

from contrat_ville.contracts.models import Contract
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.selectors.consultations import consultations_visible_to
from contrat_ville.diagnostic.selectors.inventory import data_source_list, finding_rows
from contrat_ville.diagnostic.selectors.stakes import stake_current_version, stake_rows
from contrat_ville.participation.selectors import opinions_for
from contrat_ville.reporting.document_parts import (
    NOT_AVAILABLE,
    cover_facts,
    date_text,
    document_access,
    filename_for,
    pillar_counts_table,
    qpv_portraits,
)
from contrat_ville.reporting.outline import Bullets, Facts, Outline, Paragraph, Section, Table

TITLE = "Diagnostic partagé"


def build_diagnostic(contract: Contract, year: int | None = None) -> Outline:
    """The shared diagnostic of ``contract`` (``year`` is ignored: the diagnostic is not yearly)."""
    contract = Contract.objects.select_related("epci").get(pk=contract.pk)
    outline = Outline(
        title=TITLE,
        subtitle=contract.name,
        cover=cover_facts(contract),
        filename=filename_for("diagnostic-partage", contract),
    )
    introduction = outline.section("Le diagnostic en bref")
    introduction.add(
        Paragraph(
            "Le diagnostic partagé rassemble les données disponibles sur les quartiers prioritaires, les constats "
            "qu'en tirent les groupes de travail thématiques, et les enjeux qu'ils proposent, débattus avec les "
            "conseils citoyens puis retenus par le comité de pilotage."
        ),
        pillar_counts_table(contract, caption="Le diagnostic par pilier"),
    )
    _inventory(outline.section("Recensement des données"), contract=contract)
    _findings(outline.section("État des lieux : atouts et difficultés"), contract=contract)
    portraits = outline.section("Portraits des quartiers prioritaires")
    portraits.add(
        Paragraph(
            "Pour chaque quartier, les indicateurs clés de sa dernière année connue, comparés à son "
            "intercommunalité la même année (l'écart est en points pour un taux)."
        )
    )
    qpv_portraits(portraits, contract=contract)
    _stakes(outline.section("Enjeux par pilier"), contract=contract)
    _consultations(outline.section("Consultation des conseils citoyens"), contract=contract)
    return outline


def _inventory(section: Section, *, contract: Contract) -> None:
    sources = list(data_source_list(contract=contract))
    section.add(
        Table(
            ("Pilier", "Producteur", "Jeu de données", "Échelle", "Année"),
            tuple(
                (
                    source.pillar.label if source.pillar_id else "Contrat dans son ensemble",
                    source.producer,
                    source.dataset,
                    source.level or NOT_AVAILABLE,
                    str(source.year) if source.year else NOT_AVAILABLE,
                )
                for source in sources
            ),
            caption=f"Sources de données recensées ({len(sources)})",
            numeric_columns=frozenset({4}),
            empty_text="Aucune source de données n'est encore recensée.",
        )
    )


def _findings(section: Section, *, contract: Contract) -> None:
    rows = finding_rows(contract=contract)
    if not rows:
        section.add(Paragraph("Aucun constat n'est encore rédigé.", "note"))
        return
    by_pillar: dict[str, list] = defaultdict(list)
    for row in rows:
        by_pillar[row.finding.pillar.label].append(row)
    for label, pillar_rows in by_pillar.items():
        pillar_section = section.section(label)
        for kind, kind_label in FindingKind.choices:
            of_kind = [row for row in pillar_rows if row.finding.kind == kind]
            if not of_kind:
                continue
            kind_section = pillar_section.section(str(kind_label)[:1].upper() + str(kind_label)[1:])
            for row in of_kind:
                finding = row.finding
                where = finding.territory.name if finding.territory_id else "ensemble du contrat"
                kind_section.add(Paragraph(f"{finding.text} ({where})"))
                if row.figures:
                    kind_section.add(
                        Table(
                            ("Indicateur", "Territoire", "Année", "Valeur"),
                            tuple(
                                (
                                    figure.evidence.indicator.label,
                                    figure.evidence.territory.name,
                                    str(figure.evidence.period),
                                    figure.display_value,
                                )
                                for figure in row.figures
                            ),
                            numeric_columns=frozenset({2, 3}),
                        )
                    )
                sources = [f"{source.producer} — {source.dataset}" for source in finding.data_sources.all()]
                if sources:
                    kind_section.add(Paragraph("Sources : " + " ; ".join(sources), "note"))


def _stakes(section: Section, *, contract: Contract) -> None:
    rows = stake_rows(contract=contract)
    if not rows:
        section.add(Paragraph("Aucun enjeu n'est encore proposé.", "note"))
        return
    versions = [version for row in rows for version in row.stake.versions.all()]
    opinions = opinions_for(versions)
    by_pillar: dict[str, list] = defaultdict(list)
    for row in rows:
        by_pillar[row.stake.pillar.label].append(row)
    for label, pillar_rows in by_pillar.items():
        pillar_section = section.section(label)
        for row in pillar_rows:
            stake = row.stake
            stake_section = pillar_section.section(stake.title)
            current = stake_current_version(stake)
            description = current.description if current is not None and current.description else stake.description
            if description:
                stake_section.add(Paragraph(description))
            stake_section.add(
                Facts(
                    (
                        ("État", stake.get_status_display()),
                        ("Comité de pilotage", "validé" if row.is_validated else "pas encore validé"),
                        ("Axes transversaux", ", ".join(axis.label for axis in stake.axes.all()) or NOT_AVAILABLE),
                        ("Avis des conseils citoyens", row.opinions.text if row.opinions.total else "aucun avis"),
                    )
                )
            )
            mainstream = [f"{policy.organization.name} : {policy.policy}" for policy in stake.mainstream.all()]
            stake_section.add(
                Paragraph("Droit commun identifié", "lead"),
                Bullets(tuple(mainstream))
                if mainstream
                else Paragraph("Aucune politique de droit commun identifiée.", "note"),
            )
            given = [
                f"{opinion.council.name} (version {version.number}) — {opinion.get_verdict_display()}"
                + (f" : {opinion.text}" if opinion.text else "")
                for version in stake.versions.all()
                for opinion in opinions.get(version, [])
            ]
            if given:
                stake_section.add(Paragraph("Avis des conseils citoyens", "lead"), Bullets(tuple(given)))


def _consultations(section: Section, *, contract: Contract) -> None:
    access = document_access(contract)
    consultations = list(consultations_visible_to(contract=contract, access=access, user=None))
    if not consultations:
        section.add(Paragraph("Aucune consultation des conseils citoyens n'est encore ouverte.", "note"))
        return
    section.add(
        Table(
            ("Consultation", "Conseils citoyens", "Date limite", "Enjeux soumis", "État"),
            tuple(
                (
                    consultation.title,
                    ", ".join(council.name for council in consultation.councils.all()) or NOT_AVAILABLE,
                    date_text(consultation.deadline),
                    str(len(consultation.stake_versions.all())),
                    consultation.get_status_display(),
                )
                for consultation in consultations
            ),
            caption="Les consultations des conseils citoyens sur le diagnostic",
            numeric_columns=frozenset({3}),
        )
    )
