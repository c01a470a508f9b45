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

from citypartner_desktop.db.damage import SQLITE_HEADER
from citypartner_desktop.db.pragmas import APPLICATION_ID
from citypartner_desktop.domain.errors import (
    DatabaseDamagedError,
    DatabaseTooNewError,
    NotOurDatabaseError,
    NotSQLiteError,
)

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

# Every revision this build knows, oldest first; the last is the head. A test checks this
# against the migration scripts, so it cannot drift.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001_initial", "0002_fts_search", "0003_live_order_indexes", "0004_counts_and_sort_labels",
    "0005_monitoring",
    "0006_import", "0007_fts_prefix", "0008_change_notices", "0009_live_order_nulls_first",
    "0010_bulk_counts", "0011_visit_packs",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]



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
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamagedError(path, f"SQLite cannot read it ({exc})") from None
    return FileState(True, revision, int(app_id), len(tables))


def check_openable(state: FileState, path: Path) -> None:
    if state.application_id not in (0, APPLICATION_ID) or (
        state.exists and state.revision is None and state.table_count > 0
    ):
        raise NotOurDatabaseError(
            f"{path} is an SQLite file of another program; it was left as it is."
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
