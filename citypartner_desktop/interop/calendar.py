"""Activities as iCalendar (RFC 5545) all-day events, for Outlook, Thunderbird or a phone.

One VEVENT per activity: UID is the activity's id (a re-export updates the same events in a
calendar instead of adding copies), DTSTART/DTEND are dates (DTEND the day after the last
day, as the standard wants), SUMMARY the title, LOCATION the city, DESCRIPTION the partnership
and the summary/minutes, CATEGORIES the kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from citypartner_desktop.domain import vocab
from citypartner_desktop.interop.textformats import escape, fold

PRODID = "-//CityPartner Desktop//Activities//EN"


def _stamp(moment: datetime | None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(uid: str, values: Mapping[str, Any]) -> list[str]:
    start: date = values["start_date"]
    end: date = values.get("end_date") or start
    lines = ["BEGIN:VEVENT", f"UID:{uid}@citypartner",
             f"DTSTAMP:{_stamp(values.get('updated_at'))}", f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
             f"DTEND;VALUE=DATE:{end + timedelta(days=1):%Y%m%d}",
             f"SUMMARY:{escape(str(values.get('title') or ''))}"]
    if values.get("city"):
        lines.append(f"LOCATION:{escape(str(values['city']))}, {escape(str(values['country']))}")
    description = "\n\n".join(str(p) for p in (values.get("partnership"), values.get("summary"))
                              if p)
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    if values.get("kind"):
        lines.append(f"CATEGORIES:{escape(vocab.label_of(vocab.ACTIVITY_KINDS, values['kind']))}")
    lines.append("END:VEVENT")
    return lines


def calendar_text(events: Iterable[tuple[str, Mapping[str, Any]]]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    for uid, values in events:
        lines.extend(event(uid, values))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
