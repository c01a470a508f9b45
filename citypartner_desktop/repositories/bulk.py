"""Bulk inserts for big loads (demo data, large imports): the driver's executemany, no ORM.

The ORM unit of work spends tens of microseconds of Python per row, and even Core's
``insert(table)`` with a list of dicts about twice what this path costs, which decides whether a
million activities load in well under a minute or not. Rows come in as tuples in a fixed column
order; every value still goes through its column type's own bind processor (memoised for dates,
which repeat), so what is stored is exactly what the ORM stores: naive UTC for ``UTCDateTime``, ISO
dates, JSON text, 0/1 booleans. The columns every record carries (created_at, updated_at, version,
deleted_at) are the same for a whole load and are converted once.

Nothing here commits: the caller's unit of work owns the one transaction, so a failed or cancelled
load leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any

from sqlalchemy import Date, DateTime, Table, func, select
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from citypartner_desktop.db import derived, fts
from citypartner_desktop.db import models as _models  # noqa: F401 - registers every table
from citypartner_desktop.db.base import Base
from citypartner_desktop.db.sqlite_errors import storage_error
from citypartner_desktop.domain.errors import DatabaseError

# Columns of RecordMixin that a bulk load stamps itself (same value for every row of the load).
RECORD_COLUMNS: tuple[str, ...] = ("created_at", "updated_at", "version", "deleted_at")

_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}

Processor = Callable[[Any], Any]


def table_columns(table: str) -> tuple[str, ...]:
    """All column names of ``table``, in table order."""
    return tuple(Base.metadata.tables[table].c.keys())


def _is_moment(column_type: Any) -> bool:
    """A date or time: values that repeat (one moment for every entry of one save)."""
    return isinstance(column_type, Date | DateTime) or isinstance(
        getattr(column_type, "impl_instance", None), DateTime)


def _memoised(process: Processor) -> Processor:
    cache: dict[Any, Any] = {}

    def run(value: Any) -> Any:
        try:
            return cache[value]
        except KeyError:
            result = cache[value] = process(value)
            return result

    return run


class RowWriter:
    """Insert rows of one table, given as tuples in ``columns`` order, as new records of ``now``."""

    def __init__(self, session: Session, table: str, columns: Sequence[str], now: datetime) -> None:
        self._session = session
        self.table = table
        self.columns = tuple(columns)
        self.count = 0
        target: Table = Base.metadata.tables[table]
        unknown = [c for c in self.columns if c not in target.c or c in RECORD_COLUMNS]
        if unknown:
            raise KeyError(f"{table} has no insertable columns {unknown}")
        dialect = session.get_bind().dialect
        placeholder = _PLACEHOLDERS.get(dialect.paramstyle)
        if placeholder is None:
            raise NotImplementedError(
                f"bulk insert needs a positional driver, not {dialect.paramstyle}")
        names = (*self.columns, *RECORD_COLUMNS)
        quote = dialect.identifier_preparer.quote
        self._sql = (
            f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join([placeholder] * len(names))})"
        )
        processors: dict[str, Processor] = {}
        for name in names:
            column_type = target.c[name].type
            process = column_type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors[name] = _memoised(process) if isinstance(column_type, Date) else process
        self._processors = [
            (i, processors[n]) for i, n in enumerate(self.columns) if n in processors
        ]
        stamps: dict[str, Any] = {"created_at": now, "updated_at": now, "version": 1,
                                  "deleted_at": None}
        self._stamps = tuple(
            processors[n](stamps[n]) if n in processors else stamps[n] for n in RECORD_COLUMNS
        )

    def write(self, rows: Sequence[Sequence[Any]]) -> int:
        """Insert ``rows``; returns how many. Raises DatabaseError when the database refuses."""
        if not rows:
            return 0
        stamps = self._stamps
        data: list[tuple[Any, ...]]
        if self._processors:
            data = []
            append = data.append
            processors = self._processors
            for row in rows:
                values = list(row)
                for index, process in processors:
                    values[index] = process(values[index])
                values.extend(stamps)
                append(tuple(values))  # SQLAlchemy takes a list of tuples for executemany
        else:
            data = [(*row, *stamps) for row in rows]
        try:
            self._session.connection().exec_driver_sql(self._sql, data)
        except DBAPIError as exc:
            if isinstance(exc, OperationalError):  # busy, full, a disk error: not the rows
                raise storage_error(exc.orig) from None
            raise DatabaseError(f"The database refused the {self.table}: {exc.orig}") from exc
        self.count += len(rows)
        return len(rows)


def insert_all(session: Session, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, values as the ORM reads them) into
    ``table``, with its triggers and indexes; the driver's executemany, values converted by
    each column's type as the ORM would. Into a table with a search table, as one statement
    on SQLite: its full-text index writes what it gathered at the end of every statement, so
    ten thousand one-row INSERTs cost four times one INSERT … SELECT of ten thousand rows.
    Those rows go into a temporary table first, then across at once."""
    if not rows:
        return
    target: Table = Base.metadata.tables[table]
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        session.execute(target.insert(), list(rows))
        return
    names = list(rows[0])
    processors: list[tuple[int, Processor]] = []
    for i, name in enumerate(names):
        found = target.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if found is not None:
            processors.append((i, _memoised(found) if _is_moment(target.c[name].type)
                               else found))
    data: list[tuple[Any, ...]] = []
    for row in rows:
        values = [row[name] for name in names]
        for index, process in processors:
            values[index] = process(values[index])
        data.append(tuple(values))
    listed = ", ".join(f'"{n}"' for n in names)
    placeholders = ", ".join("?" * len(names))
    if table not in fts.FTS_TABLES:
        connection.exec_driver_sql(f'INSERT INTO main."{table}" ({listed}) VALUES '
                                   f"({placeholders})", data)
        return
    staging = f'"staging_{table}"'
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{staging}")
    connection.exec_driver_sql(
        f'CREATE TEMP TABLE {staging} AS SELECT {listed} FROM main."{table}" WHERE 0')
    connection.exec_driver_sql(
        f"INSERT INTO temp.{staging} VALUES ({placeholders})", data)
    connection.exec_driver_sql(
        f'INSERT INTO main."{table}" ({listed}) SELECT {listed} FROM temp.{staging}')
    connection.exec_driver_sql(f"DROP TABLE temp.{staging}")


def row_counts(session: Session, tables: Sequence[str]) -> dict[str, int]:
    """Rows per table, deleted ones (tombstones) included."""
    return {
        t: int(session.execute(select(func.count()).select_from(Base.metadata.tables[t]))
               .scalar_one())
        for t in tables
    }


@contextmanager
def large_page_cache(session: Session, mebibytes: int = 128) -> Iterator[None]:
    """A bigger SQLite page cache for the duration of a bulk load (same connection, same
    transaction), restored afterwards. Index pages of a million-row table then stay in memory
    instead of being spilled to the write-ahead log and read back: ~2x faster big loads, at the
    price of that much memory while loading."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
    connection.exec_driver_sql(f"PRAGMA cache_size={-int(mebibytes) * 1024}")
    try:
        yield
    finally:
        # A broken connection is discarded anyway; don't hide the error that broke it.
        with suppress(SQLAlchemyError):
            connection.exec_driver_sql(f"PRAGMA cache_size={previous}")


@contextmanager
def indexes_suspended(session: Session) -> Iterator[None]:
    """Bulk loads drop the secondary indexes and the triggers (search tables, row counts, sort
    labels), then build each index, search table, count and label once at the end: sorting a
    million rows once is several times cheaper than keeping a dozen indexes and search tables
    current row by row. Everything happens in the caller's transaction, so a cancelled or
    failed load puts them all back.

    On PostgreSQL the indexes and triggers stay (dropping them would lock every colleague out
    of the tables until the load commits); the row counts pause for this transaction (one
    count row updated per inserted row made a long load slower row by row: migration 0010)
    and are counted once at the end, and the search copies are filled then, as on SQLite."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        connection.exec_driver_sql("SELECT set_config('citypartner.counts_paused', 'on', true)")
        yield
        connection.exec_driver_sql("SELECT set_config('citypartner.counts_paused', 'off', true)")
        for table in derived.COUNTED_TABLES:
            connection.exec_driver_sql(derived.recount_sql(table, "postgresql"))
        derived.refresh_search_copies(connection)
        return
    saved = [
        (kind, name, sql) for kind, name, sql in connection.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
            "type IN ('index', 'trigger')")
        if kind == "index" or "_fts_" in name or derived.is_derived_trigger(name)
    ]
    for kind, name, _ in saved:
        connection.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
    yield
    derived.refresh_all(connection)
    for kind, _, sql in saved:
        if kind == "index":
            connection.exec_driver_sql(sql)
    for table in fts.FTS_TABLES:
        name = fts.fts_name(table)
        connection.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
    for kind, _, sql in saved:
        if kind == "trigger":
            connection.exec_driver_sql(sql)
    # Fresh statistics, so the planner knows a partial index covers nearly every row and, e.g.,
    # sorts a million activities by partnership with one table scan (0.35 s) rather than
    # walking an index and fetching row by row (4.5 s). The limit keeps ANALYZE quick.
    connection.exec_driver_sql("PRAGMA analysis_limit=1000")
    connection.exec_driver_sql("ANALYZE")


def checkpoint(session: Session) -> None:
    """Copy the write-ahead log into the database file and truncate it (after a big commit the
    log is as large as the data; left alone it would double the disk use until the next
    automatic checkpoint). Best effort: a busy database keeps its log."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
