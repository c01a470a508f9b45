"""Activities as iCalendar (RFC 5545) all-day events, for Outlook, Thunderbird or a phone.

One VEVENT per activity (written by ``ical_events``, the one iCalendar writer):

- UID ``<activity id>@citypartner``: a re-export updates the same events in a calendar
  instead of adding copies (the form calendars that took earlier exports already hold);
- SEQUENCE the record's version and DTSTAMP the moment it last changed (UTC), so a calendar
  takes an activity whose date moved as the newer one and updates it;
- DTSTART/DTEND dates (DTEND the day after the last day, as the standard wants);
- SUMMARY the title, LOCATION "City, CC" (the country's ISO code, the same in every
  language), DESCRIPTION the partnership and the summary/minutes, CATEGORIES the kind's label.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from citypartner_desktop.domain import vocab
from citypartner_desktop.interop import ical_events
from citypartner_desktop.interop.ical_events import AllDayEvent

PRODID = "-//CityPartner Desktop//Activities//EN"
UID_DOMAIN = "citypartner"


@lru_cache(maxsize=64)
def _kind_label(kind: str) -> str:
    return vocab.label_of(vocab.ACTIVITY_KINDS, kind)


def place(city: object, country: object) -> str:
    """ "Kraków, PL": the city and its country's ISO code, the same in every language (and
    read back by ``ics_reader``, as any country name is)."""
    return ", ".join(str(p) for p in (city, country) if p)


def activity_event(activity_id: str, values: Mapping[str, Any]) -> AllDayEvent | None:
    """The event of one activity (values as ``repositories.exports.activity_events`` gives
    them); None for an activity without a start date."""
    start = values.get("start_date")
    if start is None:
        return None
    description = "\n\n".join(str(p) for p in (values.get("partnership"), values.get("summary"))
                              if p)
    kind = values.get("kind")
    return AllDayEvent(
        uid=f"{activity_id}@{UID_DOMAIN}",
        first_day=start,
        last_day=values.get("end_date") or start,
        summary=str(values.get("title") or ""),
        description=description,
        location=place(values.get("city"), values.get("country")) if values.get("city") else "",
        categories=(_kind_label(kind),) if kind else (),
        sequence=int(values.get("version") or 0),
        stamp=values.get("updated_at") or values.get("created_at"),
    )


def event(activity_id: str, values: Mapping[str, Any]) -> str:
    """One activity's VEVENT as text ("" for an activity without a start date)."""
    built = activity_event(activity_id, values)
    return "" if built is None else ical_events.event_text(built)


def calendar_chunks(events: Iterable[tuple[str, Mapping[str, Any]]], *,
                    product_id: str = PRODID, name: str | None = None) -> Iterator[str]:
    """The calendar piece by piece (header, one VEVENT each, footer), holding one activity's
    event at a time: write the pieces to a file as they come."""
    built = (activity_event(i, values) for i, values in events)
    return ical_events.calendar_chunks((e for e in built if e is not None), product_id, name)


def calendar_text(events: Iterable[tuple[str, Mapping[str, Any]]]) -> str:
    """The whole calendar as one text (for small calendars; stream with calendar_chunks)."""
    return "".join(calendar_chunks(events))
