"""The deadlines calendar: parsed back with icalendar; its raw lines as RFC 5545 wants them
(written by icalendar too, so its own reading alone would prove little); stable UIDs; the
export command."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from citypartner_desktop.cli import main
from citypartner_desktop.db.database import Database
from citypartner_desktop.interop.deadlines_ics import export_deadlines
from citypartner_desktop.services import evaluations
from citypartner_desktop.services.database import open_db
from citypartner_desktop.services.evaluations import ActionItem
from tests.conftest import TEST_ACTOR
from tests.interop.conftest import folded_lines
from tests.services.monitoring_data import TODAY, build


def _events(path: Path) -> dict[str, object]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_calendar_holds_every_kind_of_deadline_as_all_day_events(db: Database,
                                                                 tmp_path: Path) -> None:
    office = build(db)
    loaded = evaluations.load(db.uow(), office.evaluation)
    loaded.form.actions = [ActionItem("Prepare the Kraków evaluation", "Anna", "2027-01-10")]
    evaluations.save(db.uow(), loaded.form, office.evaluation, loaded.version)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "deadlines.ics"
    count = export_deadlines(db.uow(), out, TODAY)
    raw = out.read_bytes()
    assert folded_lines(raw) >= 1  # the UIDs are longer than a line
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\r\nVERSION:2.0\r\n" in raw and b"\r\nPRODID:" in raw
    assert raw.count(b"\r\nBEGIN:VEVENT\r\n") == raw.count(b"\r\nEND:VEVENT\r\n") == count
    events = _events(out)
    assert len(events) == count
    domain = "@citypartner.invalid"
    expiry = events[f"agreement-expires-{office.agreement}{domain}"]
    decide = events[f"agreement-decide-by-{office.agreement}{domain}"]
    evaluation = events[f"evaluation-due-{office.busy}{domain}"]
    action = events[f"action-{office.overdue_action}{domain}"]
    assert expiry["DTSTART"].dt == date(2027, 1, 31)  # type: ignore[index]
    assert expiry["DTEND"].dt == date(2027, 2, 1)  # type: ignore[index]
    assert decide["DTSTART"].dt == date(2026, 10, 31)  # type: ignore[index]
    assert evaluation["DTSTART"].dt == date(2026, 10, 15)  # type: ignore[index]
    assert action["DTSTART"].dt == date(2026, 11, 20)  # type: ignore[index]
    assert str(action["SUMMARY"]) == "Action due: Send the youth camp invitation – Anna"
    # the evaluation's action item is in the calendar too
    assert any(str(e["SUMMARY"]).startswith("Action due: Prepare the Kraków evaluation")
               for e in events.values())
    for event in events.values():
        assert not hasattr(event["DTSTART"].dt, "hour")  # type: ignore[index]  # all-day
        [alarm] = event.walk("VALARM")  # type: ignore[attr-defined]
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm["TRIGGER"].dt <= timedelta(0)
    # the done action is not there; nothing is left of the temporary file
    assert not any("Done already" in str(e["SUMMARY"]) for e in events.values())
    assert [p.name for p in out.parent.iterdir()] == ["deadlines.ics"]


def test_exporting_again_keeps_the_uids(db: Database, tmp_path: Path) -> None:
    build(db)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    export_deadlines(db.uow(), first, TODAY)
    export_deadlines(db.uow(), second, TODAY)
    assert first.read_bytes() == second.read_bytes()  # same data, same file


def test_export_command(db_path: Path, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    database = open_db(db_path, TEST_ACTOR)
    build(database)
    database.close()  # the command opens it itself (one user at a time)
    out = tmp_path / "deadlines.ics"
    assert main(["export", "deadlines", "--db", str(db_path), "-o", str(out),
                 "--format", "ics"]) == 0
    assert "deadlines to" in capsys.readouterr().out
    assert _events(out)
    folded_lines(out.read_bytes())


def test_export_command_refuses_bad_input(db_path: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    open_db(db_path, TEST_ACTOR).close()
    missing = tmp_path / "missing.db"
    assert main(["export", "deadlines", "--db", str(missing), "-o",
                 str(tmp_path / "x.ics")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not missing.exists()
    assert main(["export", "deadlines", "--db", str(db_path), "-o",
                 str(tmp_path / "no" / "x.ics")]) == 1
    assert "folder" in capsys.readouterr().err
    assert main(["export", "deadlines", "--db", str(db_path), "-o", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["export", "deadlines", "--db", str(db_path), "-o", "x.ics", "--format", "csv"])
    assert usage.value.code == 2
    assert "writes ics, not csv" in capsys.readouterr().err
