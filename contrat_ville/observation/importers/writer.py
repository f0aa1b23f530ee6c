"""The bulk writer of indicator values: stage, then replace the same keys, in one transaction.

Rows are streamed into a temporary staging table — ``COPY`` on PostgreSQL (psycopg 3 ``cursor.copy()``),
``executemany`` on SQLite — by chunks, so that memory stays flat whatever the file size. ``finish()`` then
replaces the stored values with the same key (indicator, territory, period, and contract for private values),
the « replaced » ones, and adds the others: one ``INSERT … ON CONFLICT DO UPDATE`` on PostgreSQL, one
``DELETE`` and one ``INSERT … SELECT`` on SQLite. A key present twice in the staged rows trips the unique
constraint; the staging table, which keeps each row's line, then names both lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from django.db import IntegrityError, ProgrammingError, connection, transaction

from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.territories.models import Territory

STAGE = "observation_value_stage"
CHUNK_SIZE = 50_000

# line, indicator_id, territory_id, period, value, numerator, denominator, is_confidential
StagedRow = tuple[int, int, int, int, float | None, float | None, float | None, bool]
DuplicateError = Callable[[int, int, int, int, int], Exception]

COLUMNS = "line, indicator_id, territory_id, period, value, numerator, denominator, is_confidential"
TARGET_COLUMNS = (
    "indicator_id, territory_id, period, value, numerator, denominator, is_confidential, contract_id, batch_id"
)
ANALYZE_AFTER = 50_000


class Writer(Protocol):
    """What the readers need from a writer (``ValueWriter`` or the PostgreSQL ``PipelinedWriter``)."""

    duplicate_error: DuplicateError
    staged: int

    def add(self, row: StagedRow) -> None: ...

    def extend(self, rows: Iterable[StagedRow]) -> None: ...

    def finish(self) -> tuple[int, int]: ...

    def close(self) -> None: ...


def _table() -> str:
    return IndicatorValue._meta.db_table


def _default_duplicate_error(indicator_id: int, territory_id: int, period: int, first: int, second: int) -> Exception:
    from contrat_ville.core.exceptions import BusinessRuleError

    lines = f"lignes {first} et {second}" if first > 0 else f"ligne {second} et plus haut"
    return BusinessRuleError(
        f"Valeur en double (indicateur {indicator_id}, territoire {territory_id}, année {period}) : "
        f"{lines}. Aucune valeur n'a été enregistrée."
    )


class ValueWriter:
    """Stage rows by chunks, then ``finish()`` → (added, replaced). Use inside ``transaction.atomic()``."""

    def __init__(
        self,
        *,
        contract_id: int | None = None,
        batch_id: int | None = None,
        duplicate_error: DuplicateError | None = None,
        chunk_size: int | None = None,
        validate_ids: bool = False,
    ) -> None:
        self.contract_id = contract_id
        self.batch_id = batch_id
        self.duplicate_error = duplicate_error or _default_duplicate_error
        self.chunk_size = chunk_size or CHUNK_SIZE
        self.validate_ids = validate_ids
        self.vendor = connection.vendor
        self.buffer: list[StagedRow] = []
        self.staged = 0
        self._open = False
        self._create()

    def _create(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            if self.vendor == "postgresql":
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
        self._open = True

    def add(self, row: StagedRow) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= self.chunk_size:
            self.flush()

    def extend(self, rows: Iterable[StagedRow]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if not self.buffer:
            return
        rows, self.buffer = self.buffer, []
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                raw: Any = cursor.cursor
                with raw.copy(f"COPY {STAGE} ({COLUMNS}) FROM STDIN") as copy:
                    write = copy.write_row
                    for row in rows:
                        write(row)
            else:
                cursor.executemany(f"INSERT INTO {STAGE} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", rows)  # noqa: S608 (trusted table names)
        self.staged += len(rows)

    def finish(self) -> tuple[int, int]:
        """Replace the stored values that share a key with a staged row; return (added, replaced)."""
        self.flush()
        try:
            if self.staged == 0:
                return 0, 0
            with connection.cursor() as cursor:
                if self.vendor == "postgresql":
                    cursor.execute(f"ANALYZE {STAGE}")
                if self.validate_ids:
                    self._check_ids(cursor)
                try:
                    with transaction.atomic():
                        if self.vendor == "postgresql":
                            added, replaced = self._upsert(cursor)
                        else:
                            added, replaced = self._replace(cursor)
                except (IntegrityError, ProgrammingError) as error:
                    # PostgreSQL: « ON CONFLICT DO UPDATE command cannot affect row a second time »;
                    # SQLite: the unique constraint. Either way, a key given twice: name its lines.
                    cursor.execute(
                        f"SELECT indicator_id, territory_id, period, MIN(line), MAX(line) FROM {STAGE} "  # noqa: S608 (trusted table names)
                        "GROUP BY indicator_id, territory_id, period HAVING COUNT(*) > 1 LIMIT 1"
                    )
                    duplicate = cursor.fetchone()
                    if duplicate is None:
                        raise
                    raise self.duplicate_error(*duplicate) from error
                if self.vendor == "postgresql" and self.staged >= ANALYZE_AFTER:
                    # Fresh statistics, or the planner walks the wrong index for the next reads.
                    cursor.execute(f"ANALYZE {_table()}")
            return added, replaced
        finally:
            self.close()

    def _replace(self, cursor: Any) -> tuple[int, int]:
        """SQLite: delete the stored rows with a staged key, then insert everything staged."""
        table = _table()
        if self.contract_id is None:
            condition, params = "iv.contract_id IS NULL", []
        else:
            condition, params = "iv.contract_id = %s", [self.contract_id]
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT iv.id FROM {STAGE} s JOIN {table} iv "  # noqa: S608 (trusted table names)
            "ON iv.territory_id = s.territory_id AND iv.indicator_id = s.indicator_id "
            f"AND iv.period = s.period WHERE {condition})",
            params,
        )
        replaced = max(cursor.rowcount, 0)
        cursor.execute(
            f"INSERT INTO {table} ({TARGET_COLUMNS}) SELECT indicator_id, territory_id, period, value, numerator, "  # noqa: S608 (trusted table names)
            f"denominator, is_confidential, %s, %s FROM {STAGE}",
            [self.contract_id, self.batch_id],
        )
        return cursor.rowcount - replaced, replaced

    def _upsert(self, cursor: Any) -> tuple[int, int]:
        """PostgreSQL: one ``INSERT … ON CONFLICT DO UPDATE`` on the partial unique index of the scope; the
        unique check it does anyway finds the rows to replace, with no scan of the whole table."""
        table = _table()
        try:
            # First import of these keys (the common case): a plain insert, a third faster than the upsert.
            with transaction.atomic():
                cursor.execute(
                    f"INSERT INTO {table} ({TARGET_COLUMNS}) SELECT indicator_id, territory_id, period, value, "  # noqa: S608 (trusted table names)
                    "numerator, denominator, is_confidential, CAST(%s AS bigint), CAST(%s AS bigint) "
                    f"FROM {STAGE}",
                    [self.contract_id, self.batch_id],
                )
                return cursor.rowcount, 0
        except IntegrityError:
            pass  # some keys exist already (or the file repeats one): replace them
        if self.contract_id is None:
            target = "(territory_id, indicator_id, period) WHERE contract_id IS NULL"
        else:
            target = "(contract_id, territory_id, indicator_id, period) WHERE contract_id IS NOT NULL"
        cursor.execute(
            f"WITH written AS (INSERT INTO {table} ({TARGET_COLUMNS}) "  # noqa: S608 (trusted table names)
            "SELECT indicator_id, territory_id, period, value, numerator, denominator, is_confidential, "
            f"CAST(%s AS bigint), CAST(%s AS bigint) FROM {STAGE} "
            f"ON CONFLICT {target} DO UPDATE SET value = EXCLUDED.value, numerator = EXCLUDED.numerator, "
            "denominator = EXCLUDED.denominator, is_confidential = EXCLUDED.is_confidential, "
            "batch_id = EXCLUDED.batch_id RETURNING (xmax = 0) AS inserted) "
            "SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM written",
            [self.contract_id, self.batch_id],
        )
        added, replaced = cursor.fetchone()
        return int(added), int(replaced)

    def _check_ids(self, cursor: Any) -> None:
        """Rows given by id (``values_write``): every indicator and territory must exist (one anti-join each)."""
        from contrat_ville.core.exceptions import BusinessRuleError

        for column, model, label in (
            ("indicator_id", Indicator, "indicateur"),
            ("territory_id", Territory, "territoire"),
        ):
            cursor.execute(
                f"SELECT s.line, s.{column} FROM {STAGE} s LEFT JOIN {model._meta.db_table} m "  # noqa: S608 (trusted table names)
                f"ON m.id = s.{column} WHERE m.id IS NULL LIMIT 1"
            )
            missing = cursor.fetchone()
            if missing is not None:
                raise BusinessRuleError(
                    f"Ligne {missing[0]} : {label} d'identifiant {missing[1]} inexistant. "
                    "Aucune valeur n'a été enregistrée."
                )

    def close(self) -> None:
        if self._open:
            self._open = False
            self.buffer = []
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
