"""The deadlines calendar: an iCalendar (RFC 5545) file of all-day events with an alarm, for
staff to import into, or subscribe to from, their calendar program.

Every event's UID is made from the record it comes from, so exporting again (to the same
file a calendar subscribes to) updates the events instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.interop.cells import printable
from citypartner_desktop.interop.export import write_atomically
from citypartner_desktop.services.monitoring import Deadline, deadlines_for_calendar

UID_DOMAIN = "citypartner.invalid"  # RFC 2606: a name that never belongs to anyone
PRODUCT_ID = "-//CityPartner Desktop//Deadlines//EN"


def calendar_bytes(items: Sequence[Deadline], name: str = "CityPartner deadlines") -> bytes:
    from icalendar import Alarm, Calendar, Event  # loaded when a calendar is made, not at start

    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for item in items:
        event = Event()
        event.add("uid", f"{item.uid}@{UID_DOMAIN}")
        event.add("dtstamp", item.stamp)
        event.add("dtstart", item.day)  # a date, not a time: an all-day event
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", printable(item.summary))
        event.add("description", printable(item.description))
        event.add("categories", [item.category])
        event.add("sequence", item.sequence)
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", printable(item.summary))
        alarm.add("trigger", timedelta(days=-item.remind_days_before))
        event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())


def export_deadlines(uow: UnitOfWork, path: Path, today: date) -> int:
    """Write the deadlines calendar to ``path``; returns the number of events."""
    if path.is_dir():
        raise CityPartnerError(f"{path} is a folder; give a file name such as deadlines.ics.")
    items = deadlines_for_calendar(uow, today)
    data = calendar_bytes(items)
    write_atomically(path, lambda part: part.write_bytes(data))
    return len(items)
