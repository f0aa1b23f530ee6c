"""Writes of the contracts: a contract's space and life (creation, completion, signature, statuses, avenants),
its territories, signatories, members, and the terms of its structure (pillars and transversal axes)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization, User, hash_token
from contrat_ville.accounts.selectors import has_confirmed_device
from contrat_ville.contracts import selectors
from contrat_ville.contracts.enums import (
    CONTRACT_TRANSITIONS,
    AmendmentChangeKind,
    AreaKind,
    ContractStatus,
    Generation,
    InvitationState,
    Role,
    SignatoryKind,
)
from contrat_ville.contracts.generations import GENERATION_DEFAULTS
from contrat_ville.contracts.models import (
    Amendment,
    AmendmentChange,
    Contract,
    ContractArea,
    ContractRole,
    Invitation,
    Pillar,
    Signatory,
    TransversalAxis,
)
from contrat_ville.contracts.permissions import (
    STEERING,
    can_open_contract_space,
    role_acts_for_a_council,
    role_acts_for_an_organization,
)
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.personal_data import ANONYMISED, Person
from contrat_ville.core.saving import save_by
from contrat_ville.core.services import acting_user, history_user_set, object_delete, required_text, status_change
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory
from contrat_ville.territories.selectors import communes_of_epci, departement_codes_of, qpvs_in_epci


def _check_period(start_on: date, end_on: date) -> None:
    if end_on <= start_on:
        raise BusinessRuleError("La date de fin du contrat doit suivre sa date de début.", field="end_on")


# Words the contracts' URLs use beside a contract's identifier (/contrats/nouveau/, /contrats/invitation/…).
RESERVED_SLUGS = frozenset({"nouveau", "invitation"})


def _unique_slug(name: str, slug: str | None) -> str:
    base = (slug or slugify(name))[:72] or "contrat"
    candidate, index = base, 2
    while candidate in RESERVED_SLUGS or Contract.objects.filter(slug=candidate).exists():
        candidate, index = f"{base}-{index}", index + 1
    return candidate


@transaction.atomic
def contract_create(
    *,
    name: str,
    epci: Territory,
    generation: str,
    start_on: date | None = None,
    end_on: date | None = None,
    slug: str | None = None,
    summary: str = "",
    is_published: bool = False,
    status: str | None = None,
    signed_on: date | None = None,
    anct_code: str = "",
    framework_agreement_on: date | None = None,
    is_demo: bool = False,
    by: Any = None,
) -> Contract:
    """Open a contract space for an intercommunality, with the pillars and transversal axes of its generation
    (domain.md §1.3, §2) and the EPCI's communes as its communes concerned.

    A contract is concluded at intercommunal level (loi 2014-173 art. 6 I, rule R01): its territory must be an EPCI.
    The URL identifier is derived from the name and made unique.
    """
    if epci.kind != TerritoryKind.EPCI:
        raise BusinessRuleError(
            "Un contrat de ville est conclu à l'échelle d'une intercommunalité (EPCI).", field="epci"
        )
    if generation not in GENERATION_DEFAULTS:
        raise BusinessRuleError(f"Génération de contrat inconnue : « {generation} ».", field="generation")
    name = required_text(name, "L'intitulé du contrat est obligatoire.", field="name")
    defaults = GENERATION_DEFAULTS[generation]
    start_on = start_on or defaults.default_start
    end_on = end_on or defaults.default_end
    _check_period(start_on, end_on)
    contract = Contract(
        slug=_unique_slug(name, slug),
        name=name,
        epci=epci,
        generation=generation,
        start_on=start_on,
        end_on=end_on,
        summary=summary,
        is_published=is_published,
        signed_on=signed_on,
        anct_code=anct_code.strip(),
        framework_agreement_on=framework_agreement_on,
        is_demo=is_demo,
    )
    if status:
        contract.status = status
    contract.full_clean()
    save_by(contract, by)
    Pillar.objects.bulk_create(
        Pillar(contract=contract, code=term.code, label=term.label, objective=term.objective, order=index)
        for index, term in enumerate(defaults.pillars, start=1)
    )
    TransversalAxis.objects.bulk_create(
        TransversalAxis(contract=contract, code=term.code, label=term.label, objective=term.objective, order=index)
        for index, term in enumerate(defaults.axes, start=1)
    )
    contract.communes.set(communes_of_epci(epci=epci))
    return contract


@transaction.atomic
def contract_space_open(
    *,
    by: Any,
    name: str,
    epci: Territory,
    generation: str,
    start_on: date | None = None,
    end_on: date | None = None,
    anct_code: str = "",
) -> Contract:
    """Open a contract's space from the web or the API (issue 10 §1): an administrator anywhere, a State agent for
    an intercommunality of their département (``can_open_contract_space``). A State agent who opens it becomes the
    contract's State delegate, so that they can invite the pilot and complete it."""
    if not can_open_contract_space(by, departement_codes_of(epci=epci)):
        raise BusinessRuleError(
            "Vous ne pouvez ouvrir l'espace d'un contrat que pour une intercommunalité de votre département.",
            field="epci",
        )
    contract = contract_create(
        name=name, epci=epci, generation=generation, start_on=start_on, end_on=end_on, anct_code=anct_code, by=by
    )
    if not by.is_staff:
        contract_role_grant(contract=contract, user=by, role=Role.STATE)
    return contract


@transaction.atomic
def contract_update(
    *,
    contract: Contract,
    name: str,
    summary: str,
    start_on: date,
    end_on: date,
    anct_code: str = "",
    framework_agreement_on: date | None = None,
    pillar_term: str,
    pillar_term_plural: str,
    orientation_term: str,
    objective_term: str,
    action_term: str,
    requires_two_factor: bool | None = None,
    by: Any = None,
) -> Contract:
    """The pilot completes the contract as it is written: name, presentation, period, ANCT code, the date of its
    protocol or accord-cadre, and the names of the levels of its strategic tree (issue 10 §1-2). Once signed, the
    end date changes only through an avenant (``amendment_create``).

    ``requires_two_factor`` (``None``: unchanged, as the API leaves it): the members must pass the second factor
    (``accounts.two_factor``); whoever sets it must have activated it on their own account first."""
    name = required_text(name, "L'intitulé du contrat est obligatoire.", field="name")
    _check_period(start_on, end_on)
    if contract.is_signed and end_on != contract.end_on:
        raise BusinessRuleError(
            "Le contrat est signé : sa date de fin ne change que par un avenant (prorogation).", field="end_on"
        )
    terms = {
        "pillar_term": pillar_term,
        "pillar_term_plural": pillar_term_plural,
        "orientation_term": orientation_term,
        "objective_term": objective_term,
        "action_term": action_term,
    }
    for level, value in terms.items():
        if not value.strip():
            raise BusinessRuleError("Nommez chaque niveau de l'arbre stratégique.", field=level)
        setattr(contract, level, value.strip())
    contract.name = name
    contract.summary = summary.strip()
    contract.start_on, contract.end_on = start_on, end_on
    contract.anct_code = anct_code.strip()
    contract.framework_agreement_on = framework_agreement_on
    if requires_two_factor is not None:
        if requires_two_factor and not contract.requires_two_factor and not has_confirmed_device(by):
            raise BusinessRuleError(
                "Activez d'abord la double authentification sur votre propre compte (page « Double "
                "authentification »), puis exigez-la des membres du contrat.",
                field="requires_two_factor",
            )
        contract.requires_two_factor = requires_two_factor
    contract.full_clean()
    save_by(contract, by)
    return contract


@transaction.atomic
def contract_publish(*, contract: Contract, is_published: bool, by: Any = None) -> Contract:
    """Publish (or withdraw) the contract: a published contract's public pages are open to everyone."""
    contract.is_published = is_published
    return save_by(contract, by, "is_published")


@transaction.atomic
def contract_sign(
    *,
    contract: Contract,
    signed_on: date,
    signatures: Mapping[int, tuple[str, date | None]],
    by: Any = None,
) -> Contract:
    """Record the signature of the contract: its date and, for each signatory who signed, who signed and when
    (loi 2014-173 art. 6 I, rules R01-R02). The State, the EPCI and the communes concerned sign every contract: a
    missing one is said as a warning (``selectors.signature_warnings``), never blocked."""
    if signed_on < contract.start_on.replace(year=contract.start_on.year - 2):
        raise BusinessRuleError(
            "La date de signature précède de loin le début du contrat : vérifiez-la.", field="signed_on"
        )
    signatories = {signatory.pk: signatory for signatory in contract.signatories.all()}
    if not signatories:
        raise BusinessRuleError("Enregistrez d'abord les signataires du contrat.")
    unknown = set(signatures) - set(signatories)
    if unknown:
        raise BusinessRuleError("Un signataire indiqué n'est pas un signataire de ce contrat.")
    for signatory_id, (signed_by, when) in signatures.items():
        signatory = signatories[signatory_id]
        signatory.signed_by = signed_by.strip()
        signatory.signed_on = when or signed_on
        signatory.save(update_fields=["signed_by", "signed_on", "updated_at"])
    contract.signed_on = signed_on
    save_by(contract, by, "signed_on")
    if contract.status != ContractStatus.SIGNED:
        contract_set_status(
            contract=contract, status=ContractStatus.SIGNED, by=by, comment=f"Signé le {signed_on:%d/%m/%Y}."
        )
    return contract


@transaction.atomic
def contract_set_status(*, contract: Contract, status: str, by: Any = None, comment: str = "") -> Contract:
    """Move the contract through its life (``enums.CONTRACT_TRANSITIONS``): signed, in force, in revision,
    extended, ended. Signing goes through ``contract_sign`` (its date); a forbidden step is refused in French."""
    if status == ContractStatus.SIGNED and contract.signed_on is None:
        raise BusinessRuleError("Enregistrez la signature du contrat (date et signataires) pour le dire signé.")
    history_user_set(contract, by)
    status_change(
        obj=contract,
        to_status=status,
        transitions=CONTRACT_TRANSITIONS,
        labels=dict(ContractStatus.choices),
        by=acting_user(by),
        comment=comment,
    )
    return contract


def check_contract_qpvs(*, contract: Contract, qpvs: Iterable[Territory]) -> None:
    """The contract's QPVs are QPVs of its generation's list (2015 « QP… », 2024 « QN… ») lying in one of the
    EPCI's communes (loi 2014-173 art. 6, rule R06). Where the EPCI's communes are not imported yet, the second part
    cannot be checked and is not."""
    expected_vintage = contract.generation_defaults.qpv_vintage
    has_communes = communes_of_epci(epci=contract.epci).exists()
    in_epci = set(qpvs_in_epci(epci=contract.epci, vintage=expected_vintage).values_list("pk", flat=True))
    for qpv in qpvs:
        if qpv.kind != TerritoryKind.QPV:
            raise BusinessRuleError(f"« {qpv} » n'est pas un quartier prioritaire.", field="qpvs")
        if qpv.vintage != expected_vintage:
            raise BusinessRuleError(
                f"Le quartier « {qpv} » appartient à la géographie prioritaire {qpv.vintage}, "
                f"pas à celle des contrats de la génération {Generation(contract.generation).label}.",
                field="qpvs",
            )
        if has_communes and qpv.pk not in in_epci:
            raise BusinessRuleError(
                f"Le quartier « {qpv} » ne se trouve dans aucune commune de l'intercommunalité "
                f"« {contract.epci.name} ».",
                field="qpvs",
            )


@transaction.atomic
def contract_set_qpvs(*, contract: Contract, qpvs: list[Territory]) -> None:
    """Attach the contract's QPVs (``check_contract_qpvs``). After the signature they change only by an avenant."""
    check_contract_qpvs(contract=contract, qpvs=qpvs)
    contract.qpvs.set(qpvs)


@transaction.atomic
def contract_set_territories(
    *, contract: Contract, qpvs: Iterable[Territory], communes: Iterable[Territory], by: Any = None
) -> Contract:
    """The pilot attaches the contract's QPVs and communes concerned (issue 10 §3). Once the contract is signed,
    its QPVs change only through an avenant."""
    qpvs, communes = list(qpvs), list(communes)
    current = set(contract.qpvs.values_list("pk", flat=True))
    if contract.is_signed and {qpv.pk for qpv in qpvs} != current:
        raise BusinessRuleError(
            "Le contrat est signé : ses quartiers prioritaires changent par un avenant.", field="qpvs"
        )
    contract_set_qpvs(contract=contract, qpvs=qpvs)
    contract_set_communes(contract=contract, communes=communes)
    history_user_set(contract, by)
    contract.save(update_fields=["updated_at"])
    return contract


@transaction.atomic
def contract_set_communes(*, contract: Contract, communes: list[Territory]) -> None:
    """The communes concerned by the contract: communes of its EPCI (they sign it, rule R01)."""
    allowed = set(communes_of_epci(epci=contract.epci).values_list("pk", flat=True))
    for commune in communes:
        if commune.pk not in allowed:
            raise BusinessRuleError(
                f"« {commune} » n'est pas une commune de l'intercommunalité « {contract.epci.name} ».",
                field="communes",
            )
    contract.communes.set(communes)


@transaction.atomic
def signatory_add(
    *,
    contract: Contract,
    organization: Organization,
    kind: str,
    signed_by: str = "",
    signed_on: date | None = None,
    order: int = 100,
) -> Signatory:
    if kind not in SignatoryKind.values:
        raise BusinessRuleError(f"Qualité de signataire inconnue : « {kind} ».")
    signatory, _ = Signatory.objects.update_or_create(
        contract=contract,
        organization=organization,
        defaults={"kind": kind, "signed_by": signed_by, "signed_on": signed_on, "order": order},
    )
    return signatory


@transaction.atomic
def signatory_remove(*, signatory: Signatory, by: Any = None) -> None:
    """Take an organisation off the signatories while the contract is being prepared; once signed, the list
    changes only through an avenant."""
    if signatory.contract.is_signed:
        raise BusinessRuleError("Le contrat est signé : ses signataires changent par un avenant.")
    signatory.delete()


@transaction.atomic
def contract_role_grant(*, contract: Contract, user: User, role: str) -> ContractRole:
    """Give a user a role on a contract (one role per user and contract; history is kept)."""
    if role not in Role.values:
        raise BusinessRuleError(f"Rôle inconnu : « {role} ».")
    existing = ContractRole.objects.filter(contract=contract, user=user).first()
    if existing is None:
        return ContractRole.objects.create(contract=contract, user=user, role=role)
    if existing.role != role:
        existing.role = role
        existing.save()
    return existing


@transaction.atomic
def contract_role_revoke(*, contract: Contract, user: User) -> None:
    for role in ContractRole.objects.filter(contract=contract, user=user):
        role.delete()


# --- the terms of the structure: pillars (or the contract's own first level) and transversal axes -----------------

TERM_MODELS: dict[str, type[Pillar] | type[TransversalAxis]] = {"pillar": Pillar, "axis": TransversalAxis}
TERM_NAMES = {"pillar": "niveau", "axis": "axe transversal"}


def _term_code(model: type[Pillar] | type[TransversalAxis], contract: Contract, label: str) -> str:
    base = slugify(label).replace("-", "_")[:54] or "terme"
    code, index = base, 2
    while model.objects.filter(contract=contract, code=code).exists():
        code, index = f"{base}_{index}", index + 1
    return code


def _clean_label(label: str) -> str:
    return required_text(label, "Le libellé est obligatoire.", field="label")


@transaction.atomic
def term_create(
    *,
    contract: Contract,
    kind: str,
    label: str,
    slogan: str = "",
    objective: str = "",
    amendment: Amendment | None = None,
    by: Any = None,
) -> Pillar | TransversalAxis:
    """Add a pillar (or the contract's own first-level branch: a « défi », an « axe prioritaire ») or a transversal
    axis. Real contracts add local priorities and more axes than the three national ones (design.md §4); once the
    contract is signed, the structure changes only through an avenant (``amendment``)."""
    model = TERM_MODELS[kind]
    if contract.is_signed and amendment is None:
        raise BusinessRuleError(
            "Le contrat est signé : sa structure change par un avenant (« Enregistrer un avenant »)."
        )
    label = _clean_label(label)
    if model.objects.filter(contract=contract, label__iexact=label).current().exists():
        raise BusinessRuleError(f"Le contrat a déjà un(e) {TERM_NAMES[kind]} « {label} ».", field="label")
    order = model.objects.filter(contract=contract).order_by("-order").values_list("order", flat=True).first() or 0
    term = model(
        contract=contract,
        code=_term_code(model, contract, label),
        label=label,
        slogan=slogan.strip(),
        objective=objective.strip(),
        order=order + 1,
        is_local=True,
        added_by_amendment=amendment,
    )
    return save_by(term, by)


@transaction.atomic
def term_update(
    *, term: Pillar | TransversalAxis, label: str, slogan: str = "", objective: str = "", by: Any = None
) -> Pillar | TransversalAxis:
    """Rename a term, or change its slogan or objective: the history keeps what it was called before."""
    label = _clean_label(label)
    duplicate = type(term).objects.filter(contract=term.contract, label__iexact=label).current().exclude(pk=term.pk)
    if duplicate.exists():
        raise BusinessRuleError(f"Un autre terme du contrat s'appelle déjà « {label} ».", field="label")
    term.label, term.slogan, term.objective = label, slogan.strip(), objective.strip()
    return save_by(term, by)


@transaction.atomic
def terms_reorder(*, contract: Contract, kind: str, ordered_ids: list[int], by: Any = None) -> None:
    """Put the contract's pillars (or axes) in the given order; terms left out keep their place after them."""
    terms = {term.pk: term for term in TERM_MODELS[kind].objects.filter(contract=contract)}
    if set(ordered_ids) - set(terms):
        raise BusinessRuleError("Un terme à ordonner n'appartient pas à ce contrat.")
    rest = [pk for pk in sorted(terms, key=lambda pk: terms[pk].order) if pk not in ordered_ids]
    for position, pk in enumerate([*ordered_ids, *rest], start=1):
        term = terms[pk]
        if term.order != position:
            term.order = position
            save_by(term, by, "order")


@transaction.atomic
def term_archive(
    *, term: Pillar | TransversalAxis, on: date, amendment: Amendment | None = None, by: Any = None
) -> Pillar | TransversalAxis:
    """Withdraw a term that objects cite: it stays for them, and leaves the forms. After the signature only an
    avenant withdraws it."""
    if term.contract.is_signed and amendment is None:
        raise BusinessRuleError("Le contrat est signé : un terme se retire par un avenant.")
    if term.is_archived:
        raise BusinessRuleError(f"« {term} » est déjà retiré.")
    term.archived_on = on
    return save_by(term, by, "archived_on")


@transaction.atomic
def term_delete(*, term: Pillar | TransversalAxis, by: Any = None) -> None:
    """Delete a term nothing cites yet (a mistake); a term in use is archived instead (``core.object_delete``)."""
    if term.contract.is_signed:
        raise BusinessRuleError("Le contrat est signé : un terme se retire par un avenant, il ne se supprime pas.")
    object_delete(obj=term, by=by)


# --- avenants ---------------------------------------------------------------------------------------------------


@dataclass
class AmendmentChanges:
    """What an avenant changes; every part is optional."""

    new_end_on: date | None = None
    pillars_added: list[tuple[str, str]] = field(default_factory=list)
    pillars_archived: list[Pillar] = field(default_factory=list)
    axes_added: list[tuple[str, str]] = field(default_factory=list)
    axes_archived: list[TransversalAxis] = field(default_factory=list)
    qpvs_added: list[Territory] = field(default_factory=list)
    qpvs_removed: list[Territory] = field(default_factory=list)
    signatories_added: list[tuple[Organization, str]] = field(default_factory=list)


def _amend_terms(
    amendment: Amendment,
    kind: str,
    added: list[tuple[str, str]],
    archived: Sequence[Pillar | TransversalAxis],
    recorded_as: tuple[str, str],
    *,
    by: Any,
) -> None:
    """Add the (label, objective) terms of ``kind`` and archive others, recording each as (added, archived)."""
    for label, objective in added:
        term = term_create(
            contract=amendment.contract, kind=kind, label=label, objective=objective, amendment=amendment, by=by
        )
        _record(amendment, recorded_as[0], term.label, term.pk)
    for term in archived:
        term_archive(term=term, on=amendment.signed_on, amendment=amendment, by=by)
        _record(amendment, recorded_as[1], term.label, term.pk)


def _record(amendment: Amendment, kind: str, label: str, object_id: int | None = None, **values: str) -> None:
    AmendmentChange.objects.create(
        amendment=amendment, kind=kind, object_id=object_id, label=str(label)[:500], **values
    )


@transaction.atomic
def amendment_create(
    *,
    contract: Contract,
    title: str,
    signed_on: date,
    description: str = "",
    changes: AmendmentChanges | None = None,
    by: Any = None,
) -> Amendment:
    """Record an *avenant* to a signed contract and apply what it changes, each change recorded so the structure
    can be shown as it stood at any date (issue 10 §1; loi 2014-173 art. 6: revision every three years, extension).

    A new end date later than the current one extends the contract (« prorogé »). The comité de pilotage's approval
    is recorded as a decision targeting the avenant.
    """
    changes = changes or AmendmentChanges()
    if not contract.is_signed:
        raise BusinessRuleError("Un avenant modifie un contrat signé : enregistrez d'abord la signature du contrat.")
    title = required_text(title, "L'objet de l'avenant est obligatoire.", field="title")
    if contract.signed_on is not None and signed_on < contract.signed_on:
        raise BusinessRuleError("Un avenant est signé après le contrat.", field="signed_on")
    number = (contract.amendments.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    amendment = Amendment(contract=contract, number=number, title=title, signed_on=signed_on, description=description)
    save_by(amendment, by)
    pillar_changes = (AmendmentChangeKind.PILLAR_ADDED, AmendmentChangeKind.PILLAR_ARCHIVED)
    _amend_terms(amendment, "pillar", changes.pillars_added, changes.pillars_archived, pillar_changes, by=by)
    axis_changes = (AmendmentChangeKind.AXIS_ADDED, AmendmentChangeKind.AXIS_ARCHIVED)
    _amend_terms(amendment, "axis", changes.axes_added, changes.axes_archived, axis_changes, by=by)
    if changes.qpvs_added or changes.qpvs_removed:
        current = {qpv.pk: qpv for qpv in contract.qpvs.all()}
        check_contract_qpvs(contract=contract, qpvs=changes.qpvs_added)
        for qpv in changes.qpvs_added:
            if qpv.pk not in current:
                contract.qpvs.add(qpv)
                _record(amendment, AmendmentChangeKind.QPV_ADDED, f"{qpv.name} ({qpv.code})", qpv.pk)
        for qpv in changes.qpvs_removed:
            if qpv.pk in current:
                contract.qpvs.remove(qpv)
                _record(amendment, AmendmentChangeKind.QPV_REMOVED, f"{qpv.name} ({qpv.code})", qpv.pk)
    for organization, kind in changes.signatories_added:
        signatory = signatory_add(contract=contract, organization=organization, kind=kind)
        _record(amendment, AmendmentChangeKind.SIGNATORY_ADDED, str(organization), signatory.pk)
    if changes.new_end_on is not None and changes.new_end_on != contract.end_on:
        if changes.new_end_on <= contract.start_on:
            raise BusinessRuleError("La nouvelle date de fin doit suivre le début du contrat.", field="new_end_on")
        before = contract.end_on
        contract.end_on = changes.new_end_on
        save_by(contract, by, "end_on")
        _record(
            amendment,
            AmendmentChangeKind.END_DATE_CHANGED,
            "date de fin du contrat",
            before=before.isoformat(),
            after=changes.new_end_on.isoformat(),
        )
        if changes.new_end_on > before and contract.status != ContractStatus.EXTENDED:
            contract_set_status(contract=contract, status=ContractStatus.EXTENDED, by=by, comment=str(amendment))
    return amendment


# --- members: invitations by e-mail, roles ----------------------------------------------------------------------

INVITATION_VALIDITY = timedelta(days=14)


def _invitation_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def _invitation_send(invitation: Invitation, accept_url: str) -> None:
    inviter = invitation.invited_by.display_name if invitation.invited_by else "L'équipe du contrat"
    body = (
        f"Bonjour,\n\n{inviter} vous invite à rejoindre le contrat « {invitation.contract.name} » sur la "
        f"{settings.PLATFORM_NAME}, avec le rôle : {invitation.get_role_display()}.\n\n"
        f"Pour accepter, ouvrez ce lien (valable jusqu'au {timezone.localtime(invitation.expires_at):%d/%m/%Y}, "
        f"utilisable une fois) :\n{accept_url}\n\n"
        "Si vous n'attendiez pas cette invitation, ignorez ce message.\n"
    )
    EmailMessage(subject=f"Invitation : {invitation.contract.name}", body=body, to=[invitation.email]).send()


@transaction.atomic
def invitation_create(
    *,
    contract: Contract,
    email: str,
    role: str,
    accept_url_for: Callable[[str], str],
    first_name: str = "",
    last_name: str = "",
    organization: Organization | None = None,
    by: Any = None,
) -> Invitation:
    """Invite someone by e-mail to take ``role`` on the contract (issue 10 §4): the e-mail carries a one-time link
    (``accept_url_for(raw_token)``) valid for ``INVITATION_VALIDITY``; only the token's SHA-256 is stored."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise BusinessRuleError("Saisissez une adresse électronique valide.", field="email") from error
    if role not in Role.values:
        raise BusinessRuleError(f"Rôle inconnu : « {role} ».", field="role")
    if role_acts_for_a_council(role) and (
        organization is None or organization.kind != OrganizationKind.CITIZEN_COUNCIL
    ):
        # Their council is their organisation: without it they see no consultation and answer no questionnaire.
        raise BusinessRuleError(
            "Un membre de conseil citoyen agit pour son conseil : choisissez le conseil citoyen dans « Organisation » "
            "(inscrivez-le d'abord dans « Conseils citoyens » s'il manque).",
            field="organization",
        )
    if role_acts_for_an_organization(role) and organization is None:
        raise BusinessRuleError(
            "Un porteur de projet dépose ses dossiers au nom de son organisation : choisissez-la dans "
            "« Organisation » (créez-la d'abord dans les organisations du contrat si elle manque).",
            field="organization",
        )
    if (
        organization is not None
        and not selectors.organizations_of_contract(contract=contract).filter(pk=organization.pk).exists()
    ):
        raise BusinessRuleError(
            f"« {organization} » n'est pas une organisation du contrat : ajoutez-la d'abord à ses organisations.",
            field="organization",
        )
    if ContractRole.objects.filter(contract=contract, user__email=email).exists():
        raise BusinessRuleError(
            f"{email} est déjà membre du contrat : changez son rôle dans la liste des membres.", field="email"
        )
    pending = [
        invitation
        for invitation in Invitation.objects.filter(contract=contract, email=email)
        if invitation.state() == InvitationState.PENDING
    ]
    if pending:
        raise BusinessRuleError(
            f"Une invitation est déjà en attente pour {email} : renvoyez-la ou révoquez-la.", field="email"
        )
    raw, token_hash = _invitation_token()
    invitation = Invitation(
        contract=contract,
        email=email,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        organization=organization,
        token_hash=token_hash,
        expires_at=timezone.now() + INVITATION_VALIDITY,
        invited_by=acting_user(by),
    )
    invitation.full_clean()
    save_by(invitation, by)
    _invitation_send(invitation, accept_url_for(raw))
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, accept_url_for: Callable[[str], str], by: Any = None) -> Invitation:
    """Send the invitation again with a new link (the previous one stops working) and a new expiry date."""
    if invitation.state() in (InvitationState.ACCEPTED, InvitationState.REVOKED):
        raise BusinessRuleError(f"Cette invitation est {invitation.state().label} : elle ne se renvoie plus.")
    raw, invitation.token_hash = _invitation_token()
    invitation.expires_at = timezone.now() + INVITATION_VALIDITY
    invitation.sent_count += 1
    save_by(invitation, by, "token_hash", "expires_at", "sent_count")
    _invitation_send(invitation, accept_url_for(raw))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Any = None) -> Invitation:
    """Withdraw a pending invitation: its link no longer works."""
    if invitation.state() == InvitationState.ACCEPTED:
        raise BusinessRuleError("Cette invitation a déjà été acceptée : retirez le membre de la liste des membres.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        save_by(invitation, by, "revoked_at")
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> ContractRole:
    """Take the role the invitation offers: as the signed-in ``user`` whose address it was sent to, or as a new
    account created with ``password`` (checked by the platform's password rules)."""
    state = invitation.state()
    if state != InvitationState.PENDING:
        raise BusinessRuleError(
            f"Cette invitation est {state.label} : demandez-en une nouvelle à l'équipe du contrat."
        )
    if user is None:
        if User.objects.filter(email=invitation.email).exists():
            raise BusinessRuleError(
                f"Un compte existe déjà pour {invitation.email} : connectez-vous pour accepter l'invitation."
            )
        candidate = User(
            email=invitation.email,
            first_name=(first_name or invitation.first_name).strip(),
            last_name=(last_name or invitation.last_name).strip(),
            organization=invitation.organization,
        )
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            raise BusinessRuleError(" ".join(error.messages), field="password") from error
        candidate.set_password(password)
        candidate.full_clean(exclude=["password"])
        candidate.save()
        user = candidate
    elif user.email.lower() != invitation.email:
        raise BusinessRuleError(
            f"Cette invitation est adressée à {invitation.email} : connectez-vous avec cette adresse pour l'accepter."
        )
    if user.organization is None and invitation.organization is not None:
        user.organization = invitation.organization
        user.save(update_fields=["organization"])
    role = contract_role_grant(contract=invitation.contract, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    save_by(invitation, user, "accepted_at", "accepted_by")
    return role


def _steering_members_left(contract: Contract, *, without: User) -> bool:
    return ContractRole.objects.filter(contract=contract, role__in=STEERING).exclude(user=without).exists()


@transaction.atomic
def member_role_change(*, contract: Contract, user: User, role: str, by: Any = None) -> ContractRole:
    """The pilot (or the State delegate) changes a member's role; the contract keeps at least one pilot or State
    delegate, so that someone can still manage it."""
    current = ContractRole.objects.filter(contract=contract, user=user).first()
    if current is None:
        raise BusinessRuleError("Cette personne n'est pas membre du contrat.")
    if role not in STEERING and not _steering_members_left(contract, without=user):
        raise BusinessRuleError("Le contrat garde au moins un pilote ou un délégué de l'État.", field="role")
    return contract_role_grant(contract=contract, user=user, role=role)


@transaction.atomic
def member_remove(*, contract: Contract, user: User, by: Any = None) -> None:
    """Withdraw a member's role (history keeps it); the last pilot or State delegate stays."""
    if not _steering_members_left(contract, without=user):
        raise BusinessRuleError("Le contrat garde au moins un pilote ou un délégué de l'État.")
    contract_role_revoke(contract=contract, user=user)


# --- the other perimeters of a contract -------------------------------------------------------------------------

GEOMETRY_TYPES = frozenset({"Polygon", "MultiPolygon"})
GEOMETRY_MAX_CHARACTERS = 2_000_000


def _area_geometry(text: str) -> dict[str, Any] | None:
    """A GeoJSON outline typed or pasted by the pilot: a Polygon or MultiPolygon (or a Feature holding one)."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > GEOMETRY_MAX_CHARACTERS:
        raise BusinessRuleError("Le contour dépasse 2 millions de caractères : simplifiez-le.", field="geometry")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise BusinessRuleError(
            f"Le contour n'est pas du GeoJSON lisible (ligne {error.lineno}, colonne {error.colno}).",
            field="geometry",
        ) from error
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in GEOMETRY_TYPES or "coordinates" not in value:
        raise BusinessRuleError(
            "Le contour doit être une géométrie GeoJSON de type Polygon ou MultiPolygon (WGS84).", field="geometry"
        )
    return {"type": value["type"], "coordinates": value["coordinates"]}


@transaction.atomic
def area_create(
    *,
    contract: Contract,
    kind: str,
    name: str,
    description: str = "",
    qpv: Territory | None = None,
    geometry: str = "",
    by: Any = None,
) -> ContractArea:
    """Add a perimeter beside the QPVs: a quartier de veille active, a quartier vécu, a territoire d'observation
    (issue 10 §3). A QPV it is tied to is one of the contract's."""
    if kind not in AreaKind.values:
        raise BusinessRuleError(f"Nature de périmètre inconnue : « {kind} ».", field="kind")
    name = required_text(name, "Le nom du périmètre est obligatoire.", field="name")
    if qpv is not None and not contract.qpvs.filter(pk=qpv.pk).exists():
        raise BusinessRuleError(f"« {qpv} » n'est pas un quartier prioritaire de ce contrat.", field="qpv")
    area = ContractArea(
        contract=contract,
        kind=kind,
        name=name,
        description=description.strip(),
        qpv=qpv,
        geometry=_area_geometry(geometry),
    )
    area.full_clean()
    save_by(area, by)
    return area


@transaction.atomic
def area_delete(*, area: ContractArea, by: Any = None) -> None:
    object_delete(obj=area, by=by)


# --- organisations ----------------------------------------------------------------------------------------------


def _check_siren_free(siren: str, organization: Organization | None) -> None:
    others = Organization.objects.filter(siren=siren)
    if organization is not None:
        others = others.exclude(pk=organization.pk)
    other = others.first() if siren else None
    if other is not None:
        raise BusinessRuleError(f"Le SIREN {siren} est déjà celui de « {other} ».", field="siren")


@transaction.atomic
def organization_save(
    *,
    contract: Contract,
    name: str,
    kind: str,
    organization: Organization | None = None,
    acronym: str = "",
    siren: str = "",
    siret: str = "",
    rna: str = "",
    former_names: str = "",
    departement_code: str = "",
    served_territories: Sequence[Territory] = (),
    by: Any = None,
) -> Organization:
    """Create (``organization=None``) or edit an organisation from a contract's space (issue 10 §4), with the
    contract's territories it serves; the territories it serves outside the contract are left as they are.

    A new organisation must belong to the contract: of its département or serving one of its territories, so that
    the contract's pages (invitations, seats) offer it."""
    own_territories = selectors.contract_territory_ids(contract=contract)
    served = list(served_territories)
    if any(territory.pk not in own_territories for territory in served):
        raise BusinessRuleError(
            "Un territoire indiqué n'est pas un territoire du contrat.", field="served_territories"
        )
    siren = siren.replace(" ", "")
    siret = siret.replace(" ", "")
    if siren and siret and not siret.startswith(siren):
        raise BusinessRuleError(
            f"Le SIRET {siret} n'est pas celui d'un établissement du SIREN {siren} (ses 9 premiers chiffres).",
            field="siret",
        )
    departement_code = departement_code.strip().upper()
    if organization is None:
        codes = selectors.epci_departement_codes(contract=contract)
        if departement_code not in codes and not served:
            listed = ", ".join(sorted(codes)) or "celui de l'intercommunalité"
            raise BusinessRuleError(
                f"Indiquez le département du contrat ({listed}) ou un territoire du contrat que l'organisation "
                "dessert : sinon le contrat ne la propose pas.",
                field="departement_code",
            )
        organization = Organization()
    _check_siren_free(siren, organization if organization.pk else None)
    organization.name = name.strip()
    organization.kind = kind
    organization.acronym = acronym.strip()
    organization.siren = siren
    organization.siret = siret
    organization.rna = rna.strip().upper()
    organization.former_names = former_names.strip()
    organization.departement_code = departement_code
    try:
        organization.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise BusinessRuleError(" ".join(messages), field=field) from error
    save_by(organization, by)
    kept = organization.served_territories.exclude(pk__in=own_territories)
    organization.served_territories.set([*kept, *served])
    return organization


@transaction.atomic
def organization_delete(*, organization: Organization, by: Any = None) -> None:
    """Delete an organisation nothing uses (members, signatories, seats, invitations…): a mistake. The territories
    it serves go with it; anything else refuses it (``core.object_delete``)."""
    organization.served_territories.clear()
    object_delete(obj=organization, by=by)


def invitation_erase(person: Person, apply: bool) -> list[str]:
    """Invitations sent to that e-mail: address « anonyme-<n>@anonymise.invalid », names « Personne anonymisée »
    (an invitation pending is revoked by it: the link no longer matches an address)."""
    if not person.normalised_email:
        return []
    invitations = list(Invitation.objects.filter(email__iexact=person.normalised_email).select_related("contract"))
    lines = [f"Invitation n° {item.pk} au {item.contract.name} : {item.email}" for item in invitations]
    if apply:
        for invitation in invitations:
            Invitation.objects.filter(pk=invitation.pk).update(
                email=f"anonyme-{invitation.pk}@anonymise.invalid", first_name=ANONYMISED, last_name=""
            )
    return lines
