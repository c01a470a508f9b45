"""Declarative base and the columns every table carries (DESIGN.md §2)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.sql.elements import ColumnElement

# Stable constraint names from the first revision, so batch migrations can find them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC (SQLite has no time zones), always returned timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the database holds UTC only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stored: datetime = value  # the driver gives a naive datetime, in UTC
        return stored.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class RecordMixin:
    """UUID id, UTC timestamps, optimistic-concurrency version and soft-delete tombstone."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def partial_index(where: Any) -> dict[str, Any]:
    """The WHERE of a partial index, said to both engines (each dialect reads its own key and
    ignores the other's: an index given only one would be a full index on the other)."""
    return {"sqlite_where": where, "postgresql_where": where}


class WrittenOrder(ColumnElement[Any]):
    """The order rows were written in, for a table that is only appended to (the audit
    trail): SQLite's rowid, PostgreSQL's physical row address (rows of one save share their
    time; this keeps them in the order they were recorded)."""

    inherit_cache = True

    def __init__(self, table: str) -> None:
        self.table = table


@compiles(WrittenOrder, "sqlite")
def _sqlite_written_order(element: WrittenOrder, _compiler: Any, **_kw: Any) -> str:
    return f"{element.table}.rowid"


@compiles(WrittenOrder, "postgresql")
def _postgresql_written_order(element: WrittenOrder, _compiler: Any, **_kw: Any) -> str:
    return f"{element.table}.ctid"
