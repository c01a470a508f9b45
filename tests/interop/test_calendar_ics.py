"""The one iCalendar writer (activities and deadlines): what it writes, checked with three
independent readers (the icalendar library, vobject, and ical.js, Thunderbird's parser, when
node and the module are installed); the fast event text held to the library's own
``Event.to_ical()``; streaming a calendar one event at a time."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from icalendar.parser import Contentline

from citypartner_desktop.interop import ical_events
from citypartner_desktop.interop.calendar import calendar_chunks, calendar_text
from citypartner_desktop.interop.deadlines_ics import calendar_bytes
from citypartner_desktop.interop.ical_events import AllDayEvent, clean, event_component, fold
from citypartner_desktop.interop.textformats import unfolded_lines
from citypartner_desktop.services.monitoring import Deadline
from tests.interop.conftest import folded_lines

ICALJS_SCRIPT = Path(__file__).with_name("icaljs_check.js")
LIBRARY_FOLDS_AS_7 = int(icalendar.__version__.split(".")[0]) >= 7
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=120)
STAMP = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)

# Text that breaks writers: the escapes (\ ; , and the "\N" the library itself mangles),
# every kind of line break and control character, folds landing on an escape or inside a
# character, emoji sequences, right-to-left scripts.
TRICKY = [
    "Visit, spring; 2025", "C:\\Nowy folder\\new", "ends in a backslash\\", "\\N", "\\n",
    "\\,\\;\\\\", ";;;,,,", "semi;colon", "line\nbreak\r\nWindows\rold Mac",
    "Word\x0bsoft break", "form\x0cfeed", "nul\x00byte and bell\x07", "\u2028separator\x85",
    "tab\tinside", "  spaces around  ", 'quote " and colon: yes', "",
    "emoji 🇵🇱🎉 family 👨‍👩‍👧 end", "עברית ومرحبا \u200fRTL mark", "京都市 – Kraków – Łódź",
    "x" * 60 + "\\,", "x" * 61 + ",", "x" * 62 + ";", "ł" * 30 + "\\;", "€" * 25 + "🎉" * 5,
    "a" * 500, "\n\n\n", "\\" * 80,
]


def _random_texts(count: int) -> list[str]:
    alphabet = list(",;\\\n\r:\"' ąęłżó€👍🇵🇱\u05d0\u0627\t\x0b\x00\x7f\x85\u2028aZ09N")
    rng = random.Random(5545)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 160)))
            for _ in range(count)]


def _tricky_events() -> list[AllDayEvent]:
    texts = TRICKY + _random_texts(120)
    events = []
    for index, text in enumerate(texts):
        other = texts[(index + 7) % len(texts)]
        events.append(AllDayEvent(
            uid=f"event-{index}@citypartner", first_day=date(2025, 1, 1) + timedelta(index),
            last_day=date(2025, 1, 1) + timedelta(index + index % 3), summary=text,
            description=other, location=f"{texts[(index + 3) % len(texts)]}, PL",
            categories=(text, "Delegation visit") if clean(text) else ("Meeting",),
            sequence=index, stamp=STAMP + timedelta(minutes=index),
            remind_days_before=index % 4 if index % 5 == 0 else None,
            transparent=index % 2 == 0))
    return events


def _expected(event: AllDayEvent) -> dict[str, Any]:
    return {
        "uid": event.uid, "summary": clean(event.summary),
        "description": clean(event.description) or None, "location": clean(event.location),
        "categories": [clean(c) for c in event.categories if clean(c)],
        "first": event.first_day, "end": max(event.first_day, event.last_day) + timedelta(1),
        "sequence": event.sequence, "stamp": event.stamp}


@pytest.fixture(scope="module")
def tricky_calendar(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[AllDayEvent]]:
    events = _tricky_events()
    path = tmp_path_factory.mktemp("ics") / "tricky.ics"
    with path.open("w", encoding="utf-8", newline="") as out:
        for chunk in ical_events.calendar_chunks(events, "-//Test//Tricky//EN", "Tricky"):
            out.write(chunk)
    return path, events


# --- activities -------------------------------------------------------------------------------


def _activity(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Visit, spring; 2025", "kind": "visit", "start_date": date(2025, 4, 1),
        "end_date": date(2025, 4, 3), "summary": "Minutes:\nall agreed",
        "partnership": "Kraków – Kyoto", "city": "Kyoto", "country": "JP",
        "updated_at": datetime(2025, 4, 5, 10, 11, 12, tzinfo=UTC),
        "created_at": datetime(2025, 1, 1, tzinfo=UTC), "version": 3}
    values.update(changes)
    return values


def _lines(text: str) -> list[str]:
    return [line for _n, line in unfolded_lines(text)]


def test_activity_event_lines() -> None:
    text = calendar_text([("a1b2", _activity())])
    folded_lines(text.encode("utf-8"))
    assert _lines(text) == [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//CityPartner Desktop//Activities//EN",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        "UID:a1b2@citypartner",  # the form calendars that took earlier exports hold
        "DTSTAMP:20250405T101112Z",  # when the activity last changed
        "DTSTART;VALUE=DATE:20250401",
        "DTEND;VALUE=DATE:20250404",  # the day after the last day
        "SEQUENCE:3",  # the record's version
        "SUMMARY:Visit\\, spring\\; 2025",
        "LOCATION:Kyoto\\, JP",  # the comma between city and country escaped too
        "DESCRIPTION:Kraków – Kyoto\\n\\nMinutes:\\nall agreed",
        "CATEGORIES:Delegation visit",
        "END:VEVENT",
        "END:VCALENDAR"]


def test_a_moved_activity_has_a_higher_sequence_and_a_later_stamp() -> None:
    before = Calendar.from_ical(calendar_text([("a1", _activity())])).walk("VEVENT")[0]
    moved = _activity(start_date=date(2025, 5, 6), end_date=None, version=4,
                      updated_at=datetime(2025, 4, 20, 8, 0, tzinfo=UTC))
    after = Calendar.from_ical(calendar_text([("a1", moved)])).walk("VEVENT")[0]
    assert str(after["UID"]) == str(before["UID"]) == "a1@citypartner"
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["DTSTAMP"].dt > before["DTSTAMP"].dt
    assert (after["DTSTART"].dt, after["DTEND"].dt) == (date(2025, 5, 6), date(2025, 5, 7))


def test_missing_version_and_other_stamps() -> None:
    values = _activity(version=None, kind=None, city=None, summary=None,
                       updated_at=datetime(2025, 4, 5, 12, 0, tzinfo=timezone(timedelta(hours=2))))
    lines = _lines(calendar_text([("a1", values)]))
    assert "SEQUENCE:0" in lines
    assert "DTSTAMP:20250405T100000Z" in lines  # in UTC
    assert "DESCRIPTION:Kraków – Kyoto" in lines
    assert not any(line.startswith(("LOCATION", "CATEGORIES")) for line in lines)
    naive = _lines(calendar_text([("a1", _activity(updated_at=datetime(2025, 4, 5, 12, 0)))]))
    assert "DTSTAMP:20250405T120000Z" in naive  # the database keeps UTC
    # without a start date there is no event (the domain requires one)
    assert "BEGIN:VEVENT" not in calendar_text([("a1", _activity(start_date=None))])


def test_control_characters_never_reach_the_file() -> None:
    values = _activity(title="Agenda\x0bsecond line\x00\x07", summary="page\x0cbreak\x1b[0m",
                       city="Kyo\x00to", partnership="P\u2028Q")
    raw = calendar_text([("a1", values)]).encode("utf-8")
    folded_lines(raw)
    assert not [b for b in raw.replace(b"\r\n", b"") if b < 0x20 or b == 0x7F]
    event = Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Agenda\nsecond line"
    assert str(event["DESCRIPTION"]) == "P\nQ\n\npage\nbreak[0m"
    assert str(event["LOCATION"]) == "Kyoto, JP"


def test_the_calendar_is_streamed_one_event_at_a_time() -> None:
    taken: list[int] = []

    def activities() -> Iterator[tuple[str, Mapping[str, Any]]]:
        for index in range(1_000):
            taken.append(index)
            yield f"id-{index}", _activity(title=f"Visit {index}")

    chunks = calendar_chunks(activities())
    header = next(chunks)
    assert header.startswith("BEGIN:VCALENDAR\r\n") and "VEVENT" not in header
    assert taken == []  # nothing read before it is needed
    first = next(chunks)
    assert first.startswith("BEGIN:VEVENT\r\n") and first.endswith("END:VEVENT\r\n")
    assert "SUMMARY:Visit 0\r\n" in first and taken == [0]
    rest = list(chunks)
    assert rest[-1] == "END:VCALENDAR\r\n" and len(rest) == 1_000
    assert "".join([header, first, *rest]) == calendar_text(
        (f"id-{i}", _activity(title=f"Visit {i}")) for i in range(1_000))


# --- the same as the library writes ------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(TEXT, TEXT, TEXT, st.integers(0, 10**6), st.none() | st.integers(0, 60))
def test_event_text_is_what_the_library_writes(summary: str, description: str, place: str,
                                               version: int, remind: int | None) -> None:
    event = AllDayEvent("id-1@citypartner", date(2025, 4, 1), date(2025, 4, 3), summary,
                        description, place, (summary, "Call"), version, STAMP,
                        transparent=remind is not None, remind_days_before=remind)
    ours = ical_events.event_text(event)
    library = event_component(event).to_ical(sorted=False).decode("utf-8")
    if LIBRARY_FOLDS_AS_7:
        assert ours == library
    else:  # older versions fold at other places; the content lines are the same
        assert _lines(ours) == _lines(library)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("ab\\^;é€🎉"), max_size=400).map(lambda t: f"SUMMARY:{t}"))
def test_fold_is_the_library_fold(line: str) -> None:
    folded = fold(line)
    folded_lines(folded.encode("utf-8"))
    assert _lines(folded) == [line]
    if LIBRARY_FOLDS_AS_7:
        assert folded == Contentline(line).to_ical().decode("utf-8") + "\r\n"


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT, TEXT)
def test_any_text_round_trips_through_icalendar(title: str, summary: str, city: str) -> None:
    """Any Unicode (commas, semicolons, backslashes, newlines of every kind, control
    characters, emoji, right-to-left) comes back as ``printable`` makes it, newlines as LF."""
    text = calendar_text([("id-1", _activity(title=title, summary=summary, city=city or "x"))])
    folded_lines(text.encode("utf-8"))
    [event] = Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == clean(title)
    description = "\n\n".join(p for p in ("Kraków – Kyoto", summary) if p)
    assert str(event["DESCRIPTION"]) == clean(description)
    assert str(event["LOCATION"]) == f"{clean(city or 'x')}, JP"


# --- three readers, one corpus ----------------------------------------------------------------


def test_icalendar_reads_back_every_tricky_event(
        tricky_calendar: tuple[Path, list[AllDayEvent]]) -> None:
    path, events = tricky_calendar
    raw = path.read_bytes()
    folded_lines(raw)
    calendar = Calendar.from_ical(raw)
    assert str(calendar["X-WR-CALNAME"]) == "Tricky"
    found = calendar.walk("VEVENT")
    assert len(found) == len(events)
    for event, expected in zip(found, map(_expected, events), strict=True):
        categories = event.get("CATEGORIES") or []
        if not isinstance(categories, list):
            categories = [categories]
        assert {
            "uid": str(event["UID"]), "summary": str(event["SUMMARY"]),
            "description": str(event["DESCRIPTION"]) if "DESCRIPTION" in event else None,
            "location": str(event["LOCATION"]),
            "categories": [str(c) for line in categories for c in line.cats],
            "first": event["DTSTART"].dt, "end": event["DTEND"].dt,
            "sequence": event["SEQUENCE"], "stamp": event["DTSTAMP"].dt} == expected


def test_vobject_reads_back_every_tricky_event(
        tricky_calendar: tuple[Path, list[AllDayEvent]]) -> None:
    path, events = tricky_calendar
    calendar = vobject.readOne(path.read_text(encoding="utf-8"))
    found = calendar.vevent_list
    assert len(found) == len(events)
    for event, expected in zip(found, map(_expected, events), strict=True):
        contents = event.contents
        assert {
            "uid": event.uid.value, "summary": event.summary.value,
            "description": event.description.value if "description" in contents else None,
            "location": event.location.value,
            "categories": [c for line in contents.get("categories", []) for c in line.value],
            "first": event.dtstart.value, "end": event.dtend.value,
            "sequence": int(event.sequence.value), "stamp": event.dtstamp.value} == expected
        if "valarm" in contents:
            assert event.valarm.trigger.value == timedelta(days=-(expected["sequence"] % 4))


def _icaljs(path: Path) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run([node, str(ICALJS_SCRIPT), str(path)], capture_output=True,
                          text=True, timeout=60, check=False)
    if done.returncode == 3:
        pytest.skip("ical.js is not installed (npm install --prefix /tmp/icaljs ical.js@2.2.1,"
                    " or set ICALJS_DIR)")
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_icaljs_reads_back_every_tricky_event(
        tricky_calendar: tuple[Path, list[AllDayEvent]]) -> None:
    """ical.js (Thunderbird's parser) reads SUMMARY, DESCRIPTION, LOCATION and CATEGORIES
    with their \\; \\, \\\\ and \\n unescaped: the exact text."""
    path, events = tricky_calendar
    found = _icaljs(path)
    assert found["name"] == "Tricky"
    assert len(found["events"]) == len(events)
    for event, expected in zip(found["events"], map(_expected, events), strict=True):
        assert {
            "uid": event["uid"], "summary": event["summary"] or "",
            "description": event["description"], "location": event["location"],
            "categories": event["categories"], "first": date.fromisoformat(event["dtstart"]),
            "end": date.fromisoformat(event["dtend"]), "sequence": event["sequence"],
            "stamp": datetime.fromisoformat(event["dtstamp"])} == expected
        assert event["transp"] == ("TRANSPARENT" if expected["sequence"] % 2 == 0 else None)
        if event["alarms"]:
            [alarm] = event["alarms"]
            assert alarm["action"] == "DISPLAY"
            assert alarm["description"] == expected["summary"]


def test_deadlines_are_written_by_the_same_writer(tmp_path: Path) -> None:
    items = [Deadline("agreement-expires-1", date(2027, 1, 31), "Agreement expires: Kraków, "
                      "Kyoto; renewal", "Decide\x0bby October", "Agreement", 30, 7, STAMP)]
    raw = calendar_bytes(items)
    folded_lines(raw)
    path = tmp_path / "deadlines.ics"
    path.write_bytes(raw)
    assert raw.decode("utf-8") == "".join(ical_events.calendar_chunks(
        [AllDayEvent("agreement-expires-1@citypartner.invalid", date(2027, 1, 31),
                     date(2027, 1, 31), "Agreement expires: Kraków, Kyoto; renewal",
                     "Decide\x0bby October", "", ("Agreement",), 7, STAMP, True, 30)],
        "-//CityPartner Desktop//Deadlines//EN", "CityPartner deadlines"))
    event = vobject.readOne(raw.decode("utf-8")).vevent
    assert event.summary.value == "Agreement expires: Kraków, Kyoto; renewal"
    assert event.description.value == "Decide\nby October"
    assert event.transp.value == "TRANSPARENT" and event.sequence.value == "7"
    assert event.valarm.trigger.value == timedelta(days=-30)
    [seen] = _icaljs(path)["events"]
    assert seen["summary"] == "Agreement expires: Kraków, Kyoto; renewal"
    assert seen["alarms"] == [{"action": "DISPLAY", "trigger": "-P30D",
                               "description": "Agreement expires: Kraków, Kyoto; renewal"}]
