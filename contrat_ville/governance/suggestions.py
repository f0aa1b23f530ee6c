"""Who sits in which body according to the seed (note de cadrage de 2014, phases 1.1 to 2.3), as data.

The seed names State services and operators as they were in 2014; each ``ServiceSpec`` gives the current
name with the former one (domain.md §3.4, rule R36): DDCS and UT DIRECCTE → DDETS, DDSP → DDPN, DRJSCS →
DREETS / DRAJES, CMDDF → délégation aux droits des femmes et à l'égalité, Pôle emploi → France Travail,
Caisse des dépôts → Banque des Territoires, conseil général → conseil départemental.

``body_member_suggestions(body=…)`` matches these seats against the organisations of the platform and
lists those not yet seated, with the reason, so that the body page offers a one-click « Ajouter ».
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import epci_departement_codes
from contrat_ville.governance.enums import BodyKind, MemberRole
from contrat_ville.governance.models import Body
from contrat_ville.governance.selectors.bodies import contract_organizations, local_authorities

SEED = "La note de cadrage de 2014"

# How a spec finds its organisations.
MATCH_KEYWORDS = "keywords"  # acronym or name keywords; outside the contract's organisations, only a unique match
MATCH_KIND = "kind"  # organisations of a kind tied to the contract (signatories, seats, members' organisations)
MATCH_EPCI = "epci"  # the organisation whose SIREN is the contract's EPCI's
MATCH_COMMUNES = "communes"  # one organisation per commune concerned, by SIREN
MATCH_CITIZEN_COUNCILS = "citizen_councils"  # conseils citoyens tied to the contract or named after one of its QPVs


@dataclass(frozen=True)
class ServiceSpec:
    """A service, operator or partner the seed names, under its current name (former names in brackets).

    ``phrase`` is how a sentence names it (« la DDETS (ex-DDCS) »); ``acronyms`` match the organisation's
    acronym or former names exactly; each tuple of ``keywords`` must appear, all of it, in its name or former
    names (accents and case ignored).
    """

    key: str
    label: str
    phrase: str
    acronyms: tuple[str, ...] = ()
    keywords: tuple[tuple[str, ...], ...] = ()
    kinds: tuple[str, ...] = ()
    match: str = MATCH_KEYWORDS


STATE = OrganizationKind.STATE_SERVICE
OPERATOR = OrganizationKind.PUBLIC_OPERATOR
AUTHORITY = OrganizationKind.LOCAL_AUTHORITY

SERVICES: dict[str, ServiceSpec] = {
    spec.key: spec
    for spec in (
        ServiceSpec(
            "prefecture",
            "Préfecture (préfet ou son représentant, sous-préfet chargé de la politique de la ville)",
            "le préfet ou son représentant",
            keywords=(("prefecture",), ("sous-prefecture",)),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "ddtm",
            "DDT(M) — direction départementale des territoires (et de la mer)",
            "la DDT(M)",
            acronyms=("DDT", "DDTM"),
            keywords=(("direction departementale des territoires",),),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "ddets",
            "DDETS / DDETSPP — direction départementale de l'emploi, du travail et des solidarités "
            "(ex-DDCS / DDCSPP et UT DIRECCTE)",
            "la DDETS (ex-DDCS et UT DIRECCTE)",
            acronyms=("DDETS", "DDETSPP", "DDCS", "DDCSPP"),
            keywords=(("direction departementale de l'emploi",), ("cohesion sociale", "departementale")),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "delegues_prefet",
            "Délégués du préfet",
            "les délégués du préfet",
            keywords=(("delegue", "prefet"),),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "procureur",
            "Procureur de la République (parquet)",
            "le procureur de la République",
            keywords=(("procureur",), ("parquet",)),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "dasen",
            "DASEN — directeur académique des services de l'Éducation nationale (ex-IA-DSDEN)",
            "le DASEN",
            acronyms=("DASEN", "DSDEN"),
            keywords=(("services departementaux de l'education nationale",),),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "ddpn",
            "DDPN — direction départementale de la police nationale (ex-DDSP)",
            "la DDPN (ex-DDSP)",
            acronyms=("DDPN", "DIPN", "DDSP"),
            keywords=(("police nationale",), ("securite publique",)),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "ggd",
            "Groupement de gendarmerie départementale",
            "le groupement de gendarmerie départementale",
            acronyms=("GGD",),
            keywords=(("gendarmerie",),),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "drac",
            "DRAC — direction régionale des affaires culturelles",
            "la DRAC",
            acronyms=("DRAC",),
            keywords=(("affaires culturelles",),),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "dtpjj",
            "DTPJJ — direction territoriale de la protection judiciaire de la jeunesse",
            "la DTPJJ",
            acronyms=("DTPJJ",),
            keywords=(("protection judiciaire de la jeunesse",),),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "spip",
            "SPIP — service pénitentiaire d'insertion et de probation",
            "le SPIP",
            acronyms=("SPIP",),
            keywords=(("penitentiaire",),),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "dreets",
            "DREETS — direction régionale de l'économie, de l'emploi, du travail et des solidarités "
            "(ex-DIRECCTE et DRJSCS pour la cohésion sociale)",
            "la DREETS (ex-DRJSCS)",
            acronyms=("DREETS", "DIRECCTE", "DRJSCS"),
            keywords=(("direction regionale de l'economie",),),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "drajes",
            "DRAJES — délégation régionale académique à la jeunesse, à l'engagement et aux sports "
            "(ex-DRJSCS pour la jeunesse et les sports)",
            "la DRAJES (ex-DRJSCS)",
            acronyms=("DRAJES", "SDJES"),
            keywords=(("jeunesse", "engagement", "sports"),),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "sgar",
            "SGAR — secrétariat général pour les affaires régionales",
            "le SGAR",
            acronyms=("SGAR",),
            keywords=(("affaires regionales",),),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "ddfe",
            "Délégation départementale aux droits des femmes et à l'égalité (ex-CMDDF)",
            "la déléguée aux droits des femmes et à l'égalité (ex-CMDDF)",
            acronyms=("DDFE", "DDDFE", "CMDDF", "CMDFE"),
            keywords=(("droits des femmes",),),
            kinds=(STATE,),
        ),
        ServiceSpec(
            "france_travail",
            "France Travail (ex-Pôle emploi)",
            "France Travail (ex-Pôle emploi)",
            keywords=(("france travail",), ("pole emploi",)),
            kinds=(OPERATOR,),
        ),
        ServiceSpec(
            "ars",
            "ARS — agence régionale de santé",
            "l'ARS",
            acronyms=("ARS",),
            keywords=(("agence regionale de sante",),),
            kinds=(OPERATOR,),
        ),
        ServiceSpec(
            "caf",
            "CAF — caisse d'allocations familiales",
            "la CAF",
            acronyms=("CAF",),
            keywords=(("allocations familiales",),),
            kinds=(OPERATOR,),
        ),
        ServiceSpec("epci", "Intercommunalité (EPCI) du contrat", "l'intercommunalité", match=MATCH_EPCI),
        ServiceSpec("communes", "Communes concernées", "chaque commune concernée", match=MATCH_COMMUNES),
        ServiceSpec(
            "region",
            "Conseil régional",
            "le conseil régional",
            keywords=(("conseil regional",), ("region",)),
            kinds=(AUTHORITY,),
        ),
        ServiceSpec(
            "departement",
            "Conseil départemental (ex-conseil général)",
            "le conseil départemental (ex-conseil général)",
            keywords=(("conseil departemental",), ("conseil general",), ("departement",)),
            kinds=(AUTHORITY,),
        ),
        ServiceSpec(
            "hlm",
            "Organismes HLM (bailleurs sociaux)",
            "les organismes HLM",
            kinds=(OrganizationKind.SOCIAL_LANDLORD,),
            match=MATCH_KIND,
        ),
        ServiceSpec(
            "chambres_consulaires",
            "Chambres consulaires",
            "les chambres consulaires",
            kinds=(OrganizationKind.CONSULAR_CHAMBER,),
            match=MATCH_KIND,
        ),
        ServiceSpec(
            "banque_des_territoires",
            "Banque des Territoires (ex-Caisse des dépôts, direction régionale)",
            "la Banque des Territoires (ex-Caisse des dépôts)",
            keywords=(("banque des territoires",), ("caisse des depots",)),
            kinds=(OPERATOR,),
        ),
        ServiceSpec(
            "protection_sociale",
            "Organismes de protection sociale (CAF, CPAM, MSA, CARSAT)",
            "les organismes de protection sociale",
            acronyms=("CAF", "CPAM", "MSA", "CARSAT"),
            keywords=(("allocations familiales",), ("assurance maladie",), ("mutualite sociale agricole",)),
            kinds=(OPERATOR,),
        ),
        ServiceSpec(
            "mission_locale",
            "Mission locale",
            "la mission locale",
            keywords=(("mission locale",),),
        ),
        ServiceSpec(
            "associations",
            "Associations locales",
            "les associations",
            kinds=(OrganizationKind.ASSOCIATION,),
            match=MATCH_KIND,
        ),
        ServiceSpec(
            "entreprises",
            "Entreprises ou leurs représentants",
            "les entreprises ou leurs représentants",
            kinds=(OrganizationKind.COMPANY,),
            match=MATCH_KIND,
        ),
        ServiceSpec(
            "conseils_citoyens",
            "Conseils citoyens",
            "les conseils citoyens",
            kinds=(OrganizationKind.CITIZEN_COUNCIL,),
            match=MATCH_CITIZEN_COUNCILS,
        ),
    )
}


@dataclass(frozen=True)
class SeatSpec:
    """A seat the seed gives a service in a body, with the role it holds there."""

    service: str  # key in SERVICES
    role: str = MemberRole.MEMBER
    fallback: str = ""  # key in SERVICES of who takes the seat when the platform does not know ``service``


def _seats(co_chairs: Iterable[str], members: Iterable[str], role: str = MemberRole.MEMBER) -> tuple[SeatSpec, ...]:
    return (
        *(SeatSpec(key, MemberRole.CO_CHAIR) for key in co_chairs),
        *(SeatSpec(key, role) for key in members),
    )


STATE_CORE_TEAM_SERVICES = ("ddtm", "ddets", "delegues_prefet")
INTERMINISTERIAL_SERVICES = (
    "ddtm",
    "ddets",
    "procureur",
    "dasen",
    "ddpn",
    "ggd",
    "drac",
    "dtpjj",
    "spip",
    "dreets",
    "drajes",
    "sgar",
    "ddfe",
    "delegues_prefet",
    "france_travail",
    "ars",
    "caf",
)
STEERING_PARTNERS = (
    "region",
    "departement",
    "hlm",
    "chambres_consulaires",
    "banque_des_territoires",
    "protection_sociale",
    "france_travail",
    "conseils_citoyens",
)
LOCAL_CO_CHAIRS = ("epci", "communes")

# Seed 004: phase 1.1 (State teams, under the préfet's authority), 2.1 (COPIL co-chaired by the State, the EPCI
# and the communes), 2.2 (COTECH co-animated by the same, gathering the technicians of the COPIL's members).
BODY_SEATS: dict[str, tuple[SeatSpec, ...]] = {
    BodyKind.STATE_CORE_TEAM: _seats(["prefecture"], STATE_CORE_TEAM_SERVICES),
    BodyKind.INTERMINISTERIAL_TEAM: _seats(["prefecture"], INTERMINISTERIAL_SERVICES),
    BodyKind.STEERING_COMMITTEE: _seats(["prefecture", *LOCAL_CO_CHAIRS], STEERING_PARTNERS),
    BodyKind.TECHNICAL_COMMITTEE: (
        *(SeatSpec(key, MemberRole.FACILITATOR) for key in ("prefecture", *LOCAL_CO_CHAIRS)),
        *(SeatSpec(key, MemberRole.TECHNICIAN) for key in STEERING_PARTNERS if key != "conseils_citoyens"),
        SeatSpec("conseils_citoyens", MemberRole.MEMBER),
    ),
}

# Seed 004 phases 2.3.1 to 2.3.3: the State co-chair is a head of service (DDCS → DDETS, DDT(M), UT DIRECCTE →
# DDETS), with a member of the EPCI and one of each commune concerned.
WORKING_GROUP_SEATS: dict[str, tuple[SeatSpec, ...]] = {
    "cohesion_sociale": _seats(
        LOCAL_CO_CHAIRS,
        [
            "dasen",
            "drajes",
            "ars",
            "caf",
            "dtpjj",
            "ddfe",
            "departement",
            "region",
            "associations",
            "conseils_citoyens",
        ],
    ),
    "cadre_de_vie": _seats(
        LOCAL_CO_CHAIRS,
        [
            "prefecture",
            "delegues_prefet",
            "dtpjj",
            "ddpn",
            "ggd",
            "procureur",
            "spip",
            "ddfe",
            "banque_des_territoires",
            "hlm",
            "region",
            "departement",
            "associations",
            "conseils_citoyens",
        ],
    ),
    "developpement_economique": _seats(
        LOCAL_CO_CHAIRS,
        [
            "france_travail",
            "mission_locale",
            "chambres_consulaires",
            "banque_des_territoires",
            "entreprises",
            "region",
            "departement",
            "associations",
            "conseils_citoyens",
        ],
    ),
}
# « Le préfet, son représentant ou un chef de service de l'État (DDCS) »: the head of service when the platform
# knows it, the préfecture otherwise.
WORKING_GROUP_STATE_CHAIRS: dict[str, str] = {
    "cohesion_sociale": "ddets",
    "cadre_de_vie": "ddtm",
    "developpement_economique": "ddets",
}
WORKING_GROUP_SEATS = {
    code: (SeatSpec(WORKING_GROUP_STATE_CHAIRS[code], MemberRole.CO_CHAIR, fallback="prefecture"), *seats)
    for code, seats in WORKING_GROUP_SEATS.items()
}
# A local priority (2024 generation) has no list in the seed: the co-chairs of rule R11 and the conseils citoyens.
LOCAL_WORKING_GROUP_SEATS: tuple[SeatSpec, ...] = _seats(["prefecture", *LOCAL_CO_CHAIRS], ["conseils_citoyens"])

SEED_PHASES: dict[str, str] = {
    BodyKind.STATE_CORE_TEAM: "phase 1.1",
    BodyKind.INTERMINISTERIAL_TEAM: "phase 1.1",
    BodyKind.STEERING_COMMITTEE: "phase 2.1",
    BodyKind.TECHNICAL_COMMITTEE: "phase 2.2",
    BodyKind.WORKING_GROUP: "phase 2.3",
}


def seats_for(body: Body) -> tuple[SeatSpec, ...]:
    """The seats the seed gives a body of this kind (and pillar, for a working group)."""
    if body.kind == BodyKind.WORKING_GROUP:
        pillar_code = body.pillar.code if body.pillar else ""
        return WORKING_GROUP_SEATS.get(pillar_code, LOCAL_WORKING_GROUP_SEATS)
    return BODY_SEATS.get(body.kind, ())


def _body_phrase(body: Body) -> str:
    if body.kind == BodyKind.STATE_CORE_TEAM:
        return "l'équipe restreinte de l'État"
    if body.kind == BodyKind.INTERMINISTERIAL_TEAM:
        return "l'équipe interministérielle"
    if body.kind == BodyKind.STEERING_COMMITTEE:
        return "le comité de pilotage"
    if body.kind == BodyKind.TECHNICAL_COMMITTEE:
        return "le comité technique"
    return f"le groupe de travail « {body.pillar.label if body.pillar else body.name} »"


def seat_reason(body: Body, seat: SeatSpec) -> str:
    """Why the seed puts this service in this body, in French."""
    phrase = SERVICES[seat.service].phrase
    source = f"{SEED} ({SEED_PHASES.get(body.kind, 'phase 2')})"
    if body.kind == BodyKind.WORKING_GROUP and body.pillar and body.pillar.code not in WORKING_GROUP_SEATS:
        source = "La règle R11 et la loi du 21 février 2014 (art. 7)"
    if seat.role == MemberRole.CO_CHAIR:
        return f"{source} fait coprésider {_body_phrase(body)} par {phrase}."
    if seat.role == MemberRole.FACILITATOR:
        return f"{source} fait coanimer {_body_phrase(body)} par {phrase}."
    if seat.role == MemberRole.TECHNICIAN:
        return (
            f"{source} réunit dans {_body_phrase(body)} les techniciens des membres du comité de pilotage : {phrase}."
        )
    return f"{source} place {phrase} dans {_body_phrase(body)}."


# --- matching --------------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces: what keyword matching compares."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", plain.lower()).strip()


def _acronyms_of(organization: Organization) -> set[str]:
    """Its acronym and each of its former names, whole (« UD DIRECCTE » is not « DIRECCTE »)."""
    entries = [organization.acronym, *re.split(r"[,;]", organization.former_names)]
    return {normalize(entry) for entry in entries if entry.strip()}


def matches_spec(spec: ServiceSpec, organization: Organization) -> bool:
    """Whether ``organization`` is the service ``spec`` describes (acronym, or all keywords of one group)."""
    if spec.kinds and organization.kind not in spec.kinds:
        return False
    if not spec.acronyms and not spec.keywords:
        return bool(spec.kinds)  # matched on its kind alone (organismes HLM, conseils citoyens…)
    acronyms = _acronyms_of(organization)
    if any(normalize(acronym) in acronyms for acronym in spec.acronyms):
        return True
    text = normalize(f"{organization.name} {organization.former_names}")
    return any(all(normalize(keyword) in text for keyword in group) for group in spec.keywords)


@dataclass(frozen=True)
class Suggestion:
    """A seat the seed suggests for a body; ``organization`` is None when no organisation matches yet."""

    service: ServiceSpec
    role: str
    reason: str
    organization: Organization | None = None
    missing_label: str = ""

    @property
    def label(self) -> str:
        if self.organization is not None:
            return str(self.organization)
        return self.missing_label or self.service.label

    @property
    def role_label(self) -> str:
        return MemberRole(self.role).label

    @property
    def is_matched(self) -> bool:
        return self.organization is not None


@dataclass
class MatchingPool:
    """Organisations a contract's suggestions are matched against (three queries, built once per contract)."""

    tied: list[Organization]
    everyone: list[Organization]  # the organisations of the contract's département(s)
    epci_organization: Organization | None
    communes: list[tuple[str, Organization | None]]  # (name, organisation) of each commune concerned
    qpv_names: list[str] = field(default_factory=list)

    @classmethod
    def for_contract(cls, contract: Contract) -> MatchingPool:
        authorities = local_authorities(contract=contract)
        return cls(
            tied=list(contract_organizations(contract=contract)),
            # Issue 10 §4: never an organisation of another département, even the only one of its kind.
            everyone=list(Organization.objects.filter(departement_code__in=epci_departement_codes(contract=contract))),
            epci_organization=authorities.epci_organization,
            communes=[(commune.name, organization) for commune, organization in authorities.communes],
            qpv_names=[normalize(name) for name in contract.qpvs.values_list("name", flat=True)],
        )

    def _citizen_councils(self, spec: ServiceSpec) -> list[Organization]:
        tied = [organization for organization in self.tied if matches_spec(spec, organization)]
        named = [
            organization
            for organization in self.everyone
            if matches_spec(spec, organization)
            and any(_qpv_name_core(name) in normalize(organization.name) for name in self.qpv_names)
        ]
        return _unique([*tied, *named])

    def organizations_for(self, spec: ServiceSpec) -> list[Organization]:
        """The organisations that fill ``spec`` for this contract (empty when none is known)."""
        if spec.match == MATCH_EPCI:
            return [self.epci_organization] if self.epci_organization else []
        if spec.match == MATCH_COMMUNES:
            return [organization for _, organization in self.communes if organization is not None]
        if spec.match == MATCH_CITIZEN_COUNCILS:
            return self._citizen_councils(spec)
        tied = [organization for organization in self.tied if matches_spec(spec, organization)]
        if tied or spec.match == MATCH_KIND:
            return tied
        # A State service or operator the contract does not know yet: suggested only when it is unambiguous
        # (one département's DDETS), never a guess among several.
        found = [organization for organization in self.everyone if matches_spec(spec, organization)]
        return found if len(found) == 1 else []


def _qpv_name_core(name: str) -> str:
    """« les hauts de sorne » → « hauts de sorne »: conseils citoyens are named without the article."""
    return re.sub(r"^(les|le|la|l')\s*", "", name)


def _unique(organizations: Iterable[Organization]) -> list[Organization]:
    seen: set[int] = set()
    unique = []
    for organization in organizations:
        if organization.pk not in seen:
            seen.add(organization.pk)
            unique.append(organization)
    return unique


def suggestions_for(body: Body, pool: MatchingPool, seated: set[int]) -> list[Suggestion]:
    """The seed's seats for ``body`` that are not filled yet: matched organisations first, then missing ones."""
    suggestions: list[Suggestion] = []
    taken = set(seated)
    for seat in seats_for(body):
        spec = SERVICES[seat.service]
        reason = seat_reason(body, seat)
        found = pool.organizations_for(spec)
        if not found and seat.fallback:
            fallback = SERVICES[seat.fallback]
            found = pool.organizations_for(fallback)
            if found:
                spec = fallback
                reason = f"{reason[:-1]}, ou à défaut par {fallback.phrase}."
        if spec.match == MATCH_COMMUNES:
            for name, organization in pool.communes:
                if organization is None:
                    suggestions.append(Suggestion(spec, seat.role, reason, None, f"Commune de {name}"))
                elif organization.pk not in taken:
                    taken.add(organization.pk)
                    suggestions.append(Suggestion(spec, seat.role, reason, organization))
            continue
        if not found:
            if not any(
                organization.pk in seated for organization in pool.everyone if matches_spec(spec, organization)
            ):
                suggestions.append(Suggestion(spec, seat.role, reason))
            continue
        for organization in found:
            if organization.pk not in taken:
                taken.add(organization.pk)
                suggestions.append(Suggestion(spec, seat.role, reason, organization))
    return sorted(suggestions, key=lambda suggestion: not suggestion.is_matched)


def body_member_suggestions(*, body: Body, pool: MatchingPool | None = None) -> list[Suggestion]:
    """The seats the seed suggests for ``body`` and that are not filled yet (seed 004, phases 1.1 to 2.3).

    Organisations already seated in the body are left out. A suggestion without organisation means the
    platform knows no organisation for that service yet: an administrator has to create it.
    """
    pool = pool or MatchingPool.for_contract(body.contract)
    seated = set(body.members.values_list("organization_id", flat=True))
    return suggestions_for(body, pool, seated)
