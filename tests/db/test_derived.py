"""Row counts and sort labels that SQLite keeps itself (db/derived.py, migration 0004)."""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from citypartner_desktop.db import derived
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.models import MODELS
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.repositories import records as repo
from citypartner_desktop.services import records

MIGRATION = importlib.import_module(
    "citypartner_desktop.db.migrations.versions.0004_counts_and_sort_labels")


def _counts(db: Database) -> dict[str, tuple[int, int]]:
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT table_name, live, deleted FROM live_counts")
        return {r[0]: (r[1], r[2]) for r in rows}


def _true_counts(db: Database, table: str) -> tuple[int, int]:
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql(
            f"SELECT count(*) FILTER (WHERE deleted_at IS NULL), "
            f"count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM {table}").one()
    return int(row[0]), int(row[1])


def test_the_app_and_the_migration_agree_on_what_is_derived() -> None:
    record_tables = {m.__tablename__ for k, m in MODELS.items() if k != "change"}
    assert set(derived.COUNTED_TABLES) == record_tables
    assert MIGRATION.COUNTED == derived.COUNTED_TABLES
    assert tuple(
        (s.table, s.column, s.ref_column, s.ref_table, s.label_sql, s.label_sources)
        for s in derived.SORT_LABELS) == MIGRATION.SORT_LABELS


def test_counts_follow_create_delete_restore_and_purge(db: Database) -> None:
    uow = db.uow
    city = records.create(uow(), "city", {"name": "Łódź", "country": "PL"})
    records.create(uow(), "city", {"name": "Köln", "country": "DE"})
    contact = records.create(uow(), "contact", {"full_name": "Anna Kowalska", "city_id": city.id})
    assert _counts(db)["cities"] == (2, 0) == _true_counts(db, "cities")
    assert _counts(db)["contacts"] == (1, 0)

    records.delete(uow(), "city", city.id)  # cascades to nothing required; contact keeps a link
    assert _counts(db)["cities"] == (1, 1) == _true_counts(db, "cities")
    records.restore(uow(), "city", city.id)
    assert _counts(db)["cities"] == (2, 0)
    with db.engine.begin() as conn:  # a hard delete from outside the app is counted too
        conn.execute(text("DELETE FROM contacts WHERE id = :id"), {"id": contact.id})
    assert _counts(db)["contacts"] == (0, 0) == _true_counts(db, "contacts")


def test_page_counts_come_from_the_counts_table(db: Database) -> None:
    records.create(db.uow(), "city", {"name": "Zürich", "country": "CH"})
    with db.engine.begin() as conn:  # prove the page reads the table, not count(*)
        conn.exec_driver_sql("UPDATE live_counts SET live = 41 WHERE table_name = 'cities'")
    assert records.count(db.uow(), "city", ListQuery()) == 41
    # A search or a filter is counted for real.
    assert records.count(db.uow(), "city", ListQuery(search="zur")) == 1


def test_sort_labels_follow_the_referenced_record(db: Database) -> None:
    uow = db.uow
    krakow = records.create(uow(), "city", {"name": "Kraków", "country": "PL"})
    athens = records.create(uow(), "city", {"name": "Αθήνα", "country": "GR"})
    contact = records.create(uow(), "contact", {"full_name": "Eleni", "city_id": athens.id})

    def label() -> str | None:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT city_label FROM contacts WHERE id = :id"),
                                {"id": contact.id}).scalar()

    with db.uow() as u:
        assert label() == repo.label(u.session, "city", athens.id) == "Αθήνα (GR)"
    records.update(uow(), "contact", contact.id, {"city_id": krakow.id})
    assert label() == "Kraków (PL)"
    records.update(uow(), "city", krakow.id, {"name": "Krakau"})
    assert label() == "Krakau (PL)"


def test_sorting_by_a_referenced_column_uses_the_label(db: Database) -> None:
    uow = db.uow
    names = ["Zürich", "Aachen", "Łódź"]
    cities = {n: records.create(uow(), "city", {"name": n, "country": "DE"}).id for n in names}
    for n, city_id in cities.items():
        records.create(uow(), "contact", {"full_name": f"Contact in {n}", "city_id": city_id})
    records.create(uow(), "contact", {"full_name": "Nowhere"})
    rows = records.list_page(uow(), "contact", ListQuery(sort_field="city_id", limit=10))
    shown = [r.values[3] for r in rows]  # city_id is the fourth list column of a contact
    assert shown == [None, "Aachen (DE)", "Zürich (DE)", "Łódź (DE)"]


@pytest.mark.file_only
def test_a_database_at_0003_gets_its_counts_and_labels(tmp_path: Path) -> None:
    """Migration 0004 fills the table and the labels from the rows already there."""
    from citypartner_desktop.db.engine import make_engine
    from citypartner_desktop.db.schema import upgrade
    from citypartner_desktop.services.database import open_db
    from tests.conftest import TEST_ACTOR

    path = tmp_path / "old.db"
    engine = make_engine(path)
    upgrade(engine, "0003_live_order_indexes")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO cities (id, name, country, is_home, search_key, created_at, "
                     "updated_at, version) VALUES ('c1', 'Gödöllő', 'HU', 0, 'godollo', "
                     "'2026-01-01', '2026-01-01', 1)")
        conn.execute("INSERT INTO contacts (id, full_name, city_id, search_key, created_at, "
                     "updated_at, version) VALUES ('p1', 'Ági', 'c1', 'agi', '2026-01-01', "
                     "'2026-01-01', 1)")
    conn.close()
    database = open_db(path, TEST_ACTOR)
    try:
        assert database.upgraded_from == "0003_live_order_indexes"
        assert _counts(database)["cities"] == (1, 0)
        with database.engine.connect() as c:
            assert c.exec_driver_sql("SELECT city_label FROM contacts").scalar() == "Gödöllő (HU)"
    finally:
        database.close()


def _fts_intact(db: Database, table: str) -> None:
    if db.engine.dialect.name != "sqlite":
        return  # a server's search column is generated by PostgreSQL itself: nothing to drift
    with db.engine.begin() as conn:  # raises when the index and the rows disagree
        conn.exec_driver_sql(
            f"INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)")


def test_a_contact_is_found_by_its_city_through_renames_and_moves(db: Database) -> None:
    uow = db.uow
    lodz = records.create(uow(), "city", {"name": "Łódź", "country": "PL"})
    koln = records.create(uow(), "city", {"name": "Köln", "country": "DE"})
    anna = records.create(uow(), "contact", {"full_name": "Anna Kowalska", "city_id": lodz.id})
    records.create(uow(), "contact", {"full_name": "Anna Schmidt", "city_id": koln.id})

    def found(text: str) -> list[str]:
        rows = records.list_page(uow(), "contact", ListQuery(search=text, limit=10))
        return sorted(r.values[0] for r in rows)

    assert found("anna lodz") == ["Anna Kowalska"]
    assert found("anna k") == ["Anna Kowalska", "Anna Schmidt"]  # Kowalska, Köln
    records.update(uow(), "city", lodz.id, {"name": "Litzmannstadt"})  # a trigger follows
    assert found("anna lodz") == []
    assert found("litzm anna") == ["Anna Kowalska"]
    records.update(uow(), "contact", anna.id, {"city_id": koln.id})  # the service writes it
    assert found("koln") == ["Anna Kowalska", "Anna Schmidt"]
    records.update(uow(), "contact", anna.id, {"city_id": None})
    assert found("anna koln") == ["Anna Schmidt"]
    _fts_intact(db, "contacts")
    _fts_intact(db, "cities")


@pytest.mark.file_only
def test_downgrade_to_0003_and_back(db_path: Path) -> None:
    from citypartner_desktop.db.engine import make_engine
    from citypartner_desktop.db.schema import alembic_config, upgrade
    from citypartner_desktop.services.database import open_db
    from tests.conftest import TEST_ACTOR

    database = open_db(db_path, TEST_ACTOR)
    city = records.create(database.uow(), "city", {"name": "Kraków", "country": "PL"})
    records.create(database.uow(), "contact", {"full_name": "Jan", "city_id": city.id})
    database.close()
    engine = make_engine(db_path)
    with engine.begin() as conn:
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0003_live_order_indexes")
    with engine.connect() as conn:
        columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(contacts)")}
        assert "city_key" not in columns and "city_label" not in columns
        assert conn.exec_driver_sql("SELECT count(*) FROM contacts_fts WHERE contacts_fts "
                                    "MATCH 'jan'").scalar() == 1
    upgrade(engine)
    engine.dispose()
    database = open_db(db_path, TEST_ACTOR)
    try:
        rows = records.list_page(database.uow(), "contact", ListQuery(search="krakow jan"))
        assert [r.values[0] for r in rows] == ["Jan"]
        _fts_intact(database, "contacts")
    finally:
        database.close()
