"""The deadlines calendar: an iCalendar (RFC 5545) file of all-day events with an alarm, for
staff to import into, or subscribe to from, their calendar program.

Every event's UID is made from the record it comes from, so exporting again (to the same
file a calendar subscribes to) updates the events instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.interop import ical_events
from citypartner_desktop.interop.export import write_atomically
from citypartner_desktop.interop.ical_events import AllDayEvent
from citypartner_desktop.services.monitoring import Deadline, deadlines_for_calendar

UID_DOMAIN = "citypartner.invalid"  # RFC 2606: a name that never belongs to anyone
PRODUCT_ID = "-//CityPartner Desktop//Deadlines//EN"
CALENDAR_NAME = "CityPartner deadlines"


def deadline_event(item: Deadline) -> AllDayEvent:
    """A deadline as an all-day event with a reminder that makes nobody busy."""
    return AllDayEvent(
        uid=f"{item.uid}@{UID_DOMAIN}", first_day=item.day, last_day=item.day,
        summary=item.summary, description=item.description, categories=(item.category,),
        sequence=item.sequence, stamp=item.stamp,
        transparent=True,  # a deadline does not make anyone busy
        remind_days_before=item.remind_days_before)


def calendar_chunks(items: Iterable[Deadline], name: str = CALENDAR_NAME) -> Iterator[str]:
    """The deadlines calendar piece by piece (written by ``ical_events``, as activities are)."""
    return ical_events.calendar_chunks(map(deadline_event, items), PRODUCT_ID, name)


def calendar_bytes(items: Sequence[Deadline], name: str = CALENDAR_NAME) -> bytes:
    return "".join(calendar_chunks(items, name)).encode("utf-8")


def export_deadlines(uow: UnitOfWork, path: Path, today: date) -> int:
    """Write the deadlines calendar to ``path``; returns the number of events."""
    if path.is_dir():
        raise CityPartnerError(f"{path} is a folder; give a file name such as deadlines.ics.")
    items = deadlines_for_calendar(uow, today)
    data = calendar_bytes(items)
    write_atomically(path, lambda part: part.write_bytes(data))
    return len(items)
