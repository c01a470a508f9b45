"""The deadlines calendar: an iCalendar (RFC 5545) file of all-day events with an alarm, for
staff to import into, or subscribe to from, their calendar program.

Every event's UID is made from the record it comes from, so exporting again (to the same
file a calendar subscribes to) updates the events instead of duplicating them.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import CityPartnerError
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
        event.add("summary", item.summary)
        event.add("description", item.description)
        event.add("categories", [item.category])
        event.add("sequence", item.sequence)
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.summary)
        alarm.add("trigger", timedelta(days=-item.remind_days_before))
        event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())


def write_atomic(path: Path, data: bytes) -> Path:
    """Write into a temporary file beside ``path`` and rename it into place: never a
    half-written file where a good one was (a calendar may be reading it right now)."""
    folder = path.parent
    if not folder.is_dir():
        raise CityPartnerError(f"The folder {folder} does not exist.")
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".part", dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return path


def export_deadlines(uow: UnitOfWork, path: Path, today: date) -> int:
    """Write the deadlines calendar to ``path``; returns the number of events."""
    if path.is_dir():
        raise CityPartnerError(f"{path} is a folder; give a file name such as deadlines.ics.")
    items = deadlines_for_calendar(uow, today)
    try:
        write_atomic(path, calendar_bytes(items))
    except PermissionError:
        raise CityPartnerError(f"Cannot write {path}: permission denied.") from None
    return len(items)
