"""Migrations: a new database matches the models; files we must not touch stay byte-identical."""

from __future__ import annotations

import hashlib
import importlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from citypartner_desktop.db.backup import backup_to
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.engine import APPLICATION_ID
from citypartner_desktop.db.fts import FTS_TABLES, is_fts_object
from citypartner_desktop.db.models import Base
from citypartner_desktop.db.schema import HEAD_REVISION, KNOWN_REVISIONS, alembic_config
from citypartner_desktop.domain.errors import DatabaseTooNewError, NotOurDatabaseError
from citypartner_desktop.domain.specs import ENTITIES, FieldKind
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_known_revisions_match_the_migration_scripts() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [HEAD_REVISION]
    chain = [rev.revision for rev in script.walk_revisions()]
    assert list(reversed(chain)) == list(KNOWN_REVISIONS)


NULLS_FIRST = {f"ix_{table}_live_{column}" for table, column in importlib.import_module(
    "citypartner_desktop.db.migrations.versions.0009_live_order_nulls_first").LIVE_ORDER}


def _engine_own(name: str | None, kind: str, dialect: str) -> bool:
    """What each engine adds beside the models: SQLite's FTS5 tables; on PostgreSQL the
    generated search column with its GIN index, and the sort indexes in NULLS FIRST order
    (migration 0009), checked by name below."""
    if dialect == "sqlite":
        return kind == "table" and is_fts_object(name or "")
    if kind == "column":
        return name == "search_tsv"
    return kind == "index" and (str(name).endswith("_search") or name in NULLS_FIRST)


def test_migrated_database_matches_the_models(db: Database) -> None:
    dialect = db.engine.dialect.name
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True,
                        "include_object": lambda o, name, kind, r, c: not _engine_own(
                            name, kind, dialect)})
        assert compare_metadata(context, Base.metadata) == []
        if dialect == "postgresql":
            made = {r[0]: r[1] for r in conn.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")}
            assert set(made) >= NULLS_FIRST
            assert all("NULLS FIRST" in made[name] for name in NULLS_FIRST)


def test_sort_indexes_of_the_models_are_the_ones_migrations_0003_and_0004_make() -> None:
    from citypartner_desktop.db.models import LIVE_ORDER

    made = [importlib.import_module(f"citypartner_desktop.db.migrations.versions.{name}")
            for name in ("0003_live_order_indexes", "0004_counts_and_sort_labels")]
    assert made[0].LIVE_ORDER + made[1].LIVE_ORDER == LIVE_ORDER


def test_every_searchable_table_has_its_fts_index(db: Database) -> None:
    searchable = {t.name for t in Base.metadata.tables.values() if "search_key" in t.c}
    assert set(FTS_TABLES) == searchable
    migration = importlib.import_module(
        "citypartner_desktop.db.migrations.versions.0002_fts_search")
    assert set(migration.TABLES) == searchable
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "postgresql":
            columns = {r[0] for r in conn.exec_driver_sql(
                "SELECT table_name FROM information_schema.columns "
                "WHERE column_name = 'search_tsv' AND is_generated = 'ALWAYS'")}
            indexes = {r[0] for r in conn.execute(text(
                "SELECT indexname FROM pg_indexes WHERE indexdef LIKE :gin"),
                {"gin": "%USING gin (search_tsv)%"})}
            assert columns == searchable
            assert indexes == {f"ix_{table}_search" for table in searchable}
            return
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    for table in searchable:
        assert {f"{table}_fts", f"{table}_fts_insert", f"{table}_fts_update",
                f"{table}_fts_delete"} <= names


def test_every_spec_field_is_a_column() -> None:
    for spec in ENTITIES.values():
        table = Base.metadata.tables[spec.table]
        for field in spec.fields:
            if field.kind is not FieldKind.SCORES:
                assert field.name in table.c, f"{spec.table}.{field.name}"
        for column in ("id", "created_at", "updated_at", "version", "deleted_at"):
            assert column in table.c


@pytest.mark.file_only
def test_pragmas_and_application_id(db: Database) -> None:
    with db.engine.connect() as conn:
        def pragma(name: str) -> object:
            return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert int(pragma("busy_timeout")) >= 5000  # type: ignore[call-overload]
        assert pragma("application_id") == APPLICATION_ID


@pytest.mark.file_only
def test_newer_database_is_refused_and_left_unchanged(db_path: Path) -> None:
    open_db(db_path, TEST_ACTOR).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = _digest(db_path)
    with pytest.raises(DatabaseTooNewError, match="newer version"):
        open_db(db_path, TEST_ACTOR)
    assert _digest(db_path) == before


@pytest.mark.file_only
def test_foreign_sqlite_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
    conn.close()
    before = _digest(path)
    with pytest.raises(NotOurDatabaseError):
        open_db(path, TEST_ACTOR)
    assert _digest(path) == before


@pytest.mark.file_only
def test_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "letter.db"
    path.write_bytes(b"Dear partners, ...")
    with pytest.raises(NotOurDatabaseError, match="not SQLite"):
        open_db(path, TEST_ACTOR)
    assert path.read_bytes() == b"Dear partners, ..."


@pytest.mark.file_only
def test_reopening_a_current_database_changes_nothing(db_path: Path) -> None:
    first = open_db(db_path, TEST_ACTOR)
    assert first.created
    first.close()
    again = open_db(db_path, TEST_ACTOR)
    assert not again.created and again.backup_path is None
    again.close()


@pytest.mark.file_only
def test_backup_is_a_complete_consistent_copy(db: Database, tmp_path: Path) -> None:
    from citypartner_desktop.services import records

    records.create(db.uow(), "city", {"name": "Αθήνα", "country": "GR"})
    target = backup_to(db.path, tmp_path / "copies" / "copy.db")
    # the copy alone: no temporary file (nor a journal of it) is left beside it
    assert [p.name for p in target.parent.iterdir()] == ["copy.db"]
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT name FROM cities").fetchall() == [("Αθήνα",)]
    conn.close()


@pytest.mark.file_only
def test_older_database_is_backed_up_before_it_is_upgraded(db_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """Pretend this build knows a newer head: opening the current file must first write a
    consistent backup beside it, then run the upgrade.

    The stand-in upgrade really changes the file (it stamps the new revision) and notes which
    backups existed when it ran: a backup written after the upgrade would hold the new
    revision, and the upgrade would have seen no backup."""
    from sqlalchemy import Engine

    from citypartner_desktop.db import schema

    open_db(db_path, TEST_ACTOR).close()
    backups = db_path.parent / "backups"
    seen_by_upgrade: list[tuple[str, list[str]]] = []

    def stamp_next(engine: Engine, revision: str = "head") -> None:
        present = sorted(p.name for p in backups.iterdir()) if backups.is_dir() else []
        seen_by_upgrade.append((revision, present))
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9000_next'")

    monkeypatch.setattr(schema, "KNOWN_REVISIONS", (*KNOWN_REVISIONS, "9000_next"))
    monkeypatch.setattr(schema, "HEAD_REVISION", "9000_next")
    monkeypatch.setattr(schema, "upgrade", stamp_next)
    database = open_db(db_path, TEST_ACTOR)
    database.close()
    assert database.upgraded_from == HEAD_REVISION
    backup = database.backup_path
    assert backup is not None and backup.parent == backups
    # the upgrade ran once, and the finished backup was already there when it started
    assert seen_by_upgrade == [("head", [backup.name])]
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            HEAD_REVISION,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "9000_next",)
    conn.close()


@pytest.mark.file_only
def test_a_failing_upgrade_leaves_the_database_as_it_was(db_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Migrations run in one transaction (DDL included): a failure midway changes nothing."""
    from alembic import command

    from citypartner_desktop.db import schema
    from citypartner_desktop.db.engine import make_engine

    engine = make_engine(db_path)
    real_upgrade = command.upgrade

    def upgrade_then_fail(config: object, revision: str) -> None:
        real_upgrade(config, revision)  # type: ignore[arg-type]
        raise RuntimeError("power cut")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with pytest.raises(RuntimeError, match="power cut"):
        schema.upgrade(engine)
    with engine.connect() as conn:
        tables = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        assert tables == 0
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
