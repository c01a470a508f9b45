"""An open database: path, engine and the factory of units of work. No widget holds a Session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from citypartner_desktop.db.schema import open_engine
from citypartner_desktop.db.uow import Actor, UnitOfWork


@dataclass
class Database:
    path: Path
    engine: Engine
    actor: Actor
    created: bool = False
    backup_path: Path | None = None
    upgraded_from: str | None = None

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._factory, self.actor)

    def close(self) -> None:
        # SQLite's advice: let it refresh the planner's statistics where they went stale.
        try:
            with self.engine.begin() as connection:
                connection.exec_driver_sql("PRAGMA analysis_limit=1000")
                connection.exec_driver_sql("PRAGMA optimize")
        except OperationalError:
            pass  # read-only or busy: statistics can wait for another time
        self.engine.dispose()


def open_database(path: Path, actor: Actor) -> Database:
    result = open_engine(path)
    return Database(
        path=path,
        engine=result.engine,
        actor=actor,
        created=result.created,
        backup_path=result.backup_path,
        upgraded_from=result.upgraded_from,
    )
