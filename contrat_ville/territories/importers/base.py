"""What every importer shares: the error that names file/line/column, the report, the batch and the upserts.

Importers read official files whose codes are reused across years, so every row is keyed on
(kind, code, vintage), and a run is one transaction: a faulty file must leave the database as it was,
so that the operator can fix the file and run the import again.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.utils import timezone
from tqdm import tqdm

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.territories.enums import LinkKind, TerritoryKind
from contrat_ville.territories.models import ImportBatch, Territory, TerritoryLink

LICENCE = "Licence Ouverte 2.0"
NOTHING_IMPORTED = "Aucune donnée n'a été importée."

COMMUNE_CODE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEPARTEMENT_CODE_RE = re.compile(r"^(\d{2}|2[AB]|97\d|98\d)$")
REGION_CODE_RE = re.compile(r"^\d{2}$")
SIREN_RE = re.compile(r"^\d{9}$")

# Fields written by the upserts; ``geometry`` and ``area_ha`` only when the importer provides them.
UPSERT_FIELDS = ("name", "siren", "population", "area_ha", "geometry", "attributes", "former_codes")

T = TypeVar("T")


class ImportFileError(BusinessRuleError):
    """A source file is malformed: the message names the file, the line and the column at fault.

    Raised before anything is committed (each import runs in one transaction), hence the fixed
    ending « Aucune donnée n'a été importée. ».
    """

    def __init__(self, file: str, line: int | str, column: str, detail: str) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.detail = detail
        super().__init__(f"{file}, ligne {line}, colonne {column} : {detail}. {NOTHING_IMPORTED}")


@dataclass
class ImportReport:
    """What an import did: its provenance batch, how many rows it created/updated, what it noticed."""

    batch: ImportBatch
    created: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)

    def add(self, counts: tuple[int, int]) -> None:
        self.created += counts[0]
        self.updated += counts[1]

    def finish(self) -> ImportReport:
        """Copy the counts onto the batch, the durable trace of the run."""
        self.batch.created_count = self.created
        self.batch.updated_count = self.updated
        self.batch.warnings = list(self.warnings)
        self.batch.save(update_fields=["created_count", "updated_count", "warnings"])
        return self


def start_batch(*, importer: str, source: str, producer: str, vintage: str) -> ImportReport:
    batch = ImportBatch.objects.create(
        importer=importer, source_file=source[:500], producer=producer, licence=LICENCE, vintage=vintage
    )
    return ImportReport(batch=batch)


def progress_bar(iterable: Iterable[T], *, enabled: bool, total: int | None = None, desc: str = "") -> Iterator[T]:
    """A tqdm bar on stderr, so that the report on stdout stays clean for scripts."""
    if not enabled:
        yield from iterable
        return
    yield from tqdm(iterable, total=total, desc=desc, file=sys.stderr, unit=" lignes")


def pad_commune_code(raw: Any) -> str:
    """Commune codes are strings: a spreadsheet or a shapefile may have dropped the leading zero (``2691``)."""
    code = str(raw if raw is not None else "").strip()
    if len(code) == 4 and code.isdigit():
        code = "0" + code
    return code


def departement_of_commune(code: str) -> str:
    """The département of a commune code: 3 characters overseas (971…988), 2 elsewhere (2A, 35…)."""
    return code[:3] if code[:2] in {"97", "98"} else code[:2]


def normalize_name(name: str) -> str:
    """Compare commune names without case, accents, hyphens or apostrophes (« SAINT-DENIS » = « Saint Denis »)."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_only.casefold()).split())


def upsert_territories(
    *, kind: str, vintage: str, rows: list[dict[str, Any]], batch: ImportBatch
) -> tuple[dict[str, Territory], tuple[int, int]]:
    """Create or update the territories of one kind and vintage, keyed on ``code``.

    Bulk operations rather than ``update_or_create`` per row: a full COG holds 35 000 communes.
    Each row is a dict with ``code`` and any of ``UPSERT_FIELDS``; missing keys keep the stored value,
    so a later import without geometry does not erase contours. Returns the territories by code and
    (created, updated), where « updated » counts every row already present (``update_or_create``
    semantics); only rows whose values changed are written, and they alone take the new batch.
    """
    existing = {
        territory.code: territory
        for territory in Territory.objects.filter(kind=kind, vintage=vintage, code__in=[row["code"] for row in rows])
    }
    to_create: list[Territory] = []
    to_update: list[Territory] = []
    matched = 0
    updated_fields: set[str] = {"import_batch", "updated_at"}
    for row in rows:
        values = {key: value for key, value in row.items() if key in UPSERT_FIELDS}
        territory = existing.get(row["code"])
        if territory is None:
            territory = Territory(kind=kind, vintage=vintage, code=row["code"], import_batch=batch, **values)
            to_create.append(territory)
            existing[row["code"]] = territory
        else:
            matched += 1
            changed = {key: value for key, value in values.items() if getattr(territory, key) != value}
            if changed:
                for key, value in changed.items():
                    setattr(territory, key, value)
                territory.import_batch = batch
                updated_fields.update(changed)
                to_update.append(territory)
    Territory.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        now = timezone.now()
        for territory in to_update:
            territory.updated_at = now
        Territory.objects.bulk_update(to_update, sorted(updated_fields), batch_size=500)
    return existing, (len(to_create), matched)


@dataclass(frozen=True)
class LinkSpec:
    parent_id: int
    child_id: int
    kind: str = LinkKind.INCLUSION
    share: Decimal = Decimal(1)


def sync_links(
    *, links: list[LinkSpec], batch: ImportBatch, child_ids: Iterable[int], parent_kind: str
) -> tuple[int, int]:
    """Make the links from ``parent_kind`` territories to ``child_ids`` exactly ``links``.

    Stale links of that parent kind are deleted (a commune that changed EPCI leaves its old one), so a
    re-import converges on the file instead of piling up links.
    """
    child_ids = set(child_ids) | {link.child_id for link in links}
    existing = {
        (link.parent_id, link.child_id): link
        for link in TerritoryLink.objects.filter(child_id__in=child_ids, parent__kind=parent_kind)
    }
    wanted = {(link.parent_id, link.child_id): link for link in links}
    stale = [link.pk for key, link in existing.items() if key not in wanted]
    if stale:
        TerritoryLink.objects.filter(pk__in=stale).delete()
    to_create: list[TerritoryLink] = []
    to_update: list[TerritoryLink] = []
    for key, spec in wanted.items():
        current = existing.get(key)
        if current is None:
            to_create.append(
                TerritoryLink(
                    parent_id=spec.parent_id,
                    child_id=spec.child_id,
                    kind=spec.kind,
                    share=spec.share,
                    import_batch=batch,
                )
            )
        elif (current.kind, current.share) != (spec.kind, spec.share):
            current.kind, current.share, current.import_batch = spec.kind, spec.share, batch
            to_update.append(current)
    TerritoryLink.objects.bulk_create(to_create, batch_size=1000)
    TerritoryLink.objects.bulk_update(to_update, ["kind", "share", "import_batch"], batch_size=1000)
    return len(to_create), len(to_update)


def latest_vintage(kind: str) -> str | None:
    """The newest vintage held for a kind: QPV and IRIS files are linked to the newest commune list."""
    vintages = set(Territory.objects.filter(kind=kind).values_list("vintage", flat=True).distinct())
    return max(vintages, key=lambda vintage: (len(vintage), vintage)) if vintages else None


@dataclass
class CommuneMatch:
    commune: Territory
    warning: str | None = None


class CommuneResolver:
    """Find the commune a code names, in the newest COG held, following mergers.

    QPV and IRIS files lag the COG: the QPV 2024 file still lists 93059 (Pierrefitte), merged into
    93066 (Saint-Denis) in 2025. A code absent from the newest list but found in a commune's
    ``former_codes`` resolves to the absorbing commune with a warning; a code known only in an older
    vintage resolves to that old commune with a warning; only a code unknown everywhere is an error.
    """

    def __init__(self) -> None:
        self.vintage = latest_vintage(TerritoryKind.COMMUNE)
        current = list(
            Territory.objects.filter(kind=TerritoryKind.COMMUNE, vintage=self.vintage).defer("geometry")
            if self.vintage
            else []
        )
        self.by_code = {commune.code: commune for commune in current}
        self.by_former_code: dict[str, Territory] = {}
        self.by_departement_and_name: dict[tuple[str, str], Territory] = {}
        for commune in current:
            for former in commune.former_codes or []:
                if former != commune.code:
                    self.by_former_code.setdefault(str(former), commune)
            if commune.attributes.get("typecom") != "ARM":
                key = (departement_of_commune(commune.code), normalize_name(commune.name))
                self.by_departement_and_name.setdefault(key, commune)

    def resolve(self, code: str, *, context: str) -> CommuneMatch | None:
        commune = self.by_code.get(code)
        if commune is not None:
            return CommuneMatch(commune)
        absorbing = self.by_former_code.get(code)
        if absorbing is not None:
            return CommuneMatch(
                absorbing,
                f"{context} : la commune {code} a fusionné dans {absorbing.code} ({absorbing.name}) ; "
                f"le quartier est rattaché à {absorbing.code}",
            )
        older = (
            Territory.objects.filter(kind=TerritoryKind.COMMUNE, code=code)
            .exclude(vintage=self.vintage or "")
            .defer("geometry")
            .order_by("-vintage")
            .first()
        )
        if older is not None:
            return CommuneMatch(
                older,
                f"{context} : la commune {code} est absente du COG {self.vintage} ; "
                f"rattachement à la commune du millésime {older.vintage}",
            )
        return None

    def resolve_name(self, departement: str, name: str) -> Territory | None:
        return self.by_departement_and_name.get((departement, normalize_name(name)))


def territories_by_code(kind: str, vintage: str, codes: Iterable[str]) -> dict[str, Territory]:
    return {
        territory.code: territory
        for territory in Territory.objects.filter(kind=kind, vintage=vintage, code__in=set(codes)).defer("geometry")
    }
