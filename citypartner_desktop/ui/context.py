"""What every page and dialog shares: the open database, the change bus, undo, settings.

Passed explicitly (no global singletons), so tests build one per test.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack

if TYPE_CHECKING:  # the window's frame is built before the data layer is imported
    from citypartner_desktop.db.database import Database
    from citypartner_desktop.db.reader import TableReader


class ChangeBus(QObject):
    """Emitted after every committed change: kind ("*" for everything) and the ids touched."""

    changed = Signal(str, list)


class AppContext:
    """The open database twice: ``db`` (SQLAlchemy, for everything that writes or needs the
    ORM) and ``reader`` (plain sqlite3, read-only, for the table pages). At start-up the reader
    comes first, so that data is on screen before the ORM is imported; ``db`` follows."""

    def __init__(self, db: Database | None, bus: ChangeBus, undo: QUndoStack,
                 settings: QSettings, reader: TableReader | None = None) -> None:
        self._db = db
        self._reader = reader
        self.bus = bus
        self.undo = undo
        self.settings = settings

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("the database is still being opened (only its reader is ready)")
        return self._db

    @db.setter
    def db(self, db: Database) -> None:
        self.close_reader()  # a restore may have put another file at the same path
        self._db = db

    @property
    def path(self) -> Path:
        """The database file; known as soon as either connection is open."""
        if self._db is not None:
            return self._db.path
        if self._reader is not None:
            return self._reader.path
        raise RuntimeError("no database is open")

    @property
    def has_db(self) -> bool:
        return self._db is not None

    @property
    def is_open(self) -> bool:
        """Either connection is attached (False once a start ended before the full open)."""
        return self._db is not None or self._reader is not None

    @property
    def reader(self) -> TableReader:
        if self._reader is None:
            from citypartner_desktop.services.pages import open_reader

            self._reader = open_reader(self.db.path)
        return self._reader

    def close_db(self) -> None:
        """Close both connections (the reader too: Windows cannot replace an open file)."""
        self.close_reader()
        if self._db is not None:
            self._db.close()

    def close_reader(self) -> None:
        """Reopened at the next read."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def notify(self, kind: str, ids: list[str] | None = None) -> None:
        self.bus.changed.emit(kind, ids or [])
