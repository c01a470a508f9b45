"""An open database: path, engine and the factory of units of work. No widget holds a Session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
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
