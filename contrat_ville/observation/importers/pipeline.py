"""PostgreSQL: write chunk k while the file's next chunk is parsed (two cores, one transaction).

Parsing is Python (one core); ``COPY`` and ``INSERT`` run in the PostgreSQL server (the other core). A worker
thread takes full chunks from a bounded queue and, on the same psycopg connection — hence in the import's
transaction —, copies each into the staging table and moves it into ``IndicatorValue``: a plain ``INSERT``
(first import of these keys), or, when a key already exists, an ``INSERT … ON CONFLICT DO UPDATE`` that
replaces it. A key repeated in the file is caught inside a chunk by PostgreSQL (« cannot affect row a second
time ») and across chunks because the upsert refuses to replace a row of the same batch. Peak memory is
two chunks.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable
from typing import Any

import psycopg
from django.db import connection

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.observation.importers.writer import (
    ANALYZE_AFTER,
    COLUMNS,
    STAGE,
    TARGET_COLUMNS,
    DuplicateError,
    StagedRow,
    ValueWriter,
    _default_duplicate_error,
    _table,
)
from contrat_ville.observation.models import Indicator
from contrat_ville.territories.models import Territory

PIPELINE_CHUNK = 100_000
TARGET_TYPES = ["int8", "int8", "int2", "float8", "float8", "float8", "bool", "int8", "int8"]  # TARGET_COLUMNS


class _StopError(Exception):
    """The worker found a fault the main thread reports (duplicate key, unknown id)."""


class PipelinedWriter:
    """Same interface as ``ValueWriter`` (add, extend, finish, close), PostgreSQL only, ``batch_id`` required."""

    def __init__(
        self,
        *,
        contract_id: int | None,
        batch_id: int,
        duplicate_error: DuplicateError | None = None,
        chunk_size: int | None = None,
        validate_ids: bool = False,
    ) -> None:
        self.contract_id = contract_id
        self.batch_id = batch_id
        self.duplicate_error = duplicate_error or _default_duplicate_error
        self.chunk_size = chunk_size or PIPELINE_CHUNK
        self.validate_ids = validate_ids
        self.buffer: list[StagedRow] = []
        self.staged = 0
        self.added = 0
        self.replaced = 0
        self.error: BaseException | None = None
        self.duplicate: tuple[int, int, int, int, int] | None = None
        self.invalid: tuple[int, int, str] | None = None
        self._stopping = False
        self._open = True
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGE} (line bigint, indicator_id bigint, territory_id bigint, "
                "period smallint, value double precision, numerator double precision, "
                "denominator double precision, is_confidential boolean)"
            )
        self.raw: Any = connection.connection
        self.queue: queue.Queue[list[StagedRow] | None] = queue.Queue(maxsize=1)
        self.thread = threading.Thread(target=self._work, name="observation-import-writer", daemon=True)
        self.thread.start()

    # --- main thread ----------------------------------------------------------------------------------------

    def add(self, row: StagedRow) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= self.chunk_size:
            self._hand_off()

    def extend(self, rows: Iterable[StagedRow]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        self._hand_off()

    def _hand_off(self) -> None:
        if self.error is not None or self._stopping:
            self._raise()
        if self.buffer:
            rows, self.buffer = self.buffer, []
            self.staged += len(rows)
            self.queue.put(rows)

    def _join(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()

    def _raise(self) -> None:
        self._join()
        if self.duplicate is not None:
            raise self.duplicate_error(*self.duplicate)
        if self.invalid is not None:
            line, missing, label = self.invalid
            raise BusinessRuleError(
                f"Ligne {line} : {label} d'identifiant {missing} inexistant. Aucune valeur n'a été enregistrée."
            )
        if self.error is not None:
            raise self.error

    def finish(self) -> tuple[int, int]:
        try:
            self._hand_off()
            self._join()
            if self.error is not None or self.duplicate is not None or self.invalid is not None:
                self._raise()
            if self.staged >= ANALYZE_AFTER:
                with connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {_table()}")
            return self.added, self.replaced
        finally:
            self.close()

    def close(self) -> None:
        if not self._open:
            return
        self._open = False
        self._stopping = True
        self.buffer = []
        self._join()
        if self.error is None and self.duplicate is None and self.invalid is None:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        # Otherwise the transaction is rolled back, the temporary table with it.

    # --- worker thread --------------------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            rows = self.queue.get()
            if rows is None:
                return
            if self._stopping or self.error is not None or self.duplicate is not None or self.invalid is not None:
                continue  # drain: the main thread is stopping
            try:
                self._write(rows)
            except _StopError:
                pass
            except BaseException as error:  # reported by the main thread
                self.error = error

    def _write(self, rows: list[StagedRow]) -> None:
        table = _table()
        with self.raw.cursor() as cursor:
            if not self.validate_ids and self._copy_direct(cursor, rows, table):
                return
            cursor.execute(f"TRUNCATE {STAGE}")
            with cursor.copy(f"COPY {STAGE} ({COLUMNS}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
            if self.validate_ids:
                self._check_ids(cursor)
            params = [self.contract_id, self.batch_id]
            cursor.execute("SAVEPOINT observation_chunk")
            try:
                cursor.execute(
                    f"INSERT INTO {table} ({TARGET_COLUMNS}) SELECT indicator_id, territory_id, period, value, "  # noqa: S608 (trusted table names)
                    "numerator, denominator, is_confidential, CAST(%s AS bigint), CAST(%s AS bigint) "
                    f"FROM {STAGE}",
                    params,
                )
                self.added += cursor.rowcount
                cursor.execute("RELEASE SAVEPOINT observation_chunk")
                return
            except psycopg.errors.UniqueViolation:
                cursor.execute("ROLLBACK TO SAVEPOINT observation_chunk")
            if self.contract_id is None:
                target = "(territory_id, indicator_id, period) WHERE contract_id IS NULL"
            else:
                target = "(contract_id, territory_id, indicator_id, period) WHERE contract_id IS NOT NULL"
            try:
                cursor.execute(
                    f"WITH written AS (INSERT INTO {table} AS iv ({TARGET_COLUMNS}) "  # noqa: S608 (trusted table names)
                    "SELECT indicator_id, territory_id, period, value, numerator, denominator, is_confidential, "
                    f"CAST(%s AS bigint), CAST(%s AS bigint) FROM {STAGE} "
                    f"ON CONFLICT {target} DO UPDATE SET value = EXCLUDED.value, numerator = EXCLUDED.numerator, "
                    "denominator = EXCLUDED.denominator, is_confidential = EXCLUDED.is_confidential, "
                    "batch_id = EXCLUDED.batch_id WHERE iv.batch_id IS DISTINCT FROM EXCLUDED.batch_id "
                    "RETURNING (xmax = 0) AS inserted) "
                    "SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM written",
                    params,
                )
            except psycopg.errors.CardinalityViolation:
                cursor.execute("ROLLBACK TO SAVEPOINT observation_chunk")
                cursor.execute(
                    f"SELECT indicator_id, territory_id, period, MIN(line), MAX(line) FROM {STAGE} "  # noqa: S608 (trusted table names)
                    "GROUP BY indicator_id, territory_id, period HAVING COUNT(*) > 1 LIMIT 1"
                )
                self.duplicate = cursor.fetchone()
                raise _StopError from None
            added, replaced = cursor.fetchone()
            if added + replaced < len(rows):
                # A row was refused: its key was already written by this import, in an earlier chunk. Undo this
                # chunk first, so that only earlier chunks' rows carry the batch.
                cursor.execute("ROLLBACK TO SAVEPOINT observation_chunk")
                scope = "iv.contract_id IS NULL" if self.contract_id is None else "iv.contract_id = %s"
                cursor.execute(
                    f"SELECT s.indicator_id, s.territory_id, s.period, 0, s.line FROM {STAGE} s JOIN {table} iv "  # noqa: S608 (trusted table names)
                    "ON iv.territory_id = s.territory_id AND iv.indicator_id = s.indicator_id "
                    f"AND iv.period = s.period AND iv.batch_id = %s WHERE {scope} ORDER BY s.line LIMIT 1",
                    [self.batch_id] + ([] if self.contract_id is None else [self.contract_id]),
                )
                self.duplicate = cursor.fetchone()
                raise _StopError
            cursor.execute("RELEASE SAVEPOINT observation_chunk")
            self.added += added
            self.replaced += replaced

    def _copy_direct(self, cursor: Any, rows: list[StagedRow], table: str) -> bool:
        """First import of these keys (the common case): ``COPY`` straight into the table, in binary. False
        when a key exists already (or repeats): the chunk is undone and goes through the staging table."""
        contract_id, batch_id = self.contract_id, self.batch_id
        cursor.execute("SAVEPOINT observation_chunk")
        try:
            with cursor.copy(f"COPY {table} ({TARGET_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
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

    def _check_ids(self, cursor: Any) -> None:
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
                self.invalid = (missing[0], missing[1], label)
                raise _StopError


def make_writer(
    *,
    contract_id: int | None = None,
    batch_id: int | None = None,
    duplicate_error: DuplicateError | None = None,
    validate_ids: bool = False,
    pipelined: bool = True,
) -> ValueWriter | PipelinedWriter:
    """The pipelined writer on PostgreSQL when a fresh batch marks the import's rows, the staged one otherwise."""
    if pipelined and connection.vendor == "postgresql" and batch_id is not None:
        return PipelinedWriter(
            contract_id=contract_id, batch_id=batch_id, duplicate_error=duplicate_error, validate_ids=validate_ids
        )
    return ValueWriter(
        contract_id=contract_id, batch_id=batch_id, duplicate_error=duplicate_error, validate_ids=validate_ids
    )
