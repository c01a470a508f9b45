"""Unit of work: one Session and one transaction per use case; only services commit it.

Database-specific exceptions are translated here into the domain's typed errors, so the service
layer never needs to import SQLAlchemy.
"""

from __future__ import annotations

import getpass
import socket
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from citypartner_desktop.db.search_sql import SearchSql, for_dialect
from citypartner_desktop.db.sqlite_errors import read_error, storage_error
from citypartner_desktop.domain.errors import ConflictError, DatabaseError


@dataclass(frozen=True)
class Actor:
    """Who makes changes, for the audit trail."""

    user: str
    installation_id: str

    @staticmethod
    def current(installation_id: str) -> Actor:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
        return Actor(user=f"{user}@{socket.gethostname()}", installation_id=installation_id)


class UnitOfWork:
    """``with uow: ...; uow.commit()`` — leaving the block without commit rolls back."""

    def __init__(self, session_factory: sessionmaker[Session], actor: Actor) -> None:
        self._factory = session_factory
        self.actor = actor
        self._session: Session | None = None
        # False while a write brings in changes whose history comes with them (a visit
        # pack's entries, with their own author and time): the record service then adds none.
        self.record_history = True

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside its 'with' block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        except DBAPIError:
            pass  # SQLite already rolled back (disk full, I/O error); nothing is half-written
        finally:
            self._session.close()
            self._session = None
        # Any query of the use case, not only commit, can meet a busy, full or damaged file.
        if isinstance(exc, OperationalError | SADatabaseError) and not isinstance(
            exc, IntegrityError
        ):
            raise _engine_error(exc.orig) from None

    def writes_first(self) -> None:
        """This unit of work is a writer (a bulk load): on SQLite it takes the write lock
        when it begins, waiting behind another writer for the busy timeout, rather than
        reading first and being refused when it starts to write. Call it before anything
        else."""
        if self.session.get_bind().dialect.name == "sqlite":
            from citypartner_desktop.db.engine import BEGIN_OPTION

            self.session.connection(execution_options={BEGIN_OPTION: "IMMEDIATE"})

    def one_snapshot(self) -> None:
        """Let every read of this unit of work see the data as of its first one, also on a
        server, where each statement otherwise sees what colleagues committed meanwhile
        (READ COMMITTED): a pack or an export read table by table must fit together. Call it
        before anything else; SQLite's read transaction is one snapshot already."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})

    @property
    def search(self) -> SearchSql:
        """The SQL of a search on this unit of work's engine."""
        return for_dialect(self.session.get_bind().dialect.name)

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """Plain SQL in this unit of work's transaction, all rows at once: the read path the
        table pages share with ``db.reader`` (``repositories.table_rows``). What this unit of
        work has written but not flushed is flushed first, as an ORM query would (autoflush)."""
        self.flush()
        connection = self.session.connection()
        raw = connection.connection.driver_connection
        assert raw is not None
        if connection.dialect.name == "postgresql":
            from citypartner_desktop.db.server import server_sql

            try:
                return list(raw.execute(server_sql(sql), parameters).fetchall())
            except Exception as exc:  # the driver's own errors, as the ORM path words them
                if not hasattr(exc, "sqlstate"):
                    raise
                raise _engine_error(exc) from None
        try:
            return list(raw.execute(sql, parameters).fetchall())
        except sqlite3.Error as exc:
            raise read_error(exc) from None

    def flush(self) -> None:
        with _translated():
            self.session.flush()

    def commit(self) -> None:
        with _translated():
            self.session.commit()


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except StaleDataError:
        raise ConflictError(
            "This record was changed elsewhere since you opened it; reopen it and try again."
        ) from None
    except IntegrityError as exc:
        raise DatabaseError(f"The database refused the change: {exc.orig}") from None
    except OperationalError as exc:
        raise _engine_error(exc.orig) from None
    except SADatabaseError as exc:  # a server's refusals come as other DBAPI errors too
        if not hasattr(exc.orig, "sqlstate"):
            raise
        raise _engine_error(exc.orig) from None


def _engine_error(orig: BaseException | None) -> DatabaseError:
    """The driver's error as the domain's: a server's by its SQLSTATE, a file's by SQLite's
    words."""
    if hasattr(orig, "sqlstate"):
        from citypartner_desktop.db.server import server_error

        return server_error(orig)
    return storage_error(orig)
