"""The one writer of indicator values: rows are staged, then replace the values with the same key, in one transaction.

Rows are streamed into a temporary staging table by chunks — ``COPY`` on PostgreSQL (psycopg 3 ``cursor.copy()``),
``executemany`` on SQLite —, so that memory stays flat whatever the file size. The staged rows then replace the
stored values with the same key (indicator, territory, period, and contract for private values), the « replaced »
ones, and add the others.

Two modes share the same SQL:

- **staged** (default, and the only one on SQLite): every chunk goes to the staging table; ``finish()`` moves them
  all at once (PostgreSQL: a plain ``INSERT … SELECT``, or ``INSERT … ON CONFLICT DO UPDATE`` when keys exist;
  SQLite: one ``DELETE`` and one ``INSERT … SELECT``);
- **pipelined** (``pipelined=True``, PostgreSQL with a fresh batch): a worker thread writes chunk k — ``COPY``
  straight into the table, or through the staging table and the same upsert when keys exist — while the main
  thread parses chunk k+1, on the same connection, hence in the import's transaction. Parsing is Python (one core),
  ``COPY`` and ``INSERT`` run in the server (the other core). A key repeated across chunks is found because the
  upsert refuses to replace a row of the same batch.

A key present twice trips the unique constraint; the staging table, which keeps each row's line, names both lines
(``duplicate_error``).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import psycopg
from django.db import IntegrityError, connection, transaction

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.territories.models import Territory

STAGE = "observation_value_stage"
CHUNK_SIZE = 50_000
PIPELINE_CHUNK = 100_000
ANALYZE_AFTER = 50_000

# line, indicator_id, territory_id, period, value, numerator, denominator, is_confidential
StagedRow = tuple[int, int, int, int, float | None, float | None, float | None, bool]
# indicator_id, territory_id, period, first line (0 when no longer at hand), second line
Duplicate = tuple[int, int, int, int, int]
DuplicateError = Callable[[int, int, int, int, int], Exception]

COLUMNS = "line, indicator_id, territory_id, period, value, numerator, denominator, is_confidential"
TARGET_COLUMNS = (
    "indicator_id, territory_id, period, value, numerator, denominator, is_confidential, contract_id, batch_id"
)
TARGET_TYPES = ["int8", "int8", "int2", "float8", "float8", "float8", "bool", "int8", "int8"]  # TARGET_COLUMNS


class Writer(Protocol):
    """What the readers need from the writer."""

    duplicate_error: DuplicateError
    staged: int

    def add(self, row: StagedRow) -> None: ...

    def finish(self) -> tuple[int, int]: ...

    def close(self) -> None: ...


def _table() -> str:
    return IndicatorValue._meta.db_table


def _default_duplicate_error(indicator_id: int, territory_id: int, period: int, first: int, second: int) -> Exception:
    lines = f"lignes {first} et {second}" if first > 0 else f"ligne {second} et plus haut"
    return BusinessRuleError(
        f"Valeur en double (indicateur {indicator_id}, territoire {territory_id}, année {period}) : "
        f"{lines}. Aucune valeur n'a été enregistrée."
    )


# --- the SQL, once -------------------------------------------------------------------------------------------

DUPLICATES_SQL = (
    f"SELECT indicator_id, territory_id, period, MIN(line), MAX(line) FROM {STAGE} "  # noqa: S608 (trusted table names)
    "GROUP BY indicator_id, territory_id, period HAVING COUNT(*) > 1 LIMIT 1"
)


def _create_stage(cursor: Any, vendor: str) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    if vendor == "postgresql":
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} (line bigint, indicator_id bigint, territory_id bigint, "
            "period smallint, value double precision, numerator double precision, "
            "denominator double precision, is_confidential boolean)"
        )
    else:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} (line INTEGER, indicator_id INTEGER, territory_id INTEGER, "
            "period INTEGER, value REAL, numerator REAL, denominator REAL, is_confidential INTEGER)"
        )


def _copy_to_stage(raw_cursor: Any, rows: list[StagedRow]) -> None:
    """PostgreSQL: ``COPY`` the rows into the staging table (psycopg cursor)."""
    with raw_cursor.copy(f"COPY {STAGE} ({COLUMNS}) FROM STDIN") as copy:
        write = copy.write_row
        for row in rows:
            write(row)


def _insert_sql(table: str) -> str:
    return (
        f"INSERT INTO {table} ({TARGET_COLUMNS}) SELECT indicator_id, territory_id, period, value, "  # noqa: S608 (trusted table names)
        "numerator, denominator, is_confidential, CAST(%s AS bigint), CAST(%s AS bigint) "
        f"FROM {STAGE}"
    )


def _upsert_sql(table: str, contract_id: int | None, *, keep_batch_rows: bool) -> str:
    """``INSERT … ON CONFLICT DO UPDATE`` on the partial unique index of the scope; the unique check it does anyway
    finds the rows to replace, with no scan of the whole table. With ``keep_batch_rows``, a row already written by
    this batch is not replaced (and not counted): a key repeated across chunks."""
    if contract_id is None:
        target = "(territory_id, indicator_id, period) WHERE contract_id IS NULL"
    else:
        target = "(contract_id, territory_id, indicator_id, period) WHERE contract_id IS NOT NULL"
    keep = " WHERE iv.batch_id IS DISTINCT FROM EXCLUDED.batch_id" if keep_batch_rows else ""
    return (
        f"WITH written AS (INSERT INTO {table} AS iv ({TARGET_COLUMNS}) "  # noqa: S608 (trusted table names)
        "SELECT indicator_id, territory_id, period, value, numerator, denominator, is_confidential, "
        f"CAST(%s AS bigint), CAST(%s AS bigint) FROM {STAGE} "
        f"ON CONFLICT {target} DO UPDATE SET value = EXCLUDED.value, numerator = EXCLUDED.numerator, "
        "denominator = EXCLUDED.denominator, is_confidential = EXCLUDED.is_confidential, "
        f"batch_id = EXCLUDED.batch_id{keep} RETURNING (xmax = 0) AS inserted) "
        "SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM written"
    )


class DuplicateKeyError(Exception):
    """A key the staged rows give twice (``key``: indicator, territory, period, first line, second line)."""

    def __init__(self, key: Duplicate) -> None:
        super().__init__(key)
        self.key = key


def _move_postgresql(
    raw_cursor: Any, *, contract_id: int | None, batch_id: int | None, count: int, keep_batch_rows: bool
) -> tuple[int, int]:
    """Move the staged rows into the table (psycopg cursor, explicit savepoints: it also runs in the worker thread).

    A plain insert first (the common case: a first import of these keys, a third faster than the upsert), the
    upsert when some keys exist. Returns (added, replaced); raises ``DuplicateKeyError`` (nothing written then).
    """
    table = _table()
    params = [contract_id, batch_id]
    raw_cursor.execute("SAVEPOINT observation_values")
    try:
        raw_cursor.execute(_insert_sql(table), params)
        added = int(raw_cursor.rowcount)
        raw_cursor.execute("RELEASE SAVEPOINT observation_values")
        return added, 0
    except psycopg.errors.UniqueViolation:
        raw_cursor.execute("ROLLBACK TO SAVEPOINT observation_values")
    try:
        raw_cursor.execute(_upsert_sql(table, contract_id, keep_batch_rows=keep_batch_rows), params)
    except psycopg.errors.CardinalityViolation:  # « cannot affect row a second time »: a key given twice
        raw_cursor.execute("ROLLBACK TO SAVEPOINT observation_values")
        raw_cursor.execute(DUPLICATES_SQL)
        raise DuplicateKeyError(tuple(raw_cursor.fetchone())) from None
    added, replaced = raw_cursor.fetchone()
    if keep_batch_rows and added + replaced < count:
        # A row was refused: its key was already written by this batch, in an earlier chunk. Undo this chunk, so
        # that only earlier chunks' rows carry the batch, and name the line.
        raw_cursor.execute("ROLLBACK TO SAVEPOINT observation_values")
        scope = "iv.contract_id IS NULL" if contract_id is None else "iv.contract_id = %s"
        raw_cursor.execute(
            f"SELECT s.indicator_id, s.territory_id, s.period, 0, s.line FROM {STAGE} s JOIN {table} iv "  # noqa: S608 (trusted table names)
            "ON iv.territory_id = s.territory_id AND iv.indicator_id = s.indicator_id "
            f"AND iv.period = s.period AND iv.batch_id = %s WHERE {scope} ORDER BY s.line LIMIT 1",
            [batch_id] + ([] if contract_id is None else [contract_id]),
        )
        raise DuplicateKeyError(tuple(raw_cursor.fetchone()))
    raw_cursor.execute("RELEASE SAVEPOINT observation_values")
    return int(added), int(replaced)


def _move_sqlite(cursor: Any, *, contract_id: int | None, batch_id: int | None) -> tuple[int, int]:
    """SQLite: delete the stored rows with a staged key, then insert everything staged."""
    table = _table()
    if contract_id is None:
        condition, params = "iv.contract_id IS NULL", []
    else:
        condition, params = "iv.contract_id = %s", [contract_id]
    try:
        with transaction.atomic():
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN (SELECT iv.id FROM {STAGE} s JOIN {table} iv "  # noqa: S608 (trusted table names)
                "ON iv.territory_id = s.territory_id AND iv.indicator_id = s.indicator_id "
                f"AND iv.period = s.period WHERE {condition})",
                params,
            )
            replaced = max(cursor.rowcount, 0)
            cursor.execute(_insert_sql(table), [contract_id, batch_id])
            return cursor.rowcount - replaced, replaced
    except IntegrityError:
        cursor.execute(DUPLICATES_SQL)
        duplicate = cursor.fetchone()
        if duplicate is None:
            raise
        raise DuplicateKeyError(tuple(duplicate)) from None


def _missing_id(cursor: Any) -> tuple[int, int, str] | None:
    """Rows given by id (``values_write``): the first line whose indicator or territory does not exist."""
    for column, model, label in (
        ("indicator_id", Indicator, "indicateur"),
        ("territory_id", Territory, "territoire"),
    ):
        cursor.execute(
            f"SELECT s.line, s.{column} FROM {STAGE} s LEFT JOIN {model._meta.db_table} m "  # noqa: S608 (trusted table names)
            f"ON m.id = s.{column} WHERE m.id IS NULL ORDER BY s.line LIMIT 1"
        )
        missing = cursor.fetchone()
        if missing is not None:
            return int(missing[0]), int(missing[1]), label
    return None


def _missing_error(missing: tuple[int, int, str]) -> BusinessRuleError:
    line, pk, label = missing
    return BusinessRuleError(
        f"Ligne {line} : {label} d'identifiant {pk} inexistant. Aucune valeur n'a été enregistrée."
    )


# --- the writer ----------------------------------------------------------------------------------------------


class _StopError(Exception):
    """The worker found a fault the main thread reports (duplicate key, unknown id)."""


class ValueWriter:
    """Stage rows by chunks, then ``finish()`` → (added, replaced). Use inside ``transaction.atomic()``.

    ``pipelined`` asks for the two-thread mode, used only on PostgreSQL with a ``batch_id`` that marks this import's
    rows (a fresh batch); elsewhere the writer is staged. ``validate_ids`` checks that every indicator and territory
    id exists (rows given by id rather than resolved from the database).
    """

    def __init__(
        self,
        *,
        contract_id: int | None = None,
        batch_id: int | None = None,
        duplicate_error: DuplicateError | None = None,
        chunk_size: int | None = None,
        validate_ids: bool = False,
        pipelined: bool = False,
    ) -> None:
        self.contract_id = contract_id
        self.batch_id = batch_id
        self.duplicate_error = duplicate_error or _default_duplicate_error
        self.validate_ids = validate_ids
        self.vendor = connection.vendor
        self.pipelined = pipelined and self.vendor == "postgresql" and batch_id is not None
        self.chunk_size = chunk_size or (PIPELINE_CHUNK if self.pipelined else CHUNK_SIZE)
        self.buffer: list[StagedRow] = []
        self.staged = 0
        self.added = 0
        self.replaced = 0
        # Faults found by the worker thread, raised by the main one.
        self.error: BaseException | None = None
        self.duplicate: Duplicate | None = None
        self.missing: tuple[int, int, str] | None = None
        with connection.cursor() as cursor:
            _create_stage(cursor, self.vendor)
        self._open = True
        if self.pipelined:
            self._stopping = False
            self.raw: Any = connection.connection
            self.queue: queue.Queue[list[StagedRow] | None] = queue.Queue(maxsize=1)
            self.thread = threading.Thread(target=self._work, name="observation-import-writer", daemon=True)
            self.thread.start()

    # --- main thread ----------------------------------------------------------------------------------------

    def add(self, row: StagedRow) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= self.chunk_size:
            self.flush()

    def extend(self, rows: Iterable[StagedRow]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if self.pipelined and (self.error is not None or self._failed or self._stopping):
            self._raise()
        if not self.buffer:
            return
        rows, self.buffer = self.buffer, []
        self.staged += len(rows)
        if self.pipelined:
            self.queue.put(rows)
            return
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                _copy_to_stage(cursor.cursor, rows)
            else:
                cursor.executemany(f"INSERT INTO {STAGE} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", rows)  # noqa: S608 (trusted table names)

    @property
    def _failed(self) -> bool:
        return self.duplicate is not None or self.missing is not None

    def finish(self) -> tuple[int, int]:
        """Write what is left; return (added, replaced) over the whole import."""
        try:
            self.flush()
            if self.pipelined:
                self._join()
                if self.error is not None or self._failed:
                    self._raise()
            elif self.staged:
                self._move_all()
            if self.vendor == "postgresql" and self.staged >= ANALYZE_AFTER:
                # Fresh statistics, or the planner walks the wrong index for the next reads.
                with connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {_table()}")
            return self.added, self.replaced
        finally:
            self.close()

    def _move_all(self) -> None:
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(f"ANALYZE {STAGE}")
            if self.validate_ids:
                missing = _missing_id(cursor)
                if missing is not None:
                    raise _missing_error(missing)
            try:
                if self.vendor == "postgresql":
                    self.added, self.replaced = _move_postgresql(
                        cursor.cursor,
                        contract_id=self.contract_id,
                        batch_id=self.batch_id,
                        count=self.staged,
                        keep_batch_rows=False,
                    )
                else:
                    self.added, self.replaced = _move_sqlite(
                        cursor, contract_id=self.contract_id, batch_id=self.batch_id
                    )
            except DuplicateKeyError as duplicate:
                raise self.duplicate_error(*duplicate.key) from None

    def close(self) -> None:
        if not self._open:
            return
        self._open = False
        self.buffer = []
        if self.pipelined:
            self._stopping = True
            self._join()
            if self.error is not None or self._failed:
                return  # the transaction is rolled back, the temporary table with it
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")

    def _join(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()

    def _raise(self) -> None:
        self._join()
        if self.duplicate is not None:
            raise self.duplicate_error(*self.duplicate)
        if self.missing is not None:
            raise _missing_error(self.missing)
        if self.error is not None:
            raise self.error

    # --- worker thread (pipelined mode) ---------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            rows = self.queue.get()
            if rows is None:
                return
            if self._stopping or self.error is not None or self._failed:
                continue  # drain: the main thread is stopping
            try:
                self._write_chunk(rows)
            except _StopError:
                pass
            except BaseException as error:  # reported by the main thread
                self.error = error

    def _write_chunk(self, rows: list[StagedRow]) -> None:
        with self.raw.cursor() as cursor:
            if not self.validate_ids and self._copy_direct(cursor, rows):
                return
            cursor.execute(f"TRUNCATE {STAGE}")
            _copy_to_stage(cursor, rows)
            if self.validate_ids:
                self.missing = _missing_id(cursor)
                if self.missing is not None:
                    raise _StopError
            try:
                added, replaced = _move_postgresql(
                    cursor,
                    contract_id=self.contract_id,
                    batch_id=self.batch_id,
                    count=len(rows),
                    keep_batch_rows=True,
                )
            except DuplicateKeyError as duplicate:
                self.duplicate = duplicate.key
                raise _StopError from None
        self.added += added
        self.replaced += replaced

    def _copy_direct(self, cursor: Any, rows: list[StagedRow]) -> bool:
        """First import of these keys (the common case): ``COPY`` straight into the table, in binary. False
        when a key exists already (or repeats): the chunk is undone and goes through the staging table."""
        contract_id, batch_id = self.contract_id, self.batch_id
        cursor.execute("SAVEPOINT observation_chunk")
        try:
            with cursor.copy(f"COPY {_table()} ({TARGET_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(TARGET_TYPES)
                write = copy.write_row
                for _, indicator_id, territory_id, period, value, numerator, denominator, secret in rows:
                    write(
                        (
                            indicator_id,
                            territory_id,
                            period,
                            value,
                            numerator,
                            denominator,
                            secret,
                            contract_id,
                            batch_id,
                        )
                    )
        except psycopg.errors.UniqueViolation:
            cursor.execute("ROLLBACK TO SAVEPOINT observation_chunk")
            return False
        cursor.execute("RELEASE SAVEPOINT observation_chunk")
        self.added += len(rows)
        return True
