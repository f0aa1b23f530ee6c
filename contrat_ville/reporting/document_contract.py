"""The contract document (issue 12 §2, seed 004 phase 4 « formalisation du contrat »): cover and signatories,
territory portrait, governance, diagnostic summary, strategic tree, the action plan of a year, the partners'
commitments and the specific credits, monitoring and evaluation, annexes (financial annex, QPV list and map).

Built from the data through the apps' selectors, in a fixed number of queries whatever the data
(``tests/test_documents_builders.py`` compares a small and a large contract).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from contrat_ville.contracts.enums import SignatoryKind
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import ContractAccess, ContractHome, contract_home_data
from contrat_ville.diagnostic.selectors.stakes import retained_stakes
from contrat_ville.funding.enums import CommitmentStatus, CommitmentUnit
from contrat_ville.funding.models import MainstreamCommitment
from contrat_ville.funding.selectors import (
    commitment_list,
    commitment_target_label,
    contract_annex,
    credit_list,
    credit_totals,
)
from contrat_ville.governance.enums import MeetingStatus
from contrat_ville.governance.models import BodyMember, Meeting
from contrat_ville.governance.selectors.bodies import body_cochairs, body_list_for
from contrat_ville.observation import presenters
from contrat_ville.observation.selectors import Scope
from contrat_ville.observation.selectors.comparisons import contract_key_figures
from contrat_ville.reporting.document_parts import (
    NOT_AVAILABLE,
    cover_facts,
    date_text,
    document_access,
    euros_text,
    filename_for,
    number_text,
    pillar_counts_table,
    qpv_map,
)
from contrat_ville.reporting.document_selectors import document_years
from contrat_ville.reporting.evaluations.outline import evaluation_outline_section
from contrat_ville.reporting.outline import Bullets, Facts, Outline, Paragraph, Section, Table
from contrat_ville.strategy.models import ActionPlan, Objective
from contrat_ville.strategy.selectors import StrategyTree, plan_rows, strategy_tree

TITLE = "Contrat de ville"


def build_contract_document(contract: Contract, year: int | None) -> Outline:
    """The contract document, with the action plan of ``year`` (the latest plan's year when ``None``)."""
    contract = Contract.objects.select_related("epci").get(pk=contract.pk)
    years = document_years(contract=contract)
    if year is None and years:
        year = years[0]
    home = contract_home_data(contract=contract)
    access = document_access(contract)
    tree = strategy_tree(contract=contract, access=access)
    terms = contract
    outline = Outline(
        title=TITLE,
        subtitle=contract.name,
        cover=cover_facts(
            contract,
            ("État du contrat", contract.get_status_display()),
            ("Signé le", date_text(contract.signed_on)),
            ("Plan d'actions", f"année {year}" if year else "aucun plan d'actions"),
        ),
        filename=filename_for("contrat-de-ville", contract, year),
    )
    _signatories(outline.section("Signataires"), home.signatories)
    _portrait(outline.section("Portrait du territoire"), contract=contract, home=home)
    _governance(outline.section("Gouvernance"), contract=contract, access=access)
    _diagnostic(outline.section("Synthèse du diagnostic"), contract=contract)
    _strategy(outline.section("Arbre stratégique"), tree=tree, terms=terms)
    _action_plan(outline.section(f"Plan d'actions {year}" if year else "Plan d'actions"), contract=contract, year=year)
    commitments = commitment_list(contract=contract)
    credits = credit_list(contract=contract)
    _commitments(outline.section("Engagements des partenaires (droit commun)"), commitments)
    _credits(outline.section("Crédits spécifiques"), credits)
    monitoring_section(outline.section("Suivi et évaluation"), contract=contract, tree=tree)
    _financial_annex(outline.annex("Annexe financière"), contract=contract, commitments=commitments, credits=credits)
    qpvs = outline.annex("Quartiers prioritaires")
    qpvs.add(
        Table(
            ("N°", "Code", "Quartier", "Communes", "Population"),
            tuple(
                (
                    str(number),
                    row.qpv.code,
                    row.qpv.name,
                    ", ".join(commune.name for commune in row.communes) or NOT_AVAILABLE,
                    number_text(row.qpv.population),
                )
                for number, row in enumerate(home.qpv_rows, start=1)
            ),
            caption=f"Quartiers prioritaires du contrat ({home.qpv_count})",
            numeric_columns=frozenset({0, 4}),
            empty_text="Le contrat ne compte encore aucun quartier prioritaire.",
        )
    )
    if home.qpv_rows:
        qpvs.add(qpv_map(qpvs=_with_geometry(contract, home.qpvs), epci=contract.epci))
    return outline


def _with_geometry(contract: Contract, qpvs: list) -> list:
    """The QPVs with their contour (the home's list leaves the geometry aside), in the same order (one query)."""
    by_id = {qpv.pk: qpv for qpv in contract.qpvs.all()}
    return [by_id[qpv.pk] for qpv in qpvs if qpv.pk in by_id]


def _signatories(section: Section, signatories: list) -> None:
    section.add(
        Table(
            ("Qualité", "Organisation", "Signataire", "Signé le"),
            tuple(
                (
                    SignatoryKind(signatory.kind).label if signatory.kind in SignatoryKind.values else signatory.kind,
                    signatory.organization.name,
                    signatory.signed_by or NOT_AVAILABLE,
                    date_text(signatory.signed_on),
                )
                for signatory in signatories
            ),
            caption="Les signataires du contrat",
            empty_text="Aucun signataire n'est encore désigné.",
        )
    )


def _portrait(section: Section, *, contract: Contract, home: ContractHome) -> None:
    if contract.summary:
        section.add(Paragraph(contract.summary, "lead"))
    population = home.qpv_population
    section.add(
        Facts(
            (
                ("Intercommunalité", f"{contract.epci.name} ({contract.epci.code})"),
                ("Quartiers prioritaires", str(home.qpv_count)),
                ("Population des quartiers", number_text(population) if population is not None else NOT_AVAILABLE),
                ("Piliers", ", ".join(pillar.label for pillar in home.pillars) or NOT_AVAILABLE),
                ("Axes transversaux", ", ".join(axis.label for axis in home.axes) or NOT_AVAILABLE),
            )
        )
    )
    figures = contract_key_figures(contract=contract, scope=Scope(contract=contract), count=5)
    section.add(
        Table(
            ("Indicateur", "Année", "Quartiers prioritaires", contract.epci.name, "Écart"),
            tuple(
                (
                    figure.indicator.label,
                    str(figure.period),
                    presenters.cell_text(figure.qpvs, figure.indicator),
                    presenters.cell_text(figure.epci, figure.indicator),
                    presenters.gap_text(figure.comparison, figure.indicator).removeprefix("écart : ") or NOT_AVAILABLE,
                )
                for figure in figures
            ),
            caption="Indicateurs clés : les quartiers prioritaires ensemble comparés à l'intercommunalité",
            numeric_columns=frozenset({1, 2, 3, 4}),
            empty_text="Aucun indicateur n'est encore chargé pour ces quartiers.",
        )
    )


def _governance(section: Section, *, contract: Contract, access: ContractAccess) -> None:
    groups = body_list_for(contract=contract, access=access, user=None)
    if not groups:
        section.add(Paragraph("Les instances du contrat ne sont pas encore constituées.", "note"))
    for group in groups:
        child = section.section(group.label[:1].upper() + group.label[1:])
        for body in group.bodies:
            body_section = child.section(body.name) if len(group.bodies) > 1 or body.name != group.label else child
            cochairs = body_cochairs(body)
            facts = [("Coprésidence", ", ".join(_member_text(member) for member in cochairs) or NOT_AVAILABLE)]
            if body.mission:
                facts.insert(0, ("Rôle", body.mission))
            if body.min_meetings_per_year:
                facts.append(("Séances par an (minimum)", str(body.min_meetings_per_year)))
            body_section.add(
                Facts(tuple(facts)),
                Table(
                    ("Organisation", "Personne", "Rôle"),
                    tuple(
                        (
                            member.organization.name,
                            member.display_person or NOT_AVAILABLE,
                            member.get_role_display(),
                        )
                        for member in body.members.all()
                    ),
                    caption=f"Composition : {body.name}",
                    empty_text="Aucun membre désigné.",
                ),
            )


def _member_text(member: BodyMember) -> str:
    person = member.display_person
    organization = member.organization.name
    return f"{organization} ({person})" if person else organization


def _diagnostic(section: Section, *, contract: Contract) -> None:
    section.add(pillar_counts_table(contract, caption="Le diagnostic partagé en chiffres"))
    stakes = list(retained_stakes(contract=contract))
    by_pillar: dict[str, list[str]] = defaultdict(list)
    for stake in stakes:
        by_pillar[stake.pillar.label].append(stake.title)
    if not stakes:
        section.add(Paragraph("Aucun enjeu n'est encore retenu par le comité de pilotage.", "note"))
    for label, titles in by_pillar.items():
        section.section(f"Enjeux retenus — {label}").add(Bullets(tuple(titles)))


def _strategy(section: Section, *, tree: StrategyTree, terms: Contract) -> None:
    if not tree.orientations:
        section.add(Paragraph("L'arbre stratégique n'est pas encore construit.", "note"))
    section.add(
        Paragraph(
            f"{tree.orientation_count} {terms.orientation_term}(s), dont {tree.validated_count} validée(s) par le "
            f"comité de pilotage ; {tree.objective_count} {terms.objective_term}(s) ; "
            f"{tree.action_count} {terms.action_term}(s)."
        )
    )
    for pillar_node in tree.pillars:
        if not pillar_node.orientations:
            continue
        pillar_section = section.section(pillar_node.pillar.label)
        for node in pillar_node.orientations:
            orientation = node.orientation
            title = f"{orientation.code} {orientation.title}".strip()
            orientation_section = pillar_section.section(title)
            if orientation.description:
                orientation_section.add(Paragraph(orientation.description))
            orientation_section.add(
                Paragraph(
                    "Validée par le comité de pilotage." if node.is_validated else "Pas encore validée.", "note"
                ),
                Table(
                    ("Objectif", "Indicateur", "Référence", "Cible"),
                    tuple(
                        (
                            objective_label(item.objective),
                            _indicator_text(item.objective),
                            _value_year(item.state.baseline_text, item.objective.baseline_year),
                            _value_year(item.state.target_text, item.objective.target_year),
                        )
                        for item in node.objectives
                    ),
                    caption=f"{terms.objective_term.capitalize()}s de l'orientation {orientation.code}".strip(),
                    numeric_columns=frozenset({2, 3}),
                    empty_text="Aucun objectif.",
                ),
            )
            actions = [
                f"{objective_label(item.objective)} → {action.code} {action.title}".strip()
                for item in node.objectives
                for action in item.actions
            ]
            if actions:
                orientation_section.add(Bullets(tuple(actions)))


def objective_label(objective: Objective) -> str:
    """« 1.2 Réduire le décrochage scolaire »: its number (when it has one) and its title."""
    return f"{objective.code} {objective.title}".strip()


def _indicator_text(objective: Objective) -> str:
    indicator = objective.indicator
    if indicator is not None:
        return f"{indicator.code} — {indicator.label}"
    return objective.indicator_text or NOT_AVAILABLE


def _value_year(text: str, year: int | None) -> str:
    if text == NOT_AVAILABLE or not year:
        return text
    return f"{text} ({year})"


def _action_plan(section: Section, *, contract: Contract, year: int | None) -> None:
    plan = (
        ActionPlan.objects.filter(contract=contract, year=year).select_related("contract").first()
        if year is not None
        else None
    )
    if plan is None:
        section.add(Paragraph("Aucun plan d'actions n'est encore établi.", "note"))
        return
    section.add(Facts((("Année", str(plan.year)), ("État du plan", plan.get_status_display()))))
    if plan.notes:
        section.add(Paragraph(plan.notes))
    rows = plan_rows(plan=plan)
    section.add(
        Table(
            ("N°", "Action", "Objectif", "Pilote", "Quartiers", "État"),
            tuple(
                (
                    str(row.state.get("code") or ""),
                    str(row.state.get("title") or row.action.title),
                    str(row.state.get("objective") or ""),
                    str(row.state.get("lead") or NOT_AVAILABLE),
                    ", ".join(row.state.get("qpvs") or []) or "tous",
                    row.status_label + (" (reconduite)" if row.state.get("carried_over") else ""),
                )
                for row in rows
            ),
            caption=f"Actions du plan {plan.year} ({len(rows)})",
            empty_text="Le plan ne compte encore aucune action.",
        )
    )


def commitment_amount(commitment: MainstreamCommitment, value: Decimal | None) -> str:
    """A commitment's figure in its unit: « 12 500 € », « 3 équivalents temps plein »."""
    if value is None:
        return NOT_AVAILABLE
    if commitment.unit == CommitmentUnit.EURO:
        return euros_text(value)
    return f"{number_text(value)} {commitment.unit_text}"


def _planned(commitment: MainstreamCommitment) -> Decimal | None:
    values = [line.planned for line in commitment.years.all() if line.planned is not None]
    return sum(values, Decimal(0)) if values else None


def _years(commitment: MainstreamCommitment) -> str:
    years = [line.year for line in commitment.years.all()]
    if not years:
        return NOT_AVAILABLE
    return str(years[0]) if len(years) == 1 else f"{min(years)} à {max(years)}"


def _commitments(section: Section, commitments: list[MainstreamCommitment]) -> None:
    live = [item for item in commitments if item.status != CommitmentStatus.WITHDRAWN]
    if not live:
        section.add(Paragraph("Aucun engagement de droit commun n'est encore enregistré.", "note"))
        return
    section.add(
        Paragraph(
            "Chaque partenaire signataire mobilise ses politiques de droit commun au bénéfice des quartiers "
            "prioritaires (loi du 21 février 2014, article 6) : voici ses engagements, tels qu'ils sont enregistrés."
        )
    )
    by_partner: dict[str, list[MainstreamCommitment]] = defaultdict(list)
    for commitment in live:
        by_partner[commitment.partner.name].append(commitment)
    for partner, items in by_partner.items():
        section.section(partner).add(
            Table(
                ("Engagement", "Cible", "Nature", "État", "Années", "Prévu"),
                tuple(
                    (
                        item.title,
                        commitment_target_label(item),
                        item.get_nature_display(),
                        item.get_status_display(),
                        _years(item),
                        commitment_amount(item, _planned(item)),
                    )
                    for item in items
                ),
                caption=f"Engagements : {partner}",
                numeric_columns=frozenset({5}),
            )
        )


def _credits(section: Section, credits: list) -> None:
    if not credits:
        section.add(Paragraph("Aucun crédit spécifique n'est encore enregistré.", "note"))
        return
    everything, by_programme = credit_totals(credits)
    section.add(
        Table(
            ("Programme", "Crédits", "Demandé", "Accordé", "Versé"),
            tuple(
                (
                    totals.label,
                    str(totals.count),
                    euros_text(totals.requested),
                    euros_text(totals.granted),
                    euros_text(totals.paid),
                )
                for totals in [*by_programme, everything]
            ),
            caption="Crédits spécifiques de la politique de la ville, par programme",
            numeric_columns=frozenset({1, 2, 3, 4}),
        )
    )


def monitoring_section(section: Section, *, contract: Contract, tree: StrategyTree) -> None:
    """« Suivi et évaluation »: what the platform follows today — each objective's indicator, baseline, target and
    latest value, the bodies' calendar of the year, then the evaluations (``reporting.evaluations.outline``: their
    owners, calendar, evaluative questions with their objectives and indicators, findings)."""
    section.add(
        Paragraph(
            "Le suivi du contrat s'appuie sur les indicateurs de ses objectifs, mis à jour à chaque chargement des "
            "données d'observation, et sur les séances de ses instances de pilotage."
        )
    )
    section.section("Indicateurs de suivi des objectifs").add(
        Table(
            ("Objectif", "Indicateur", "Référence", "Cible", "Dernière valeur", "Situation"),
            tuple(
                (
                    objective_label(item.objective),
                    _indicator_text(item.objective),
                    _value_year(item.state.baseline_text, item.objective.baseline_year),
                    _value_year(item.state.target_text, item.objective.target_year),
                    _value_year(item.state.latest_text, item.state.latest_year),
                    item.state.status_label,
                )
                for item in tree.objectives
            ),
            caption="Objectifs et indicateurs",
            numeric_columns=frozenset({2, 3, 4}),
            empty_text="Aucun objectif n'a encore d'indicateur.",
        )
    )
    year = timezone.localdate().year
    meetings = list(
        Meeting.objects.filter(body__contract=contract, starts_at__year=year)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("body")
        .order_by("starts_at", "pk")
    )
    section.section(f"Calendrier des instances en {year}").add(
        Table(
            ("Date", "Instance", "Séance", "État"),
            tuple(
                (date_text(meeting.starts_at), meeting.body.name, meeting.title, meeting.get_status_display())
                for meeting in meetings
            ),
            caption=f"Séances {year} des instances du contrat",
            empty_text=f"Aucune séance n'est programmée en {year}.",
        )
    )
    section.sections.append(evaluation_outline_section(contract))


def _financial_annex(
    section: Section,
    *,
    contract: Contract,
    commitments: list[MainstreamCommitment],
    credits: list,
) -> None:
    live = [item for item in commitments if item.status != CommitmentStatus.WITHDRAWN]
    money = [item for item in live if item.unit == CommitmentUnit.EURO]
    years = sorted({line.year for item in money for line in item.years.all()})
    totals: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for item in money:
        for line in item.years.all():
            totals[item.partner.name][line.year] += line.planned or Decimal(0)
    rows = [
        (partner, *(euros_text(by_year.get(year)) for year in years), euros_text(sum(by_year.values(), Decimal(0))))
        for partner, by_year in totals.items()
    ]
    if rows:
        rows.append(
            (
                "Total",
                *(
                    euros_text(sum((by_year.get(year, Decimal(0)) for by_year in totals.values()), Decimal(0)))
                    for year in years
                ),
                euros_text(sum((sum(by_year.values(), Decimal(0)) for by_year in totals.values()), Decimal(0))),
            )
        )
    section.add(
        Table(
            ("Partenaire", *(str(year) for year in years), "Total"),
            tuple(rows),
            caption="Droit commun : montants prévus en euros, par partenaire et par année",
            numeric_columns=frozenset(range(1, len(years) + 2)),
            empty_text="Aucun engagement financier en euros.",
        )
    )
    by_year: dict[int, list] = defaultdict(list)
    for credit in credits:
        by_year[credit.year].append(credit)
    section.add(
        Table(
            ("Année", "Crédits", "Demandé", "Accordé", "Versé"),
            tuple(
                (
                    str(year),
                    str(totals_.count),
                    euros_text(totals_.requested),
                    euros_text(totals_.granted),
                    euros_text(totals_.paid),
                )
                for year, totals_ in ((year, credit_totals(items)[0]) for year, items in sorted(by_year.items()))
            ),
            caption="Crédits spécifiques par année",
            numeric_columns=frozenset({0, 1, 2, 3, 4}),
            empty_text="Aucun crédit spécifique.",
        )
    )
    for programme in contract_annex(contract=contract):
        if not programme.lines:
            continue
        funders = [funder.name for funder in programme.funders]
        section.add(
            Table(
                ("Pilier", "Projets", *funders, "Total"),
                tuple(
                    (
                        line.label,
                        str(line.count),
                        *(euros_text(value) for value in line.granted),
                        euros_text(line.total),
                    )
                    for line in programme.annex
                ),
                caption=f"Appel à projets {programme.call.year} — « {programme.call.title} » : montants accordés",
                numeric_columns=frozenset(range(1, len(funders) + 3)),
            )
        )
