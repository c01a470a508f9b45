"""An open database: path, engine, the writer's lock and the factory of units of work.

No widget holds a Session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from citypartner_desktop.db import lock as db_lock
from citypartner_desktop.db.damage import NOT_SQLITE, find_damage
from citypartner_desktop.db.engine import make_read_only_engine
from citypartner_desktop.db.schema import HEAD_REVISION, check_openable, inspect_file, open_engine
from citypartner_desktop.db.uow import Actor, UnitOfWork
from citypartner_desktop.domain.errors import DatabaseDamagedError, NotSQLiteError


@dataclass
class Database:
    path: Path
    engine: Engine
    actor: Actor
    created: bool = False
    backup_path: Path | None = None
    upgraded_from: str | None = None
    lock: db_lock.DatabaseLock | None = None
    read_only: bool = False

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    def _optimise(self) -> None:
        # SQLite's advice: let it refresh the planner's statistics where they went stale.
        try:
            with self.engine.begin() as connection:
                connection.exec_driver_sql("PRAGMA analysis_limit=1000")
                connection.exec_driver_sql("PRAGMA optimize")
        except DBAPIError:
            pass  # busy or full: statistics can wait for another time

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._factory, self.actor)

    def close(self) -> None:
        if not self.read_only:
            self._optimise()
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def check_file(path: Path) -> None:
    """Raise DatabaseDamagedError if an existing, non-empty file is damaged (read-only check)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    problem = find_damage(path)
    if problem == NOT_SQLITE:
        raise NotSQLiteError(path)
    if problem:
        raise DatabaseDamagedError(path, problem)


def open_database(
    path: Path, actor: Actor, *, lock: db_lock.DatabaseLock | None = None, check: bool = True
) -> Database:
    """Lock, check (unless the caller just did), then create, upgrade or open.

    The lock comes first, so that the check and any upgrade see a file nobody else writes."""
    held = lock if lock is not None else db_lock.acquire(path)
    try:
        if check:
            check_file(path)
        result = open_engine(path)
    except BaseException:
        if lock is None:
            held.release()
        raise
    return Database(
        path=path,
        engine=result.engine,
        actor=actor,
        created=result.created,
        backup_path=result.backup_path,
        upgraded_from=result.upgraded_from,
        lock=held,
    )


def opens_without_writing(path: Path) -> bool:
    """True when opening needs no write (no creation, no upgrade): the file may then be opened
    read-only while it is checked. Raises the refusals (newer version, foreign file)."""
    state = inspect_file(path)
    check_openable(state, path)
    return state.exists and state.revision == HEAD_REVISION


def open_reader(path: Path, actor: Actor, lock: db_lock.DatabaseLock | None = None) -> Database:
    """The database through a read-only engine (``lock``: the writer's lock, kept for later)."""
    return Database(path=path, engine=make_read_only_engine(path), actor=actor, lock=lock,
                    read_only=True)
