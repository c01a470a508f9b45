"""A calendar's events imported as activities (Outlook's .ics here): the partnership they
belong to given once (--partnership / the wizard's choice), dates in the event's own time
zone, place and participants kept; the same file again creates nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.interop.importer import ImportOptions, import_file
from citypartner_desktop.services import records
from tests.interop.conftest import write

OUTLOOK = Path(__file__).resolve().parents[1] / "data" / "corpus" / "calendars" / "outlook_365.ics"


def test_outlook_events_become_activities_of_the_partnership_given(
        db: Database, tmp_path: Path) -> None:
    pairs = write(tmp_path / "pairs.csv", "city_a,country_a,city_b,country_b\n"
                                          "Kraków,PL,Leipzig,DE\n")
    assert import_file(db, "partnerships", pairs)[1].committed
    with pytest.raises(CityPartnerError, match="no column for partnership"):
        import_file(db, "activities", OUTLOOK)
    options = ImportOptions(defaults={"partnership": "Kraków – Leipzig"})
    prepared, report = import_file(db, "activities", OUTLOOK, options)
    assert prepared.table.described == "iCalendar"
    assert any("repeats (RRULE)" in note for note in prepared.table.notes)
    assert report.committed and report.count("create") == 3, report.summary()
    rows = records.list_page(db.uow(), "activity", ListQuery(
        columns=("title", "start_date", "end_date", "city_id", "participant_count", "kind"),
        sort_field="start_date"))
    assert [r.values for r in rows] == [
        ("Spotkanie: wymiana młodzieży", date(2025, 5, 5), date(2025, 5, 6), "Kraków (PL)", 3,
         "meeting"),
        ("Jour fixe Leipzig–Kraków", date(2025, 5, 6), date(2025, 5, 6), None, 1, "meeting"),
        ("Wizyta w Lipsku", date(2025, 6, 12), date(2025, 6, 13), "Leipzig (DE)", 1,
         "visit")]  # its category "Visit" is an activity kind
    summary = records.get(db.uow(), "activity", rows[0].id).values["summary"]
    assert "Participants: Anna Nowak <anna.nowak@krakow.pl>" in summary
    again = import_file(db, "activities", OUTLOOK, options)[1]
    assert again.count("match") == 3 and not again.committed
