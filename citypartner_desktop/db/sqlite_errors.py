"""SQLite's terse errors as messages that say what happened and what to do.

Free of SQLAlchemy: the ORM's unit of work and the plain read path (``db.reader``) share it.
"""

from __future__ import annotations

from citypartner_desktop.domain.errors import (
    DatabaseBusyError,
    DatabaseDamagedError,
    DatabaseError,
    StorageFullError,
    StorageIOError,
)


def storage_error(orig: BaseException | None) -> DatabaseError:
    """SQLite's terse error, as a message that says what happened and what to do."""
    text = str(orig)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return DatabaseBusyError(
            "Another program kept the database busy for too long, so your change was not saved. "
            "Try again in a moment; if it keeps happening, close other programs using the file."
        )
    if "full" in lowered:
        return StorageFullError(
            "The disk is full, so your change was not saved; everything saved before is intact. "
            "Free some disk space, then save again."
        )
    if "i/o error" in lowered:
        return StorageIOError(
            "The disk reported a read/write error, so your change was not saved. Check the disk "
            "or the connection to it, then try again."
        )
    if "malformed" in lowered or "not a database" in lowered:
        return DatabaseDamagedError("The database", f"SQLite reports: {text}")
    if "readonly" in lowered or "read-only" in lowered:
        return DatabaseError(
            "The database is open read-only (it is still being checked after opening, or the "
            "file cannot be written), so your change was not saved. Try again in a moment; if "
            "it stays so, check the file's permissions."
        )
    return DatabaseError(f"The database could not save: {text}")


def read_error(orig: BaseException) -> DatabaseError:
    """A failed read, said as one: nothing was being saved."""
    text = str(orig)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return DatabaseBusyError(
            "Another program kept the database busy for too long, so the list could not be "
            "read. Try again in a moment.")
    if "i/o error" in lowered:
        return StorageIOError(
            "The disk reported a read error. Check the disk or the connection to it, then try "
            "again.")
    if "malformed" in lowered or "not a database" in lowered:
        return DatabaseDamagedError("The database", f"SQLite reports: {text}")
    return DatabaseError(f"The database could not be read: {text}")
