"""Who's who in the demo: organisations, contracts, signatories and accounts, as plain data (no database).

Every organisation and person here is fictional except the real institutions a contract in région 84
would involve (conseil régional, national operators), named under their current names with the former
ones the seeds use (domain.md §3.4). The territory itself (communes, IRIS, QPV) is in ``generator``, the
accounts in ``users``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.contracts.enums import ContractStatus, Generation, SignatoryKind
from contrat_ville.demo.generator import EPCI_COTEAUX_ORBE, EPCI_VAL_DE_SORNE, FICTION_NOTE, QPVS, CommuneSpec
from contrat_ville.demo.users import SLUG_COTEAUX_ORBE, SLUG_VAL_DE_SORNE


@dataclass(frozen=True)
class OrganizationSpec:
    key: str
    name: str
    kind: str
    acronym: str = ""
    siren: str = ""
    former_names: str = ""


def _commune_organization(commune: CommuneSpec) -> OrganizationSpec:
    return OrganizationSpec(
        key=f"commune_{commune.code}",
        name=f"Commune de {commune.name}",
        kind=OrganizationKind.LOCAL_AUTHORITY,
        siren=commune.siren,
    )


def _commune(code: str) -> CommuneSpec:
    return next(
        commune for epci in (EPCI_VAL_DE_SORNE, EPCI_COTEAUX_ORBE) for commune in epci.communes if commune.code == code
    )


# The communes concerned: those hosting a QPV.
QPV_COMMUNES: tuple[str, ...] = tuple(sorted({code for qpv in QPVS for code in qpv.communes}))

STATE = OrganizationKind.STATE_SERVICE
OPERATOR = OrganizationKind.PUBLIC_OPERATOR
AUTHORITY = OrganizationKind.LOCAL_AUTHORITY

ORGANIZATIONS: tuple[OrganizationSpec, ...] = (
    OrganizationSpec("prefecture", "Préfecture du Val-de-Sorne", STATE),
    OrganizationSpec(
        "ddets",
        "Direction départementale de l'emploi, du travail et des solidarités du Val-de-Sorne",
        STATE,
        acronym="DDETS",
        former_names="DDCS, UD DIRECCTE",
    ),
    OrganizationSpec("ddt", "Direction départementale des territoires du Val-de-Sorne", STATE, acronym="DDT"),
    OrganizationSpec(
        "ddpn",
        "Direction départementale de la police nationale du Val-de-Sorne",
        STATE,
        acronym="DDPN",
        former_names="DDSP",
    ),
    OrganizationSpec(
        "dasen",
        "Direction des services départementaux de l'Éducation nationale du Val-de-Sorne",
        STATE,
        acronym="DASEN",
        former_names="IA-DSDEN (inspection académique)",
    ),
    OrganizationSpec(
        "dtpjj", "Direction territoriale de la protection judiciaire de la jeunesse", STATE, acronym="DTPJJ"
    ),
    OrganizationSpec(
        "spip", "Service pénitentiaire d'insertion et de probation du Val-de-Sorne", STATE, acronym="SPIP"
    ),
    OrganizationSpec("delegues_prefet", "Délégués du préfet pour la politique de la ville", STATE),
    OrganizationSpec(
        "ars", "Agence régionale de santé Auvergne-Rhône-Alpes, délégation du Val-de-Sorne", OPERATOR, acronym="ARS"
    ),
    OrganizationSpec("caf", "Caisse d'allocations familiales du Val-de-Sorne", OPERATOR, acronym="CAF"),
    OrganizationSpec("france_travail", "France Travail Val-de-Sorne", OPERATOR, former_names="Pôle emploi"),
    OrganizationSpec("mission_locale", "Mission locale du Val de Sorne", OrganizationKind.ASSOCIATION),
    OrganizationSpec(
        "banque_des_territoires",
        "Banque des Territoires, direction régionale Auvergne-Rhône-Alpes",
        OPERATOR,
        former_names="Caisse des dépôts (direction régionale)",
    ),
    OrganizationSpec(
        "departement",
        "Conseil départemental du Val-de-Sorne",
        AUTHORITY,
        former_names="Conseil général du Val-de-Sorne",
    ),
    OrganizationSpec("region", "Conseil régional Auvergne-Rhône-Alpes", AUTHORITY),
    OrganizationSpec(
        "epci_val_de_sorne", EPCI_VAL_DE_SORNE.name, AUTHORITY, acronym="CAVS", siren=EPCI_VAL_DE_SORNE.siren
    ),
    OrganizationSpec(
        "epci_coteaux_orbe", EPCI_COTEAUX_ORBE.name, AUTHORITY, acronym="CCCO", siren=EPCI_COTEAUX_ORBE.siren
    ),
    *(_commune_organization(_commune(code)) for code in QPV_COMMUNES),
    OrganizationSpec("sorne_habitat", "Sorne Habitat", OrganizationKind.SOCIAL_LANDLORD),
    OrganizationSpec("sorne_solidarites", "Association Sorne Solidarités", OrganizationKind.ASSOCIATION),
    OrganizationSpec("ateliers_quartier", "Les Ateliers du Quartier", OrganizationKind.ASSOCIATION),
    OrganizationSpec(
        "cci",
        "Chambre de commerce et d'industrie du Val-de-Sorne",
        OrganizationKind.CONSULAR_CHAMBER,
        acronym="CCI",
    ),
    OrganizationSpec("conseil_hauts_de_sorne", "Conseil citoyen des Hauts de Sorne", OrganizationKind.CITIZEN_COUNCIL),
    OrganizationSpec("conseil_pre_vert", "Conseil citoyen du Pré-Vert", OrganizationKind.CITIZEN_COUNCIL),
)


@dataclass(frozen=True)
class SignatorySpec:
    organization: str  # key in ORGANIZATIONS
    kind: str
    signed_by: str = ""


@dataclass(frozen=True)
class ContractSpec:
    slug: str
    name: str
    epci_siren: str
    generation: str
    status: str
    is_published: bool
    summary: str
    qpv_codes: tuple[str, ...]
    signatories: tuple[SignatorySpec, ...]
    # Fixed dates; ``None`` means « relative to today » (see ``services.preparation_dates``).
    start_on: date | None = None
    end_on: date | None = None
    signed_on: date | None = None


SUMMARY_VAL_DE_SORNE = f"""\
Contrat de ville de la génération 2024-2030 (« Engagements Quartiers 2030 ») de la Communauté \
d'agglomération du Val de Sorne : {FICTION_NOTE}, sans lien avec un territoire réel.

Le contrat est en cours d'élaboration. Il suit le processus en quatre phases de la note de cadrage de l'État : \
(1) travail interne à l'État et aux collectivités, (2) constitution des instances (comité de pilotage, comité \
technique, groupes de travail thématiques), (3) diagnostic participatif et orientations stratégiques, débattus avec \
les conseils citoyens et validés par le comité de pilotage, (4) plans d'actions, engagements de droit commun des \
partenaires, crédits spécifiques et signature.

Il concerne trois quartiers prioritaires, à Sorne-la-Ville et Saint-Aubin-sur-Sorne : Centre ancien - Saint-Éloi, \
Le Pré-Vert et Les Hauts de Sorne, soit environ 8 600 habitants sur les 72 000 de l'agglomération."""

SUMMARY_COTEAUX_ORBE = f"""\
Contrat de ville 2024-2030 de la Communauté de communes des Coteaux de l'Orbe : {FICTION_NOTE}.

Signé au printemps 2024, il porte sur le quartier prioritaire des Terrasses de l'Orbe, à Bourg-d'Orbe \
(environ 1 500 habitants), et sur les priorités retenues avec ses habitants : réussite éducative, accès à \
l'emploi des jeunes et des femmes, tranquillité et cadre de vie."""

CONTRACTS: tuple[ContractSpec, ...] = (
    ContractSpec(
        slug=SLUG_VAL_DE_SORNE,
        name=f"Contrat de ville de la {EPCI_VAL_DE_SORNE.name}",
        epci_siren=EPCI_VAL_DE_SORNE.siren,
        generation=Generation.G2024,
        status=ContractStatus.IN_PREPARATION,
        is_published=False,
        summary=SUMMARY_VAL_DE_SORNE,
        qpv_codes=tuple(qpv.code for qpv in QPVS if qpv.epci == EPCI_VAL_DE_SORNE.siren),
        signatories=(
            SignatorySpec("prefecture", SignatoryKind.STATE, "Le préfet du Val-de-Sorne"),
            SignatorySpec("epci_val_de_sorne", SignatoryKind.EPCI, "Le président de la communauté d'agglomération"),
            SignatorySpec("commune_96001", SignatoryKind.COMMUNE, "Le maire de Sorne-la-Ville"),
            SignatorySpec("commune_96002", SignatoryKind.COMMUNE, "La maire de Saint-Aubin-sur-Sorne"),
            SignatorySpec("departement", SignatoryKind.DEPARTEMENT, "La présidente du conseil départemental"),
            SignatorySpec("region", SignatoryKind.REGION, "Le président du conseil régional"),
            SignatorySpec("caf", SignatoryKind.OTHER, "La directrice de la CAF"),
            SignatorySpec("france_travail", SignatoryKind.OTHER, "Le directeur territorial de France Travail"),
            SignatorySpec("ars", SignatoryKind.OTHER, "La déléguée départementale de l'ARS"),
            SignatorySpec("sorne_habitat", SignatoryKind.OTHER, "Le directeur général de Sorne Habitat"),
            SignatorySpec(
                "banque_des_territoires", SignatoryKind.OTHER, "La directrice régionale de la Banque des Territoires"
            ),
        ),
    ),
    ContractSpec(
        slug=SLUG_COTEAUX_ORBE,
        name=f"Contrat de ville 2024-2030 de la {EPCI_COTEAUX_ORBE.name}",
        epci_siren=EPCI_COTEAUX_ORBE.siren,
        generation=Generation.G2024,
        status=ContractStatus.SIGNED,
        is_published=True,
        summary=SUMMARY_COTEAUX_ORBE,
        qpv_codes=tuple(qpv.code for qpv in QPVS if qpv.epci == EPCI_COTEAUX_ORBE.siren),
        start_on=date(2024, 1, 1),
        end_on=date(2030, 12, 31),
        signed_on=date(2024, 3, 28),
        signatories=(
            SignatorySpec("prefecture", SignatoryKind.STATE, "Claire Vasseur, préfète du Val-de-Sorne"),
            SignatorySpec("epci_coteaux_orbe", SignatoryKind.EPCI, "Henri Lachaud, président de la communauté"),
            SignatorySpec("commune_96101", SignatoryKind.COMMUNE, "Martine Soulier, maire de Bourg-d'Orbe"),
            SignatorySpec(
                "departement", SignatoryKind.DEPARTEMENT, "Anne Perret, présidente du conseil départemental"
            ),
            SignatorySpec("caf", SignatoryKind.OTHER, "Isabelle Renaud, directrice de la CAF"),
            SignatorySpec("france_travail", SignatoryKind.OTHER, "Marc Delorme, directeur territorial"),
        ),
    ),
)
