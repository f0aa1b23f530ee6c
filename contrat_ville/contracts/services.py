from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.text import slugify

from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.enums import Generation, Role, SignatoryKind
from contrat_ville.contracts.generations import GENERATION_DEFAULTS
from contrat_ville.contracts.models import Contract, ContractRole, Pillar, Signatory, TransversalAxis
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory


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
) -> Contract:
    """Create a contract with the pillars and transversal axes of its generation (domain.md §1.3, §2).

    A contract is concluded at intercommunal level (loi 2014-173 art. 6 I, rule R01): its territory
    must be an EPCI.
    """
    if epci.kind != TerritoryKind.EPCI:
        raise BusinessRuleError("Un contrat de ville est conclu à l'échelle d'une intercommunalité (EPCI).")
    if generation not in GENERATION_DEFAULTS:
        raise BusinessRuleError(f"Génération de contrat inconnue : « {generation} ».")
    defaults = GENERATION_DEFAULTS[generation]
    start_on = start_on or defaults.default_start
    end_on = end_on or defaults.default_end
    if end_on <= start_on:
        raise BusinessRuleError("La date de fin du contrat doit suivre sa date de début.")
    contract = Contract(
        slug=slug or slugify(name)[:80],
        name=name,
        epci=epci,
        generation=generation,
        start_on=start_on,
        end_on=end_on,
        summary=summary,
        is_published=is_published,
        signed_on=signed_on,
    )
    if status:
        contract.status = status
    contract.full_clean()
    contract.save()
    Pillar.objects.bulk_create(
        Pillar(contract=contract, code=term.code, label=term.label, objective=term.objective, order=index)
        for index, term in enumerate(defaults.pillars, start=1)
    )
    TransversalAxis.objects.bulk_create(
        TransversalAxis(contract=contract, code=term.code, label=term.label, objective=term.objective, order=index)
        for index, term in enumerate(defaults.axes, start=1)
    )
    return contract


@transaction.atomic
def contract_set_qpvs(*, contract: Contract, qpvs: list[Territory]) -> None:
    """Attach the contract's QPVs; they must be QPVs of the contract generation's list (rule R06)."""
    expected_vintage = GENERATION_DEFAULTS[contract.generation].qpv_vintage
    for qpv in qpvs:
        if qpv.kind != TerritoryKind.QPV:
            raise BusinessRuleError(f"« {qpv} » n'est pas un quartier prioritaire.")
        if qpv.vintage != expected_vintage:
            raise BusinessRuleError(
                f"Le quartier « {qpv} » appartient à la géographie prioritaire {qpv.vintage}, "
                f"pas à celle des contrats de la génération {Generation(contract.generation).label}."
            )
    contract.qpvs.set(qpvs)


@transaction.atomic
def contract_add_local_pillar(*, contract: Contract, label: str, objective: str = "") -> Pillar:
    """A contract may add a local pillar or priority (e.g. « Valeurs de la République et citoyenneté »)."""
    code = slugify(label).replace("-", "_")[:60]
    if not code:
        raise BusinessRuleError("Le libellé du pilier est obligatoire.")
    if Pillar.objects.filter(contract=contract, code=code).exists():
        raise BusinessRuleError(f"Le contrat a déjà un pilier « {label} ».")
    order = Pillar.objects.filter(contract=contract).count() + 1
    return Pillar.objects.create(
        contract=contract, code=code, label=label, objective=objective, order=order, is_local=True
    )


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
