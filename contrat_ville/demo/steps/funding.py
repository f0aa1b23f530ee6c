"""The partners' *droit commun* commitments, the specific credits and the programme 147 posts of the demo (issue 14
§7), from ``demo/data/funding.yaml``.

Each commitment is looked up by its contract, partner and title, created through ``funding.services`` the first
time, and its yearly figures written only when they differ, so that loading the demo again adds no row and no
history. Years are counted from the contract's first year, so that the figures follow the demo's dates: a realised
figure is recorded only for a year already begun.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.core.datafiles import data_section, load_record, load_records
from contrat_ville.core.models import ImportBatch
from contrat_ville.core.services import fields_as_arguments
from contrat_ville.demo.context import DemoContext
from contrat_ville.funding import selectors, services
from contrat_ville.funding.enums import AgreementKind, ApplicationStatus, CallStatus
from contrat_ville.funding.models import Application, CallForProjects, CommitmentYear, Credit, MainstreamCommitment
from contrat_ville.governance.enums import BodyKind, Verdict
from contrat_ville.governance.models import Meeting
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.governance.services.meetings import meeting_schedule
from contrat_ville.strategy.models import Action, Objective

PACKAGE = "contrat_ville.demo"
DATA_FILE = "data/funding.yaml"


@dataclass(frozen=True)
class CommitmentSpec:
    partner: str
    title: str
    nature: str
    unit: str
    status: str
    years: list[list[Any]]
    unit_label: str = ""
    objective: str = ""
    action: str = ""
    pillar: str = ""
    evidence: str = ""
    description: str = ""


def _fields(contract: Contract, spec: CommitmentSpec) -> services.CommitmentFields:
    return services.CommitmentFields(
        **fields_as_arguments(spec, leave_out={"partner", "years", "objective", "action", "pillar"}),
        objective=(
            Objective.objects.get(orientation__contract=contract, code=spec.objective) if spec.objective else None
        ),
        action=Action.objects.get(objective__orientation__contract=contract, code=spec.action)
        if spec.action
        else None,
        pillar=contract.pillars.get(code=spec.pillar) if spec.pillar else None,
    )


COMMITMENT_SECTIONS = ("val-de-sorne-2024", "coteaux-orbe-2024")


def _pilot(contract: Contract) -> Any:
    role = contract.roles.filter(role=Role.PILOT).select_related("user").order_by("pk").first()
    return role.user if role is not None else None


def _figure(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _commitment(context: DemoContext, contract: Contract, spec: CommitmentSpec, by: Any) -> MainstreamCommitment:
    partner = context.organizations[spec.partner]
    commitment = MainstreamCommitment.objects.filter(contract=contract, partner=partner, title=spec.title).first()
    if commitment is None:
        commitment = services.commitment_create(
            contract=contract, partner=partner, fields=_fields(contract, spec), by=by
        )
    stored = {
        line.year: (line.planned, line.realised) for line in CommitmentYear.objects.filter(commitment=commitment)
    }
    for offset, planned, realised in spec.years:
        year = contract.start_on.year + offset
        wanted = (_figure(planned), _figure(realised) if year <= context.today.year else None)
        if stored.get(year) != wanted:
            services.commitment_year_set(
                commitment=commitment, year=year, planned=wanted[0], realised=wanted[1], today=context.today, by=by
            )
    return commitment


@dataclass(frozen=True)
class CreditSpec:
    programme: str
    title: str
    offset: int
    beneficiary: str = ""
    theme_code: str = ""
    objective: str = ""
    agreement: str = AgreementKind.SINGLE_YEAR
    agreement_years: int = 1
    requested: float | None = None
    granted: float | None = None
    paid: float | None = None


@dataclass(frozen=True)
class PostSpec:
    id: str
    tiers: str
    name: str
    amount: float
    contract: str = ""


def _credits(contract: Contract, by: Any) -> int:
    stored = {(credit.title, credit.year) for credit in Credit.objects.filter(contract=contract, post_id="")}
    specs = load_records(CreditSpec, PACKAGE, DATA_FILE, section="credits", key="title")
    for spec in specs:
        year = contract.start_on.year + spec.offset
        if (spec.title, year) in stored:
            continue
        services.credit_create(
            contract=contract,
            fields=services.CreditFields(
                programme=spec.programme,
                title=spec.title,
                year=year,
                theme_code=spec.theme_code,
                beneficiary=spec.beneficiary,
                objective=(
                    Objective.objects.get(orientation__contract=contract, code=spec.objective)
                    if spec.objective
                    else None
                ),
                agreement=spec.agreement,
                agreement_end_year=year + spec.agreement_years - 1
                if spec.agreement == AgreementKind.MULTI_YEAR
                else None,
                requested=_figure(spec.requested),
                granted=_figure(spec.granted),
                paid=_figure(spec.paid),
            ),
            by=by,
        )
    return len(specs)


def _posts(context: DemoContext, year: int) -> ImportBatch:
    """The ANCT's file of adultes-relais posts of ``year``, as published (one line, numeric ``annee``, a SIRET in
    ``code_tiers``, a post without ``code_cv``), imported through the importer."""
    posts = [
        {
            "id_poste": spec.id,
            "code_tiers": spec.tiers,
            "raison_sociale": spec.name,
            "annee": year,
            "montant": spec.amount,
            **({"code_cv": spec.contract} if spec.contract else {}),
            "insee_dep": "96",
            "insee_reg": "84",
        }
        for spec in load_records(PostSpec, PACKAGE, DATA_FILE, section="posts", key="id")
    ]
    path = context.directory / f"adulte-relais-{year}.json"
    path.write_text(json.dumps(posts, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return services.p147_posts_import(path)


# --- the annual call for projects ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunderSpec:
    name: str
    envelope: float
    is_p147: bool = False
    organization: str = ""


@dataclass(frozen=True)
class IdentifierSpec:
    organization: str
    siret: str = ""
    rna: str = ""


@dataclass(frozen=True)
class ApplicationSpec:
    organization: str
    title: str
    objective: str
    qpvs: list[int]
    total: float
    requested: list[float | None]
    status: str
    granted: list[float | None] = field(default_factory=list)
    opinions: list[str] = field(default_factory=list)
    report: list[int] = field(default_factory=list)  # the figures of the final report, in REPORT_FIGURES order
    realised: float | None = None


# The columns of an application's ``report`` in data/funding.yaml: the people its final report counts.
REPORT_FIGURES = ("women", "men", "age_under_16", "age_16_25", "age_26_64", "age_65_plus", "qpv_residents")


@dataclass(frozen=True)
class CallTexts:
    eligibility: str
    local_priorities: str
    instruction_steps: str
    submission_channel: str
    documents: str
    priorities: list[str]


REVIEWERS = ("partenaire@exemple.fr", "etat@exemple.fr", "pilote@exemple.fr")
OPINION_COMMENTS = {
    "reserved": "Budget à préciser : la part des habitants des quartiers prioritaires n'est pas chiffrée.",
    "unfavourable": "Hors des priorités de l'année, ou fonctionnement courant de la structure.",
}


def _call_years(contract: Contract, today: date) -> tuple[int, int]:
    """The programming year of the call open today (the call for year N opens in the autumn of N-1) and the one
    before it, within the contract's period."""
    current = today.year + 1 if today.month >= 9 else today.year
    current = max(contract.start_on.year + 1, min(current, contract.end_on.year))
    return current - 1, current


def _organization(context: DemoContext, key: str) -> Organization:
    if key in context.organizations:
        return context.organizations[key]
    organization, _created = Organization.objects.get_or_create(
        name=key, defaults={"kind": OrganizationKind.ASSOCIATION, "departement_code": "96"}
    )
    return organization


_ORGANIZATION_FIELDS = [field.name for field in Organization._meta.get_fields() if getattr(field, "concrete", False)]


def _identifiers(context: DemoContext) -> None:
    """The SIRET and RNA numbers of the call's funders and associations (open data of the grants)."""
    for spec in load_records(IdentifierSpec, PACKAGE, DATA_FILE, section="open_data_identifiers", key="organization"):
        organization = _organization(context, spec.organization)
        organization.siret, organization.rna = spec.siret, spec.rna
        organization.clean_fields(exclude=[name for name in _ORGANIZATION_FIELDS if name not in {"siret", "rna"}])
        organization.save(update_fields=["siret", "rna", "updated_at"])


def _call(
    context: DemoContext, contract: Contract, title: str, year: int, opens_on: date, closes_on: date, by: Any
) -> CallForProjects:
    texts = load_record(CallTexts, PACKAGE, DATA_FILE, section="call_texts")
    call = services.call_create(
        contract=contract,
        fields=services.CallFields(
            title=title,
            year=year,
            opens_on=opens_on,
            closes_on=closes_on,
            **fields_as_arguments(
                texts,
                priorities=tuple(
                    Objective.objects.get(orientation__contract=contract, code=code) for code in texts.priorities
                ),
            ),
        ),
        by=by,
    )
    for spec in load_records(FunderSpec, PACKAGE, DATA_FILE, section="call_funders", key="name"):
        services.call_funder_add(
            call=call,
            name=spec.name,
            is_p147=spec.is_p147,
            envelope=_figure(spec.envelope),
            organization=context.organizations[spec.organization] if spec.organization else None,
        )
    services.call_set_status(call=call, to_status=CallStatus.OPEN, by=by)
    return call


def _apply(
    context: DemoContext, call: CallForProjects, spec: ApplicationSpec, applicant: Any, deposit_on: date
) -> Application:
    contract = call.contract
    funders = list(call.funders.all())
    qpvs = list(contract.qpvs.order_by("name"))
    asked = sum((Decimal(str(value)) for value in spec.requested if value is not None), Decimal(0))
    total = Decimal(str(spec.total))
    organization = _organization(context, spec.organization)
    application = services.application_create(
        call=call,
        organization=organization,
        fields=services.ApplicationFields(
            title=spec.title,
            description=f"{spec.title} : projet porté par {organization.name} pour les habitants des quartiers.",
            public="Habitants des quartiers prioritaires",
            expected_beneficiaries=100,
            total_budget=total,
            co_funding=total - asked,
            co_funding_detail="Fonds propres et valorisation du bénévolat",
            objectives=(Objective.objects.get(orientation__contract=contract, code=spec.objective),),
            qpvs=tuple(qpvs[index] for index in spec.qpvs if index < len(qpvs)),
            requested={funder.pk: _figure(value) for funder, value in zip(funders, spec.requested, strict=False)},
        ),
        by=applicant if applicant is not None and applicant.organization_id == organization.pk else None,
    )
    if spec.status != ApplicationStatus.DRAFT:
        services.application_submit(application=application, by=applicant, today=deposit_on)
    return application


def _review(context: DemoContext, application: Application, opinions: list[str]) -> None:
    for email, opinion in zip(REVIEWERS, opinions, strict=False):
        services.review_set(
            application=application,
            reviewer=context.users[email],
            opinion=opinion,
            comment=OPINION_COMMENTS.get(opinion, ""),
        )


def _copil_meeting(contract: Contract, year: int, by: Any) -> Meeting:
    body = contract.bodies.get(kind=BodyKind.STEERING_COMMITTEE)
    starts_at = timezone.make_aware(datetime.combine(date(year, 3, 20), time(14, 0)))
    return meeting_schedule(
        body=body,
        by=by,
        title=f"Comité de pilotage — programmation {year}",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        location="Hôtel communautaire",
    )


FOLLOW_UP = (ApplicationStatus.AGREEMENT_SIGNED, ApplicationStatus.PAID)


def _last_year(context: DemoContext, contract: Contract, year: int, by: Any) -> int:
    call = _call(context, contract, f"Appel à projets {year}", year, date(year - 1, 10, 1), date(year - 1, 12, 15), by)
    applicant = context.users.get("association@exemple.fr")
    specs = load_records(ApplicationSpec, PACKAGE, DATA_FILE, section="call_last_year", key="title")
    applications = [_apply(context, call, spec, applicant, date(year - 1, 12, 1)) for spec in specs]
    services.call_set_status(call=call, to_status=CallStatus.CLOSED, by=by)
    for spec, application in zip(specs, applications, strict=True):
        if spec.status == ApplicationStatus.DRAFT:
            continue  # never deposited
        services.application_follow(application=application, to_status=ApplicationStatus.UNDER_REVIEW, by=by)
        _review(context, application, spec.opinions)
        granted = {
            amount.pk: _figure(value)
            for amount, value in zip(
                application.amounts.order_by("funder__order"), _requested_only(spec), strict=False
            )
        }
        services.application_grant_set(application=application, granted=granted, by=by)
    decision_record(
        meeting=_copil_meeting(contract, year, by),
        verdict=Verdict.VALIDATED,
        text=f"Le comité de pilotage arrête la programmation {year} de l'appel à projets du contrat de ville.",
        target=call,
        is_published=True,
        by=by,
    )
    for spec, application in zip(specs, applications, strict=True):
        application.refresh_from_db()
        steps = [status for status in FOLLOW_UP if _reaches(spec.status, status)]
        for status in steps:
            services.application_follow(application=application, to_status=status, by=by)
        if spec.status == ApplicationStatus.REPORT_RECEIVED:
            services.final_report_set(
                application=application,
                fields=services.ReportFields(
                    actions_carried_out=f"{spec.title} : actions menées comme prévu, bilan qualitatif joint.",
                    **dict(zip(REPORT_FIGURES, spec.report, strict=True)),
                    realised_budget=Decimal(str(spec.realised if spec.realised is not None else spec.total)),
                ),
                by=applicant
                if applicant is not None and applicant.organization_id == application.organization_id
                else None,
            )
    return len(applications)


def _requested_only(spec: ApplicationSpec) -> list[float | None]:
    """The granted amounts for the funders asked (the amounts rows exist only for those)."""
    return [granted for requested, granted in zip(spec.requested, spec.granted, strict=False) if requested is not None]


def _reaches(status: str, step: str) -> bool:
    order: list[str] = [ApplicationStatus.AGREEMENT_SIGNED, ApplicationStatus.PAID, ApplicationStatus.REPORT_RECEIVED]
    return status in order and order.index(status) >= order.index(step)


def _this_year(context: DemoContext, contract: Contract, year: int, by: Any) -> int:
    today = context.today
    call = _call(
        context, contract, f"Appel à projets {year}", year, today - timedelta(days=20), today + timedelta(days=25), by
    )
    applicant = context.users.get("association@exemple.fr")
    specs = load_records(ApplicationSpec, PACKAGE, DATA_FILE, section="call_this_year", key="title")
    for spec in specs:
        application = _apply(context, call, spec, applicant, today)
        if spec.status == ApplicationStatus.UNDER_REVIEW:
            services.application_follow(application=application, to_status=ApplicationStatus.UNDER_REVIEW, by=by)
        if spec.opinions:
            _review(context, application, spec.opinions)
        if spec.status == ApplicationStatus.SUBMITTED:
            # The pilot asks the technical committee (the CAF's partner account) for its opinion.
            reviewers = selectors.technical_committee_reviewers(contract=contract)
            if reviewers:
                services.reviews_request(application=application, reviewers=reviewers, by=by)
    return len(specs)


def _calls(context: DemoContext, contract: Contract) -> int:
    """Last year's call, programmed and followed, and this year's, open: created once, so that loading the demo
    again — another month too — adds nothing."""
    if CallForProjects.objects.filter(contract=contract).exists():
        return Application.objects.filter(contract=contract).count()
    by = _pilot(contract)
    for name in data_section(PACKAGE, DATA_FILE, "call_associations"):
        _organization(context, name)
    _identifiers(context)
    last, current = _call_years(contract, context.today)
    return _last_year(context, contract, last, by) + _this_year(context, contract, current, by)


def step_funding(context: DemoContext) -> None:
    """Commitments of both demo contracts, recorded by their pilot; the Val de Sorne's specific credits; the
    adultes-relais posts of the current year, from a file in the ANCT's format."""
    count = 0
    for slug in COMMITMENT_SECTIONS:
        contract = context.contracts[slug]
        by = _pilot(contract)
        for spec in load_records(CommitmentSpec, PACKAGE, DATA_FILE, section=slug, key="title"):
            _commitment(context, contract, spec, by)
            count += 1
    val_de_sorne = context.contracts["val-de-sorne-2024"]
    credits = _credits(val_de_sorne, _pilot(val_de_sorne))
    posts = _posts(context, context.today.year)
    applications = _calls(context, val_de_sorne)
    context.log(
        f"  {count} engagements de droit commun de partenaires, prévus et réalisés sur deux années ; {credits} lignes "
        f"de crédits spécifiques ; postes d'adultes-relais {context.today.year} : {posts.summary} ; appels à projets "
        f"de l'an dernier (programmé) et de cette année (ouvert) : {applications} dossiers"
    )
