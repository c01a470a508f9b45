"""The SQLite engine with the pragmas of DESIGN.md §5."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from citypartner_desktop.db import fts
from citypartner_desktop.db.pragmas import APPLICATION_ID, BUSY_TIMEOUT_MS

__all__ = ["APPLICATION_ID", "BUSY_TIMEOUT_MS", "make_engine", "make_read_only_engine"]


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 opens transactions itself only before INSERT/UPDATE/DELETE, so DDL and
    # reads would run outside them. SQLAlchemy's recipe: take that job away from the driver
    # and emit BEGIN ourselves (see _on_begin), so every unit of work — DDL included — is one
    # real transaction that commits or rolls back whole.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged save survives power loss
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()
    fts.register_functions(dbapi_connection)


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect_read_only(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA query_only=ON")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()
    fts.register_functions(dbapi_connection)


def make_read_only_engine(path: Path) -> Engine:
    """Opened with SQLite's read-only flag: it cannot write a byte, not even the checkpoint a
    writer does when it closes. Used while the file is still being checked."""
    engine = create_engine(
        f"sqlite:///{path.resolve().as_uri()}?mode=ro&uri=true",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect_read_only)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")
