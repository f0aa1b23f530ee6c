"""The stakes (*enjeux*) of the diagnostic and their workflow (seed 004 phases 3.1 and 3.2).

« Chaque groupe de travail […] pré-déterminera les enjeux de la thématique en identifiant le droit commun ; ces
enjeux seront mis en débat avec les conseils citoyens. Suite à ces débats, les enjeux seront redéfinis […] » ;
« le comité de pilotage validera les enjeux territoriaux ».

Workflow (``enums.STAKE_TRANSITIONS``): proposed → submitted (by a consultation) → redefined (→ submitted again) →
retained / rejected by the steering committee's latest decision (``stake_apply_decisions``, run by the decision hook).
Every status change goes through ``core.services.status_change``; every text is a ``StakeVersion``: v1 at creation,
v+1 at each redefinition. A version submitted to the councils is frozen: the opinions stay attached to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.saving import save_by
from contrat_ville.core.selectors import status_history
from contrat_ville.core.services import acting_user, object_archive, object_delete, required_text, status_change
from contrat_ville.diagnostic.enums import (
    STAKE_OPEN_STATUSES,
    STAKE_STATUS_LABELS,
    STAKE_TRANSITIONS,
    StakeStatus,
)
from contrat_ville.diagnostic.models import Finding, MainstreamPolicy, Stake, StakeVersion
from contrat_ville.diagnostic.selectors.rules import debate_refusal
from contrat_ville.diagnostic.services.inventory import check_pillar
from contrat_ville.governance.enums import BodyKind, Verdict
from contrat_ville.governance.selectors.decisions import decision_validates, latest_decision


def _check_text(title: str) -> str:
    return required_text(title, "L'intitulé de l'enjeu est obligatoire.", field="title")


def _check_axes(contract: Contract, axes: list[TransversalAxis]) -> None:
    if any(axis.contract_id != contract.pk for axis in axes):
        raise BusinessRuleError("Un axe transversal n'appartient pas à ce contrat de ville.", field="axes")


def _check_findings(contract: Contract, findings: list[Finding]) -> None:
    if any(finding.contract_id != contract.pk for finding in findings):
        raise BusinessRuleError("Un constat cité n'appartient pas à ce contrat de ville.", field="findings")


def _check_open(stake: Stake) -> None:
    if stake.is_decided:
        raise BusinessRuleError(
            f"L'enjeu est {STAKE_STATUS_LABELS[stake.status]} par le comité de pilotage : il ne se modifie plus."
        )


def _axes_snapshot(axes: Iterable[TransversalAxis]) -> list[dict[str, Any]]:
    return [{"id": axis.pk, "code": axis.code, "label": axis.label} for axis in sorted(axes, key=lambda a: a.order)]


def _mainstream_snapshot(stake: Stake) -> list[dict[str, Any]]:
    rows = MainstreamPolicy.objects.filter(stake=stake).select_related("organization").order_by("pk")
    return [
        {"organization_id": row.organization_id, "organization": str(row.organization), "policy": row.policy}
        for row in rows
    ]


def current_version(stake: Stake) -> StakeVersion | None:
    return StakeVersion.objects.filter(stake=stake, number=stake.version).first()


def is_version_frozen(version: StakeVersion | None) -> bool:
    """A version submitted to the councils in a consultation does not change any more."""
    return version is not None and version.consultations.exists()


def _write_version(stake: Stake, *, reason: str = "", by: User | None) -> StakeVersion:
    """Create (or, when not yet submitted, refresh) the version ``stake.version`` from the stake's text."""
    snapshot = {
        "title": stake.title,
        "description": stake.description,
        "axes": _axes_snapshot(stake.axes.all()),
        "mainstream": _mainstream_snapshot(stake),
    }
    version = current_version(stake)
    if version is None:
        return StakeVersion.objects.create(
            stake=stake, number=stake.version, reason=reason, created_by=acting_user(by), **snapshot
        )
    if is_version_frozen(version):
        return version
    for name, value in snapshot.items():
        setattr(version, name, value)
    version.save(update_fields=list(snapshot))
    return version


# A stake's status moves along ``STAKE_TRANSITIONS``, each change recorded (``core.services.status_change``).
_stake_status_change = partial(status_change, transitions=STAKE_TRANSITIONS, labels=STAKE_STATUS_LABELS)


@transaction.atomic
def stake_create(
    *,
    contract: Contract,
    pillar: Pillar,
    title: str,
    description: str = "",
    axes: Iterable[TransversalAxis] = (),
    findings: Iterable[Finding] = (),
    mainstream: Iterable[tuple[Organization, str]] = (),
    by: User | None,
) -> Stake:
    """A stake pre-determined by a pillar's working group, with its axes, findings and droit commun; version 1."""
    axes, findings = list(axes), list(findings)
    check_pillar(contract=contract, pillar=pillar)
    _check_axes(contract, axes)
    _check_findings(contract, findings)
    stake = Stake(
        contract=contract,
        pillar=pillar,
        title=_check_text(title),
        description=(description or "").strip(),
        status=StakeStatus.PROPOSED,
        version=1,
    )
    save_by(stake, by)
    stake.axes.set(axes)
    stake.findings.set(findings)
    for organization, policy in mainstream:
        _mainstream_add(stake, organization, policy)
    _write_version(stake, by=by)
    return stake


@transaction.atomic
def stake_update(
    *,
    stake: Stake,
    pillar: Pillar,
    title: str,
    description: str = "",
    axes: Iterable[TransversalAxis] = (),
    findings: Iterable[Finding] = (),
    by: User | None,
) -> Stake:
    """Correct a stake that is not decided yet.

    Its text (title, description, axes) changes in place only while its current version has not been submitted to
    the councils; after that, a new text is a redefinition (``stake_redefine``), so the opinions keep the version
    they were given on. The findings it comes from may be completed at any time before the decision.
    """
    axes, findings = list(axes), list(findings)
    _check_open(stake)
    check_pillar(contract=stake.contract, pillar=pillar)
    _check_axes(stake.contract, axes)
    _check_findings(stake.contract, findings)
    title = _check_text(title)
    description = (description or "").strip()
    text_changed = (
        title != stake.title
        or description != stake.description
        or pillar.pk != stake.pillar_id
        or {axis.pk for axis in axes} != set(stake.axes.values_list("pk", flat=True))
    )
    if text_changed and is_version_frozen(current_version(stake)):
        raise BusinessRuleError(
            f"La version {stake.version} de cet enjeu a été soumise aux conseils citoyens : pour en changer le "
            "texte, redéfinissez l'enjeu (une nouvelle version garde les avis sur l'ancienne)."
        )
    stake.pillar = pillar
    stake.title = title
    stake.description = description
    save_by(stake, by)
    stake.axes.set(axes)
    stake.findings.set(findings)
    _write_version(stake, by=by)
    return stake


@transaction.atomic
def stake_redefine(
    *,
    stake: Stake,
    title: str,
    description: str = "",
    axes: Iterable[TransversalAxis] = (),
    reason: str,
    by: User | None,
) -> StakeVersion:
    """Redefine a stake submitted to the councils, with their opinions in view: a new version, status « redéfini ».

    The opinions stay attached to the version they were given on. A redefined stake may be submitted again (second
    round) or go to the steering committee.
    """
    axes = list(axes)
    if not stake.is_submitted:
        raise BusinessRuleError(
            "Seul un enjeu soumis aux conseils citoyens se redéfinit "
            f"(cet enjeu est « {STAKE_STATUS_LABELS[stake.status]} ») ; un enjeu proposé ou déjà redéfini se "
            "modifie directement."
        )
    reason = required_text(reason, "Le motif de la redéfinition est obligatoire.", field="reason")
    _check_axes(stake.contract, axes)
    stake.title = _check_text(title)
    stake.description = (description or "").strip()
    stake.version += 1
    save_by(stake, by)
    stake.axes.set(axes)
    version = _write_version(stake, reason=reason, by=by)
    _stake_status_change(
        obj=stake, to_status=StakeStatus.REDEFINED, comment=f"Version {version.number} : {reason}", by=by
    )
    return version


def _mainstream_add(stake: Stake, organization: Organization, policy: str) -> MainstreamPolicy:
    policy = required_text(policy, "Nommez la politique de droit commun du partenaire.", field="policy")
    return MainstreamPolicy.objects.create(stake=stake, organization=organization, policy=policy)


@transaction.atomic
def stake_mainstream_add(
    *, stake: Stake, organization: Organization, policy: str, by: User | None
) -> MainstreamPolicy:
    """Identify a partner's droit commun for the stake (seed 004: « en identifiant le droit commun »).

    The current version records it too unless it was already submitted to the councils (then the next version will).
    """
    _check_open(stake)
    row = _mainstream_add(stake, organization, policy)
    _write_version(stake, by=by)
    return row


@transaction.atomic
def stake_mainstream_remove(*, mainstream: MainstreamPolicy, by: User | None) -> None:
    stake = mainstream.stake
    _check_open(stake)
    mainstream.delete()
    _write_version(stake, by=by)


@transaction.atomic
def stake_duplicate_set(*, stake: Stake, duplicate_of: Stake | None, by: User | None) -> Stake:
    """Flag ``stake`` as a duplicate of another stake of the contract (technical committee's synthesis), or unflag.

    No chains: the stake flagged as the original must not itself be a duplicate, and a stake that others
    duplicate cannot become a duplicate.
    """
    if duplicate_of is not None:
        if duplicate_of.contract_id != stake.contract_id:
            raise BusinessRuleError("Cet enjeu appartient à un autre contrat de ville.", field="duplicate_of")
        if duplicate_of.pk == stake.pk:
            raise BusinessRuleError("Un enjeu ne peut pas être le doublon de lui-même.", field="duplicate_of")
        if duplicate_of.duplicate_of_id is not None:
            raise BusinessRuleError(
                f"« {duplicate_of} » est lui-même signalé comme doublon : choisissez l'enjeu d'origine.",
                field="duplicate_of",
            )
        if Stake.objects.filter(duplicate_of=stake).exists():
            raise BusinessRuleError(
                "D'autres enjeux sont signalés comme doublons de celui-ci : il ne peut pas devenir un doublon.",
                field="duplicate_of",
            )
    stake.duplicate_of = duplicate_of
    save_by(stake, by, "duplicate_of")
    return stake


@transaction.atomic
def stake_submit(*, stake: Stake, comment: str = "", by: User | None) -> StakeVersion:
    """Put the stake in « soumis aux conseils citoyens » and return its current version (called by consultations)."""
    if stake.is_decided:
        raise BusinessRuleError(
            f"L'enjeu « {stake} » est {STAKE_STATUS_LABELS[stake.status]} : "
            "il ne se soumet plus aux conseils citoyens."
        )
    version = _write_version(stake, by=by)
    if stake.status != StakeStatus.SUBMITTED:
        _stake_status_change(obj=stake, to_status=StakeStatus.SUBMITTED, comment=comment, by=by)
    return version


def _debate_status(stake: Stake) -> str:
    """The status the stake had in the debate before the committee decided on it (its latest open status)."""
    for change in reversed(list(status_history(stake))):
        if change.to_status in STAKE_OPEN_STATUSES:
            return change.to_status
    return StakeStatus.PROPOSED


def stake_apply_decisions(*, stake: Stake, by: User | None) -> None:
    """Project the comité de pilotage's decisions onto the stake: the one place that sets « retenu » / « écarté ».

    Seed 004 phase 3.2: « le comité de pilotage validera les enjeux territoriaux ». The latest decision of the
    committee wins (``governance.selectors.decisions.latest_decision``): a validation (with or without amendments)
    retains the stake, a rejection rejects it, a postponement withdraws the earlier decision and sends the stake
    back to its debate status. Decisions of other bodies change nothing. A stake the generation's rule says was not
    debated enough cannot be decided (``rules.debate_refusal``): the decision is refused, inside governance's
    transaction.
    """
    stake.refresh_from_db(fields=["status"])  # the object the decision form resolved may predate a consultation
    decision = latest_decision(stake)
    if decision is None or decision.verdict == Verdict.POSTPONED:
        to_status = _debate_status(stake) if stake.is_decided else stake.status
    else:
        to_status = StakeStatus.RETAINED if decision_validates(decision) else StakeStatus.REJECTED
        refusal = debate_refusal(stake)
        if refusal is not None:
            raise BusinessRuleError(refusal)
    if to_status == stake.status:
        return
    if decision is None or decision.verdict == Verdict.POSTPONED:
        comment = "Décision du comité de pilotage retirée : l'enjeu revient au débat."
        if decision is not None:
            comment = (
                f"Ajourné par « {decision.meeting.body.name} » le "
                f"{timezone.localtime(decision.meeting.starts_at):%d/%m/%Y} : l'enjeu revient au débat."
            )
    else:
        comment = (
            f"{STAKE_STATUS_LABELS[to_status].capitalize()} par « {decision.meeting.body.name} » "
            f"le {timezone.localtime(decision.meeting.starts_at):%d/%m/%Y}."
        )
    _stake_status_change(obj=stake, to_status=to_status, comment=comment, by=by)


def stake_on_decision(decision: Any, by: Any) -> None:
    """The decision hook (``core.registries.DecisionTarget.on_decision``) of ``diagnostic.stake``: a decision on
    the stake was recorded or corrected, so its status is projected again from the committee's latest decision."""
    stake = decision.target
    if not isinstance(stake, Stake) or decision.meeting.body.kind != BodyKind.STEERING_COMMITTEE:
        return
    stake_apply_decisions(stake=stake, by=acting_user(by))


# --- deletion and archive (issue 10 §6) -------------------------------------------------------------------------


@transaction.atomic
def stake_delete(*, stake: Stake, by: User | None) -> None:
    """Delete a stake set down by mistake: never one debated with the councils, cited by an orientation or targeted
    by a decision (``core.object_delete``); such a stake is archived."""
    if StakeVersion.objects.filter(stake=stake, consultations__isnull=False).exists():
        raise BusinessRuleError(
            f"« {stake} » a été soumis aux conseils citoyens : il ne peut pas être supprimé, archivez-le."
        )
    object_delete(obj=stake, by=by)


@transaction.atomic
def stake_archive(*, stake: Stake, on: date, by: User | None) -> Stake:
    """Withdraw a stake from the lists and the forms; the orientations and decisions that cite it keep it."""
    return object_archive(obj=stake, on=on, by=by)
