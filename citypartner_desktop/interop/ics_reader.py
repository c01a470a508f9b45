"""iCalendar (.ics) files as Outlook, Google Calendar, Thunderbird and phones write them, read
as rows for the activities import: one row per event.

Columns (named as the activities import's fields, so they match by themselves): title
(SUMMARY), start_date and end_date, kind (the first of CATEGORIES that is an activity kind,
by code or label), city and country (from LOCATION), participant_count and summary
(DESCRIPTION, the whole LOCATION when it was more than "City, Country", and a line
"Participants: name <mail>, …"), and uid (the event's UID).

Dates are the event's own: a time with a TZID is taken as written (the zone's name may be
an IANA one, a Windows one as Outlook writes it, or a Lightning "/mozilla.org/…/Europe/Berlin");
a UTC time (…Z, as Google writes) in the calendar's zone (X-WR-TIMEZONE) when it has one; a
floating time as written. So an evening event in Warsaw is on its day there, not the day
before in UTC. DTEND is not part of an event: an all-day event of one day ends the day it
starts, and a meeting that ends at midnight ends the day before.

Participants are the organizer and the attendees, each person once, without rooms and
equipment (CUTYPE ROOM, RESOURCE) and without those who declined.

Left out, and said so in the table's notes: cancelled events (STATUS:CANCELLED), the
changed occurrences of repeating events (RECURRENCE-ID), the repetitions themselves (RRULE:
only the first date is taken), other components (to-dos, journal entries) and the
properties that are not kept (listed once, with how many events had them). Stamps and
versions (DTSTAMP, CREATED, LAST-MODIFIED, SEQUENCE, TRANSP) are not reported: the import
makes its own.

Other programs' slips are read as they meant them: line ends of CR CR LF (a file saved once
more on Windows), a lone CR inside a value, line breaks doubled ("UID", "", " :1234" in old
Mozilla files), a line of UTF-8 with bytes damaged on the way (read as UTF-8 with U+FFFD, not
the whole file as Windows-1252), Exchange's start time inside the zone's quotes
(DTSTART;TZID="W. Europe Standard Time:20200609T090000"), and \\" for a quotation mark
(Apple iCal 1, Sunbird, Podio).

The file is read within the limits of ``read_limits`` (events as rows); each event is
parsed on its own by the icalendar library, so memory holds the file and the rows, never a
whole parsed calendar. A row's line is the line of its BEGIN:VEVENT.
"""

from __future__ import annotations

import codecs
import re
import sys
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.text import fold
from citypartner_desktop.interop import read_limits
from citypartner_desktop.interop.cells import printable
from citypartner_desktop.interop.countries import resolve_country
from citypartner_desktop.interop.read_limits import Held, Limits, row_size, too_many_rows
from citypartner_desktop.interop.source_table import FileRefused, SourceRow, SourceTable

COLUMNS = ("title", "start_date", "end_date", "kind", "city", "country", "participant_count",
           "summary", "uid")

# What the rows are made of; handed to the icalendar library, the rest is only counted.
_USED = frozenset({"UID", "SUMMARY", "DTSTART", "DTEND", "DURATION", "LOCATION",
                   "DESCRIPTION", "CATEGORIES", "ATTENDEE", "ORGANIZER", "STATUS", "RRULE",
                   "RDATE", "EXDATE", "RECURRENCE-ID"})
# Bookkeeping of the program that wrote the file, not information about the activity.
_SILENT = frozenset({"DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "TRANSP"})
_PROGRAM_SPECIFIC = "program-specific X- properties"
_COMPONENT_NAMES = {"VTODO": ("to-do", "to-dos"), "VJOURNAL": ("journal entry",
                                                               "journal entries"),
                    "VFREEBUSY": ("free/busy list", "free/busy lists")}
_NOT_PEOPLE = frozenset({"ROOM", "RESOURCE"})
_ONLINE = re.compile(r"://|\b(?:teams|zoom|skype|webex|google meet|jitsi|online)\b",
                     re.IGNORECASE)
_DUTCH_POSTCODE = re.compile(r"^\d{4}\s?[A-Z]{2}\b\s*")
_REGION_CODE = re.compile(r"[A-Z]{2,3}")  # "IL", "ON", "NSW": a state after the city
# A calendar nests three deep (VCALENDAR, VEVENT, VALARM); a meeting has hundreds of
# attendees at most. Past these, a file is made to make readers run out of memory or time.
_MAX_DEPTH = 8
_MAX_PROPERTIES = 20_000
# A line ends at LF after any number of CRs (CR CR LF is CR LF saved once more in text mode
# on Windows); in a file without LF (classic Mac OS) at CR. A lone CR in a file with LFs is
# part of the line.
_LINE = re.compile(r"((?:[^\r\n]++|\r++(?!\n))*+)\r*+(?:\n|\Z)")  # possessive: linear
_MAC_LINE = re.compile(r"([^\r]*)(?:\r|\Z)")
# A character in UTF-8 (two to four bytes): a line that is not UTF-8 but has more bytes in
# these than outside them is UTF-8 damaged on the way (bytes lost or replaced by "?").
_UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Exchange writes some start times with the value inside the zone's quotes:
# DTSTART;TZID="W. Europe Standard Time:20200609T090000"
_HIGH_BYTES = bytes(range(0x80, 0x100))
_MISQUOTED_TZID = re.compile(
    r'(?P<head>[^":]*;TZID=)"(?P<zone>[^"]*):(?P<value>\d{8}(?:T\d{6}Z?)?)"\s*', re.I)
_DATE_PROPERTIES = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"})
_TEXT_PROPERTIES = frozenset({"SUMMARY", "DESCRIPTION", "LOCATION", "CATEGORIES"})


def read_ics(data: bytes, name: str, limits: Limits | None = None) -> SourceTable:
    """The events of an iCalendar file as a table with the COLUMNS headers. Raises
    FileRefused (with the reason, and the line where there is one)."""
    if limits is None:  # the limits as the module holds them now (a test may lower them)
        limits = Limits(read_limits.MAX_CELL, read_limits.MAX_ROWS, read_limits.MAX_HELD)
    text, encoding, notes = _decode(data, name)
    head = text.lstrip("\ufeff \t\r\n")[:15].upper()
    if head != "BEGIN:VCALENDAR":
        raise FileRefused(f"{name} is not an iCalendar file: it does not begin with "
                          "BEGIN:VCALENDAR.")
    held = Held(name, len(data) + sys.getsizeof(text), limits.held)
    reading = _Reading(name, limits)
    rows: list[SourceRow] = []
    with warnings.catch_warnings():  # the library's guesses at zones: this module makes its own
        warnings.simplefilter("ignore")
        for block in _blocks(text, name, reading):
            cells = reading.row(block)
            if cells is None:
                continue
            if len(rows) >= limits.rows:
                raise too_many_rows(name, f"the event of line {block.line:,}", limits.rows)
            held.add_row(row_size(cells), f"at the event of line {block.line:,}")
            rows.append(SourceRow(block.line, cells))
    if reading.events == 0:
        raise FileRefused(f"{name} holds no event (BEGIN:VEVENT … END:VEVENT)"
                          f"{reading.only_other()}.")
    notes.extend(reading.notes())
    if not rows:
        raise FileRefused(f"{name} has no event to import: {'; '.join(notes)}.")
    return SourceTable(name, COLUMNS, tuple(rows), encoding, None, tuple(notes), "iCalendar")


# --- the file as lines and events ---------------------------------------------------------------


def _decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16", []
        except UnicodeDecodeError:
            raise FileRefused(f"{name} is not valid UTF-16 text.") from None
    try:
        return data.decode("utf-8-sig"), "UTF-8", []
    except UnicodeDecodeError:
        pass
    # iCalendar is UTF-8; an old program may have written Windows-1252 (which reads any
    # byte but five: those make the file something else than text). Read line by line: a
    # line that is UTF-8 is read so, one that is UTF-8 with bytes damaged on the way is read
    # as UTF-8 with U+FFFD for what was lost, any other in Windows-1252.
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    parts: list[str] = []
    utf8 = cp1252 = 0
    damaged: list[int] = []
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        try:
            parts.append(line.decode("utf-8"))
            utf8 += not line.isascii()
            continue
        except UnicodeDecodeError:
            pass
        in_characters = sum(len(m) for m in _UTF8_CHARACTER.findall(line))
        outside = len(line) - len(line.translate(None, _HIGH_BYTES)) - in_characters
        if in_characters > outside:
            parts.append(line.decode("utf-8", "replace"))
            damaged.append(number)
            continue
        try:
            parts.append(line.decode("cp1252"))
            cp1252 += 1
        except UnicodeDecodeError:
            raise FileRefused(f"{name} is not text (not UTF-8, the encoding of iCalendar "
                              "files).") from None
    notes = []
    if damaged:
        shown = ", ".join(f"{n:,}" for n in damaged[:10]) + (", …" if len(damaged) > 10 else "")
        notes.append(f"not valid UTF-8 on line{'s' if len(damaged) > 1 else ''} {shown}: "
                     "characters that could not be read are shown as \ufffd")
    if cp1252 and (utf8 or damaged):
        notes.append(f"{cp1252:,} line{'s' if cp1252 > 1 else ''} not UTF-8: read as "
                     "Windows-1252")
        return "".join(parts), "UTF-8 and Windows-1252 (line by line)", notes
    if cp1252:
        return "".join(parts), "Windows-1252", ["not UTF-8: read as Windows-1252", *notes]
    return "".join(parts), "UTF-8", notes


def _content_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, content line) with folded lines joined (RFC 5545 §3.1), one at a time.
    A folded line after blank lines still continues the line before them (old Mozilla
    Calendar files whose line breaks were doubled on the way read "UID", "", " :1234")."""
    current: list[str] = []
    start = 0
    number = 0
    lines = _LINE if "\n" in text else _MAC_LINE
    for number, match in enumerate(lines.finditer(text), start=1):
        raw = match[1]
        if raw[:1] in (" ", "\t") and current:
            current.append(raw[1:])
        elif raw.strip() or not current:
            if current:
                yield start, "".join(current)
            current, start = [raw], number
        if match.end() == len(text):
            break
    if current and current[0]:
        yield start, "".join(current)


def _name_of(line: str) -> str:
    """The property's name, upper-cased ("DTSTART" of "DTSTART;TZID=…:…")."""
    end = len(line)
    for separator in (";", ":"):
        found = line.find(separator, 0, end)
        if found != -1:
            end = found
    return line[:end].strip().upper()


def _value_of(line: str) -> str:
    """The raw value of a line without parameters ("BEGIN:VEVENT" -> "VEVENT")."""
    return line.partition(":")[2].strip().upper()


@dataclass
class _Block:
    line: int  # of BEGIN:VEVENT
    lines: list[str] = field(default_factory=list)  # the properties the row is made of
    other: set[str] = field(default_factory=set)  # the properties and components not kept


def _blocks(text: str, name: str, reading: _Reading) -> Iterator[_Block]:
    """Each VEVENT of the file, with the calendar's properties read into ``reading`` on the
    way; other components are counted and skipped."""
    stack: list[tuple[str, int]] = []  # open components: (name, line)
    event: _Block | None = None
    for number, line in _content_lines(text):
        if not line.strip():
            continue
        prop = _name_of(line)
        if prop == "BEGIN":
            component = _value_of(line)
            if not stack and component != "VCALENDAR":
                raise FileRefused(f"{name} line {number:,}: {component or 'this'} is outside "
                                  "the calendar (BEGIN:VCALENDAR … END:VCALENDAR).")
            if component == "VEVENT":
                if event is not None:
                    raise FileRefused(
                        f"{name} line {number:,}: an event begins before the event of line "
                        f"{event.line:,} has ended (END:VEVENT is missing).")
                if len(stack) == 1:
                    event = _Block(number)
            elif event is not None:
                event.other.add(f"({component})" if component != "VALARM" else "(VALARM)")
            elif len(stack) == 1:
                reading.component(component)
            stack.append((component, number))
            if len(stack) > _MAX_DEPTH:
                raise FileRefused(f"{name} line {number:,}: components nested more than "
                                  f"{_MAX_DEPTH} deep; this is not a calendar.")
            continue
        if prop == "END":
            component = _value_of(line)
            if not stack or stack[-1][0] != component:
                expected = f"END:{stack[-1][0]}" if stack else "nothing"
                raise FileRefused(f"{name} line {number:,}: END:{component} where {expected} "
                                  "was expected.")
            stack.pop()
            if component == "VEVENT" and event is not None:
                yield event
                event = None
            continue
        if event is not None:
            if len(stack) == 2 and prop in _USED:
                if len(event.lines) >= _MAX_PROPERTIES:
                    raise FileRefused(
                        f"{name}: the event of line {event.line:,} has more than "
                        f"{_MAX_PROPERTIES:,} attendees and other properties; this is not a "
                        "calendar a person wrote.")
                event.lines.append(_repaired(prop, line))
            elif len(stack) == 2 and prop not in _SILENT:
                event.other.add(_PROGRAM_SPECIFIC if prop.startswith("X-") else prop)
        elif len(stack) == 1:
            reading.calendar_property(prop, line)
    if event is not None:
        raise FileRefused(f"{name}: the event of line {event.line:,} never ends (END:VEVENT "
                          "is missing); the file may have been cut short.")


def _repaired(prop: str, line: str) -> str:
    """A content line with two writers' slips undone before the library reads it: Exchange's
    start times inside the zone's quotes, and the \\" that Apple iCal 1 and Sunbird wrote for
    a quotation mark in a text (RFC 5545 escapes only \\ ; , and line breaks; the library
    keeps the backslash)."""
    if prop in _DATE_PROPERTIES:
        misquoted = _MISQUOTED_TZID.fullmatch(line)
        if misquoted:
            return f'{misquoted["head"]}"{misquoted["zone"]}":{misquoted["value"]}'
    elif prop in _TEXT_PROPERTIES and '\\"' in line:
        start = _value_start(line)
        return line[:start] + re.sub(r'\\(.)', lambda m: '"' if m[1] == '"' else m[0],
                                     line[start:])
    return line


def _value_start(line: str) -> int:
    """Where the value of a content line begins: after the first colon outside quotes."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return index + 1
    return len(line)


# --- events to rows ------------------------------------------------------------------------------


class _Reading:
    """What one file's reading has seen so far, and how it turns an event into a row."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.zone: tzinfo | None = None  # X-WR-TIMEZONE: the zone of UTC times
        self.cancel_all = False  # METHOD:CANCEL: a cancellation sent by e-mail
        self.events = 0
        self.cancelled = 0
        self.changed_occurrences = 0
        self.repeating = 0
        self.not_kept: Counter[str] = Counter()
        self.other_categories: Counter[str] = Counter()
        self.components: Counter[str] = Counter()

    def calendar_property(self, prop: str, line: str) -> None:
        if prop == "X-WR-TIMEZONE":
            self.zone = zone_of(line.partition(":")[2].strip())
        elif prop == "METHOD":
            self.cancel_all = _value_of(line) == "CANCEL"

    def component(self, component: str) -> None:
        if component in _COMPONENT_NAMES:
            self.components[component] += 1

    def only_other(self) -> str:
        listed = self._components()
        return f"; it has only {listed}" if listed else ""

    def row(self, block: _Block) -> tuple[Any, ...] | None:
        """The row of one event, or None for an event that is skipped (and counted)."""
        self.events += 1
        event = self._parse(block)
        if self.cancel_all or _text(event.get("STATUS")).upper() == "CANCELLED":
            self.cancelled += 1
            return None
        if event.get("RECURRENCE-ID") is not None:
            self.changed_occurrences += 1
            return None
        if event.get("RRULE") is not None or event.get("RDATE") is not None:
            self.repeating += 1
        self.not_kept.update(block.other)
        start, end = self._dates(event)
        location = " ".join(_text(event.get("LOCATION")).split())
        city, country, simple = place_of(location)
        people = participants(event)
        extra = []
        if location and not simple:
            extra.append(f"Location: {location}")
        if people:
            extra.append(f"Participants: {', '.join(people)}")
        parts = [_text(event.get("DESCRIPTION")).strip(), "\n".join(extra)]
        summary = "\n\n".join(p for p in parts if p)
        if len(summary) > self.limits.cell:
            raise FileRefused(
                f"{self.name} line {block.line:,}: the event's description is more than "
                f"{self.limits.cell:,} characters long; shorten it in the calendar program.")
        title = " ".join(_text(event.get("SUMMARY")).split())
        return (title, start, end, self._kind(event), city, country,
                len(people) or "", summary, _text(event.get("UID")).strip())

    def _parse(self, block: _Block) -> Any:
        from icalendar import Event

        text = "\r\n".join(["BEGIN:VEVENT", *block.lines, "END:VEVENT", ""])
        try:
            return Event.from_ical(text)
        except Exception as exc:  # the library's reasons vary: the file is refused
            raise FileRefused(f"{self.name} line {block.line:,}: this event cannot be read "
                              f"({exc}).") from None

    def _dates(self, event: Any) -> tuple[Any, Any]:
        """The first and last day, in the event's own time zone; a value that is not a date
        stays as written, for the import to report."""
        start_prop = event.get("DTSTART")
        start = _moment(start_prop, self.zone)
        if start is None:
            return (_raw(start_prop), "")
        first, zone = start
        end = _moment(event.get("DTEND"), self.zone)
        if end is not None:
            last = end[0]
            if isinstance(last, datetime) and isinstance(first, datetime) and zone is not None \
                    and end[1] is not None and end[1] is not zone:
                last = last.replace(tzinfo=end[1]).astimezone(zone).replace(tzinfo=None)
        elif isinstance(duration := _dt(event.get("DURATION")), timedelta):
            last = first + duration
        else:
            last = first + timedelta(days=1) if not isinstance(first, datetime) else first
        return _day(first), _last_day(first, last)

    def _kind(self, event: Any) -> str:
        found = ""
        for category in _categories(event):
            code = _kinds().get(fold(category))
            if code and not found:
                found = code
            elif not code:
                self.other_categories[category] += 1
        return found

    def _components(self) -> str:
        return ", ".join(f"{count:,} {_COMPONENT_NAMES[c][count != 1]} ({c})"
                         for c, count in sorted(self.components.items()))

    def notes(self) -> list[str]:
        notes = []
        if self.repeating:
            one = self.repeating == 1
            notes.append(f"{self.repeating:,} event{' repeats' if one else 's repeat'} (RRULE); "
                         f"only {'its' if one else 'their'} first date was imported")
        if self.cancelled:
            notes.append(f"{_events(self.cancelled, 'cancelled event')} (STATUS:CANCELLED) "
                         "skipped")
        if self.changed_occurrences:
            notes.append(f"{_events(self.changed_occurrences, 'changed occurrence')} of "
                         "repeating events (RECURRENCE-ID) skipped")
        if self.components:
            notes.append(f"skipped: {self._components()}")
        if self.other_categories:
            listed = ", ".join(f'"{c}" ({_events(n, "event")})'
                               for c, n in sorted(self.other_categories.items()))
            notes.append(f"categories not kept (not an activity kind): {listed}")
        if self.not_kept:
            listed = ", ".join(f"{_not_kept_name(p)} ({_events(n, 'event')})"
                               for p, n in sorted(self.not_kept.items(), key=_not_kept_order))
            notes.append(f"not kept: {listed}")
        return notes


def _events(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _not_kept_name(prop: str) -> str:
    return {"(VALARM)": "reminders (VALARM)"}.get(prop, prop.strip("()") if prop.startswith(
        "(") else prop)


def _not_kept_order(item: tuple[str, int]) -> tuple[int, str]:
    """Standard properties first, then components, then the program-specific ones."""
    prop = item[0]
    return (2 if prop == _PROGRAM_SPECIFIC else 1 if prop.startswith("(") else 0, prop)


# --- values ------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A TEXT property's value as the row keeps it (control characters made printable)."""
    if value is None:
        return ""
    if isinstance(value, list):  # the property was there twice: the first one counts
        value = value[0] if value else ""
    return printable(str(value)).replace("\r\n", "\n").replace("\r", "\n")


def _raw(prop: Any) -> str:
    """A value the library could not read, as the file has it."""
    if prop is None:
        return ""
    value = getattr(prop, "to_ical", None)
    try:
        raw = value() if value is not None else prop
    except Exception:  # only for the message
        raw = prop
    return printable(raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw))


def _dt(prop: Any) -> Any:
    """The date, time or duration of a property; None when it has none or the library could
    not read it (icalendar 7 raises BrokenCalendarProperty then)."""
    if isinstance(prop, list):
        prop = prop[0] if prop else None
    try:
        return getattr(prop, "dt", None)
    except ValueError:  # a broken value: the caller keeps it as written
        return None


def _moment(prop: Any, calendar_zone: tzinfo | None
            ) -> tuple[date | datetime, tzinfo | None] | None:
    """(the wall-clock time or the date as the event's zone shows it, that zone)."""
    value = _dt(prop)
    if isinstance(value, datetime):
        params = getattr(prop[0] if isinstance(prop, list) else prop, "params", {})
        tzid = params.get("TZID")
        if tzid:  # as written, in its zone
            return value.replace(tzinfo=None), zone_of(str(tzid))
        if value.tzinfo is not None:  # UTC: in the calendar's zone, where it has one
            if calendar_zone is not None:
                return value.astimezone(calendar_zone).replace(tzinfo=None), calendar_zone
            return value.astimezone(UTC).replace(tzinfo=None), UTC
        return value, None  # floating: the same wall-clock time everywhere
    if isinstance(value, date):
        return value, None
    return None


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _last_day(first: date | datetime, end: date | datetime) -> date:
    """The last day of an event that ends at ``end`` (not included, RFC 5545 §3.6.1)."""
    if isinstance(end, datetime):
        if end.time() == datetime.min.time() and (not isinstance(first, datetime)
                                                  or end > first):
            return end.date() - timedelta(days=1)  # ends at midnight: the day before
        return end.date()
    if isinstance(first, datetime):
        return end
    return max(first, end - timedelta(days=1))


@lru_cache(maxsize=256)
def zone_of(tzid: str) -> tzinfo | None:
    """The time zone a TZID names: an IANA name ("Europe/Warsaw"), a Windows one ("Central
    European Standard Time", as Outlook writes it; mapped by the icalendar library's CLDR
    table), or a "globally unique" one ("/mozilla.org/20050126_1/Europe/Berlin"). None for
    a zone nobody can tell ("Customized Time Zone"): then times are taken as written."""
    name = tzid.strip().strip('"')
    candidates = [name, _windows_zones().get(name, "")]
    if name.startswith("/"):  # "/vendor/…/Area/Location": an Area/Location at its end
        parts = name.strip("/").split("/")
        candidates.extend("/".join(parts[i:]) for i in range(1, len(parts) - 1))
    for candidate in candidates:
        if not candidate or candidate.startswith("/") or ".." in candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    return None


@lru_cache(maxsize=1)
def _windows_zones() -> dict[str, str]:
    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # icalendar 5
        from icalendar.windows_to_olson import (  # type: ignore[no-redef]
            WINDOWS_TO_OLSON,
        )
    return dict(WINDOWS_TO_OLSON)


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    """Folded code or label of an activity kind -> its code."""
    found: dict[str, str] = {}
    for code, label in vocab.ACTIVITY_KINDS:
        found[fold(code)] = code
        found[fold(label)] = code
    return found


def _categories(event: Any) -> list[str]:
    props = event.get("CATEGORIES")
    if props is None:
        return []
    found = []
    for prop in props if isinstance(props, list) else [props]:
        for value in getattr(prop, "cats", None) or [prop]:
            text = " ".join(_text(value).split())
            if text:
                found.append(text)
    return found


def participants(event: Any) -> list[str]:
    """The organizer and the attendees as "Name <mail>" (or the one they have), each person
    once, without rooms and equipment and without those who declined."""
    people: dict[str, list[str]] = {}  # key -> [name, mail]
    props = []
    for name in ("ORGANIZER", "ATTENDEE"):
        value = event.get(name)
        props.extend(value if isinstance(value, list) else [value] if value is not None else [])
    for prop in props:
        params = getattr(prop, "params", {})
        if str(params.get("CUTYPE", "")).upper() in _NOT_PEOPLE:
            continue
        if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
            continue
        address = " ".join(_text(prop).split())
        if address.lower().startswith("mailto:"):
            mail = address[7:]
        else:  # "invalid:nomail", as Outlook writes a name typed without an address
            mail = address if "@" in address and ":" not in address else ""
        cn = " ".join(_text(params.get("CN")).split())
        if cn.casefold() == mail.casefold():
            cn = ""  # Google names people by their address when it has no name
        key = (mail or cn).casefold()
        if not key:
            continue
        if key in people:
            if cn and not people[key][0]:
                people[key][0] = cn
            continue
        people[key] = [cn, mail]
    return [f"{cn} <{mail}>" if cn and mail else cn or mail for cn, mail in people.values()]


def place_of(location: str) -> tuple[str, str, bool]:
    """(city, country, whether LOCATION said no more than that) for a LOCATION:
    "Kraków, Poland" -> ("Kraków", "Poland", True); "Rynek Główny 1, 31-042 Kraków, Polska"
    -> ("Kraków", "Polska", False). The last part is the country when it is a country's name
    or code in some language; the part before it, without its postcode, the city. A place
    that is no more than one name ("Town hall"), a room or an online meeting gives no city."""
    if not location or _ONLINE.search(location):
        return "", "", False
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if len(parts) < 2 or any(ch.isdigit() for ch in parts[-1]) or \
            resolve_country(parts[-1]) is None:
        return "", "", False
    country = parts[-1]
    city = _without_postcode(parts[-2])
    if _REGION_CODE.fullmatch(city) and len(parts) >= 3:  # "Springfield, IL 62701, USA"
        city = _without_postcode(parts[-3])
    if not city:
        return "", "", False
    return city, country, len(parts) == 2 and city == parts[-2]


def _without_postcode(part: str) -> str:
    """ "31-042 Kraków" -> "Kraków", "1012 AB Amsterdam" -> "Amsterdam", "London SW1A 2AA"
    -> "London": the words that hold a digit left out."""
    part = _DUTCH_POSTCODE.sub("", part)
    return " ".join(word for word in part.split() if not any(ch.isdigit() for ch in word))
