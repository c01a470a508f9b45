"""An open database — a file or an office server — with its engine, the writer's lock (files)
and the factory of units of work.

No widget holds a Session."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from citypartner_desktop.db import lock as db_lock
from citypartner_desktop.db.damage import NOT_SQLITE, NotCheckable, find_damage
from citypartner_desktop.db.engine import make_read_only_engine
from citypartner_desktop.db.reader import FileSource, ReadSource
from citypartner_desktop.db.schema import HEAD_REVISION, check_openable, inspect_file, open_engine
from citypartner_desktop.db.uow import Actor, UnitOfWork
from citypartner_desktop.domain.errors import (
    DatabaseDamagedError,
    DatabaseTooNewError,
    FileOnlyError,
    NotSQLiteError,
    ReadOnlyPlaceError,
)


@dataclass
class Database:
    file: Path | None  # None: an office server
    engine: Engine
    actor: Actor
    created: bool = False
    backup_path: Path | None = None
    upgraded_from: str | None = None
    lock: db_lock.DatabaseLock | None = None
    read_only: bool = False
    server: str | None = None  # the server's address as it may be shown (no password)
    # What the user may do: a file's user may do anything; on a server, what its grants say.
    access: str = "administrator"
    passphrase: str | None = field(default=None, repr=False)  # of an encrypted visit pack

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_server(self) -> bool:
        return self.file is None

    @property
    def location(self) -> str:
        """Where the data is, as a person reads it."""
        return str(self.file.resolve()) if self.file is not None else self.server or ""

    @property
    def path(self) -> Path:
        """The database file; what works on a file (backups, integrity checks, the lock)
        refuses a server plainly."""
        if self.file is None:
            raise FileOnlyError(f"This works on a database file; {self.location} is an office "
                                "server (there, IT backs up and checks the database).")
        return self.file

    @property
    def source(self) -> ReadSource:
        """Where the table pages and the dashboard read from, without the ORM."""
        if self.file is None:
            from citypartner_desktop.db.server_reader import ServerSource

            return ServerSource(self.engine, self.location)
        return FileSource(self.file, self.passphrase)

    @property
    def name(self) -> str:
        return self.source.name

    def size_bytes(self) -> int:
        """How much room the data takes: the file and its write-ahead log, or the server's
        database."""
        if self.file is None:
            from sqlalchemy import text

            with self.engine.connect() as connection:
                return int(connection.execute(
                    text("SELECT pg_database_size(current_database())")).scalar_one())
        return sum(p.stat().st_size for p in (self.file, Path(f"{self.file}-wal"))
                   if p.exists())

    def health(self) -> str:
        """"ok", or what SQLite's quick check found in a file (a server checks its own
        pages, and a connection that works is all there is to say)."""
        if self.file is None:
            return "ok"
        with self.engine.connect() as connection:
            rows = [r[0] for r in connection.exec_driver_sql("PRAGMA quick_check")]
            if self.passphrase is not None:  # an encrypted pack: every page's MAC as well
                rows += [str(r[0]) for r in connection.exec_driver_sql(
                    "PRAGMA cipher_integrity_check")]
        return "ok" if rows == ["ok"] else "; ".join(rows[:5])

    def compact(self, *, secure: bool = False) -> None:
        """Give a file's free pages back (VACUUM), then rebuild the search tables: they map
        by rowid, which VACUUM may renumber (``db.fts``). ``secure``: with SQLite's
        secure_delete on, so that the rebuild's freed cells are zeroed too (an erasure)."""
        from citypartner_desktop.db import fts

        _ = self.path  # a server compacts itself: refused plainly
        with self.engine.connect() as connection:
            raw: Any = connection.connection.driver_connection  # VACUUM needs no transaction
            before = raw.execute("PRAGMA secure_delete").fetchone()[0]
            if secure:
                raw.execute("PRAGMA secure_delete=ON")
            try:
                raw.execute("VACUUM")
                raw.execute("BEGIN")
                for table in fts.FTS_TABLES:
                    name = fts.fts_name(table)
                    raw.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
                raw.execute("COMMIT")
            except Exception:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raise
            finally:
                raw.execute(f"PRAGMA secure_delete={int(before)}")

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
        if not self.read_only and not self.is_server:
            self._optimise()
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def check_file(path: Path) -> None:
    """Raise DatabaseDamagedError if an existing, non-empty file is damaged (read-only check)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        problem = find_damage(path)
    except NotCheckable as exc:
        raise ReadOnlyPlaceError(
            f"{path} could not be checked before opening: {exc.reason}. It has not been "
            "changed; free some space or move it to a folder you can write to, then try "
            "again.") from None
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
        file=path,
        engine=result.engine,
        actor=actor,
        created=result.created,
        backup_path=result.backup_path,
        upgraded_from=result.upgraded_from,
        lock=held,
    )


def open_encrypted(path: Path, actor: Actor, passphrase: str, *,
                   lock: db_lock.DatabaseLock | None = None) -> Database:
    """Create or open an encrypted visit pack in place (SQLCipher): the key is checked
    first (a wrong one changes nothing), an older schema is upgraded, a newer refused. The
    file-level checks of a plain database (header, quick check through sqlite3, recovery)
    cannot read an encrypted file; SQLCipher authenticates every page instead."""
    from citypartner_desktop.db import cipher
    from citypartner_desktop.db.engine import make_engine
    from citypartner_desktop.db.schema import KNOWN_REVISIONS, upgrade

    held = lock if lock is not None else db_lock.acquire(path)
    try:
        created = not path.exists() or path.stat().st_size == 0
        if not created:
            cipher.check(path, passphrase)
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(path, passphrase)
        revision = None
        if not created:
            with engine.connect() as connection:
                found = connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE name = 'alembic_version'").first()
                if found is not None:
                    revision = connection.exec_driver_sql(
                        "SELECT version_num FROM alembic_version").scalar()
            if revision is not None and revision not in KNOWN_REVISIONS:
                engine.dispose()
                raise DatabaseTooNewError(
                    f"{path} was written by a newer version of CityPartner (schema "
                    f"{revision}). It was left as it is.")
        if revision != KNOWN_REVISIONS[-1]:
            upgrade(engine)
    except BaseException:
        if lock is None:
            held.release()
        raise
    return Database(file=path, engine=engine, actor=actor, created=created,
                    upgraded_from=None if created or revision == KNOWN_REVISIONS[-1]
                    else revision, lock=held, passphrase=passphrase)


def opens_without_writing(path: Path) -> bool:
    """True when opening needs no write (no creation, no upgrade): the file may then be opened
    read-only while it is checked. Raises the refusals (newer version, foreign file)."""
    state = inspect_file(path)
    check_openable(state, path)
    return state.exists and state.revision == HEAD_REVISION


def open_reader(path: Path, actor: Actor, lock: db_lock.DatabaseLock | None = None, *,
                immutable: bool = False) -> Database:
    """The database through a read-only engine (``lock``: the writer's lock, kept for later;
    ``immutable``: read as unchangeable, where nothing can be written beside it)."""
    return Database(file=path, engine=make_read_only_engine(path, immutable=immutable),
                    actor=actor, lock=lock, read_only=True)


def open_server(address: str, actor: Actor, *, set_up: bool = False) -> Database:
    """An office database on a PostgreSQL server. ``set_up`` (``citypartner init``) creates
    the schema in an empty database or upgrades an older one; otherwise a database that is
    not at this build's schema is refused, for IT to upgrade. The history names the server's
    user, whoever the computer's user is."""
    from sqlalchemy import text

    from citypartner_desktop.db import server
    from citypartner_desktop.db.schema import KNOWN_REVISIONS, run_migrations

    engine = server.make_server_engine(address)
    try:
        with engine.connect() as connection:
            state = server.inspect_server(connection)
            server.check_server_openable(state, address, KNOWN_REVISIONS)
            user = str(connection.execute(text("SELECT current_user")).scalar())
            access = server.access_of(connection) if not state.empty else "administrator"
            if state.revision != HEAD_REVISION:
                if not set_up:
                    raise server.ServerUnavailableError(
                        f"{server.shown(address)} needs its CityPartner schema "
                        + ("set up" if state.revision is None else "upgraded")
                        + f"; run: citypartner init --db {server.shown(address)}")
                connection.rollback()  # the look above began a transaction; the upgrade is one
                server.upgrade_server(connection, run_migrations)
    except DBAPIError as exc:
        engine.dispose()
        raise server.explain(exc, address) from None
    except BaseException:
        engine.dispose()  # refused: no connection is left open
        raise
    return Database(file=None, engine=engine, actor=Actor(user, actor.installation_id),
                    created=state.empty and set_up,
                    upgraded_from=state.revision if set_up and not state.empty
                    and state.revision != HEAD_REVISION else None,
                    server=server.shown(address), access=access)
