"""The pages' reads on an office server: a psycopg connection of the reader's own, outside
the ORM's pool, that runs the same plain SQL as a file's ``TableReader``.

It is in autocommit mode, so each statement sees what colleagues committed up to then;
``transaction`` gives a read of several statements one snapshot (the dashboard's figures must
add up). A connection the network dropped is opened again at the next read."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import Engine

from citypartner_desktop.db import server
from citypartner_desktop.db.search_sql import TsSearch


class ServerReader:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: psycopg.Connection[Any] | None = None
        self._trace: Callable[[str], object] | None = None
        self._connect()

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            self._connection = psycopg.connect(
                server.conninfo(self._engine), autocommit=True,
                **server.connect_args(read_only=True))
        except psycopg.Error as exc:
            raise server.server_error(exc, reading=True) from None
        return self._connection

    @property
    def search(self) -> TsSearch:
        return TsSearch()

    def trace(self, callback: Callable[[str], object] | None) -> None:
        """Call ``callback`` with each statement run (None stops); tests count queries so."""
        self._trace = callback

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        if self._trace is not None:
            self._trace(sql)
        connection = self._connection
        if connection is None or connection.closed or connection.broken:
            connection = self._connect()
        try:
            cursor = connection.execute(server.server_sql(sql), parameters)
            return list(cursor.fetchall()) if cursor.description is not None else []
        except psycopg.Error as exc:
            raise server.server_error(exc, reading=True) from None

    @contextmanager
    def transaction(self) -> Iterator[ServerReader]:
        self.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield self
        finally:
            connection = self._connection
            if connection is not None and not connection.closed and not connection.broken:
                connection.execute("ROLLBACK")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class ServerSource:
    """An office server as a read source (``db.reader.ReadSource``)."""

    def __init__(self, engine: Engine, shown: str) -> None:
        self._engine = engine
        self._shown = shown

    @property
    def where(self) -> str:
        return self._shown

    @property
    def name(self) -> str:
        """The database's name, as a window title shows it."""
        return self._engine.url.database or self._shown

    def reader(self) -> ServerReader:
        return ServerReader(self._engine)

    @contextmanager
    def snapshot(self) -> Iterator[ServerReader]:
        reader = ServerReader(self._engine)
        try:
            with reader.transaction():
                yield reader
        finally:
            reader.close()
