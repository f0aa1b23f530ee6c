"""What the territory importers share on top of the import kernel (``core.imports``): code formats, set-based
upserts of territories and links, and the resolution of commune codes across vintages.

Importers read official files whose codes are reused across years, so every row is keyed on (kind, code,
vintage). A run is one transaction and follows the kernel's policy: faults are collected, then the whole file is
refused and nothing is written, so that the operator fixes the file and runs the import again. Reads and writes are
set-based (one query per kind and vintage, bulk inserts and updates), never one row at a time: a national COG holds
35,000 communes.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone
from tqdm import tqdm

from contrat_ville.core.imports.record import OPEN_LICENCE, import_batch_new
from contrat_ville.core.models import ImportBatch
from contrat_ville.territories.enums import LinkKind, TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink

LICENCE = OPEN_LICENCE

COMMUNE_CODE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEPARTEMENT_CODE_RE = re.compile(r"^(\d{2}|2[AB]|97\d|98\d)$")
REGION_CODE_RE = re.compile(r"^\d{2}$")
SIREN_RE = re.compile(r"^\d{9}$")

# Fields written by the upserts; ``geometry`` and ``area_ha`` only when the importer provides them.
UPSERT_FIELDS = ("name", "siren", "population", "area_ha", "geometry", "attributes", "former_codes")
DELETE_CHUNK = 500
# SQLite refuses statements with more than 32,766 parameters: long id lists are read by chunks.
ID_CHUNK = 10_000
# Rows per INSERT statement: fewer statements, within SQLite's 32,766 parameters and PostgreSQL's 65,535.
INSERT_ROWS = 1_000
MAX_PARAMETERS = 30_000

T = TypeVar("T")


def new_batch(*, importer: str, source: str, producer: str, vintage: str) -> ImportBatch:
    """The unsaved batch (provenance and report) of a territory import: official files, Licence Ouverte."""
    return import_batch_new(importer=importer, source_file=source, producer=producer, licence=LICENCE, vintage=vintage)


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


def chunked(ids: Iterable[int], size: int = ID_CHUNK) -> Iterator[list[int]]:
    items = list(ids)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def of_kind(ids: Iterable[int], kind: str) -> set[int]:
    """Those of ``ids`` that are territories of ``kind``: the kind's ids are read whole (one table, no id list)."""
    return set(ids) & set(Territory.objects.filter(kind=kind).values_list("pk", flat=True))


def territory_ids(kind: str, vintage: str) -> dict[str, int]:
    """Every territory of a kind and vintage, by code: one query, whatever the number of codes wanted."""
    return dict(Territory.objects.filter(kind=kind, vintage=vintage).values_list("code", "pk"))


def upsert_territories(
    *, kind: str, vintage: str, rows: list[dict[str, Any]], batch: ImportBatch
) -> tuple[dict[str, int], tuple[int, int]]:
    """Create or update the territories of one kind and vintage, keyed on ``code``; return their ids by code and
    (created, updated).

    One query reads the stored values of the fields the rows carry (for the whole kind and vintage: no list of
    35,000 codes in the SQL), then bulk inserts and updates. Each row is a dict with ``code`` and any of
    ``UPSERT_FIELDS``; missing keys keep the stored value, so a later import without geometry does not erase
    contours. « Updated » counts every row already present (``update_or_create`` semantics); only rows whose values
    changed are written, and they alone take the new batch.
    """
    fields = sorted({key for row in rows for key in row if key in UPSERT_FIELDS}, key=UPSERT_FIELDS.index)
    stored = {
        values[1]: values
        for values in Territory.objects.filter(kind=kind, vintage=vintage).values_list("pk", "code", *fields)
    }
    ids: dict[str, int] = {}
    to_create: list[dict[str, Any]] = []
    to_update: list[Territory] = []
    updated_fields: set[str] = set()
    now = timezone.now()
    for row in rows:
        values = {key: value for key, value in row.items() if key in UPSERT_FIELDS}
        current = stored.get(row["code"])
        if current is None:
            to_create.append(
                {
                    **values,
                    "kind": kind,
                    "vintage": vintage,
                    "code": row["code"],
                    "import_batch_id": batch.pk,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            continue
        ids[row["code"]] = current[0]
        stored_values = dict(zip(fields, current[2:], strict=True))
        changed = [key for key, value in values.items() if stored_values[key] != value]
        if changed:
            updated_fields.update(changed)
            # ``bulk_update`` writes every listed field of every row: the others keep their stored value.
            to_update.append(
                Territory(pk=current[0], import_batch=batch, updated_at=now, **{**stored_values, **values})
            )
    if to_create:
        bulk_insert(Territory, to_create)
        created = {row["code"] for row in to_create}
        ids.update(
            (code, pk)
            for code, pk in Territory.objects.filter(kind=kind, vintage=vintage).values_list("code", "pk")
            if code in created
        )
    bulk_update(to_update, [*sorted(updated_fields), "import_batch", "updated_at"])
    return ids, (len(to_create), len(rows) - len(to_create))


# Fields whose Python value is what the database driver takes: no Django preparation per value.
PLAIN_FIELDS = (models.CharField, models.IntegerField, models.ForeignKey, models.BooleanField)


def save_territories(batch: ImportBatch, *, kind: str, vintage: str, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Save the batch, then ``upsert_territories`` its rows, counted on the batch; the ids by code."""
    batch.save()
    ids, (batch.created_count, batch.updated_count) = upsert_territories(
        kind=kind, vintage=vintage, rows=rows, batch=batch
    )
    return ids


def _preparers(fields: list[Any]) -> list[Callable[[Any], Any] | None]:
    database = connections[DEFAULT_DB_ALIAS]  # once: the ``connection`` proxy costs a lookup per use
    return [
        None if isinstance(field, PLAIN_FIELDS) else partial(field.get_db_prep_save, connection=database)
        for field in fields
    ]


def _row_values(
    rows: list[dict[str, Any]], fields: list[Any], preparers: list[Callable[[Any], Any] | None]
) -> Iterator[list[Any]]:
    defaults = [field.get_default() for field in fields]
    keys = [(field.name, field.attname) for field in fields]
    for row in rows:
        values = []
        for (name, attname), default, prepare in zip(keys, defaults, preparers, strict=True):
            value = row[name] if name in row else row.get(attname, default)
            values.append(value if prepare is None else prepare(value))
        yield values


def bulk_insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """``INSERT`` plain rows (dicts of field names, or attnames for foreign keys); fields a row lacks take their
    default. Django's ``bulk_create`` instantiates a model and compiles every value of every row: five seconds for
    the 35,000 communes, against a fraction of a second here — ``COPY`` on PostgreSQL, a thousand rows per
    ``INSERT`` on SQLite."""
    if not rows:
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    values = _row_values(rows, fields, _preparers(fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_statement = max(1, min(INSERT_ROWS, MAX_PARAMETERS // len(fields)))
        pending: list[list[Any]] = []
        for row in values:
            pending.append(row)
            if len(pending) == per_statement:
                _insert(cursor, meta.db_table, columns, row_marks, pending)
                pending = []
        if pending:
            _insert(cursor, meta.db_table, columns, row_marks, pending)


def _insert(cursor: Any, table: str, columns: str, row_marks: str, rows: list[list[Any]]) -> None:
    marks = ", ".join([row_marks] * len(rows))
    params = [value for row in rows for value in row]
    cursor.execute(f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES {marks}", params)  # noqa: S608 (trusted names)


def bulk_update(objects: list[Any], fields: list[str]) -> None:
    """``UPDATE … SET fields WHERE id`` for each object, sent with ``executemany``.

    Django's ``bulk_update`` builds one ``CASE WHEN id = … THEN …`` per field and row: resolving those expressions
    costs seconds for a few thousand rows, where ``executemany`` (psycopg's pipeline, SQLite's prepared statement)
    takes milliseconds.
    """
    if not objects:
        return
    meta = type(objects[0])._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608 (trusted names)
    params = [
        [field.get_db_prep_save(getattr(item, field.attname), connection) for field in columns] + [item.pk]
        for item in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@dataclass(frozen=True)
class LinkSpec:
    parent_id: int
    child_id: int
    kind: str = LinkKind.INCLUSION
    share: Decimal = Decimal(1)


def sync_links(
    *,
    links: list[LinkSpec],
    batch: ImportBatch,
    child_ids: Iterable[int],
    parent_kind: str,
    child_kind: str,
    child_vintage: str | None = None,
) -> tuple[int, int]:
    """Make the links from ``parent_kind`` territories to ``child_ids`` exactly ``links``.

    Stale links of that parent kind are deleted (a commune that changed EPCI leaves its old one), so a re-import
    converges on the file instead of piling up links. The stored links are read for the children's kind (and
    vintage) in one query, then kept only for ``child_ids`` and parents of ``parent_kind``: no list of 35,000 ids
    in the SQL, and no join (without statistics, SQLite would loop over every parent for every child).
    """
    child_ids = set(child_ids) | {link.child_id for link in links}
    children = Territory.objects.filter(kind=child_kind)
    if child_vintage is not None:
        children = children.filter(vintage=child_vintage)
    parents = set(Territory.objects.filter(kind=parent_kind).values_list("pk", flat=True))
    existing = {
        (parent_id, child_id): (pk, kind, share)
        for pk, parent_id, child_id, kind, share in TerritoryLink.objects.filter(
            child__in=children.values("pk")
        ).values_list("pk", "parent_id", "child_id", "kind", "share")
        if child_id in child_ids and parent_id in parents
    }
    wanted = {(link.parent_id, link.child_id): link for link in links}
    stale = [values[0] for key, values in existing.items() if key not in wanted]
    for start in range(0, len(stale), DELETE_CHUNK):
        TerritoryLink.objects.filter(pk__in=stale[start : start + DELETE_CHUNK]).delete()
    to_create: list[dict[str, Any]] = []
    to_update: list[TerritoryLink] = []
    for key, spec in wanted.items():
        current = existing.get(key)
        if current is None:
            to_create.append(
                {
                    "parent_id": spec.parent_id,
                    "child_id": spec.child_id,
                    "kind": spec.kind,
                    "share": spec.share,
                    "import_batch_id": batch.pk,
                }
            )
        elif (current[1], current[2]) != (spec.kind, spec.share):
            to_update.append(TerritoryLink(pk=current[0], kind=spec.kind, share=spec.share, import_batch=batch))
    bulk_insert(TerritoryLink, to_create)
    bulk_update(to_update, ["kind", "share", "import_batch"])
    return len(to_create), len(to_update)


def link_to_parents(
    batch: ImportBatch,
    parent_of: dict[str, str],
    *,
    parents: tuple[str, dict[str, int]],
    children: tuple[str, dict[str, int]],
    among: Iterable[str] | None = None,
) -> None:
    """Link each child to its parent (``parent_of``: child code → parent code); ``parents`` and ``children`` are
    (kind, ids by code) of the batch's vintage. The other links of the children (``among`` them, by default those of
    ``parent_of``) to that parent kind go (``sync_links``)."""
    (parent_kind, parent_ids), (child_kind, child_ids) = parents, children
    sync_links(
        links=[LinkSpec(parent_id=parent_ids[parent], child_id=child_ids[code]) for code, parent in parent_of.items()],
        batch=batch,
        child_ids=[child_ids[code] for code in (parent_of if among is None else among)],
        parent_kind=parent_kind,
        child_kind=child_kind,
        child_vintage=batch.vintage,
    )


def latest_vintage(kind: str) -> str | None:
    """The newest vintage held for a kind: QPV and IRIS files are linked to the newest commune list."""
    vintages = set(Territory.objects.filter(kind=kind).values_list("vintage", flat=True).distinct())
    return max(vintages, key=lambda vintage: (len(vintage), vintage)) if vintages else None


@dataclass(frozen=True)
class CommuneRef:
    pk: int
    code: str
    name: str
    vintage: str


@dataclass
class CommuneMatch:
    commune: CommuneRef
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
        rows = (
            Territory.objects.filter(kind=TerritoryKind.COMMUNE, vintage=self.vintage).values_list(
                "pk", "code", "name", "former_codes", "attributes__typecom"
            )
            if self.vintage
            else []
        )
        self.by_code: dict[str, CommuneRef] = {}
        self.by_former_code: dict[str, CommuneRef] = {}
        self.by_departement_and_name: dict[tuple[str, str], CommuneRef] = {}
        for pk, code, name, former_codes, typecom in rows:
            commune = CommuneRef(pk=pk, code=code, name=name, vintage=self.vintage or "")
            self.by_code[code] = commune
            for former in former_codes or []:
                if former != code:
                    self.by_former_code.setdefault(str(former), commune)
            if typecom != "ARM":
                self.by_departement_and_name.setdefault((departement_of_commune(code), normalize_name(name)), commune)
        self._older: dict[str, CommuneRef] | None = None

    def _older_vintages(self) -> dict[str, CommuneRef]:
        """Communes of older vintages, newest first, read once when a code is not in the newest list."""
        if self._older is None:
            self._older = {}
            for pk, code, name, vintage in (
                Territory.objects.filter(kind=TerritoryKind.COMMUNE)
                .exclude(vintage=self.vintage or "")
                .order_by("-vintage")
                .values_list("pk", "code", "name", "vintage")
            ):
                self._older.setdefault(code, CommuneRef(pk=pk, code=code, name=name, vintage=vintage))
        return self._older

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
        older = self._older_vintages().get(code)
        if older is not None:
            return CommuneMatch(
                older,
                f"{context} : la commune {code} est absente du COG {self.vintage} ; "
                f"rattachement à la commune du millésime {older.vintage}",
            )
        return None

    def resolve_name(self, departement: str, name: str) -> CommuneRef | None:
        return self.by_departement_and_name.get((departement, normalize_name(name)))
