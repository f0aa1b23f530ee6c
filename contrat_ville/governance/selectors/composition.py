"""Composition checks of the contract's bodies (domain.md §10, rules R07, R09, R10, R11, R12): warnings, never blocks.

Each rule is declared once in ``COMPOSITION_RULES`` with the generations it belongs to and its legal basis for
each of them (domain.md §10, « R-rules per generation »): a rule of the 2014 framework is never applied to a
2024-2030 contract. Each check is one small function returning ``ConformityIssue`` items, each with a French
explanation, its basis and a link to the page that fixes it. ``contract_conformity`` runs those of the
contract's generation for the conformity panel, in a fixed number of queries whatever the number of bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import wraps
from typing import Any

from django.urls import reverse

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.enums import Generation
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.governance.enums import BodyKind, MemberRole
from contrat_ville.governance.models import Body, BodyMember
from contrat_ville.governance.selectors.bodies import (
    BODY_KIND_ORDER,
    LocalAuthorities,
    local_authorities,
    members_prefetch,
)
from contrat_ville.territories.models import Territory

WARNING = "warning"

# Co-animating the technical committee (R10): a facilitator's or a co-chair's seat.
COTECH_ANIMATOR_ROLES = frozenset({MemberRole.FACILITATOR, MemberRole.CO_CHAIR})

# The two State teams are internal to the State: rule R12 (conseils citoyens in every steering body) does not
# apply to them.
STATE_INTERNAL_KINDS = frozenset({BodyKind.STATE_CORE_TEAM, BodyKind.INTERMINISTERIAL_TEAM})

# Seed 004 phases 2.3.1 to 2.3.3: the State head of service who may co-chair each national pillar's group, and
# whether the seed says « peut être coprésidé » or « sera coprésidé ».
WORKING_GROUP_CHAIRS: dict[str, tuple[str, str, str]] = {
    "cohesion_sociale": ("2.3.1", "peut être coprésidé", "un chef de service de l'État (DDETS, ex-DDCS)"),
    "cadre_de_vie": ("2.3.2", "peut être coprésidé", "un chef de service de l'État (DDT(M))"),
    "developpement_economique": ("2.3.3", "sera coprésidé", "un chef de service de l'État (DDETS, ex-UT DIRECCTE)"),
}


@dataclass(frozen=True)
class CompositionRule:
    """A composition rule of domain.md §10: what it asks, and its legal basis in each generation it belongs to.

    A contract of a generation absent from ``bases`` is not checked against the rule.
    """

    code: str
    summary: str
    bases: Mapping[str, str]

    def applies_to(self, contract: Contract) -> bool:
        return contract.generation in self.bases

    def basis_for(self, contract: Contract) -> str:
        return self.bases.get(contract.generation, "")


COMPOSITION_RULES: dict[str, CompositionRule] = {
    rule.code: rule
    for rule in (
        CompositionRule(
            "R07",
            "un groupe de travail thématique par pilier",
            {Generation.G2015: "circulaire du 15 octobre 2014, annexe ; note de cadrage de 2014, phase 2.3"},
        ),
        CompositionRule(
            "R09",
            "un comité de pilotage coprésidé par l'État, l'intercommunalité et les communes concernées",
            {
                Generation.G2015: "note de cadrage de 2014, phase 2.1",
                Generation.G2024: "usage des contrats 2024-2030, qui reprennent la coprésidence des contrats de 2015",
            },
        ),
        CompositionRule(
            "R10",
            "un comité technique co-animé par l'État, l'intercommunalité et les communes",
            {Generation.G2015: "note de cadrage de 2014, phase 2.2"},
        ),
        CompositionRule(
            "R11",
            "des groupes de travail coprésidés par l'État, l'intercommunalité et les communes concernées",
            {Generation.G2015: "note de cadrage de 2014, phases 2.3.1 à 2.3.3"},
        ),
        CompositionRule(
            "R12",
            "des représentants des conseils citoyens dans chaque instance de pilotage",
            {
                Generation.G2015: "loi du 21 février 2014, art. 7",
                Generation.G2024: "loi du 21 février 2014, art. 7, maintenu par défaut pour les contrats 2024-2030",
            },
        ),
    )
}


@dataclass(frozen=True)
class ConformityIssue:
    """One warning about the composition of the contract's bodies, with its legal basis and the page that fixes
    it."""

    rule_code: str
    message_fr: str
    fix_url_name: str
    fix_kwargs: Mapping[str, Any] = field(default_factory=dict, hash=False)
    severity: str = WARNING
    fix_label: str = "Corriger"
    fix_query: str = ""
    basis: str = ""

    @property
    def fix_url(self) -> str:
        url = reverse(self.fix_url_name, kwargs=dict(self.fix_kwargs))
        return f"{url}?{self.fix_query}" if self.fix_query else url


@dataclass(frozen=True)
class CompositionContext:
    """What the rules compare members with: the EPCI, the communes concerned, the pillars (three queries)."""

    contract: Contract
    authorities: LocalAuthorities
    pillars: tuple[Pillar, ...]

    @classmethod
    def build(cls, contract: Contract) -> CompositionContext:
        return cls(
            contract=contract,
            authorities=local_authorities(contract=contract),
            pillars=tuple(Pillar.objects.filter(contract=contract).order_by("order", "pk")),
        )

    @property
    def communes(self) -> list[Territory]:
        return [commune for commune, _ in self.authorities.communes]

    def slug_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return {"contract_slug": self.contract.slug, **kwargs}

    @property
    def rules(self) -> list[tuple[CompositionRule, str]]:
        """The composition rules of the contract's generation, each with its basis for that generation."""
        return [
            (rule, rule.basis_for(self.contract))
            for rule in COMPOSITION_RULES.values()
            if rule.applies_to(self.contract)
        ]


Check = Callable[[Any, "CompositionContext"], list[ConformityIssue]]


def composition_rule(code: str) -> Callable[[Check], Check]:
    """Declare a check as rule ``code`` of ``COMPOSITION_RULES``: it says nothing on a contract of another
    generation, and its issues carry the rule's basis for the contract's generation (unless they name a closer
    one)."""
    rule = COMPOSITION_RULES[code]

    def decorate(check: Check) -> Check:
        @wraps(check)
        def checked(subject: Any, context: CompositionContext) -> list[ConformityIssue]:
            if not rule.applies_to(context.contract):
                return []
            basis = rule.basis_for(context.contract)
            return [issue if issue.basis else replace(issue, basis=basis) for issue in check(subject, context)]

        return checked

    return decorate


def _members(body: Body) -> list[BodyMember]:
    """The body's members, from the prefetch when there is one (``members_prefetch``)."""
    prefetched = getattr(body, "_prefetched_objects_cache", {})
    if "members" in prefetched:
        return list(prefetched["members"])
    return list(body.members.select_related("organization"))


@dataclass(frozen=True)
class MissingChair:
    """A party missing among a body's co-chairs, and the organisation that would fill it if known."""

    label: str
    organization: Organization | None = None


def missing_cochairs(
    body: Body, context: CompositionContext, *, roles: frozenset[str] = frozenset({MemberRole.CO_CHAIR})
) -> list[MissingChair]:
    """Which of {State, EPCI, each commune concerned} has no seat with one of ``roles`` in ``body``.

    Co-chairs for rules R09 and R11; co-chairs or facilitators (co-animation) for R10.

    The State is any organisation of kind « service de l'État »; the EPCI and communes are matched by SIREN,
    or by their organisation's name when the territory has no SIREN (``local_authorities``).
    """
    organizations = [member.organization for member in _members(body) if member.role in roles]
    chair_ids = {organization.pk for organization in organizations}
    sirens = {organization.siren for organization in organizations if organization.siren}

    def represented(territory: Territory, organization: Organization | None) -> bool:
        return bool(territory.siren and territory.siren in sirens) or (
            organization is not None and organization.pk in chair_ids
        )

    missing = []
    if not any(organization.kind == OrganizationKind.STATE_SERVICE for organization in organizations):
        missing.append(MissingChair("l'État (le préfet, son représentant ou un chef de service)"))
    authorities = context.authorities
    if not represented(authorities.epci, authorities.epci_organization):
        missing.append(MissingChair(f"l'intercommunalité ({authorities.epci.name})", authorities.epci_organization))
    missing.extend(
        MissingChair(f"la commune de {commune.name}", organization)
        for commune, organization in authorities.communes
        if not represented(commune, organization)
    )
    return missing


def _missing_cochair_issues(
    rule_code: str,
    body: Body,
    context: CompositionContext,
    message: Callable[[MissingChair], str],
    *,
    role: str = MemberRole.CO_CHAIR,
    roles: frozenset[str] = frozenset({MemberRole.CO_CHAIR}),
    fix_label: str = "Ajouter un coprésident",
) -> list[ConformityIssue]:
    """One issue per co-chair (or co-facilitator: ``roles``) the body lacks, saying ``message(chair)``, each with
    a link that seats the missing one with ``role``."""
    issues = []
    for chair in missing_cochairs(body, context, roles=roles):
        query = f"role={role}"
        if chair.organization is not None:
            query += f"&organization={chair.organization.pk}"
        issues.append(
            ConformityIssue(
                rule_code=rule_code,
                message_fr=message(chair),
                fix_url_name="governance:body_member_add",
                fix_kwargs=context.slug_kwargs(body_id=body.pk),
                fix_label=fix_label,
                fix_query=query,
            )
        )
    return issues


@composition_rule("R09")
def check_steering_committee_exists(bodies: Iterable[Body], context: CompositionContext) -> list[ConformityIssue]:
    """R09 (seed 004 phase 2.1): the contract has a steering committee."""
    if any(body.kind == BodyKind.STEERING_COMMITTEE for body in bodies):
        return []
    return [
        ConformityIssue(
            rule_code="R09",
            message_fr=(
                "Le comité de pilotage n'est pas constitué : coprésidé par l'État, l'intercommunalité et les "
                "communes concernées, il pilote, valide, suit et évalue le contrat de ville."
            ),
            fix_url_name="governance:body_create",
            fix_kwargs=context.slug_kwargs(),
            fix_label="Constituer le comité de pilotage",
            fix_query=f"kind={BodyKind.STEERING_COMMITTEE}",
        )
    ]


@composition_rule("R09")
def check_steering_committee_cochairs(committee: Body, context: CompositionContext) -> list[ConformityIssue]:
    """R09 (seed 004 phase 2.1): the steering committee is co-chaired by the State, the EPCI and each commune
    concerned (the communes hosting the contract's QPVs)."""
    return _missing_cochair_issues(
        "R09",
        committee,
        context,
        lambda chair: (
            "Le comité de pilotage doit être coprésidé par l'État, l'intercommunalité et chaque commune "
            f"concernée : il manque {chair.label} parmi les coprésidents de « {committee.name} »."
        ),
    )


@composition_rule("R10")
def check_technical_committee_facilitators(committee: Body, context: CompositionContext) -> list[ConformityIssue]:
    """R10 (seed 004 phase 2.2): the technical committee is co-animated by the State, the EPCI and the communes."""
    return _missing_cochair_issues(
        "R10",
        committee,
        context,
        lambda chair: (
            "Le comité technique est co-animé par l'État, l'intercommunalité et les communes : il manque "
            f"{chair.label} parmi les animateurs de « {committee.name} »."
        ),
        role=MemberRole.FACILITATOR,
        roles=COTECH_ANIMATOR_ROLES,
        fix_label="Ajouter un animateur",
    )


@composition_rule("R12")
def check_citizen_council(body: Body, context: CompositionContext) -> list[ConformityIssue]:
    """R12 (loi 2014-173 art. 7): every body of the contract includes at least one conseil citoyen.

    The State core team and the interministerial team are internal to the State: they are exempt, and so are
    the local bodies (a conférence des financeurs is not a steering body of the 2014 law).
    """
    if body.kind in STATE_INTERNAL_KINDS or body.kind == BodyKind.LOCAL:
        return []
    if any(member.organization.kind == OrganizationKind.CITIZEN_COUNCIL for member in _members(body)):
        return []
    return [
        ConformityIssue(
            rule_code="R12",
            message_fr=(
                f"« {body.name} » ne compte aucun conseil citoyen : des représentants des conseils citoyens "
                "participent à toutes les instances de pilotage du contrat."
            ),
            fix_url_name="governance:body_member_add",
            fix_kwargs=context.slug_kwargs(body_id=body.pk),
            fix_label="Ajouter un conseil citoyen",
            fix_query=f"role={MemberRole.MEMBER}",
        )
    ]


@composition_rule("R07")
def check_pillars_have_working_group(bodies: Iterable[Body], context: CompositionContext) -> list[ConformityIssue]:
    """R07 (seed 004 phase 2.3): every pillar of the contract has a thematic working group."""
    covered = {body.pillar_id for body in bodies if body.kind == BodyKind.WORKING_GROUP}
    return [
        ConformityIssue(
            rule_code="R07",
            message_fr=(
                f"Le pilier « {pillar.label} » n'a pas de groupe de travail thématique : chaque pilier en a un, "
                "qui intègre les axes transversaux, pour toute la durée du contrat."
            ),
            fix_url_name="governance:body_create",
            fix_kwargs=context.slug_kwargs(),
            fix_label="Créer le groupe de travail",
            fix_query=f"kind={BodyKind.WORKING_GROUP}&pillar={pillar.pk}",
        )
        for pillar in context.pillars
        if pillar.pk not in covered
    ]


@composition_rule("R11")
def check_working_group_cochairs(group: Body, context: CompositionContext) -> list[ConformityIssue]:
    """R11 (seed 004 phases 2.3.1 to 2.3.3): a working group is co-chaired by the State (préfet, representative
    or head of service), a member of the EPCI and a member of each commune concerned.

    The seed says « peut être coprésidé » for two groups and « sera coprésidé » for the economy one: a warning
    in every case, never a block.
    """
    pillar_code = group.pillar.code if group.pillar else ""
    phase, verb, head = WORKING_GROUP_CHAIRS.get(
        pillar_code, ("", "est coprésidé", "le préfet, son représentant ou un chef de service de l'État")
    )
    issues = _missing_cochair_issues(
        "R11",
        group,
        context,
        lambda chair: (
            f"« {group.name} » {verb} par {head}, un membre de l'intercommunalité et un membre de chaque "
            f"commune concernée : il manque {chair.label} parmi ses coprésidents."
        ),
    )
    if not phase:
        return issues
    return [replace(issue, basis=f"note de cadrage de 2014, phase {phase}") for issue in issues]


def _body_issues(body: Body, context: CompositionContext) -> list[ConformityIssue]:
    issues: list[ConformityIssue] = []
    if body.kind == BodyKind.STEERING_COMMITTEE:
        issues += check_steering_committee_cochairs(body, context)
    if body.kind == BodyKind.TECHNICAL_COMMITTEE:
        issues += check_technical_committee_facilitators(body, context)
    if body.kind == BodyKind.WORKING_GROUP:
        issues += check_working_group_cochairs(body, context)
    issues += check_citizen_council(body, context)
    return issues


def steering_committee_cochairs_complete(committee: Body) -> bool:
    """True when the steering committee has its co-chairs: State, EPCI and each commune concerned (R09).

    Used by phase 2.1's status rule.
    """
    return not check_steering_committee_cochairs(committee, CompositionContext.build(committee.contract))


def body_conformity(*, body: Body, context: CompositionContext | None = None) -> list[ConformityIssue]:
    """The composition warnings of one body (R09 or R11 co-chairs, R12 conseil citoyen)."""
    return _body_issues(body, context or CompositionContext.build(body.contract))


@dataclass(frozen=True)
class BodyConformity:
    body: Body
    issues: list[ConformityIssue]


@dataclass(frozen=True)
class ConformityReport:
    """The composition warnings of a contract: those about the whole contract, then body by body."""

    contract_issues: list[ConformityIssue]
    bodies: list[BodyConformity]
    rules: list[tuple[CompositionRule, str]] = field(default_factory=list)

    @property
    def issues(self) -> list[ConformityIssue]:
        return [*self.contract_issues, *(issue for entry in self.bodies for issue in entry.issues)]

    @property
    def issue_count(self) -> int:
        return len(self.issues)

    @property
    def body_count(self) -> int:
        return len(self.bodies)

    @property
    def bodies_with_issues(self) -> list[BodyConformity]:
        return [entry for entry in self.bodies if entry.issues]

    @property
    def counts_by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for issue in self.issues:
            counts[issue.rule_code] = counts.get(issue.rule_code, 0) + 1
        return dict(sorted(counts.items()))

    @property
    def is_conformant(self) -> bool:
        return not self.issues


def contract_conformity(*, contract: Contract) -> ConformityReport:
    """Every composition warning of the contract's bodies (those of R07, R09, R10, R11, R12 that belong to its
    generation), in six queries at most."""
    bodies = list(
        Body.objects.filter(contract=contract).select_related("pillar", "axis").prefetch_related(members_prefetch())
    )
    bodies.sort(
        key=lambda body: (BODY_KIND_ORDER.index(body.kind), body.pillar.order if body.pillar else 0, body.name)
    )
    context = CompositionContext.build(contract)
    return ConformityReport(
        contract_issues=[
            *check_steering_committee_exists(bodies, context),
            *check_pillars_have_working_group(bodies, context),
        ],
        bodies=[BodyConformity(body=body, issues=_body_issues(body, context)) for body in bodies],
        rules=context.rules,
    )
