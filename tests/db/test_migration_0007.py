"""Migration 0007_fts_prefix: prefix indexes and the deleted rows' indexes, down and up with
the search still finding what it found."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import records

# About the database file itself (a server's equivalents are in tests/server).
pytestmark = pytest.mark.file_only


def _schema(engine: Engine) -> tuple[str, bool]:
    """The contacts' full-text table definition, and whether the deleted rows' index exists."""
    with engine.connect() as conn:
        definition = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'contacts_fts'").scalar_one()
        deleted_index = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 'ix_contacts_deleted'").scalar()
    return str(definition), bool(deleted_index)


def test_downgrade_to_0006_and_back(db_path: Path) -> None:
    from alembic import command

    from citypartner_desktop.db.engine import make_engine
    from citypartner_desktop.db.schema import alembic_config, upgrade
    from citypartner_desktop.services.database import open_db
    from tests.conftest import TEST_ACTOR

    database = open_db(db_path, TEST_ACTOR)
    uow = database.uow
    city = records.create(uow(), "city", {"name": "Łódź", "country": "PL"}).id
    for name in ("Anna Kowalska", "Anna Nowak", "Jan Kowal"):
        records.create(uow(), "contact", {"full_name": name, "city_id": city})
    database.close()
    engine = make_engine(db_path)
    definition, deleted_index = _schema(engine)
    assert "prefix='1 2'" in definition and deleted_index
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0006_import")
    definition, deleted_index = _schema(engine)
    assert "prefix" not in definition and "city_key" in definition and not deleted_index
    upgrade(engine)
    definition, deleted_index = _schema(engine)
    assert "prefix='1 2'" in definition and "city_key" in definition and deleted_index
    engine.dispose()
    database = open_db(db_path, TEST_ACTOR)
    try:
        def names(text: str) -> list[object]:
            return [r.values[0] for r in records.list_page(
                database.uow(), "contact", ListQuery(search=text, columns=("full_name",)))]

        assert names("anna k") == ["Anna Kowalska"]
        assert names("lodz k") == ["Anna Kowalska", "Jan Kowal"]  # the city's copied key
        records.create(database.uow(), "contact", {"full_name": "Anna Kos"})  # triggers work
        assert names("an ko") == ["Anna Kos", "Anna Kowalska"]
    finally:
        database.close()
