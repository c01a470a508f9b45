"""Migration 0005_monitoring: adds the cadence column, settings and reminder answers, and
indexes; goes down and up again without losing data or the partnerships' triggers."""

from __future__ import annotations

from pathlib import Path

import pytest

from citypartner_desktop.db.engine import make_engine
from citypartner_desktop.db.schema import alembic_config, upgrade
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import monitoring, records
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR

# About the database file itself (a server's equivalents are in tests/server).
pytestmark = pytest.mark.file_only


INDEXES = ("ix_activities_live_partnership_start", "ix_activities_live_visits",
           "ix_actions_open_due")


def _names(conn: object, kind: str) -> set[str]:
    return {r[0] for r in conn.exec_driver_sql(  # type: ignore[attr-defined]
        f"SELECT name FROM sqlite_master WHERE type = '{kind}'")}


def test_downgrade_to_0004_and_back(db_path: Path) -> None:
    database = open_db(db_path, TEST_ACTOR)
    records.create(database.uow(), "partnership", {
        "title": "Nürnberg – Kraków", "kind": "twinning", "status": "active",
        "evaluation_cadence_months": 6})
    monitoring.save_settings(database.uow(), {"no_visit_years": 4})
    database.close()
    engine = make_engine(db_path)
    with engine.connect() as conn:
        triggers_before = _names(conn, "trigger")
    with engine.begin() as conn:
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0004_counts_and_sort_labels")
    with engine.connect() as conn:
        columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(partnerships)")}
        assert "evaluation_cadence_months" not in columns
        tables = _names(conn, "table")
        assert "settings" not in tables and "reminder_states" not in tables
        assert not set(INDEXES) & _names(conn, "index")
        assert _names(conn, "trigger") == triggers_before  # search and counts still kept
        assert conn.exec_driver_sql("SELECT count(*) FROM partnerships_fts WHERE "
                                    "partnerships_fts MATCH 'krakow'").scalar() == 1
    upgrade(engine)
    with engine.connect() as conn:
        assert set(INDEXES) <= _names(conn, "index")
    engine.dispose()
    database = open_db(db_path, TEST_ACTOR)
    try:
        [row] = records.list_page(database.uow(), "partnership",
                                  ListQuery(columns=("title", "evaluation_cadence_months")))
        assert row.values == ("Nürnberg – Kraków", 12)  # back to the default
        assert monitoring.load_settings(database.uow()).no_visit_years == 3
    finally:
        database.close()
