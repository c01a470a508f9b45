"""Migration 0006_import: the cities' "to check" column, up and down with the data intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import records

# About the database file itself (a server's equivalents are in tests/server).
pytestmark = pytest.mark.file_only


def test_downgrade_to_0004_and_back(db_path: Path) -> None:
    from alembic import command

    from citypartner_desktop.db.engine import make_engine
    from citypartner_desktop.db.schema import alembic_config, upgrade
    from citypartner_desktop.services.database import open_db
    from tests.conftest import TEST_ACTOR

    database = open_db(db_path, TEST_ACTOR)
    records.create(database.uow(), "city", {"name": "Kraków", "country": "PL",
                                            "review": "check the name"})
    database.close()
    engine = make_engine(db_path)
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0005_monitoring")
    with engine.connect() as conn:
        columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(cities)")}
        assert "review" not in columns and "name" in columns
        # The search triggers survived the column's removal.
        assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                    "AND tbl_name = 'cities'").scalar()
    upgrade(engine)
    engine.dispose()
    database = open_db(db_path, TEST_ACTOR)
    try:
        uow = database.uow
        rows = records.list_page(uow(), "city", ListQuery(search="krakow",
                                                          columns=("name", "review")))
        assert [r.values for r in rows] == [("Kraków", None)]
        records.update(uow(), "city", rows[0].id, {"review": "not in the world gazetteer"})
        assert records.get(uow(), "city", rows[0].id).values["review"] == (
            "not in the world gazetteer")
    finally:
        database.close()
