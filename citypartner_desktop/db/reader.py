"""A read-only SQLite connection for the table pages, opened without SQLAlchemy.

The application paints its first page through it before the ORM is even imported (see
``ui.app.start_gui``); afterwards the pages keep reading through it. It is opened with SQLite's
read-only flag and ``query_only``, so it can never write; in WAL mode it sees every committed
change of the writer at its next statement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from citypartner_desktop.db import fts
from citypartner_desktop.db.pragmas import BUSY_TIMEOUT_MS
from citypartner_desktop.db.search_sql import FtsSearch
from citypartner_desktop.db.sqlite_errors import read_error

CACHE_KIB = 16_000  # page cache of a reader, in KiB (filled only as pages are read)


class TableReader:
    def __init__(self, path: Path, passphrase: str | None = None) -> None:
        self.path = path
        self._errors: tuple[type[BaseException], ...] = (sqlite3.Error,)
        options: dict[str, Any] = {
            "timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None,
            "check_same_thread": False}  # used by one thread at a time, not only its creator
        try:
            if passphrase is not None:  # an encrypted visit pack
                from citypartner_desktop.db import cipher

                self._errors = cipher.errors()
                self._connection = cipher.connect(path, passphrase, read_only=True, **options)
            else:
                self._connection = sqlite3.connect(
                    f"{path.resolve().as_uri()}?mode=ro", uri=True, **options)
            self._connection.execute("PRAGMA query_only=ON")
            # SQLite's default 2 MB page cache does not hold the rows a broad search walks
            # ("wo": about 1,000 rows on as many pages) beside the page shown: the next
            # keystroke, which walks the same rows again, read them anew (2–3 ms of 20).
            self._connection.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            fts.register_functions(self._connection)
        except self._errors as exc:
            raise read_error(exc) from None

    @property
    def search(self) -> FtsSearch:
        return FtsSearch()

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """All rows at once: a cursor left open would hold its snapshot of the file."""
        try:
            rows: list[Any] = self._connection.execute(sql, parameters).fetchall()
            return rows
        except self._errors as exc:
            raise read_error(exc) from None

    @contextmanager
    def transaction(self) -> Iterator[TableReader]:
        """Every statement inside sees the same committed state (a read of several queries,
        such as the dashboard, that must add up)."""
        self.execute("BEGIN")
        try:
            yield self
        finally:
            self._connection.rollback()  # nothing was written: ends the read snapshot

    def trace(self, callback: Callable[[str], object] | None) -> None:
        """Call ``callback`` with each statement run (None stops); tests count queries so."""
        self._connection.set_trace_callback(callback)

    def close(self) -> None:
        self._connection.close()


class Reader(Protocol):
    """What the table pages and the dashboard read through: a file's ``TableReader`` or a
    server's ``db.server_reader.ServerReader``."""

    @property
    def search(self) -> Any: ...

    def execute(self, sql: str, parameters: Sequence[Any] = ...) -> list[Any]: ...

    def transaction(self) -> Any: ...

    def trace(self, callback: Callable[[str], object] | None) -> None: ...

    def close(self) -> None: ...


class ReadSource(Protocol):
    """Where the pages read from: the long-lived reader of the GUI thread, and snapshots (a
    reader of their own for one consistent read) for work on other threads."""

    @property
    def where(self) -> str: ...

    @property
    def name(self) -> str: ...

    def reader(self) -> Reader: ...

    def snapshot(self) -> Any: ...


class FileSource:
    """A database file as a read source: plain sqlite3, no ORM (the start-up's fast path)."""

    def __init__(self, path: Path, passphrase: str | None = None) -> None:
        self.path = path
        self.passphrase = passphrase

    @property
    def where(self) -> str:
        return str(self.path)

    @property
    def name(self) -> str:
        return self.path.name

    def reader(self) -> TableReader:
        return TableReader(self.path, self.passphrase)

    def snapshot(self) -> Any:
        return snapshot(self.path, self.passphrase)


@contextmanager
def snapshot(path: Path, passphrase: str | None = None) -> Iterator[TableReader]:
    """A reader of its own for one consistent read, closed afterwards: for work on another
    thread, which must not share the window's reader."""
    reader = TableReader(path, passphrase)
    try:
        with reader.transaction():
            yield reader
    finally:
        reader.close()
