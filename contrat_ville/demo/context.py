"""What the steps of the demo share: the objects created so far, and the step type itself.

A step is a function ``(DemoContext) -> None``; it must be idempotent (look up before creating, use the
services' ``get_or_create`` / ``update_or_create`` paths), read what earlier steps made from the context
and store what it makes for later steps. Steps of later apps live in ``contrat_ville/demo/steps/<app>.py``
and are appended to ``contrat_ville.demo.services.DEMO_STEPS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.models import Contract
from contrat_ville.core.models import ImportBatch
from contrat_ville.demo.generator import DemoFiles, DemoTerritory
from contrat_ville.territories.models import Territory


class Output(Protocol):
    """Where progress goes: a management command's ``self.stdout``, ``sys.stdout``, a ``StringIO``…"""

    def write(self, msg: str, /) -> Any: ...


@dataclass
class DemoContext:
    today: date
    directory: Path
    territory: DemoTerritory
    files: DemoFiles
    stdout: Output | None = None
    import_reports: list[ImportBatch] = field(default_factory=list)
    territories: dict[tuple[str, str], Territory] = field(default_factory=dict)  # (kind, code)
    organizations: dict[str, Organization] = field(default_factory=dict)  # catalogue key
    contracts: dict[str, Contract] = field(default_factory=dict)  # slug
    users: dict[str, User] = field(default_factory=dict)  # e-mail

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    def territory_of(self, kind: str, code: str) -> Territory:
        return self.territories[(kind, code)]


@dataclass(frozen=True)
class DemoStep:
    key: str
    label: str
    run: Callable[[DemoContext], None]
