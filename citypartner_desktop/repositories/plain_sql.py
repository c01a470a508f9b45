"""Plain SQL over any DB-API connection, and turning SQLite's values back into Python ones.

The read paths the start-up needs (table pages, the dashboard) are written without SQLAlchemy:
the application paints data before the ORM (about half a second of imports) is loaded, through
``db.reader``. Services call the same functions with their unit of work, which runs the SQL in
its own transaction, so there is one way to read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from citypartner_desktop.db.search_sql import SearchSql


class Connection(Protocol):
    """``db.reader.TableReader`` or a ``UnitOfWork``: plain SQL, all rows at once, and the
    SQL of a search on its engine."""

    @property
    def search(self) -> SearchSql: ...

    def execute(self, sql: str, parameters: Sequence[Any] = ...) -> list[Any]: ...


def as_date(value: Any) -> Any:
    """A DATE column (or ``max()`` over one) as SQLite hands it back: ISO text."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def as_utc(value: Any) -> Any:
    """A timestamp column: stored as naive UTC text (``db.base.UTCDateTime``), returned aware."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    if isinstance(value, datetime) and value.tzinfo is None:  # a server's naive timestamp
        return value.replace(tzinfo=UTC)
    return value


def as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def as_bool(value: Any) -> Any:
    return None if value is None else bool(value)


def marks(values: Sequence[object]) -> str:
    """``?, ?, ?`` for an IN list of bound parameters."""
    return ", ".join("?" * len(values))
