"""Colleagues' changes on an office server, as they happen: a thread that listens to the
change notices (PostgreSQL LISTEN/NOTIFY, sent by the triggers of migration 0008) on a
connection of its own and hands each one — the table and the ids it names — to a callback.

The notices of this process's own saves are left out (they name its application name); a
dropped connection is opened again after a pause, and the callback is then told that
anything may have changed meanwhile (table ``*``)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import Engine

from citypartner_desktop.db import server

log = logging.getLogger(__name__)
Notice = Callable[[str, list[str]], None]  # table ("*": anything), ids (none: any row)
WAIT_S = 0.5  # how often the thread looks whether it should stop
RECONNECT_S = (1, 2, 5, 10, 30)  # pauses between attempts after the connection dropped


def parse(payload: str, own: str) -> tuple[str, list[str]] | None:
    """(table, ids) of a notice; None for this process's own or one not ours."""
    source, sep, rest = payload.partition("|")
    table, sep2, ids = rest.partition("|")
    if not (sep and sep2 and table) or source == own:
        return None
    return table, [i for i in ids.split(",") if i]


class ChangeListener:
    def __init__(self, engine: Engine, on_notice: Notice) -> None:
        self._conninfo = server.conninfo(engine)
        self._on_notice = on_notice
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="change-notices", daemon=True)
        self.listening = threading.Event()  # set while LISTEN is in force (tests wait on it)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _connect(self) -> psycopg.Connection[Any]:
        connection = psycopg.connect(self._conninfo, autocommit=True, **server.connect_args())
        connection.execute(f"LISTEN {server.CHANGES_CHANNEL}")
        return connection

    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                with self._connect() as connection:
                    if attempt:
                        self._on_notice("*", [])  # what changed while away is not known
                    attempt = 0
                    self.listening.set()
                    self._listen(connection)
            except psycopg.Error as exc:
                self.listening.clear()
                pause = RECONNECT_S[min(attempt, len(RECONNECT_S) - 1)]
                attempt += 1
                log.info("change notices interrupted (%s); again in %s s",
                         server.first_line(exc), pause)
                self._stop.wait(pause)
        self.listening.clear()

    def _listen(self, connection: psycopg.Connection[Any]) -> None:
        while not self._stop.is_set():
            for notice in connection.notifies(timeout=WAIT_S):
                parsed = parse(notice.payload, server.APPLICATION_NAME)
                if parsed is not None:
                    self._on_notice(*parsed)
                if self._stop.is_set():
                    return
