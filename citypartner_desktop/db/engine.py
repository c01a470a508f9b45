"""The SQLite engine with the pragmas of DESIGN.md §5."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from citypartner_desktop.db import fts
from citypartner_desktop.db.pragmas import APPLICATION_ID, BUSY_TIMEOUT_MS

__all__ = ["APPLICATION_ID", "BUSY_TIMEOUT_MS", "make_engine", "make_read_only_engine"]


# The pragmas each new connection runs: a writer's (make_engine), then a read-only one's.
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",  # an acknowledged save survives power loss
    "PRAGMA foreign_keys=ON",
)
_READ_ONLY_PRAGMAS = (
    "PRAGMA query_only=ON",
    "PRAGMA foreign_keys=ON",
)
# The busy timeout is the driver's ``timeout`` (sqlite3_busy_timeout), read when an engine is
# made, so that a test may shorten it.


def _prepare(dbapi_connection: Any, pragmas: tuple[str, ...]) -> None:
    # Python's sqlite3 opens transactions itself only before INSERT/UPDATE/DELETE, so DDL and
    # reads would run outside them. SQLAlchemy's recipe: take that job away from the driver
    # and emit BEGIN ourselves (see _on_begin), so every unit of work — DDL included — is one
    # real transaction that commits or rolls back whole.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in pragmas:
            cursor.execute(pragma)
    finally:
        cursor.close()
    fts.register_functions(dbapi_connection)


def _engine(url: str, pragmas: tuple[str, ...], passphrase: str | None = None) -> Engine:
    extra: dict[str, Any] = {}
    if passphrase is not None:
        from citypartner_desktop.db import cipher

        # SQLAlchemy told which driver it is, so its errors are wrapped like sqlite3's.
        extra["module"] = cipher.driver()
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        **extra,
    )

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        if passphrase is not None:
            from citypartner_desktop.db import cipher

            cipher.key(dbapi_connection, passphrase)  # the key before any other statement
        _prepare(dbapi_connection, pragmas)

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def make_engine(path: Path, passphrase: str | None = None) -> Engine:
    """The writer's engine; with ``passphrase``, of an encrypted pack (SQLCipher)."""
    return _engine(f"sqlite:///{path}", _PRAGMAS, passphrase)


def make_read_only_engine(path: Path, *, immutable: bool = False) -> Engine:
    """Opened with SQLite's read-only flag: it cannot write a byte, not even the checkpoint a
    writer does when it closes. Used while the file is still being checked, and where
    nothing can be written (``immutable``: without the shared-memory file SQLite would make
    beside it; only exact when no writer has the file open)."""
    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    return _engine(f"sqlite:///{path.resolve().as_uri()}?{flags}&uri=true", _READ_ONLY_PRAGMAS)


BEGIN_OPTION = "citypartner_begin"  # an execution option: "IMMEDIATE" for a writer's


def _on_begin(connection: Any) -> None:
    # A transaction that will write says so at its start (BEGIN IMMEDIATE): it then waits
    # its turn behind another writer (the busy timeout) instead of failing half-way.
    mode = connection.get_execution_options().get(BEGIN_OPTION, "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())
