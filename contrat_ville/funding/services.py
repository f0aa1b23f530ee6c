"""Writing the partners' *droit commun* commitments and their yearly figures, and the specific credits.

Every write checks the rules of the domain (the target belongs to the contract, a year lies within the contract's
period, a realised figure is not reported for a year still to come) and refuses in French
(``BusinessRuleError``); who may write is asked of ``funding.permissions`` by the pages and the API.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as attribute
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.contracts.selectors import organizations_of_contract
from contrat_ville.core.attachments import attachment_title, delete_file_on_commit
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.models import ImportBatch
from contrat_ville.core.saving import save_by
from contrat_ville.core.services import assign_fields, history_user_set, object_delete, required_text, status_change
from contrat_ville.core.uploads import check_upload
from contrat_ville.funding.enums import (
    APPLICATION_TRANSITIONS,
    CALL_TRANSITIONS,
    AgreementKind,
    ApplicationStatus,
    CallStatus,
    CommitmentNature,
    CommitmentStatus,
    CommitmentUnit,
    CreditProgramme,
    ReviewOpinion,
)
from contrat_ville.funding.importers import import_p147_posts
from contrat_ville.funding.models import (
    Application,
    ApplicationAmount,
    ApplicationAttachment,
    CallForProjects,
    CallFunder,
    CommitmentYear,
    Credit,
    FinalReport,
    MainstreamCommitment,
    Review,
    ReviewRequest,
)
from contrat_ville.funding.notifications import (
    notify_decision,
    notify_review_requested,
    notify_submitted,
    send_report_reminder,
)
from contrat_ville.funding.selectors import report_due_on, technical_committee_reviewers
from contrat_ville.governance.enums import VALIDATING_VERDICTS, BodyKind, Verdict
from contrat_ville.governance.selectors.decisions import latest_decision
from contrat_ville.strategy.models import Action, Objective
from contrat_ville.territories.models import Territory


@dataclass(frozen=True)
class CommitmentFields:
    """What a partner commits: the target is an objective, an action, or neither (the contract as a whole, on a
    pillar or not)."""

    title: str
    nature: str
    unit: str = CommitmentUnit.EURO
    unit_label: str = ""
    description: str = ""
    status: str = CommitmentStatus.PROPOSED
    evidence: str = ""
    objective: Objective | None = None
    action: Action | None = None
    pillar: Pillar | None = None


def _check_fields(contract: Contract, fields: CommitmentFields) -> None:
    if not fields.title.strip():
        raise BusinessRuleError("Donnez un intitulé à l'engagement.", field="title")
    if fields.nature not in CommitmentNature.values:
        raise BusinessRuleError("Nature d'engagement inconnue.", field="nature")
    if fields.unit not in CommitmentUnit.values:
        raise BusinessRuleError("Unité inconnue.", field="unit")
    if fields.status not in CommitmentStatus.values:
        raise BusinessRuleError("État d'engagement inconnu.", field="status")
    if fields.unit == CommitmentUnit.OTHER and not fields.unit_label.strip():
        raise BusinessRuleError("Précisez l'unité de l'engagement.", field="unit_label")
    _check_target(contract, fields.objective, fields.action, what="Un engagement")
    if fields.pillar is not None and fields.pillar.contract_id != contract.pk:
        raise BusinessRuleError("Ce pilier n'appartient pas à ce contrat.", field="pillar")


def _check_target(contract: Contract, objective: Objective | None, action: Action | None, *, what: str) -> None:
    """What money or means serve: an objective or an action of the contract, not both (or neither)."""
    if objective is not None and action is not None:
        raise BusinessRuleError(
            f"{what} vise un objectif ou une action, pas les deux : choisissez l'un des deux.", field="action"
        )
    if objective is not None and objective.orientation.contract_id != contract.pk:
        raise BusinessRuleError("Cet objectif n'appartient pas à ce contrat.", field="objective")
    if action is not None and action.objective.orientation.contract_id != contract.pk:
        raise BusinessRuleError("Cette action n'appartient pas à ce contrat.", field="action")


def _check_partner(contract: Contract, partner: Organization) -> None:
    if not organizations_of_contract(contract=contract).filter(pk=partner.pk).exists():
        raise BusinessRuleError(
            f"« {partner} » ne figure pas parmi les organisations du contrat : ajoutez-la d'abord à ses partenaires.",
            field="partner",
        )


def _apply(commitment: MainstreamCommitment, fields: CommitmentFields) -> None:
    assign_fields(commitment, fields, stripped=("title",), leave_out=("unit_label", "pillar"))
    commitment.unit_label = fields.unit_label.strip() if fields.unit == CommitmentUnit.OTHER else ""
    # A pillar is named only for what targets neither an objective nor an action: theirs is their orientation's.
    commitment.pillar = fields.pillar if fields.objective is None and fields.action is None else None


@transaction.atomic
def commitment_create(
    *, contract: Contract, partner: Organization, fields: CommitmentFields, by: Any = None
) -> MainstreamCommitment:
    _check_fields(contract, fields)
    _check_partner(contract, partner)
    commitment = MainstreamCommitment(contract=contract, partner=partner)
    _apply(commitment, fields)
    return save_by(commitment, by)


@transaction.atomic
def commitment_update(
    *, commitment: MainstreamCommitment, fields: CommitmentFields, partner: Organization | None = None, by: Any = None
) -> MainstreamCommitment:
    """Change what was committed; ``partner`` moves the commitment to another organisation of the contract (the
    pilot and the State only: the pages and the API ask ``can_commit_for``)."""
    contract = commitment.contract
    _check_fields(contract, fields)
    if partner is not None and partner.pk != commitment.partner_id:
        _check_partner(contract, partner)
        commitment.partner = partner
    _apply(commitment, fields)
    return save_by(commitment, by)


def commitment_delete(*, commitment: MainstreamCommitment, by: Any = None) -> None:
    """A commitment recorded by mistake is deleted with its yearly figures; its history keeps who deleted it."""
    object_delete(obj=commitment, by=by)


def _check_year(contract: Contract, year: int, realised: Decimal | None, today: date) -> None:
    first, last = contract.start_on.year, contract.end_on.year
    if not first <= year <= last:
        raise BusinessRuleError(f"L'année {year} est hors de la période du contrat ({first}-{last}).", field="year")
    if realised is not None and year > today.year:
        raise BusinessRuleError(
            f"Le réalisé de {year} ne peut pas être saisi avant cette année : indiquez seulement le prévu.",
            field="realised",
        )


@transaction.atomic
def commitment_year_set(
    *,
    commitment: MainstreamCommitment,
    year: int,
    planned: Decimal | None,
    realised: Decimal | None,
    note: str = "",
    today: date | None = None,
    by: Any = None,
) -> CommitmentYear:
    """Record a year's planned and realised figures (creating the year or replacing its figures). An empty realised
    figure means « not reported yet »: the balance lists the past years still waiting for one."""
    _check_year(commitment.contract, year, realised, today or timezone.localdate())
    for label, value, field in (("prévu", planned, "planned"), ("réalisé", realised, "realised")):
        if value is not None and value < 0:
            raise BusinessRuleError(f"Le {label} ne peut pas être négatif.", field=field)
    if planned is None and realised is None:
        raise BusinessRuleError("Indiquez au moins le prévu ou le réalisé de l'année.", field="planned")
    line, _created = CommitmentYear.objects.update_or_create(
        commitment=commitment,
        year=year,
        defaults={"planned": planned, "realised": realised, "note": note.strip()},
    )
    # The commitment's history records who reported the figures.
    save_by(commitment, by, "updated_at")
    return line


def commitment_year_delete(*, commitment: MainstreamCommitment, year: int, by: Any = None) -> None:
    deleted, _ = CommitmentYear.objects.filter(commitment=commitment, year=year).delete()
    if not deleted:
        raise BusinessRuleError(f"Aucun chiffre n'est enregistré pour {year}.")
    save_by(commitment, by, "updated_at")


# --- specific credits ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditFields:
    """A year's specific credits: programme, what they fund, their agreement and amounts in euros."""

    programme: str
    title: str
    year: int
    theme_code: str = ""
    beneficiary: str = ""
    beneficiary_siret: str = ""
    objective: Objective | None = None
    action: Action | None = None
    agreement: str = AgreementKind.SINGLE_YEAR
    agreement_end_year: int | None = None
    requested: Decimal | None = None
    granted: Decimal | None = None
    paid: Decimal | None = None


def _check_credit(contract: Contract, fields: CreditFields) -> None:
    if fields.programme not in CreditProgramme.values:
        raise BusinessRuleError("Programme inconnu.", field="programme")
    if fields.agreement not in AgreementKind.values:
        raise BusinessRuleError("Type de convention inconnu.", field="agreement")
    first, last = contract.start_on.year, contract.end_on.year
    if not first <= fields.year <= last:
        raise BusinessRuleError(
            f"L'année {fields.year} est hors de la période du contrat ({first}-{last}).", field="year"
        )
    if fields.agreement == AgreementKind.MULTI_YEAR:
        if fields.agreement_end_year is None or fields.agreement_end_year <= fields.year:
            raise BusinessRuleError(
                "Une convention pluriannuelle court au-delà de son année : indiquez sa dernière année.",
                field="agreement_end_year",
            )
    elif fields.agreement_end_year is not None and fields.agreement_end_year != fields.year:
        raise BusinessRuleError("Une convention annuelle ne court que sur son année.", field="agreement_end_year")
    for label, value, field in (
        ("demandé", fields.requested, "requested"),
        ("accordé", fields.granted, "granted"),
        ("versé", fields.paid, "paid"),
    ):
        if value is not None and value < 0:
            raise BusinessRuleError(f"Le montant {label} ne peut pas être négatif.", field=field)
    if fields.paid is not None and fields.granted is not None and fields.paid > fields.granted:
        raise BusinessRuleError("Le montant versé dépasse le montant accordé.", field="paid")
    if not fields.title.strip():
        raise BusinessRuleError("Donnez un intitulé aux crédits.", field="title")
    _check_target(contract, fields.objective, fields.action, what="Un crédit")


def _apply_credit(credit: Credit, fields: CreditFields) -> None:
    assign_fields(credit, fields, stripped=("title", "beneficiary"))
    credit.agreement_end_year = (
        fields.agreement_end_year if fields.agreement == AgreementKind.MULTI_YEAR else fields.year
    )


@transaction.atomic
def credit_create(*, contract: Contract, fields: CreditFields, by: Any = None) -> Credit:
    """Record specific credits. Proposing them for an objective that no *droit commun* commitment serves is
    allowed: the pages and the API warn (``selectors.credit_warnings``, domain.md §10 R17)."""
    _check_credit(contract, fields)
    credit = Credit(contract=contract)
    _apply_credit(credit, fields)
    return save_by(credit, by)


@transaction.atomic
def credit_update(*, credit: Credit, fields: CreditFields, by: Any = None) -> Credit:
    _check_credit(credit.contract, fields)
    _apply_credit(credit, fields)
    return save_by(credit, by)


def credit_delete(*, credit: Credit, by: Any = None) -> None:
    object_delete(obj=credit, by=by)


def p147_posts_import(
    path_or_file: Any, *, programme: str = "", by: Any = None, name: str | None = None
) -> ImportBatch:
    """The ANCT's file of programme 147 posts of one year (``importers.import_p147_posts``)."""
    return import_p147_posts(path_or_file, programme=programme, by=by, name=name)


# --- the annual call for projects (domain.md §4.2) ----------------------------------------------------------------

CALL_LABELS = dict(CallStatus.choices)
APPLICATION_LABELS = dict(ApplicationStatus.choices)


@dataclass(frozen=True)
class CallFields:
    """A year's call for projects: its calendar, its rules and its priorities among the contract's objectives."""

    title: str
    year: int
    opens_on: date
    closes_on: date
    eligibility: str = ""
    local_priorities: str = ""
    instruction_steps: str = ""
    submission_channel: str = ""
    documents: str = ""
    priorities: tuple[Objective, ...] = ()
    report_due_on: date | None = None


def _check_call(contract: Contract, fields: CallFields, call: CallForProjects | None = None) -> None:
    required_text(fields.title, "Donnez un intitulé à l'appel à projets.", field="title")
    first, last = contract.start_on.year, contract.end_on.year
    if not first <= fields.year <= last:
        raise BusinessRuleError(
            f"L'année {fields.year} est hors de la période du contrat ({first}-{last}).", field="year"
        )
    if fields.closes_on < fields.opens_on:
        raise BusinessRuleError("La clôture des dépôts précède leur ouverture.", field="closes_on")
    if fields.report_due_on is not None and fields.report_due_on <= fields.closes_on:
        raise BusinessRuleError(
            "Les comptes rendus sont attendus après la clôture des dépôts (d'ordinaire six mois après la fin de "
            "l'exercice).",
            field="report_due_on",
        )
    others = CallForProjects.objects.filter(contract=contract, title=fields.title.strip())
    if call is not None:
        others = others.exclude(pk=call.pk)
    if others.exists():
        raise BusinessRuleError("Un appel à projets de ce contrat porte déjà cet intitulé.", field="title")
    for objective in fields.priorities:
        if objective.orientation.contract_id != contract.pk:
            raise BusinessRuleError("Cet objectif n'appartient pas à ce contrat.", field="priorities")


def _apply_call(call: CallForProjects, fields: CallFields) -> None:
    assign_fields(call, fields, stripped=("title", "submission_channel"), leave_out=("priorities",))


@transaction.atomic
def call_create(*, contract: Contract, fields: CallFields, by: Any = None) -> CallForProjects:
    """Prepare a call (« en préparation »): applications are accepted once it is opened."""
    _check_call(contract, fields)
    call = CallForProjects(contract=contract)
    _apply_call(call, fields)
    save_by(call, by)
    call.priorities.set(fields.priorities)
    return call


@transaction.atomic
def call_update(*, call: CallForProjects, fields: CallFields, by: Any = None) -> CallForProjects:
    _check_call(call.contract, fields, call)
    _apply_call(call, fields)
    save_by(call, by)
    call.priorities.set(fields.priorities)
    return call


@transaction.atomic
def call_set_status(*, call: CallForProjects, to_status: str, by: Any = None, comment: str = "") -> CallForProjects:
    """Open, close, reopen a call (« programmé » comes from the steering committee's decision on its programme)."""
    if to_status == CallStatus.OPEN and not call.funders.exists():
        raise BusinessRuleError("Indiquez au moins un financeur de l'appel à projets avant de l'ouvrir.")
    if to_status == CallStatus.PROGRAMMED:
        raise BusinessRuleError(
            "Seule une décision du comité de pilotage sur la programmation arrête le programme de l'appel à projets."
        )
    _move_call(call, to_status, by, comment)
    return call


def _move_call(call: CallForProjects, to_status: str, by: Any, comment: str) -> None:
    history_user_set(call, by)
    status_change(
        obj=call, to_status=to_status, transitions=CALL_TRANSITIONS, labels=CALL_LABELS, by=by, comment=comment
    )


@transaction.atomic
def call_funder_add(
    *,
    call: CallForProjects,
    name: str,
    is_p147: bool = False,
    envelope: Decimal | None = None,
    organization: Organization | None = None,
) -> CallFunder:
    name = required_text(name, "Nommez le financeur.", field="name")
    if call.funders.filter(name=name).exists():
        raise BusinessRuleError(f"« {name} » finance déjà cet appel à projets.", field="name")
    if envelope is not None and envelope < 0:
        raise BusinessRuleError("L'enveloppe ne peut pas être négative.", field="envelope")
    if organization is not None:
        _check_partner(call.contract, organization)
    order = call.funders.count()
    return CallFunder.objects.create(
        call=call, name=name, is_p147=is_p147, envelope=envelope, organization=organization, order=order
    )


def call_funder_delete(*, funder: CallFunder) -> None:
    if funder.amounts.exists():
        raise BusinessRuleError(f"Des dossiers demandent déjà des crédits à « {funder} » : il reste financeur.")
    funder.delete()


@dataclass(frozen=True)
class ApplicationFields:
    """An application as its association writes it (Cerfa n° 12156): the project, whom it serves, its budget and
    what it asks of each funder of the call (``requested``: funder id → euros)."""

    title: str
    description: str
    public: str = ""
    expected_beneficiaries: int | None = None
    total_budget: Decimal | None = None
    co_funding: Decimal | None = None
    co_funding_detail: str = ""
    objectives: tuple[Objective, ...] = ()
    qpvs: tuple[Territory, ...] = ()
    requested: Mapping[int, Decimal | None] = attribute(default_factory=dict)


def _check_application(call: CallForProjects, fields: ApplicationFields) -> None:
    required_text(fields.title, "Donnez un intitulé au projet.", field="title")
    required_text(fields.description, "Décrivez le projet.", field="description")
    contract_qpvs = set(call.contract.qpvs.values_list("pk", flat=True))
    for qpv in fields.qpvs:
        if qpv.pk not in contract_qpvs:
            raise BusinessRuleError(f"« {qpv} » n'est pas un quartier prioritaire de ce contrat.", field="qpvs")
    for objective in fields.objectives:
        if objective.orientation.contract_id != call.contract_id:
            raise BusinessRuleError("Cet objectif n'appartient pas à ce contrat.", field="objectives")
    funders = set(call.funders.values_list("pk", flat=True))
    for funder_id, amount in fields.requested.items():
        if funder_id not in funders:
            raise BusinessRuleError("Ce financeur ne finance pas cet appel à projets.", field="requested")
        if amount is not None and amount < 0:
            raise BusinessRuleError("Un montant demandé ne peut pas être négatif.", field="requested")
    for label, value, name in (
        ("budget total", fields.total_budget, "total_budget"),
        ("autres ressources", fields.co_funding, "co_funding"),
    ):
        if value is not None and value < 0:
            raise BusinessRuleError(f"Le montant « {label} » ne peut pas être négatif.", field=name)
    asked = sum((amount or Decimal(0) for amount in fields.requested.values()), Decimal(0))
    if fields.total_budget is not None and asked + (fields.co_funding or 0) > fields.total_budget:
        raise BusinessRuleError(
            "Les montants demandés et les autres ressources dépassent le budget total du projet : le budget d'un "
            "projet est équilibré (Cerfa n° 12156).",
            field="total_budget",
        )


def _apply_application(application: Application, fields: ApplicationFields, by: Any) -> Application:
    assign_fields(
        application, fields, stripped=("title", "description"), leave_out=("objectives", "qpvs", "requested")
    )
    save_by(application, by)
    application.objectives.set(fields.objectives)
    application.qpvs.set(fields.qpvs)
    for funder_id, amount in fields.requested.items():
        if amount is None:
            ApplicationAmount.objects.filter(
                application=application, funder_id=funder_id, granted__isnull=True
            ).delete()
        else:
            ApplicationAmount.objects.update_or_create(
                application=application, funder_id=funder_id, defaults={"requested": amount}
            )
    return application


@transaction.atomic
def application_create(
    *, call: CallForProjects, organization: Organization, fields: ApplicationFields, by: Any = None
) -> Application:
    """A draft application of ``organization`` to an open call; it is deposited by ``application_submit``."""
    if call.status != CallStatus.OPEN:
        raise BusinessRuleError("Cet appel à projets n'est pas ouvert aux dépôts.")
    _check_application(call, fields)
    application = Application(contract_id=call.contract_id, call=call, organization=organization)
    return _apply_application(application, fields, by)


# Why a deposited application's form and documents are refused (the service) or shown read-only (the pages).
APPLICATION_DEPOSITED = (
    "Un dossier déposé ne se modifie plus : demandez au pilote du contrat de vous le renvoyer pour le compléter."
)


@transaction.atomic
def application_update(*, application: Application, fields: ApplicationFields, by: Any = None) -> Application:
    if application.status != ApplicationStatus.DRAFT:
        raise BusinessRuleError(APPLICATION_DEPOSITED)
    _check_application(application.call, fields)
    return _apply_application(application, fields, by)


def _move(application: Application, to_status: str, by: Any, comment: str = "") -> Application:
    history_user_set(application, by)
    status_change(
        obj=application,
        to_status=to_status,
        transitions=APPLICATION_TRANSITIONS,
        labels=APPLICATION_LABELS,
        by=by,
        comment=comment[:2000],
    )
    return application


@transaction.atomic
def application_submit(*, application: Application, by: Any = None, today: date | None = None) -> Application:
    """Deposit a draft: the call is open and its deadline not passed, the project names its QPVs, its budget and
    what it asks of at least one funder."""
    call = application.call
    today = today or timezone.localdate()
    if call.status != CallStatus.OPEN or today > call.closes_on:
        raise BusinessRuleError(
            f"Les dépôts de l'appel à projets « {call} » sont clos (clôture le {call.closes_on:%d/%m/%Y})."
        )
    if not application.qpvs.exists():
        raise BusinessRuleError("Indiquez au moins un quartier prioritaire dont les habitants bénéficient du projet.")
    if application.total_budget is None:
        raise BusinessRuleError("Indiquez le budget total du projet.")
    if not application.amounts.filter(requested__gt=0).exists():
        raise BusinessRuleError("Indiquez le montant demandé à au moins un financeur de l'appel à projets.")
    _move(application, ApplicationStatus.SUBMITTED, by)
    application.submitted_at = timezone.now()
    application.submitted_by = by if getattr(by, "is_authenticated", False) else None
    application.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
    notify_submitted(application)
    return application


# The moves the pilot and the State make by hand; programming and refusal come from the steering committee.
FOLLOW_UP_MOVES = frozenset(
    {
        ApplicationStatus.DRAFT,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.AGREEMENT_SIGNED,
        ApplicationStatus.PAID,
    }
)


@transaction.atomic
def application_follow(*, application: Application, to_status: str, by: Any = None, comment: str = "") -> Application:
    """The pilot's and the State's moves: send back to the applicant, take into instruction, record the signed
    agreement and the payment. Programming and refusal are decisions of the steering committee; the compte rendu
    is the applicant's (``final_report_set``)."""
    if to_status in {ApplicationStatus.PROGRAMMED, ApplicationStatus.REFUSED}:
        raise BusinessRuleError("Seule une décision du comité de pilotage programme ou refuse un dossier.")
    if to_status not in FOLLOW_UP_MOVES:
        raise BusinessRuleError(
            f"Passage impossible de « {APPLICATION_LABELS.get(application.status)} » à "
            f"« {APPLICATION_LABELS.get(to_status, to_status)} »."
        )
    return _move(application, to_status, by, comment)


@transaction.atomic
def application_grant_set(
    *, application: Application, granted: Mapping[int, Decimal | None], by: Any = None
) -> Application:
    """The instruction's proposal: what each funder grants (``granted``: amount id → euros). Set while the
    application is under instruction; the steering committee's decision makes it the programme."""
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise BusinessRuleError("Les montants accordés se proposent pendant l'instruction du dossier.")
    amounts = {amount.pk: amount for amount in application.amounts.all()}
    for amount_id, value in granted.items():
        amount = amounts.get(amount_id)
        if amount is None:
            raise BusinessRuleError("Ce dossier ne demande rien à ce financeur.", field="granted")
        if value is not None and value < 0:
            raise BusinessRuleError("Un montant accordé ne peut pas être négatif.", field="granted")
        if value is not None and amount.requested is not None and value > amount.requested:
            raise BusinessRuleError(
                f"Le montant accordé par « {amount.funder} » dépasse le montant demandé.", field="granted"
            )
        amount.granted = value
        amount.save(update_fields=["granted"])
    return save_by(application, by, "status")


REVIEWABLE = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW})


@transaction.atomic
def review_set(*, application: Application, reviewer: Any, opinion: str, comment: str = "") -> Review:
    """A technical-committee member's opinion (one per member and application; given again, it replaces the
    previous one). An unfavourable or reserved opinion says why."""
    if application.status not in REVIEWABLE:
        raise BusinessRuleError(
            "Les avis techniques se donnent sur un dossier déposé, avant la décision du comité de pilotage."
        )
    if opinion not in ReviewOpinion.values:
        raise BusinessRuleError("Avis inconnu.", field="opinion")
    if opinion != ReviewOpinion.FAVOURABLE and not comment.strip():
        raise BusinessRuleError(
            "Un avis réservé ou défavorable dit pourquoi : ajoutez un commentaire.", field="comment"
        )
    review, _created = Review.objects.update_or_create(
        application=application,
        reviewer=reviewer,
        defaults={
            "opinion": opinion,
            "comment": comment.strip(),
            "reviewer_organization_id": getattr(reviewer, "organization_id", None),
        },
    )
    return review


def _check_draft(application: Application, what: str) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise BusinessRuleError(
            f"{what} d'un dossier déposé ne changent plus : demandez au pilote du contrat de vous le renvoyer pour "
            "le compléter."
        )


@transaction.atomic
def application_attachment_add(
    *, application: Application, title: str, file: UploadedFile, by: Any = None
) -> ApplicationAttachment:
    """Join a document to a draft (the Cerfa, the statutes, the budget…): the meetings' rule for files
    (``core.attachments``: PDF, DOCX, ODT, XLSX, ODS, PNG or JPG, up to 10 Mo)."""
    _check_draft(application, "Les pièces jointes")
    check_upload(file)
    attachment = ApplicationAttachment(
        application=application,
        title=attachment_title(title, file),
        file=file,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    attachment.save()
    return attachment


@transaction.atomic
def application_attachment_remove(*, attachment: ApplicationAttachment, by: Any = None) -> None:
    """Remove a draft's document and its file."""
    _check_draft(attachment.application, "Les pièces jointes")
    file = attachment.file
    attachment.delete()
    delete_file_on_commit(file)


@transaction.atomic
def reviews_request(*, application: Application, reviewers: Iterable[Any], by: Any = None) -> list[ReviewRequest]:
    """The pilot asks members of the technical committee for their opinion on a deposited application
    (``selectors.technical_committee_reviewers``); each newly asked member is e-mailed once the request is
    committed and finds the application in « Ce qui vous attend » until they give their opinion."""
    if application.status not in REVIEWABLE:
        raise BusinessRuleError(
            "Les avis techniques se demandent sur un dossier déposé, avant la décision du comité de pilotage."
        )
    chosen = list(reviewers)
    if not chosen:
        raise BusinessRuleError("Choisissez au moins un membre du comité technique.", field="reviewers")
    eligible = {user.pk for user in technical_committee_reviewers(contract=application.contract)}
    strangers = [str(user) for user in chosen if user.pk not in eligible]
    if strangers:
        raise BusinessRuleError(
            f"{', '.join(strangers)} ne siège pas au comité technique de ce contrat.", field="reviewers"
        )
    already = set(ReviewRequest.objects.filter(application=application).values_list("reviewer_id", flat=True))
    created = ReviewRequest.objects.bulk_create(
        [
            ReviewRequest(
                application=application,
                reviewer=user,
                requested_by=by if getattr(by, "is_authenticated", False) else None,
            )
            for user in chosen
            if user.pk not in already
        ]
    )
    if created:
        notify_review_requested(application, [request.reviewer for request in created])
    return created


@dataclass(frozen=True)
class ReportFields:
    """The compte rendu of a funded project (Cerfa n° 15059 and its bilan)."""

    actions_carried_out: str
    women: int = 0
    men: int = 0
    age_under_16: int = 0
    age_16_25: int = 0
    age_26_64: int = 0
    age_65_plus: int = 0
    qpv_residents: int = 0
    realised_budget: Decimal | None = None


REPORTABLE = frozenset({ApplicationStatus.PAID, ApplicationStatus.REPORT_RECEIVED})


@transaction.atomic
def final_report_set(*, application: Application, fields: ReportFields, by: Any = None) -> FinalReport:
    """Record the compte rendu once the grant is paid; the application is then « compte rendu reçu »."""
    if application.status not in REPORTABLE:
        raise BusinessRuleError("Le compte rendu se transmet une fois la subvention versée.")
    required_text(fields.actions_carried_out, "Décrivez les actions réalisées.", field="actions_carried_out")
    total = fields.women + fields.men
    ages = fields.age_under_16 + fields.age_16_25 + fields.age_26_64 + fields.age_65_plus
    if ages != total:
        raise BusinessRuleError(
            f"Les tranches d'âge comptent {ages} bénéficiaires, les femmes et les hommes {total} : les deux "
            "répartitions portent sur les mêmes personnes.",
            field="age_under_16",
        )
    if fields.qpv_residents > total:
        raise BusinessRuleError(
            "Les habitants des quartiers prioritaires ne peuvent pas être plus nombreux que les bénéficiaires.",
            field="qpv_residents",
        )
    if fields.realised_budget is not None and fields.realised_budget < 0:
        raise BusinessRuleError("Le budget réalisé ne peut pas être négatif.", field="realised_budget")
    report, _created = FinalReport.objects.update_or_create(
        application=application,
        defaults={
            **{name: getattr(fields, name) for name in ReportFields.__dataclass_fields__},
            "actions_carried_out": fields.actions_carried_out.strip(),
            "submitted_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    if application.status == ApplicationStatus.PAID:
        _move(application, ApplicationStatus.REPORT_RECEIVED, by)
    return report


# --- programming by the steering committee (governance decision targets) ------------------------------------------


def _decision_comment(decision: Any) -> str:
    return f"Décision du comité de pilotage ({decision.get_verdict_display()}) : {decision.text}"


def _decided_status(verdict: str | None) -> str:
    if verdict in VALIDATING_VERDICTS:
        return ApplicationStatus.PROGRAMMED
    if verdict == Verdict.REJECTED:
        return ApplicationStatus.REFUSED
    return ApplicationStatus.UNDER_REVIEW


DECIDABLE = frozenset({ApplicationStatus.UNDER_REVIEW, ApplicationStatus.PROGRAMMED, ApplicationStatus.REFUSED})


def _programme(application: Application, to_status: str, by: Any, comment: str) -> None:
    """Move a decided application to ``to_status``, through « en instruction » when the committee changes its mind."""
    if application.status == to_status:
        return
    if application.status not in DECIDABLE:
        raise BusinessRuleError(
            f"Le dossier « {application} » est « {APPLICATION_LABELS[application.status]} » : le comité de pilotage "
            "décide des dossiers en instruction."
        )
    if application.status != ApplicationStatus.UNDER_REVIEW:
        _move(application, ApplicationStatus.UNDER_REVIEW, by, comment)
    if to_status != ApplicationStatus.UNDER_REVIEW:
        _move(application, to_status, by, comment)
        notify_decision(application, comment)


def application_on_decision(decision: Any, by: Any) -> None:
    """Hook of the decision-target registry (``funding.application``), run inside governance's transaction: the
    latest decision of the comité de pilotage programmes the application (validated), refuses it (rejected) or
    leaves it in instruction (postponed) — domain.md §4.2 step 4."""
    application = decision.target
    if not isinstance(application, Application) or decision.meeting.body.kind != BodyKind.STEERING_COMMITTEE:
        return
    application.refresh_from_db(fields=["status"])
    latest = latest_decision(application)
    _programme(application, _decided_status(latest.verdict if latest else None), by, _decision_comment(decision))


def call_on_decision(decision: Any, by: Any) -> None:
    """Hook of the decision-target registry (``funding.callforprojects``): the comité de pilotage validates the
    programme of a closed call. Every application in instruction with an amount granted by the instruction is
    programmed, the others refused, and the call is « programmé ». A rejection or a postponement changes nothing."""
    call = decision.target
    if not isinstance(call, CallForProjects) or decision.meeting.body.kind != BodyKind.STEERING_COMMITTEE:
        return
    if decision.verdict not in VALIDATING_VERDICTS:
        return
    call.refresh_from_db(fields=["status"])
    if call.status not in {CallStatus.CLOSED, CallStatus.PROGRAMMED}:
        raise BusinessRuleError(
            f"L'appel à projets « {call} » est « {CALL_LABELS[call.status]} » : sa programmation se décide une fois "
            "les dépôts clos."
        )
    comment = _decision_comment(decision)
    pending = (
        call.applications.filter(status=ApplicationStatus.UNDER_REVIEW)
        .select_related("call", "contract", "organization", "submitted_by")
        .annotate(total=Sum("amounts__granted"))
    )
    for application in pending:
        _programme(
            application,
            ApplicationStatus.PROGRAMMED if application.total else ApplicationStatus.REFUSED,
            by,
            comment,
        )
    if call.status == CallStatus.CLOSED:
        _move_call(call, CallStatus.PROGRAMMED, by, comment[:2000])


# --- reminders of final reports past due (manage.py send_final_report_reminders) ---------------------------------


@dataclass(frozen=True)
class ReminderOutcome:
    reminded: int
    messages: int


def final_report_reminders_send(*, today: date | None = None, dry_run: bool = False) -> ReminderOutcome:
    """Remind, once per application, the applicant of a paid grant whose final report has not come by the call's
    due date (``selectors.report_due_on``). Each application is claimed (``report_reminded_at``) before its e-mail
    goes, so that two runs never send it twice; a failed send releases the claim for the next run."""
    today = today or timezone.localdate()
    candidates = (
        Application.objects.filter(status=ApplicationStatus.PAID, report_reminded_at__isnull=True)
        .select_related("call", "contract", "organization", "submitted_by")
        .order_by("pk")
    )
    reminded = messages = 0
    for application in candidates:
        due_on = report_due_on(application.call)
        if due_on >= today:
            continue
        reminded += 1
        if dry_run:
            continue
        now = timezone.now()
        claimed = Application.objects.filter(pk=application.pk, report_reminded_at__isnull=True).update(
            report_reminded_at=now
        )
        if not claimed:
            reminded -= 1
            continue
        try:
            messages += send_report_reminder(application, due_on)
        except Exception:
            Application.objects.filter(pk=application.pk).update(report_reminded_at=None)
            raise
    return ReminderOutcome(reminded=reminded, messages=messages)
