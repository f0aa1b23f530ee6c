"""What the annual report on the politique de la ville says (décret n° 2015-1118, domain.md §5.1), built from the
data as a format-independent ``Outline`` (the renderers make DOCX and PDF of it).

The six blocks of the decree, in its order:

1. the contract's main orientations (the strategic tree) and the *projet de territoire* (the pilot's text);
2. the evolution of the situation in the QPV: key indicators of the QPV against the EPCI, and each objective's
   indicator from its baseline to its latest value and its target; the pilot's commentary;
3. the actions carried out during the year (the year's action plan, by pillar), the specific credits and the
   applications programmed that year, and the partners' *droit commun* commitments planned against realised;
4. the perspectives (the pilot's text: droit commun, coordination, participation, evaluation);
5. the *dotation de solidarité urbaine* (DSU) of each commune that received it, only when one did;
6. the articulation with the urban-renewal project (ANRU), only when the pilot wrote it;

then the annexes: the opinions of the conseils citoyens and of the municipal councils (silence after the deadline is
a tacit favourable opinion) and the approval deliberation of the conseil communautaire.

The figures are public ones (``observation.selectors.PUBLIC``): the report is made public. A fixed number of queries
whatever the number of orientations, actions, credits, commitments and councils (asserted in the tests).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from contrat_ville.contracts.models import Contract
from contrat_ville.core.historised import in_force
from contrat_ville.funding import presenters as funding_presenters
from contrat_ville.funding.enums import CommitmentStatus
from contrat_ville.funding.selectors import commitment_list, contract_annex, credit_list, credit_totals
from contrat_ville.observation import presenters as observation_presenters
from contrat_ville.observation.selectors import PUBLIC
from contrat_ville.observation.selectors.comparisons import contract_key_figures
from contrat_ville.reporting.annual_report_selectors import annual_report_of_year, council_answers, municipal_answers
from contrat_ville.reporting.enums import AnnualReportStatus
from contrat_ville.reporting.models import AnnualReport
from contrat_ville.reporting.outline import Bullets, Facts, Outline, Paragraph, Section, Table
from contrat_ville.strategy.models import ActionPlan, Objective, Orientation
from contrat_ville.strategy.selectors import objective_states, plan_rows
from contrat_ville.ui.formats import euros

KEY_FIGURE_COUNT = 6


def node_label(code: str, title: str) -> str:
    return f"{code} {title}" if code else title


TO_WRITE = "Texte à rédiger par le pilote du contrat."
NO_PILLAR = "Sans pilier"


def _text(section: Section, text: str, *, missing: str = TO_WRITE) -> None:
    """The pilot's text, one paragraph per blank-line-separated block; a note when nothing is written yet."""
    paragraphs = [part.strip() for part in (text or "").split("\n\n") if part.strip()]
    if not paragraphs:
        section.add(Paragraph(missing, style="note"))
    for part in paragraphs:
        section.add(Paragraph(part))


def _status_text(report: AnnualReport | None) -> str:
    if report is None or report.status == AnnualReportStatus.DRAFT:
        return "Projet de rapport"
    if report.status == AnnualReportStatus.CONSULTATION:
        return "Projet soumis pour avis"
    approved = f" le {report.approved_on:%d/%m/%Y}" if report.approved_on else ""
    return f"Version approuvée{approved}"


def annual_report_outline(contract: Contract, year: int | None) -> Outline:
    """The annual report of ``contract`` for ``year`` (the past year by default)."""
    today = timezone.localdate()
    year = year or today.year - 1
    report = annual_report_of_year(contract=contract, year=year)
    epci = contract.epci
    outline = Outline(
        title=f"Rapport annuel politique de la ville {year}",
        subtitle=contract.name,
        cover=(
            ("Contrat de ville", contract.name),
            ("Intercommunalité", epci.name if epci is not None else "—"),
            ("Année", str(year)),
            ("État", _status_text(report)),
        ),
        filename=f"rapport-annuel-{year}-{contract.slug}",
    )
    _orientations(outline, contract, report)
    _situation(outline, contract, report)
    _actions(outline, contract, year)
    perspectives = outline.section("4. Perspectives")
    _text(perspectives, report.perspectives if report else "")
    if report is not None and report.dsu_lines.all():
        _dsu(outline, report, year)
    if report is not None and report.renewal_text.strip():
        _text(outline.section("6. Articulation avec le projet de renouvellement urbain"), report.renewal_text)
    if report is not None:
        _annexes(outline, report, today)
    return outline


# --- 1. orientations ----------------------------------------------------------------------------------------------


def _orientations(outline: Outline, contract: Contract, report: AnnualReport | None) -> None:
    section = outline.section("1. Orientations du contrat et projet de territoire")
    _text(section, report.introduction if report else "")
    orientations = list(
        Orientation.objects.filter(contract=contract)
        .filter(in_force())
        .select_related("pillar")
        .order_by("pillar__order", "order", "code", "pk")
    )
    if not orientations:
        section.add(Paragraph("Aucune orientation stratégique n'est enregistrée.", style="note"))
        return
    by_pillar: dict[str, list[str]] = defaultdict(list)
    for orientation in orientations:
        pillar = orientation.pillar.label if orientation.pillar_id else NO_PILLAR
        by_pillar[pillar].append(node_label(orientation.code, orientation.title))
    for pillar, titles in by_pillar.items():
        section.section(pillar).add(Bullets(tuple(titles)))


# --- 2. situation -------------------------------------------------------------------------------------------------


def _situation(outline: Outline, contract: Contract, report: AnnualReport | None) -> None:
    section = outline.section("2. Évolution de la situation dans les quartiers prioritaires")
    _text(section, report.situation_comment if report else "")
    figures = contract_key_figures(contract=contract, scope=PUBLIC, count=KEY_FIGURE_COUNT) if contract.epci else []
    section.section("Indicateurs clés : quartiers prioritaires et intercommunalité").add(
        Table(
            headers=("Indicateur", "Année", "Quartiers prioritaires", "Intercommunalité", "Écart"),
            rows=tuple(
                (
                    figure.indicator.label,
                    str(figure.period),
                    observation_presenters.cell_text(figure.qpvs, figure.indicator),
                    observation_presenters.cell_text(figure.epci, figure.indicator),
                    observation_presenters.gap_text(figure.comparison, figure.indicator),
                )
                for figure in figures
            ),
            caption="Les quartiers prioritaires du contrat pris ensemble, comparés à l'intercommunalité.",
            numeric_columns=frozenset({2, 3, 4}),
            empty_text="Aucun indicateur publié pour les quartiers du contrat.",
        )
    )
    objectives = list(
        Objective.objects.filter(orientation__contract=contract)
        .filter(in_force())
        .select_related("indicator", "orientation__pillar")
        .order_by("orientation__pillar__order", "orientation__order", "order", "pk")
    )
    states = objective_states(objectives, contract=contract, access=None)
    rows = []
    for objective in objectives:
        state = states[objective.pk]
        indicator = objective.indicator.label if objective.indicator else objective.indicator_text or "—"
        rows.append(
            (
                node_label(objective.code, objective.title),
                indicator,
                _dated(state.baseline_text, objective.baseline_year),
                _dated(state.latest_text, state.latest_year),
                _dated(state.target_text, objective.target_year),
                state.status_label,
            )
        )
    section.section("Objectifs du contrat : de la situation de référence à la cible").add(
        Table(
            headers=("Objectif", "Indicateur", "Référence", "Dernière valeur", "Cible", "Situation"),
            rows=tuple(rows),
            numeric_columns=frozenset({2, 3, 4}),
            empty_text="Aucun objectif opérationnel n'est enregistré.",
        )
    )


def _dated(text: str, year: int | None) -> str:
    return f"{text} ({year})" if year and text != observation_presenters.NOT_AVAILABLE else text


# --- 3. actions and means -----------------------------------------------------------------------------------------


def _actions(outline: Outline, contract: Contract, year: int) -> None:
    section = outline.section(f"3. Actions conduites en {year}")
    plan = ActionPlan.objects.filter(contract=contract, year=year).first()
    plan_section = section.section(f"Plan d'actions {year}")
    if plan is None:
        plan_section.add(Paragraph(f"Aucun plan d'actions n'est enregistré pour {year}.", style="note"))
    else:
        rows = plan_rows(plan=plan)
        by_pillar: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for row in rows:
            orientation = row.action.objective.orientation
            pillar = orientation.pillar.label if orientation.pillar_id else NO_PILLAR
            by_pillar[pillar].append(
                (
                    node_label(row.state.get("code") or "", row.state.get("title") or str(row.action)),
                    row.state.get("lead") or "—",
                    row.status_label,
                    f"{row.state.get('progress') or 0}\u00a0%",
                )
            )
        plan_section.add(
            Paragraph(
                f"{len(rows)} action{'s' if len(rows) > 1 else ''} au plan d'actions {year} "
                f"({plan.get_status_display()})."
            )
        )
        for pillar, pillar_rows in by_pillar.items():
            plan_section.section(pillar).add(
                Table(
                    headers=("Action", "Pilote", "État", "Avancement"),
                    rows=tuple(pillar_rows),
                    numeric_columns=frozenset({3}),
                )
            )
    _credits(section, contract, year)
    _commitments(section, contract, year)


def _credits(section: Section, contract: Contract, year: int) -> None:
    credits = credit_list(contract=contract, year=year)
    everything, _by_programme = credit_totals(credits)
    credit_section = section.section(f"Crédits spécifiques {year}")
    credit_section.add(
        Table(
            headers=("Programme", "Intitulé", "Demandé", "Accordé", "Versé"),
            rows=tuple(
                (
                    credit.get_programme_display(),
                    credit.title,
                    funding_presenters.euros_text(credit.requested),
                    funding_presenters.euros_text(credit.granted),
                    funding_presenters.euros_text(credit.paid),
                )
                for credit in credits
            ),
            numeric_columns=frozenset({2, 3, 4}),
            empty_text=f"Aucun crédit spécifique enregistré pour {year}.",
        )
    )
    if credits:
        credit_section.add(
            Facts(
                (
                    ("Total accordé", funding_presenters.euros_text(everything.granted)),
                    ("Total versé", funding_presenters.euros_text(everything.paid)),
                )
            )
        )
    programmes = [programme for programme in contract_annex(contract=contract) if programme.call.year == year]
    lines = [line for programme in programmes for line in programme.lines]
    section.section(f"Projets programmés à l'appel à projets {year}").add(
        Table(
            headers=("Porteur", "Projet", "Pilier", "Montant accordé"),
            rows=tuple(
                (
                    line.application.organization.name,
                    line.application.title,
                    line.pillar_label,
                    funding_presenters.euros_text(line.total),
                )
                for line in lines
            ),
            numeric_columns=frozenset({3}),
            empty_text=f"Aucun projet programmé en {year}.",
        )
    )


def _commitments(section: Section, contract: Contract, year: int) -> None:
    """Each partner's *droit commun* for the year, planned against realised, unit by unit (withdrawn left out)."""
    totals: dict[tuple[str, str], list[Decimal | None]] = {}
    for commitment in commitment_list(contract=contract):
        if commitment.status == CommitmentStatus.WITHDRAWN:
            continue
        for line in commitment.years.all():
            if line.year != year:
                continue
            key = (commitment.partner.name, commitment.unit_text)
            planned, realised = totals.setdefault(key, [Decimal(0), None])
            totals[key][0] = (planned or Decimal(0)) + (line.planned or 0)
            if line.realised is not None:
                totals[key][1] = (realised or Decimal(0)) + line.realised
    section.section(f"Mobilisation du droit commun en {year}").add(
        Table(
            headers=("Partenaire", "Prévu", "Réalisé"),
            rows=tuple(
                (
                    partner,
                    funding_presenters.figure_text(planned, unit),
                    funding_presenters.figure_text(realised, unit),
                )
                for (partner, unit), (planned, realised) in sorted(totals.items())
            ),
            caption="Engagements de droit commun des partenaires : prévu et réalisé dans l'année.",
            numeric_columns=frozenset({1, 2}),
            empty_text=f"Aucun engagement de droit commun chiffré pour {year}.",
        )
    )


# --- 5. DSU, annexes ----------------------------------------------------------------------------------------------


def _dsu(outline: Outline, report: AnnualReport, year: int) -> None:
    section = outline.section("5. Dotation de solidarité urbaine et actions de développement social urbain")
    lines = list(report.dsu_lines.all())
    section.add(
        Paragraph(
            f"Communes ayant perçu la dotation de solidarité urbaine et de cohésion sociale (DSU) en {year}, et "
            "actions de développement social urbain conduites sur leur territoire."
        ),
        Table(
            headers=("Commune", "DSU perçue"),
            rows=tuple((line.commune.name, euros(line.amount)) for line in lines),
            numeric_columns=frozenset({1}),
        ),
    )
    for line in lines:
        _text(section.section(line.commune.name), line.actions)


def _annexes(outline: Outline, report: AnnualReport, today: datetime.date) -> None:
    councils = outline.annex("Avis des conseils citoyens")
    council_rows = council_answers(report, today)
    councils.add(
        Table(
            headers=("Conseil citoyen", "Avis", "Observations"),
            rows=tuple((answer.consulted, answer.opinion, answer.text or "—") for answer in council_rows),
            empty_text="Aucun conseil citoyen n'a été consulté.",
        )
    )
    municipal = outline.annex("Avis des conseils municipaux")
    municipal_rows = municipal_answers(report, today)
    municipal.add(
        Table(
            headers=("Conseil municipal", "Délibération", "Avis", "Observations"),
            rows=tuple(
                (answer.consulted, f"{answer.on:%d/%m/%Y}" if answer.on else "—", answer.opinion, answer.text or "—")
                for answer in municipal_rows
            ),
            empty_text="Aucun conseil municipal n'a été consulté.",
        )
    )
    if report.deadline:
        municipal.add(
            Paragraph(
                f"Avis attendus au plus tard le {report.deadline:%d/%m/%Y} ; sans réponse à cette date, l'avis est "
                "réputé favorable (décret n° 2015-1118).",
                style="note",
            )
        )
    approval = outline.annex("Délibération d'approbation du conseil communautaire")
    if report.approved_on:
        approval.add(Facts((("Délibération du", f"{report.approved_on:%d/%m/%Y}"),)))
        _text(approval, report.follow_up)
    else:
        approval.add(Paragraph("Le rapport n'est pas encore approuvé par le conseil communautaire.", style="note"))
