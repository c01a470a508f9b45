"""Open a database file safely: create it, upgrade it (after a backup), or refuse it.

The revision check reads the file read-only and needs no Alembic, so a database that is already
current opens without importing Alembic at all; Alembic loads only to create or upgrade. The check
needs no SQLAlchemy either, so that the application can look at the file before loading it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from citypartner_desktop.db.damage import SQLITE_HEADER, NotCheckable, read_only_rows
from citypartner_desktop.db.pragmas import APPLICATION_ID
from citypartner_desktop.db.revisions import HEAD_REVISION as HEAD_REVISION
from citypartner_desktop.db.revisions import KNOWN_REVISIONS as KNOWN_REVISIONS
from citypartner_desktop.domain.errors import (
    DatabaseDamagedError,
    DatabaseTooNewError,
    NotOurDatabaseError,
    NotSQLiteError,
    ReadOnlyPlaceError,
)

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine


@dataclass(frozen=True)
class FileState:
    exists: bool
    revision: str | None
    application_id: int
    table_count: int


def inspect_file(path: Path) -> FileState:
    """Read what a file is without writing a byte to it."""
    if not path.exists() or path.stat().st_size == 0:
        return FileState(False, None, 0, 0)
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise NotSQLiteError(path)
    try:
        app_id = read_only_rows(path, "PRAGMA application_id")[0][0]
        tables = read_only_rows(path, "SELECT count(*) FROM sqlite_master WHERE type='table'")
        revision = None
        if read_only_rows(path, "SELECT 1 FROM sqlite_master WHERE name='alembic_version'"):
            rows = read_only_rows(path, "SELECT version_num FROM alembic_version")
            revision = str(rows[0][0]) if rows else None
    except NotCheckable as exc:
        raise ReadOnlyPlaceError(f"{path} cannot be read where it is: {exc.reason}.") from None
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamagedError(path, f"SQLite cannot read it ({exc})") from None
    return FileState(True, revision, int(str(app_id)), int(str(tables[0][0])))


def is_our_revision(state: FileState) -> bool:
    """Whether the file's schema revision is CityPartner's: one this build knows, or any in
    a file marked as ours (``application_id``) — a newer version's. Another program's
    Alembic-managed database has a revision too, but not our mark."""
    return state.revision in KNOWN_REVISIONS or state.application_id == APPLICATION_ID


def check_openable(state: FileState, path: Path) -> None:
    if state.application_id not in (0, APPLICATION_ID) or (
        state.exists and state.revision is None and state.table_count > 0
    ):
        raise NotOurDatabaseError(
            f"{path} is an SQLite file of another program; it was left as it is."
        )
    if state.revision is not None and not is_our_revision(state):
        raise NotOurDatabaseError(
            f"{path} is a database of another program (its schema {state.revision} is none "
            "of CityPartner's); it was left as it is."
        )
    if state.revision is not None and state.revision not in KNOWN_REVISIONS:
        raise DatabaseTooNewError(
            f"{path} was written by a newer version of CityPartner (schema {state.revision}). "
            "This version cannot use it safely and has not changed it; please update CityPartner."
        )


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return config


def run_migrations(connection: Connection, revision: str = "head") -> None:
    """Alembic's upgrade on the caller's connection, inside the caller's transaction."""
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade a database file: one transaction, foreign keys off meanwhile."""
    with engine.connect() as connection:
        # Foreign keys are off while batch migrations rebuild tables (SQLite's rule); the
        # pragma only works outside a transaction, so it goes to the driver before BEGIN.
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():  # the whole upgrade commits or rolls back as one
                run_migrations(connection, revision)
                connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


@dataclass(frozen=True)
class OpenResult:
    engine: Engine
    created: bool
    upgraded_from: str | None
    backup_path: Path | None


def open_engine(path: Path) -> OpenResult:
    """Create, upgrade (backup first) or simply open ``path``; refuse what is not ours."""
    # Here, not at the top: the revision check above is also used before SQLAlchemy loads.
    from citypartner_desktop.db.engine import make_engine

    state = inspect_file(path)
    check_openable(state, path)
    if not state.exists:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(path)
        upgrade(engine)
        return OpenResult(engine, created=True, upgraded_from=None, backup_path=None)
    backup_path = None
    engine = make_engine(path)
    if state.revision != HEAD_REVISION:
        from citypartner_desktop.db.backup import timestamped_backup
        from citypartner_desktop.paths import backup_dir_for

        backup_path = timestamped_backup(
            path, backup_dir_for(path), f"before-upgrade-{state.revision}"
        )
        upgrade(engine)
    return OpenResult(
        engine,
        created=False,
        upgraded_from=None if backup_path is None else state.revision,
        backup_path=backup_path,
    )
