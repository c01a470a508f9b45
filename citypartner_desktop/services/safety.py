"""Keeping the file safe: the writer's lock, the check before opening, damaged files moved
aside (never deleted, never written to), the full check, and risky storage places."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from citypartner_desktop import paths
from citypartner_desktop.db import damage, file_errors
from citypartner_desktop.db import lock as db_lock
from citypartner_desktop.db.database import check_file
from citypartner_desktop.db.database import opens_without_writing as _opens_without_writing
from citypartner_desktop.db.schema import check_openable, inspect_file
from citypartner_desktop.domain.errors import (
    DatabaseDamagedError,
    DatabaseTooNewError,
    NotFoundError,
    NotOurDatabaseError,
    NotSQLiteError,
    ReadOnlyPlaceError,
    UnusablePathError,
)
from citypartner_desktop.domain.storage import risk_message, storage_risk

DatabaseLock = db_lock.DatabaseLock


def take_lock(db_path: Path) -> DatabaseLock:
    """Become the one writer of ``db_path`` or raise DatabaseInUseError naming the holder."""
    return db_lock.acquire(db_path)


def check_path(db_path: Path) -> None:
    """Raise UnusablePathError unless ``db_path`` is a file or nothing at all."""
    problem = file_errors.path_problem(db_path)
    if problem:
        raise UnusablePathError(f"{db_path} {problem}; nothing was created or changed.")


def check_before_open(db_path: Path) -> None:
    """Raise DatabaseDamagedError (saying what is wrong) before anything writes to the file:
    the quick checks of ``check_file_shape`` and SQLite's quick_check."""
    check_file_shape(db_path)
    check_file(db_path)


def check_file_shape(db_path: Path) -> None:
    """The checks that take microseconds: empty, not SQLite, cut short, garbage journal.

    Only a path where nothing is gets a new database. An empty file is a database that lost
    its content (a failed copy, a sync client, a full disk): it is refused like any damaged
    one, and the way back is a backup — never a new, empty office under the old name."""
    check_path(db_path)
    if not db_path.exists():
        return
    if db_path.stat().st_size == 0:
        raise DatabaseDamagedError(db_path, "the file is empty (0 bytes)")
    problem = damage.header_problem(db_path) or damage.wal_problem(db_path)
    if problem == damage.NOT_SQLITE:
        raise NotSQLiteError(db_path)
    if problem:
        raise DatabaseDamagedError(db_path, problem)


def quick_check(db_path: Path) -> None:
    """SQLite's quick_check (reads every page: seconds on a large file), read-only."""
    problems = damage.quick_check_problems(db_path)
    if problems:
        raise DatabaseDamagedError(db_path, "SQLite's check found: " + "; ".join(problems[:3]))


def opens_without_writing(db_path: Path) -> bool:
    """Current schema, ours: it can be shown read-only while ``quick_check`` runs."""
    return _opens_without_writing(db_path)


def move_to_recovery(db_path: Path, now: datetime | None = None) -> Path:
    """Move a damaged database and its -wal/-shm into ``recovery/<name>-<time>/``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    folder = paths.recovery_dir_for(db_path) / f"{db_path.stem}-{stamp}"
    n = 2
    while folder.exists():
        folder = folder.with_name(f"{db_path.stem}-{stamp}-{n}")
        n += 1
    folder.mkdir(parents=True)
    for part in (db_path, damage.wal_path(db_path), damage.shm_path(db_path)):
        if part.exists():
            os.replace(part, folder / part.name)
    return folder


@dataclass(frozen=True)
class CheckReport:
    path: Path
    problems: list[str]
    # Why the file could not be checked at all ("the disk is full"): no verdict on the file.
    unchecked: str | None = None
    # Sound, but not a database this version may use: another program's, a newer version's.
    not_usable: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.unchecked is None and self.not_usable is None


def full_check(db_path: Path) -> CheckReport:
    """SQLite's full integrity_check and foreign_key_check, then every attachment against
    its SHA-256; read-only (safe while open)."""
    check_path(db_path)
    if not db_path.is_file():
        raise NotFoundError(f"{db_path} does not exist.")
    if db_path.stat().st_size == 0:
        return CheckReport(db_path, ["the file is empty (0 bytes)"])
    first = damage.header_problem(db_path) or damage.wal_problem(db_path)
    if first:
        return CheckReport(db_path, [first])
    try:  # sound SQLite may still be another program's, or a newer CityPartner's
        check_openable(inspect_file(db_path), db_path)
    except (NotOurDatabaseError, DatabaseTooNewError) as exc:
        return CheckReport(db_path, [], not_usable=str(exc))
    except ReadOnlyPlaceError:
        pass  # said by the checks below, which read it as they can
    try:
        problems = damage.integrity_problems(db_path)
        if not problems:
            problems = (damage.foreign_key_problems(db_path)
                        + damage.attachment_problems(db_path))
    except damage.NotCheckable as exc:
        return CheckReport(db_path, [], exc.reason)
    return CheckReport(db_path, problems)


def storage_warning(db_path: Path) -> str | None:
    """A warning when the database sits on a network share or in a cloud-synced folder."""
    absolute = os.path.abspath(db_path)
    windows = sys.platform == "win32"
    reason = storage_risk(absolute, [] if windows else paths.mount_table(), windows=windows)
    return risk_message(str(db_path), reason) if reason else None
