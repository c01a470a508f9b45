"""The office database on a real PostgreSQL server: set up and upgraded by `citypartner init`,
reported by `info`, edited by `get`/`set` and the services with the same version guard as a
file, and every refusal one plain line with the password never shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from citypartner_desktop.db.database import Database, open_server
from citypartner_desktop.db.schema import HEAD_REVISION, KNOWN_REVISIONS
from citypartner_desktop.domain.errors import ConflictError
from citypartner_desktop.services import records
from tests.conftest import TEST_ACTOR
from tests.server.conftest import address_of
from tests.test_cli import run

NAMES = ("京都市", "Łódź", "Київ", "Αθήνα", "São Paulo")


@pytest.fixture
def office(pg_address: str) -> Database:
    database = open_server(pg_address, TEST_ACTOR)
    yield database
    database.close()


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_init_sets_up_an_empty_database_and_info_reports_it(pg_empty: str) -> None:
    created = run("init", "--db", pg_empty)
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("Created postgresql://")
    again = run("init", "--db", pg_empty)
    assert "is up to date" in again.stdout, again.stderr
    facts = json.loads(run("info", "--db", pg_empty, "--json").stdout)
    assert facts["schema_revision"] == HEAD_REVISION
    assert facts["counts"]["cities"] == 0 and facts["health"] == "ok"
    assert facts["size_bytes"] > 0 and facts["path"].startswith("postgresql://")


def test_a_database_without_the_schema_is_refused_with_what_to_run(pg_empty: str) -> None:
    done = run("get", "city", "--first", "--db", pg_empty)
    assert done.returncode == 1
    assert "needs its CityPartner schema set up; run: citypartner init --db postgresql://" in (
        _one_line(done.stderr))
    with psycopg.connect(pg_empty) as connection:  # nothing was written
        assert connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)


def test_another_programs_database_is_refused_untouched(pg_empty: str) -> None:
    with psycopg.connect(pg_empty, autocommit=True) as connection:
        connection.execute("CREATE TABLE invoices (id integer)")
    done = run("init", "--db", pg_empty)
    assert done.returncode == 1
    assert "holds another program's tables" in _one_line(done.stderr)
    with psycopg.connect(pg_empty) as connection:
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert tables == [("invoices",)]


def test_a_newer_schema_is_refused_untouched(pg_address: str) -> None:
    with psycopg.connect(pg_address, autocommit=True) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9000_future'")
    for command in (("init",), ("info", "--json")):
        done = run(*command, "--db", pg_address)
        assert done.returncode == 1
        assert "newer version of CityPartner (schema 9000_future)" in _one_line(done.stderr)
    with psycopg.connect(pg_address) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "9000_future",)


def test_a_server_out_of_reach_is_one_line(tmp_path: Path) -> None:
    address = f"postgresql://anna:s3cret@/office?host={tmp_path}/nowhere"
    done = run("info", "--db", address)
    assert done.returncode == 1
    line = _one_line(done.stderr)
    assert "the server cannot be reached" in line
    assert "s3cret" not in line and "postgresql://anna:***@/office" in line


def test_a_missing_database_is_named_without_the_password(pg_admin: str) -> None:
    address = address_of(pg_admin, "no_such_office").replace("postgres:@", "postgres:s3cret@")
    done = run("init", "--db", address)
    assert done.returncode == 1
    line = _one_line(done.stderr)
    assert "there is no such database on the server" in line and "s3cret" not in line


def test_commands_for_files_say_so_on_a_server(pg_address: str) -> None:
    done = run("backup", "--db", pg_address)
    assert done.returncode == 1
    assert "backup works on a database file" in _one_line(done.stderr)


def test_get_and_set_with_the_version_guard(pg_address: str) -> None:
    db = open_server(pg_address, TEST_ACTOR)
    try:
        city = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    finally:
        db.close()
    record = json.loads(run("get", "city", city, "--json", "--db", pg_address).stdout)
    assert (record["name"], record["version"]) == ("Kraków", 1)
    assert run("set", "city", city, "population=800000", "--if-version", "1",
               "--db", pg_address).returncode == 0
    stale = run("set", "city", city, "population=1", "--if-version", "1", "--db", pg_address)
    assert stale.returncode == 3
    assert "population is now 800000, changed by postgres" in _one_line(stale.stderr)
    record = json.loads(run("get", "city", city, "--json", "--db", pg_address).stdout)
    assert (record["population"], record["version"]) == (800000, 2)


def test_unicode_names_survive_byte_for_byte(office: Database) -> None:
    ids = [records.create(office.uow(), "city", {"name": name, "country": "PL"}).id
           for name in NAMES]
    assert [records.get(office.uow(), "city", i).values["name"] for i in ids] == list(NAMES)


def test_the_second_of_two_concurrent_saves_is_refused(office: Database,
                                                       pg_address: str) -> None:
    city = records.create(office.uow(), "city", {"name": "Kyoto", "country": "JP"})
    colleague = open_server(pg_address, TEST_ACTOR)
    try:
        records.update(colleague.uow(), "city", city.id, {"population": 1_460_000},
                       expected_version=city.version)
        with pytest.raises(ConflictError):
            records.update(office.uow(), "city", city.id, {"population": 1},
                           expected_version=city.version)
    finally:
        colleague.close()
    saved = records.get(office.uow(), "city", city.id)
    assert (saved.values["population"], saved.version) == (1_460_000, 2)


def test_the_versioned_update_itself_refuses_a_stale_row(office: Database) -> None:
    """The race the early check cannot see: both read version 1, the other commits first; the
    UPDATE ... WHERE version = 1 then matches nothing and the save is refused."""
    city = records.create(office.uow(), "city", {"name": "Nice", "country": "FR"})
    from citypartner_desktop.db.models import MODELS

    mine, theirs = office.uow(), office.uow()
    with mine, theirs:
        row = mine.session.get(MODELS["city"], city.id)
        other = theirs.session.get(MODELS["city"], city.id)
        assert row is not None and other is not None
        other.population = 342_000
        theirs.commit()
        row.population = 1
        with pytest.raises(ConflictError):
            mine.commit()
    assert records.get(office.uow(), "city", city.id).values["population"] == 342_000


def test_counts_labels_and_search_words_follow_every_write(office: Database) -> None:
    city = records.create(office.uow(), "city", {"name": "Łódź", "country": "PL"})
    person = records.create(office.uow(), "contact", {
        "full_name": "Anna Kowalska", "city_id": city.id, "email": "anna@lodz.example"})
    records.update(office.uow(), "city", city.id, {"name": "Lodz"})
    records.delete(office.uow(), "contact", person.id)
    with office.engine.connect() as connection:
        counts = dict(connection.execute(text(
            "SELECT table_name, live FROM live_counts WHERE table_name IN "
            "('cities', 'contacts')")).all())
        label, words = connection.execute(text(
            "SELECT city_label, search_tsv::text FROM contacts")).one()
    assert counts == {"cities": 1, "contacts": 0}
    assert label == "Lodz (PL)"
    # The e-mail is split into words (as FTS5 splits it), and the city's words came along.
    assert {"'anna'", "'kowalska'", "'lodz'", "'example'"} <= {
        w.split(":")[0] for w in words.split()}


def test_the_migrations_go_down_to_nothing_and_up_again(pg_empty: str) -> None:
    from citypartner_desktop.db.schema import alembic_config

    open_server(pg_empty, TEST_ACTOR, set_up=True).close()
    db = open_server(pg_empty, TEST_ACTOR)
    try:
        from alembic import command

        with db.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        with db.engine.connect() as connection:
            left = connection.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        assert left == ["alembic_version"]
    finally:
        db.close()
    assert run("init", "--db", pg_empty).returncode == 0
    facts = json.loads(run("info", "--db", pg_empty, "--json").stdout)
    assert facts["schema_revision"] == KNOWN_REVISIONS[-1]


def _archive_tables(path: Path) -> dict[str, Any]:
    tables: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["tables"]
    return tables


def test_an_office_moves_onto_the_server_and_back_losing_nothing(pg_empty: str,
                                                                 tmp_path: Path) -> None:
    folder = tmp_path
    office = folder / "office.db"
    assert run("demo", "--db", str(office), "--size", "small", "--seed", "5").returncode == 0
    assert run("export", "all", "--db", str(office), "-o", str(folder / "file.json")
               ).returncode == 0
    assert run("init", "--db", pg_empty).returncode == 0
    moved = run("import", "all", str(folder / "file.json"), "--db", pg_empty)
    assert moved.returncode == 0, moved.stderr
    assert "into postgresql://" in moved.stdout
    assert run("export", "all", "--db", pg_empty, "-o", str(folder / "server.json")
               ).returncode == 0
    back = folder / "back.db"
    assert run("import", "all", str(folder / "server.json"), "--db", str(back)).returncode == 0
    assert run("export", "all", "--db", str(back), "-o", str(folder / "back.json")
               ).returncode == 0
    tables = _archive_tables(folder / "file.json")
    assert tables == _archive_tables(folder / "server.json") == _archive_tables(
        folder / "back.json")
    assert sum(len(t["rows"]) for t in tables.values()) > 1000


def test_reports_exports_and_duplicates_work_on_a_server(pg_empty: str, tmp_path: Path
                                                         ) -> None:
    from tests.reports.conftest import has, pdf_text

    folder = tmp_path
    assert run("init", "--db", pg_empty).returncode == 0
    loaded = run("demo", "--db", pg_empty, "--size", "small", "--seed", "2")
    assert loaded.returncode == 0, loaded.stderr
    partnership = json.loads(run("get", "partnerships", "--first", "--json", "--db", pg_empty
                                 ).stdout)
    for kind, which in (("partnership", ("--id", partnership["id"])),
                        ("portfolio", ("--year", "2025"))):
        target = folder / f"{kind}.pdf"
        made = run("report", kind, *which, "--db", pg_empty, "-o", str(target))
        assert made.returncode == 0, made.stderr
        text = pdf_text(target)
        assert has(text, partnership["title"] if kind == "partnership" else "2025")
    listed = run("export", "cities", "--db", pg_empty, "-o", str(folder / "cities.csv"))
    assert listed.returncode == 0, listed.stderr
    facts = json.loads(run("info", "--db", pg_empty, "--json").stdout)
    rows = (folder / "cities.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == facts["counts"]["cities"] + 1  # and its header
    found = run("duplicates", "cities", "--db", pg_empty)
    assert found.returncode == 0 and "possible duplicate" in found.stdout
