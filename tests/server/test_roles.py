"""Who may do what on an office server is the server's to enforce: `citypartner server
setup` makes the viewer, editor and administrator roles, `server user` gives users one, and
a viewer's change is refused by PostgreSQL itself, in one plain line, changing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.test_cli import run


def _as(address: str, user: str) -> str:
    return make_url(address).set(username=user, password=None).render_as_string(
        hide_password=False)


@pytest.fixture
def office(pg_address: str, tmp_path: Path) -> str:
    """A server database with a city, its roles set up, and alice (viewer), bob (editor) and
    carol (administrator, with a password)."""
    assert run("demo", "--db", pg_address, "--size", "small", "--seed", "1").returncode == 0
    done = run("server", "setup", "--db", pg_address)
    assert done.returncode == 0, done.stderr
    secret = tmp_path / "carol.txt"
    secret.write_text("Tajne-hasło-1\n", encoding="utf-8")
    for name, role, *extra in (("alice", "viewer"), ("bob", "editor"),
                               ("carol", "administrator", "--password-file", str(secret))):
        made = run("server", "user", name, "--role", role, *extra, "--db", pg_address)
        assert made.returncode == 0, made.stderr
        assert "Tajne" not in made.stdout + made.stderr
    return pg_address


def test_each_user_gets_what_the_role_allows(office: str) -> None:
    for user, access in (("alice", "viewer"), ("bob", "editor"), ("carol", "administrator")):
        facts = json.loads(run("info", "--json", "--db", _as(office, user)).stdout)
        assert facts["access"] == access, user
    city = json.loads(run("get", "city", "--first", "--json", "--db", _as(office, "alice")
                          ).stdout)
    refused = run("set", "city", city["id"], "population=1", "--db", _as(office, "alice"))
    assert refused.returncode == 1
    line = refused.stderr.strip()
    assert "read-only" in line and len(line.splitlines()) == 1 and "Traceback" not in line
    changed = run("set", "city", city["id"], "population=2", "--db", _as(office, "bob"))
    assert changed.returncode == 0, changed.stderr
    after = json.loads(run("get", "city", city["id"], "--json", "--db", office).stdout)
    assert (after["population"], after["version"]) == (2, city["version"] + 1)


def test_an_editor_cannot_delete_for_good_nor_rewrite_the_history(office: str) -> None:
    with psycopg.connect(_as(office, "bob"), autocommit=True) as connection:
        for statement in ("DELETE FROM cities", "UPDATE changes SET new_value = 'x'",
                          "UPDATE alembic_version SET version_num = 'x'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)  # type: ignore[arg-type]
    with psycopg.connect(_as(office, "carol"), autocommit=True) as connection:
        connection.execute("DELETE FROM kpi_measurements")  # an administrator may


def test_a_role_changes_rather_than_adds(office: str) -> None:
    assert run("server", "user", "alice", "--role", "editor", "--db", office).returncode == 0
    facts = json.loads(run("info", "--json", "--db", _as(office, "alice")).stdout)
    assert facts["access"] == "editor"
    assert run("server", "user", "alice", "--role", "viewer", "--db", office).returncode == 0
    facts = json.loads(run("info", "--json", "--db", _as(office, "alice")).stdout)
    assert facts["access"] == "viewer"


@pytest.mark.parametrize(("args", "message"), [
    (("server", "user", "bad name; drop", "--role", "viewer"), "is not a user name"),
    (("server", "user", "dave", "--role", "viewer", "--password-file", "/nonexistent/x"),
     "--password-file: cannot be read"),
])
def test_bad_input_is_refused(pg_address: str, args: tuple[str, ...], message: str) -> None:
    done = run(*args, "--db", pg_address)
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr
    with psycopg.connect(pg_address) as connection:
        assert connection.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'dave'"
                                  ).fetchone() == (0,)


def test_roles_belong_to_a_server(tmp_path: Path) -> None:
    done = run("server", "setup", "--db", str(tmp_path / "office.db"))
    assert done.returncode == 1 and "roles belong to an office server" in done.stderr
    assert not (tmp_path / "office.db").exists()
