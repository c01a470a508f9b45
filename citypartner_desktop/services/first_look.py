"""The first look at the database file at start-up, before the ORM is loaded.

Takes the writer's lock (so a second instance is refused before it shows anything) and, when
the file is a current, sound-looking CityPartner database, opens the read-only reader that
lets the window paint its first page at once. Anything else — a new file, an upgrade, a
damaged or foreign file — gets no reader: the full open (``ui.safe_open``) deals with it and
says what is wrong. Nothing here imports SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from citypartner_desktop.db import damage, file_errors, schema
from citypartner_desktop.db import lock as db_lock
from citypartner_desktop.db.reader import TableReader
from citypartner_desktop.domain.errors import (
    CityPartnerError,
    ReadOnlyPlaceError,
    UnusablePathError,
)


@dataclass
class FirstLook:
    lock: db_lock.DatabaseLock
    reader: TableReader | None  # None: the file must be created, upgraded or examined first


def first_look(path: Path) -> FirstLook:
    """Raises DatabaseInUseError (naming the holder) when another instance has the file."""
    problem = file_errors.path_problem(path)
    if problem:
        raise UnusablePathError(f"{path} {problem}; nothing was created or changed.")
    try:
        lock = db_lock.acquire(path)
    except OSError as exc:  # the lock file cannot be made beside it
        raise ReadOnlyPlaceError(
            f"{path} cannot be opened here for changes: {file_errors.describe_error(exc)}. "
            "It can still be read with citypartner info, export and report; or copy it to "
            "a folder you can write to.") from None
    return FirstLook(lock, _reader_if_current(path))


def _reader_if_current(path: Path) -> TableReader | None:
    try:
        if not path.exists() or path.stat().st_size == 0:
            return None
        if damage.header_problem(path) or damage.wal_problem(path):
            return None
        state = schema.inspect_file(path)
        schema.check_openable(state, path)
        if state.revision != schema.HEAD_REVISION:
            return None
        return TableReader(path)
    except (CityPartnerError, OSError):
        return None  # the full open reports it properly
