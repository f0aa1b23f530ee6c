"""The demo accounts, read from ``data/accounts.yaml`` at start-up by ``DemoConfig.ready()`` for the login page, so
this module imports nothing heavy (no generator, no models). The password is ``settings.DEMO_PASSWORD``.
"""

from __future__ import annotations

from dataclasses import dataclass

from contrat_ville.core.datafiles import load_records

# The two demo contracts the code refers to (their data is in data/contracts.yaml).
SLUG_VAL_DE_SORNE = "val-de-sorne-2024"
SLUG_COTEAUX_ORBE = "coteaux-orbe-2024"
# The Val de Sorne contract's pilot (data/accounts.yaml), who does most of what the steps write.
PILOT = "pilote@exemple.fr"


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


USERS: tuple[UserSpec, ...] = load_records(UserSpec, "contrat_ville.demo", "data/accounts.yaml", key="email")
