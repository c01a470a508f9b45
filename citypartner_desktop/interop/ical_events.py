"""All-day events as iCalendar (RFC 5545) text: the one writer of the activities calendar and
the deadlines calendar.

An event is an ``AllDayEvent``. ``event_component`` builds it with the icalendar library (an
``icalendar.Event``), and ``event_text`` writes exactly the same content lines without
building the component: the library's ``Event`` and ``to_ical()`` cost about 220 µs an event
(4,500 events/s, so nearly four minutes for a million: most of it its character by character
line folding and its property bookkeeping), ``event_text`` about 20 µs. The tests hold
``event_text`` to the library's ``Event.to_ical()`` byte for byte.

TEXT values are escaped by ``escape`` as RFC 5545 §3.3.11 says (backslash, semicolon, comma,
line break), not by the library's ``vText``, which turns a backslash and "N" in the text into
a line break ("C:\\Nowy folder"). Long lines are folded by ``fold`` to the library's rule: at
most 75 octets a line, never inside a UTF-8 character nor between a backslash and the
character it escapes (as the library keeps them, for readers that unfold those wrong).

``calendar_chunks`` streams a whole calendar: its header, one event's text at a time, its
footer; it holds one event at a time, never the calendar.

Text reaches the file as ``cells.printable`` makes it (Word's soft line break and other
control characters are line breaks or nothing), with every line break as one "\\n".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from citypartner_desktop.interop.cells import printable

if TYPE_CHECKING:  # the library is loaded when a calendar is written, not at the start
    from icalendar import Event

_LIMIT = 75  # octets of a content line, CRLF not counted (RFC 5545 §3.1)
_FOLD = b"\r\n "
_ESCAPE_STARTS = (0x5C, 0x5E)  # "\" (TEXT escapes) and "^" (RFC 6868 parameter escapes)


@dataclass(frozen=True, slots=True)
class AllDayEvent:
    """One all-day event: ``first_day`` to ``last_day`` (both included)."""

    uid: str
    first_day: date
    last_day: date
    summary: str
    description: str = ""
    location: str = ""
    categories: tuple[str, ...] = ()
    sequence: int = 0  # the record's version: a calendar takes the higher one as the newer
    stamp: datetime | None = None  # when the record last changed (UTC); None: now
    transparent: bool = False  # TRANSP:TRANSPARENT, the event makes nobody busy
    remind_days_before: int | None = None  # a VALARM (DISPLAY) that many days before


def clean(text: object) -> str:
    """Text as it is written: control characters made printable, line breaks as "\\n"."""
    if text is None:
        return ""
    text = str(text)
    if text.isprintable():  # no control character, no line break: the common case, fast
        return text
    return printable(text).replace("\r\n", "\n").replace("\r", "\n")


def _utc(moment: datetime | None) -> datetime:
    """A moment in UTC; a naive one is taken as UTC already (the database keeps UTC)."""
    if moment is None:
        return datetime.now(UTC).replace(microsecond=0)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC, microsecond=0)
    return moment.astimezone(UTC).replace(microsecond=0)


def _end(event: AllDayEvent) -> date:
    """DTEND: the day after the last day (RFC 5545: DTEND is not part of the event)."""
    return max(event.first_day, event.last_day) + timedelta(days=1)


# --- the library's component ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _library_text() -> type[Any]:
    """The library's vText with the RFC's escaping (``escape``)."""
    from icalendar import vText

    class Text(vText):
        def to_ical(self) -> bytes:
            return escape(str(self)).encode("utf-8")

    return Text


def event_component(event: AllDayEvent) -> Event:
    """The event built with the icalendar library, property by property, in the order
    ``event_text`` writes them (its TEXT escaped by ``escape``)."""
    from icalendar import Alarm, Event

    text = _library_text()
    component = Event()
    component.add("uid", text(clean(event.uid)))
    component.add("dtstamp", _utc(event.stamp))
    component.add("dtstart", event.first_day)  # a date, not a time: an all-day event
    component.add("dtend", _end(event))
    component.add("sequence", event.sequence)
    component.add("summary", text(clean(event.summary)))
    if clean(event.location):
        component.add("location", text(clean(event.location)))
    if clean(event.description):
        component.add("description", text(clean(event.description)))
    for category in map(clean, event.categories):
        if category:
            component.add("categories", text(category))  # one a line
    if event.transparent:
        component.add("transp", "TRANSPARENT")
    if event.remind_days_before is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", text(clean(event.summary)))
        alarm.add("trigger", timedelta(days=-event.remind_days_before))
        component.add_component(alarm)
    return component


# --- the same, written directly ---------------------------------------------------------------


def fold(line: str) -> str:
    """``line`` folded as the icalendar library folds it, with CRLF after every line: at most
    75 octets a line (74 and the continuation's leading space), never inside a UTF-8
    character, never between a backslash (or ^) and the character after it."""
    if len(line) <= _LIMIT // 4:  # short enough in any script: the common case, checked fast
        return line + "\r\n"
    data = line.encode("utf-8")
    size = len(data)
    if size < _LIMIT:
        return line + "\r\n"
    width = _LIMIT - 1
    pieces = []
    start = 0
    while size - start > width:
        cut = start + width
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: not a character's start
            cut -= 1
        if data[cut - 1] in _ESCAPE_STARTS and cut - 1 > start:
            cut -= 1  # keep the escape together on the next line
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return _FOLD.join(pieces).decode("utf-8") + "\r\n"


def escape(text: str) -> str:
    """TEXT as RFC 5545 §3.3.11 escapes it: backslash, semicolon, comma and line break (the
    text is ``clean``: its line breaks are "\\n" already).

    Not the library's ``vText``: it first turns a backslash and "N" in the text into a line
    break ("C:\\Nowy folder" would come back as "C:" and "owy folder" on two lines)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace(
        "\n", "\\n")


@lru_cache(maxsize=4096)
def _short_text(value: str) -> str:
    """Escaped TEXT of the values that repeat (places): escaped once."""
    return escape(value)


@lru_cache(maxsize=4096)
def _category(value: str) -> str:
    """One category, alone on its CATEGORIES line. Several on one line are separated by
    commas, and ical.js (Thunderbird) splits "a\\\\,b" (the first one ending in a backslash)
    at the wrong place; one a line, there is no separator to get wrong."""
    return escape(value)


def _date(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _stamp(moment: datetime | None) -> str:
    at = _utc(moment)
    return (f"{at.year:04d}{at.month:02d}{at.day:02d}"
            f"T{at.hour:02d}{at.minute:02d}{at.second:02d}Z")


@lru_cache(maxsize=64)
def _trigger(days_before: int) -> str:
    from icalendar import vDuration

    encoded: bytes = vDuration(timedelta(days=-days_before)).to_ical()  # type: ignore[no-untyped-call]
    return encoded.decode("ascii")


def event_text(event: AllDayEvent) -> str:
    """The VEVENT's content lines, as ``event_component(event).to_ical(sorted=False)``."""
    summary = escape(clean(event.summary))
    lines = [
        "BEGIN:VEVENT\r\n",
        fold(f"UID:{escape(clean(event.uid))}"),
        f"DTSTAMP:{_stamp(event.stamp)}\r\n",
        f"DTSTART;VALUE=DATE:{_date(event.first_day)}\r\n",
        f"DTEND;VALUE=DATE:{_date(_end(event))}\r\n",
        f"SEQUENCE:{int(event.sequence)}\r\n",
        fold(f"SUMMARY:{summary}"),
    ]
    location = clean(event.location)
    if location:
        lines.append(fold(f"LOCATION:{_short_text(location)}"))
    description = clean(event.description)
    if description:
        lines.append(fold(f"DESCRIPTION:{escape(description)}"))
    for category in event.categories:  # one line each: see _category
        category = clean(category)
        if category:
            lines.append(fold(f"CATEGORIES:{_category(category)}"))
    if event.transparent:
        lines.append("TRANSP:TRANSPARENT\r\n")
    if event.remind_days_before is not None:
        lines.extend(("BEGIN:VALARM\r\n", "ACTION:DISPLAY\r\n", fold(f"DESCRIPTION:{summary}"),
                      f"TRIGGER:{_trigger(event.remind_days_before)}\r\n", "END:VALARM\r\n"))
    lines.append("END:VEVENT\r\n")
    return "".join(lines)


def calendar_header(product_id: str, name: str | None = None) -> str:
    """BEGIN:VCALENDAR and the calendar's properties (written by the library)."""
    from icalendar import Calendar
    from icalendar.prop import vInline

    text = _library_text()
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", text(clean(product_id)))
    calendar.add("calscale", "GREGORIAN")
    name = " ".join(clean(name).split())
    if name:
        # The name Google, Apple and Thunderbird show. An X- property has no value type, so
        # readers take it as it stands (ical.js and icalendar keep "\\," as two characters):
        # written unescaped, on one line, as the library writes it.
        calendar.add("x-wr-calname", vInline(name))
    whole: str = calendar.to_ical(sorted=False).decode("utf-8")
    return whole[: -len(CALENDAR_FOOTER)]


CALENDAR_FOOTER = "END:VCALENDAR\r\n"


def calendar_chunks(events: Iterable[AllDayEvent], product_id: str,
                    name: str | None = None) -> Iterator[str]:
    """A whole calendar, piece by piece: the header, each event's text, the footer."""
    yield calendar_header(product_id, name)
    for event in events:
        yield event_text(event)
    yield CALENDAR_FOOTER
