"""Every record table, row by row with all its columns, out and (into an empty database) in:
the whole-database archive. The audit trail and deleted rows (tombstones) are included; the
derived data (row counts, sort labels, search tables) is not — triggers rebuild it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Date, LargeBinary, func, insert, select
from sqlalchemy.orm import Session

from citypartner_desktop.db import derived
from citypartner_desktop.db import models as _models  # registers every table
from citypartner_desktop.db.base import Base, UTCDateTime

_BATCH = 2_000


# Not records (no id, no version) but the office's memory, carried by its archives: the
# erasure register (an archive restored elsewhere must not bring an erased person back).
REGISTERS = ("erasures",)


def tables() -> list[str]:
    """Record tables, parents before children (foreign keys). Not the row counts (derived),
    nor a database's identity and its visit-pack bookkeeping (they belong to that file),
    nor the registers."""
    return [t.name for t in Base.metadata.sorted_tables
            if t.name != derived.COUNTS_TABLE and t.name not in _models.PACK_TABLES
            and t.name not in REGISTERS]


def archive_tables() -> list[str]:
    """What an archive holds: the record tables, then the registers."""
    return [*tables(), *REGISTERS]


def column_kinds(table: str) -> dict[str, str]:
    """Column -> "datetime", "date", "bytes", "json" or "plain" (how the archive writes it)."""
    kinds: dict[str, str] = {}
    for column in Base.metadata.tables[table].c:
        kind = column.type
        kinds[column.name] = ("datetime" if isinstance(kind, UTCDateTime) else
                              "date" if isinstance(kind, Date) else
                              "bytes" if isinstance(kind, LargeBinary) else
                              "json" if isinstance(kind, JSON) else "plain")
    return kinds


def read_rows(session: Session, table: str) -> Iterator[tuple[Any, ...]]:
    """All rows of ``table`` (deleted ones too), in column order, oldest first, as Python values
    (datetimes UTC-aware, dates, bytes, lists)."""
    target = Base.metadata.tables[table]
    order = ([target.c.created_at, target.c.id] if "created_at" in target.c
             else list(target.primary_key.columns))
    result = session.execute(select(target).order_by(*order)).yield_per(_BATCH)
    for row in result:
        yield tuple(row)


def count_rows(session: Session) -> int:
    return sum(int(session.execute(select(func.count()).select_from(
        Base.metadata.tables[t])).scalar_one()) for t in tables())


def insert_rows(session: Session, table: str, columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows exactly as given (ids, timestamps, versions), in batches."""
    target = Base.metadata.tables[table]
    for start in range(0, len(rows), _BATCH):
        batch: list[Mapping[str, Any]] = [dict(zip(columns, row, strict=True))
                                          for row in rows[start:start + _BATCH]]
        session.execute(insert(target), batch)
