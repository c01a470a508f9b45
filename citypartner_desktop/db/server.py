"""An office database on a PostgreSQL server: the engine for a ``postgresql://`` address, what
is at that address (empty, ours at a revision, another program's), the schema upgrade, and the
server's refusals turned into one plain line each.

The address is shown without its password wherever it is shown. Nothing here is used for a
database file (``db/engine.py``, ``db/schema.py``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from citypartner_desktop.domain.errors import (
    DatabaseError,
    DatabaseTooNewError,
    NotOurDatabaseError,
)
from citypartner_desktop.paths import SERVER_SCHEMES as SCHEMES

if TYPE_CHECKING:
    from sqlalchemy import Connection

# Our tables: a database with an alembic_version but none of these is another program's.
OUR_TABLES = frozenset({"cities", "partnerships", "changes"})
# Every transaction waits at most this long for a row another session holds (then "try again").
LOCK_TIMEOUT = "10s"
# This process's connections, as the server lists them (pg_stat_activity) and as the change
# notices name their source.
APPLICATION_NAME = f"CityPartner {secrets.token_hex(4)}"
# The channel of the change notices (migration 0008).
CHANGES_CHANNEL = "citypartner_changes"
# Taken by an upgrade so that two `init` runs never migrate at once ("CPTD").
UPGRADE_LOCK = 0x43505444


class ServerUnavailableError(DatabaseError):
    """The server cannot be reached, or refused the connection (address, password, rights)."""


class PasswordRefusedError(ServerUnavailableError):
    """The server wants a password, or refused the one given: ask the user for it."""


def parse_address(address: str) -> URL:
    """The SQLAlchemy URL for psycopg 3; libpq options (``sslmode``, …) pass through."""
    try:
        url = make_url(address)
    except ArgumentError:
        raise DatabaseError(f"{address!r} is not a PostgreSQL address "
                            "(postgresql://user@host/database)") from None
    if url.drivername.split("+", 1)[0] not in SCHEMES:
        raise DatabaseError(f"{shown(address)} is not a PostgreSQL address")
    if not url.database:
        raise DatabaseError(f"{shown(address)} names no database "
                            "(postgresql://user@host/database)")
    return url.set(drivername="postgresql+psycopg")


def shown(address: str | URL) -> str:
    """The address as it may be shown: without its password."""
    try:
        url = address if isinstance(address, URL) else make_url(address)
    except ArgumentError:
        return "the address given"
    return url.set(drivername=url.drivername.split("+", 1)[0]).render_as_string(
        hide_password=True)


def compose_address(host: str, port: int, database: str, user: str, sslmode: str) -> str:
    """An address (without a password) of its parts; libpq's default SSL mode is left out."""
    query = {} if sslmode == "prefer" else {"sslmode": sslmode}
    url = URL.create("postgresql", username=user, host=host, port=port, database=database,
                     query=query)
    return url.render_as_string(hide_password=False)


def address_parts(address: str) -> tuple[str, int | None, str, str, str]:
    """Host, port, database, user and SSL mode of an address."""
    url = parse_address(address)
    mode = url.query.get("sslmode", "prefer")
    return (url.host or "", url.port, url.database or "", url.username or "",
            mode if isinstance(mode, str) else mode[0])


def password_of(address: str) -> str | None:
    try:
        return make_url(address).password
    except ArgumentError:
        return None


def without_password(address: str) -> str:
    """The address with no password at all (``shown`` masks one as ``***``): what is
    remembered, and the keychain's name for the server."""
    try:
        url = make_url(address)
    except ArgumentError:
        return shown(address)
    # URL.set leaves out what is None: the tuple's own _replace drops the password.
    url = url.set(drivername=url.drivername.split("+", 1)[0])._replace(password=None)
    return url.render_as_string(hide_password=False)


def with_password(address: str, password: str) -> str:
    return make_url(address).set(password=password).render_as_string(hide_password=False)


def server_sql(sql: str) -> str:
    """The app's plain SQL (SQLite's ``?`` placeholders) as psycopg takes it (``%s``). The
    statements are ours and hold no ``?`` in a literal."""
    return sql.replace("%", "%%").replace("?", "%s")


def connect_args(*, read_only: bool = False) -> dict[str, Any]:
    """libpq settings of every connection the application opens (the engine's, a reader's,
    the listener's). The application name carries this process's tag: the change notices
    a desktop gets back for its own saves are known by it."""
    # A custom plan for every statement: the pages run one statement text for every search
    # word, and the generic plan psycopg's prepared statements get after five runs ignores the
    # word ("w" then took 260 ms instead of 2.5: benchmarks/tables.py on the large demo).
    options = f"-c lock_timeout={LOCK_TIMEOUT} -c plan_cache_mode=force_custom_plan"
    if read_only:
        options += " -c default_transaction_read_only=on"
    return {"application_name": APPLICATION_NAME, "options": options, "connect_timeout": 10}


def make_server_engine(address: str, *, read_only: bool = False) -> Engine:
    return create_engine(parse_address(address), pool_pre_ping=True,
                         connect_args=connect_args(read_only=read_only))


def conninfo(engine: Engine) -> str:
    """The engine's address for psycopg itself (password included: never shown)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def first_line(error: BaseException | None) -> str:
    """A driver's message without its context lines (the statement, a caret under it)."""
    lines = str(error or "").strip().splitlines()
    return lines[0] if lines else ""


def server_error(orig: BaseException | None, *, reading: bool = False) -> DatabaseError:
    """A refusal met in the middle of work, by its SQLSTATE: what happened and what to do.
    ``reading``: it was met reading (a page, the dashboard), where nothing was to be saved."""
    from citypartner_desktop.domain.errors import (
        DatabaseBusyError,
        NoRightsError,
        TryAgainError,
    )

    code = getattr(orig, "sqlstate", None) or ""
    detail = first_line(orig)
    if code in ("40001", "40P01"):  # serialization failure, deadlock
        return TryAgainError(f"The server undid this change because it met another ({detail}); "
                             "it can simply be made again.")
    if code in ("55P03", "57014"):  # lock not available, statement timeout
        return DatabaseBusyError("A colleague's save kept this record busy for too long, so "
                                 "your change was not saved. Try again in a moment.")
    if code == "42501" or code == "25006":  # insufficient privilege, read-only transaction
        return NoRightsError("Your access to the office database is read-only for this, so "
                             f"nothing was changed ({detail}).")
    if code.startswith("08") or not code:
        if reading:
            return ServerUnavailableError(f"The office database cannot be reached ({detail}); "
                                          "what is shown may be out of date.")
        return ServerUnavailableError("The office database cannot be reached, so your change "
                                      f"was not saved ({detail}). Try again when it can.")
    if reading:
        return DatabaseError(f"The office database refused the read: {detail}")
    return DatabaseError(f"The office database refused the change: {detail}")


def explain(exc: DBAPIError, address: str) -> DatabaseError:
    """A refusal from the server or the network as one line that names the address (without
    its password) and what to do."""
    where = shown(address)
    detail = first_line(exc.orig if exc.orig is not None else exc)
    code = getattr(exc.orig, "sqlstate", None) or ""
    lowered = detail.lower()
    if code == "28P01" or "password authentication failed" in lowered:
        return PasswordRefusedError(f"{where}: the server refused the user name or password.")
    if "no password supplied" in lowered:
        return PasswordRefusedError(f"{where}: the server asks for a password.")
    if code == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return ServerUnavailableError(f"{where}: there is no such database on the server; "
                                      "ask IT to create it (createdb), then run citypartner init.")
    if code.startswith("42501") or "permission denied" in lowered:
        return ServerUnavailableError(f"{where}: your database user lacks the rights for this "
                                      f"({detail}).")
    if code.startswith("08") or not code:
        return ServerUnavailableError(f"{where}: the server cannot be reached ({detail}).")
    return ServerUnavailableError(f"{where}: {detail}")


@dataclass(frozen=True)
class ServerState:
    revision: str | None
    tables: frozenset[str]

    @property
    def empty(self) -> bool:
        """Nothing in it yet (or only Alembic's table, with no revision: migrated down)."""
        return self.revision is None and not self.tables - {"alembic_version"}


def inspect_server(connection: Connection) -> ServerState:
    names = frozenset(inspect(connection).get_table_names())
    revision = None
    if "alembic_version" in names:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return ServerState(revision, names)


def check_server_openable(state: ServerState, address: str, known: tuple[str, ...]) -> None:
    where = shown(address)
    if not state.empty and (state.revision is None or not state.tables >= OUR_TABLES):
        raise NotOurDatabaseError(
            f"{where} holds another program's tables; CityPartner has not changed it. "
            "Give CityPartner a database of its own.")
    if state.revision is not None and state.revision not in known:
        raise DatabaseTooNewError(
            f"{where} was set up by a newer version of CityPartner (schema {state.revision}). "
            "This version cannot use it safely and has not changed it; please update CityPartner.")


def upgrade_server(connection: Connection, upgrade: Any) -> None:
    """Run ``upgrade(connection)`` (Alembic) in one transaction under the upgrade lock: the
    schema changes whole or not at all, and two upgrades never overlap."""
    with connection.begin():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
        upgrade(connection)


# -- roles: the server enforces who may do what ----------------------------------------------
# Cluster-wide roles (one set serves every office database on the server); users are members.
ROLES = {"viewer": "citypartner_viewer", "editor": "citypartner_editor",
         "administrator": "citypartner_admin"}


def set_up_roles(connection: Connection, database: str) -> None:
    """Create the three roles if missing and grant them this database's tables: viewers read;
    editors also add and change (deleting is a tombstone, an update; the history is
    append-only; the schema's revision is the administrator's); administrators may also
    delete rows for good. Run by the database's owner, in the caller's transaction."""
    viewer, editor, admin = ROLES["viewer"], ROLES["editor"], ROLES["administrator"]
    for role in (viewer, editor, admin):  # our constants: no user text in these statements
        connection.exec_driver_sql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
            f"CREATE ROLE {role} NOLOGIN; END IF; END $$")
    quoted = connection.dialect.identifier_preparer.quote
    statements = [
        f"GRANT CONNECT ON DATABASE {quoted(database)} TO {viewer}, {editor}, {admin}",
        f"GRANT USAGE ON SCHEMA public TO {viewer}, {editor}, {admin}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {viewer}, {editor}, {admin}",
        f"GRANT INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {editor}, {admin}",
        f"REVOKE UPDATE ON changes FROM {editor}",
        f"REVOKE INSERT, UPDATE ON erasures FROM {editor}",  # erasing is the administrator's
        f"REVOKE INSERT, UPDATE ON alembic_version FROM {editor}",
        f"GRANT DELETE ON ALL TABLES IN SCHEMA public TO {admin}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {editor}, {admin}",
    ]
    for statement in statements:
        connection.exec_driver_sql(statement)


def add_user(connection: Connection, name: str, role: str, password: str | None) -> bool:
    """Make ``name`` a member of ``role`` (viewer, editor, administrator) and of no other of
    ours; a new user is created, with a password if one is given (stored by the server as a
    SCRAM hash). Says whether the user is new."""
    exists = bool(connection.execute(
        text("SELECT count(*) FROM pg_roles WHERE rolname = :name"), {"name": name}).scalar())
    quoted = connection.dialect.identifier_preparer.quote(name)
    if not exists:
        connection.exec_driver_sql(f"CREATE ROLE {quoted} LOGIN")
    if password is not None:
        literal = "'" + password.replace("'", "''") + "'"
        connection.exec_driver_sql(f"ALTER ROLE {quoted} PASSWORD {literal}")
    for other in ROLES.values():
        if other != ROLES[role]:
            connection.exec_driver_sql(f"REVOKE {other} FROM {quoted}")
    connection.exec_driver_sql(f"GRANT {ROLES[role]} TO {quoted}")
    return not exists


def access_of(connection: Connection) -> str:
    """What the connected user may do here: administrator, editor or viewer (by what the
    server grants, whichever way it was granted)."""
    def may(privilege: str, table: str = "cities") -> bool:
        return bool(connection.execute(
            text("SELECT has_table_privilege(current_user, :t, :p)"),
            {"t": table, "p": privilege}).scalar())

    if may("DELETE"):
        return "administrator"
    return "editor" if may("UPDATE") else "viewer"


def grant_roles(engine: Engine) -> str:
    """``set_up_roles`` for the engine's database, in a transaction of its own; returns the
    database's name."""
    try:
        with engine.begin() as connection:
            database = str(connection.execute(text("SELECT current_database()")).scalar())
            set_up_roles(connection, database)
    except DBAPIError as exc:
        raise server_error(exc.orig) from None
    return database


def make_user(engine: Engine, name: str, role: str, password: str | None) -> bool:
    try:
        with engine.begin() as connection:
            return add_user(connection, name, role, password)
    except DBAPIError as exc:
        raise server_error(exc.orig) from None


def ensure_database(admin_address: str, password: str, name: str) -> None:
    """Create database ``name`` on the server unless it exists (an administrator's address)."""
    import psycopg

    try:
        with psycopg.connect(admin_address, password=password, autocommit=True) as connection:
            if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  (name,)).fetchone() is None:
                quoted = psycopg.sql.Identifier(name)
                connection.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(quoted))
    except psycopg.Error as exc:
        raise ServerUnavailableError(first_line(exc)) from None
