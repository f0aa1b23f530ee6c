"""The demo accounts, as plain data: read at start-up by ``DemoConfig.ready()`` for the login page, so this
module imports nothing heavy (no generator, no models). The password is ``settings.DEMO_PASSWORD``.
"""

from __future__ import annotations

from dataclasses import dataclass

from contrat_ville.contracts.enums import Role

SLUG_VAL_DE_SORNE = "val-de-sorne-2024"
SLUG_COTEAUX_ORBE = "coteaux-orbe-2024"


@dataclass(frozen=True)
class UserSpec:
    email: str
    first_name: str
    last_name: str
    organization: str  # key in ORGANIZATIONS, "" for none
    role_label: str  # shown on the login page (DEMO_MODE)
    roles: tuple[tuple[str, str], ...] = ()  # (contract slug, Role)
    is_superuser: bool = False
    order: int = 100


USERS: tuple[UserSpec, ...] = (
    UserSpec(
        "pilote@exemple.fr",
        "Élise",
        "Marchand",
        "epci_val_de_sorne",
        "pilote du contrat du Val de Sorne (EPCI)",
        roles=((SLUG_VAL_DE_SORNE, Role.PILOT),),
        order=10,
    ),
    UserSpec(
        "etat@exemple.fr",
        "Karim",
        "Haddad",
        "prefecture",
        "délégué de l'État (Val de Sorne et Coteaux de l'Orbe)",
        roles=((SLUG_VAL_DE_SORNE, Role.STATE), (SLUG_COTEAUX_ORBE, Role.STATE)),
        order=20,
    ),
    UserSpec(
        "partenaire@exemple.fr",
        "Sophie",
        "Lemoine",
        "caf",
        "partenaire (CAF du Val-de-Sorne)",
        roles=((SLUG_VAL_DE_SORNE, Role.PARTNER),),
        order=30,
    ),
    UserSpec(
        "conseil@exemple.fr",
        "Mamadou",
        "Diallo",
        "conseil_hauts_de_sorne",
        "membre du conseil citoyen des Hauts de Sorne",
        roles=((SLUG_VAL_DE_SORNE, Role.COUNCIL),),
        order=40,
    ),
    UserSpec(
        "conseil2@exemple.fr",
        "Nadia",
        "Benali",
        "conseil_pre_vert",
        "membre du conseil citoyen du Pré-Vert",
        roles=((SLUG_VAL_DE_SORNE, Role.COUNCIL),),
        order=45,
    ),
    UserSpec(
        "association@exemple.fr",
        "Julie",
        "Fabre",
        "sorne_solidarites",
        "porteuse de projet (Association Sorne Solidarités)",
        roles=((SLUG_VAL_DE_SORNE, Role.APPLICANT),),
        order=50,
    ),
    UserSpec(
        "pilote2@exemple.fr",
        "Thomas",
        "Girard",
        "epci_coteaux_orbe",
        "pilote du contrat des Coteaux de l'Orbe (EPCI)",
        roles=((SLUG_COTEAUX_ORBE, Role.PILOT),),
        order=60,
    ),
    UserSpec(
        "admin@exemple.fr",
        "Nicolas",
        "Perrin",
        "",
        "administrateur de la plateforme",
        is_superuser=True,
        order=90,
    ),
)
