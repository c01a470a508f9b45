"""What every page and dialog shares: the open database, the change bus, undo, settings.

Passed explicitly (no global singletons), so tests build one per test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack

if TYPE_CHECKING:  # the window's frame is built before the data layer is imported
    from citypartner_desktop.db.database import Database
    from citypartner_desktop.db.reader import Reader, ReadSource


class ChangeBus(QObject):
    """Emitted after every committed change: kind ("*" for everything) and the ids touched."""

    changed = Signal(str, list)


class AppContext:
    """The open database twice: ``db`` (SQLAlchemy, for everything that writes or needs the
    ORM) and ``reader`` (plain SQL, read-only, for the table pages: sqlite3 on a file, a
    psycopg connection of its own on a server). On a file the reader comes first at start-up,
    so that data is on screen before the ORM is imported; ``db`` follows."""

    def __init__(self, db: Database | None, bus: ChangeBus, undo: QUndoStack,
                 settings: QSettings, reader: Reader | None = None) -> None:
        self._db = db
        self._reader = reader
        self._closed = False
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
        self._closed = False

    @property
    def may_edit(self) -> bool:
        """The user may change records (on a server: an editor or administrator)."""
        return self._db is None or self._db.access != "viewer"

    @property
    def is_admin(self) -> bool:
        """The user may merge, delete for good and manage users (a file's user may)."""
        return self._db is None or self._db.access == "administrator"

    @property
    def source(self) -> ReadSource:
        """Where the pages read from (a file or an office server); known as soon as either
        connection is open."""
        if self._db is not None:
            return self._db.source
        if self._reader is not None:  # the start's first look at a file
            from citypartner_desktop.db.reader import FileSource, TableReader

            assert isinstance(self._reader, TableReader)
            return FileSource(self._reader.path)
        raise RuntimeError("no database is open")

    @property
    def where(self) -> str:
        """The file's path or the server's address (without its password), as shown."""
        return self.source.where

    @property
    def has_db(self) -> bool:
        return self._db is not None

    @property
    def is_open(self) -> bool:
        """Either connection is attached (False once a start ended before the full open)."""
        return self._db is not None or self._reader is not None

    @property
    def reader(self) -> Reader:
        if self._reader is None:
            self._reader = self.db.source.reader()
        return self._reader

    def attach_reader(self, reader: Reader) -> None:
        """The start's first look gave a reader before the database is fully open."""
        self._reader = reader

    def close_db(self) -> None:
        """Close both connections (the reader too: Windows cannot replace an open file)."""
        self.close_reader()
        if self._db is not None and not self._closed:
            self._closed = True
            self._db.close()

    def close_reader(self) -> None:
        """Reopened at the next read."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def notify(self, kind: str, ids: list[str] | None = None) -> None:
        self.bus.changed.emit(kind, ids or [])
