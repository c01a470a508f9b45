"""The dashboard read through plain SQL: the same answer through the read-only reader as
inside a unit of work, one consistent snapshot, and no ORM needed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.db.reader import FileSource
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.services import monitoring, records, reminders
from tests.services.monitoring_data import TODAY, build


@pytest.mark.parametrize("today", [TODAY, date(2025, 2, 28), date(2031, 1, 1)])
def test_the_reader_gives_the_dashboard_and_charts_of_the_unit_of_work(
        db: Database, today: date) -> None:
    build(db)
    reminders.mark_reviewed(db.uow(), build_quiet_id(db), date(2027, 1, 1), TODAY)
    assert monitoring.dashboard_of(db.source, today) == monitoring.dashboard(db.uow(), today)
    assert monitoring.charts_of(db.source, today) == monitoring.charts(db.uow(), today)


def build_quiet_id(db: Database) -> str:
    [row] = [r for r in records.list_page(db.uow(), "partnership", _query("Łódź"))]
    return row.id


def _query(search: str) -> records.ListQuery:
    return records.ListQuery(search=search, limit=10)


def test_values_come_back_as_python_types(db: Database) -> None:
    """Dates as dates, JSON as lists, timestamps aware: what the rules and the calendar use."""
    office = build(db)
    with db.source.snapshot() as conn:
        from citypartner_desktop.repositories import monitoring as repo

        facts = {p.id: p for p in repo.partnerships(conn, ("active",))}
        agreements = repo.live_agreements_ending_from(conn, TODAY)
        calendar = repo.agreements_for_calendar(conn, TODAY)
    busy = facts[office.busy]
    assert busy.start_date == date(1979, 5, 12) and busy.themes == ["culture", "youth"]
    assert busy.updated_at.tzinfo is not None and busy.evaluation_cadence_months == 12
    assert agreements[0][4] == date(2027, 1, 31) and agreements[0][6] is False
    assert calendar[0][6].utcoffset().total_seconds() == 0


def test_one_snapshot_for_the_whole_read(db: Database) -> None:
    """A commit made while the dashboard is being read is not half seen."""
    office = build(db)
    with db.source.snapshot() as conn:
        before = conn.execute("SELECT count(*) FROM actions WHERE deleted_at IS NULL")
        records.create(db.uow(), "action", {"partnership_id": office.busy, "title": "Call",
                                            "due_date": "2026-11-01"})
        after = conn.execute("SELECT count(*) FROM actions WHERE deleted_at IS NULL")
    assert before == after
    with db.source.snapshot() as conn:
        assert conn.execute("SELECT count(*) FROM actions WHERE deleted_at IS NULL") != before


@pytest.mark.file_only
def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CityPartnerError):
        monitoring.dashboard_of(FileSource(tmp_path / "gone.db"), TODAY)


def test_the_unit_of_work_sees_what_it_has_not_flushed(db: Database) -> None:
    """Plain SQL inside a unit of work flushes first, as an ORM query would."""
    from citypartner_desktop.db.models import Setting

    uow = db.uow()
    with uow:
        uow.session.add(Setting(key="monitoring.no_visit_years", value="7"))
        assert monitoring._settings(uow).no_visit_years == 7
    assert monitoring.load_settings(db.uow()).no_visit_years == 3  # never committed


@pytest.mark.file_only
def test_the_dashboard_is_read_without_the_orm(db: Database) -> None:
    """Start-up paints the dashboard before SQLAlchemy is imported: computing it must not
    import it."""
    build(db)
    script = (
        "import sys\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from citypartner_desktop.db.reader import FileSource\n"
        "from citypartner_desktop.services import monitoring\n"
        f"board = monitoring.dashboard_of(FileSource(Path({str(db.path)!r})), "
        "date(2026, 11, 28))\n"
        "print(len(board.active), 'sqlalchemy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={**os.environ})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["3", "False"]


def test_the_readers_snapshot_cannot_write(db: Database) -> None:
    reader = db.source.reader()
    try:
        with reader.transaction(), pytest.raises(CityPartnerError):
            reader.execute("DELETE FROM partnerships")
    finally:
        reader.close()
