"""Calendars in: .ics files as Outlook, Google Calendar and Thunderbird write them
(tests/data/corpus/calendars) read as activity rows, exactly; time zones, all-day and
midnight ends; what is left out and said so; files refused with the reason."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from citypartner_desktop.interop.calendar import calendar_text
from citypartner_desktop.interop.ics_reader import COLUMNS, place_of, read_ics, zone_of
from citypartner_desktop.interop.mapping import guess_fields
from citypartner_desktop.interop.read_limits import Limits
from citypartner_desktop.interop.source_table import FileRefused

CORPUS = Path(__file__).parents[1] / "data" / "corpus" / "calendars"
D = date


def _rows(name: str) -> tuple[list[tuple[object, ...]], tuple[str, ...]]:
    table = read_ics((CORPUS / name).read_bytes(), name)
    assert table.headers == COLUMNS
    assert (table.encoding, table.delimiter) == ("UTF-8", None)
    return [(row.line, *row.cells) for row in table.rows], table.notes


def _calendar(*events: str, head: str = "", encoding: str = "utf-8") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\nUID:{i}\r\nDTSTAMP:20250101T000000Z\r\n{e.strip()}\r\n"
                   "END:VEVENT\r\n" for i, e in enumerate(events, start=1))
    return (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n{head}{body}"
            "END:VCALENDAR\r\n").encode(encoding)


def _dates(*events: str, head: str = "") -> list[tuple[object, object]]:
    table = read_ics(_calendar(*events, head=head), "t.ics")
    return [(row.cells[1], row.cells[2]) for row in table.rows]


def test_the_columns_are_the_activity_fields() -> None:
    found = guess_fields("activities", COLUMNS)
    assert [COLUMNS[i] for i in found] == [c for c in COLUMNS if c != "uid"]
    assert all(COLUMNS[i] == field for i, field in found.items())


def test_outlook() -> None:
    """Windows zone names (with their VTIMEZONE), quoted TZIDs, a room among the attendees
    and one without an address (invalid:nomail), an embedded attachment, Teams boilerplate,
    X-MICROSOFT-CDO-*, a series, a cancellation."""
    rows, notes = _rows("outlook_365.ics")
    assert rows == [
        (46, "Spotkanie: wymiana młodzieży", D(2025, 5, 5), D(2025, 5, 6), "", "Kraków",
         "Polska", 3,
         "Agenda:\n1. Wymiana młodzieży 2025\n2. Budżet; koszty podróży, noclegi\n\n"
         "Location: Rynek Główny 1, 31-042 Kraków, Polska\n"
         "Participants: Anna Nowak <anna.nowak@krakow.pl>, Jan Kowalski "
         "<jan.kowalski@krakow.pl>, Hans Müller <hans.mueller@leipzig.de>",
         "040000008200E00074C5B7101A82E00800000000E0F6A3DB5DA9DB01000000000000000010000000"
         "C8D2B4E9A35D3A43A0B5C8E5B8F4A1C2"),
        (83, "Wizyta w Lipsku", D(2025, 6, 12), D(2025, 6, 13), "visit", "Leipzig", "Germany",
         1, "Wizyta delegacji z Lipska.\n\nParticipants: Delegacja z Lipska",
         "040000008200E00074C5B7101A82E00800000000A1B2C3D4E5F6DB01000000000000000010000000"
         "11223344556677889900AABBCCDDEEFF"),
        (107, "Jour fixe Leipzig–Kraków", D(2025, 5, 6), D(2025, 5, 6), "", "", "", 1,
         "________________________________________________________________________________\n"
         "Microsoft Teams meeting\nJoin on your computer, mobile app or room device\n"
         "Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/"
         "19%3ameeting_abc>\n\nLocation: Microsoft Teams Meeting\n"
         "Participants: Hans Müller <hans.mueller@leipzig.de>",
         "040000008200E00074C5B7101A82E0080000000055667788AABBDB01000000000000000010000000"
         "9988776655443322110099AABBCCDDEE"),
    ]
    assert notes == (
        "1 event repeats (RRULE); only its first date was imported",
        "1 cancelled event (STATUS:CANCELLED) skipped",
        'categories not kept (not an activity kind): "Blue Category" (1 event)',
        "not kept: ATTACH (1 event), CLASS (3 events), PRIORITY (3 events), reminders "
        "(VALARM) (1 event), program-specific X- properties (3 events)")


def test_google_calendar() -> None:
    """UTC times in the calendar's zone (X-WR-TIMEZONE), the organizer among the attendees
    under their address, a declined guest and a room left out, a series with a changed
    occurrence, a cancelled event."""
    rows, notes = _rows("google_calendar.ics")
    assert rows == [
        # 22:30 UTC on the 4th is 00:30 on the 5th in Warsaw
        (9, "Lyon delegation arrives", D(2025, 5, 5), D(2025, 5, 5), "", "Kraków", "Poland",
         "", "Night train from Lyon; meet them on platform 4.\n\n"
         "Location: Kraków Główny, Pawia 5a, 31-154 Kraków, Poland",
         "3hqv5k0c1o9l2m8n7b6v5c4x3z@google.com"),
        (23, "Reception: Lyon delegation", D(2025, 5, 5), D(2025, 5, 6), "", "Kraków",
         "Poland", 2,
         "Evening reception for the Lyon delegation.\n\n"
         "-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-\n"
         "Join with Google Meet: https://meet.google.com/abc-defg-hij\n"
         "-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-"
         "\n\nParticipants: Anna Nowak <anna.nowak@krakow.pl>, "
         "lyon-partenariats@mairie-lyon.fr",
         "7kukuqrfedlm2f9t44ljfq4vb1@google.com"),
        (51, "Twinning anniversary – exhibition", D(2025, 6, 20), D(2025, 6, 20), "", "", "",
         "", "", "0q8v3pl7d5ugmrq1ebtj8p0rgs@google.com"),
        (65, "Call with Lyon", D(2025, 9, 2), D(2025, 9, 2), "", "", "", 2,
         "Participants: Anna Nowak <anna.nowak@krakow.pl>, Marie Dupont "
         "<marie.dupont@mairie-lyon.fr>", "5rtlk2e1a7bsb2kb0mqn4ht9uq@google.com"),
    ]
    assert notes == (
        "1 event repeats (RRULE); only its first date was imported",
        "1 cancelled event (STATUS:CANCELLED) skipped",
        "1 changed occurrence of repeating events (RECURRENCE-ID) skipped",
        "not kept: program-specific X- properties (1 event)")


def test_thunderbird() -> None:
    """VTIMEZONE Europe/Berlin, X-MOZ-*, a floating time with DURATION, an all-day event, an
    old Lightning "/mozilla.org/…" zone ending at midnight, a to-do."""
    rows, notes = _rows("thunderbird.ics")
    assert rows == [
        (22, "Kulturaustausch Leipzig–Kraków", D(2025, 9, 15), D(2025, 9, 19), "exchange",
         "Leipzig", "Deutschland", 3,
         "Fünf Tage Austausch; Schulen aus beiden Städten.\nProgramm: siehe Anhang.\n\n"
         "Location: Neues Rathaus, Martin-Luther-Ring 4-6, 04109 Leipzig, Deutschland\n"
         "Participants: Hans Müller <hans.mueller@leipzig.de>, Anna Nowak "
         "<anna.nowak@krakow.pl>, Schulamt, Abteilung Austausch <austausch@leipzig.de>",
         "3f1c9a2e-5b7d-4c8e-9f0a-1b2c3d4e5f60"),
        (56, "Call: Kraków youth council", D(2025, 10, 20), D(2025, 10, 20), "call", "Kraków",
         "PL", "", 'Floating time, as Thunderbird writes "local time" events.',
         "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d"),
        (69, "Partnerschaftstag", D(2025, 11, 3), D(2025, 11, 3), "event", "Leipzig",
         "Deutschland", "", "", "c0ffee00-1111-4222-8333-944455556666"),
        (82, "Empfang bis Mitternacht", D(2025, 11, 21), D(2025, 11, 21), "", "Leipzig",
         "Germany", "", "Location: Altes Rathaus, Markt 1, 04109 Leipzig, Germany",
         "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6"),
    ]
    assert notes == (
        "skipped: 1 to-do (VTODO)",
        'categories not kept (not an activity kind): "Kultur" (1 event)',
        "not kept: CLASS (1 event), URL (1 event), reminders (VALARM) (1 event), "
        "program-specific X- properties (4 events)")


def test_our_own_calendar_comes_back() -> None:
    text = calendar_text([("a1", {
        "title": "Visit, spring; 2025", "kind": "visit", "start_date": D(2025, 4, 1),
        "end_date": D(2025, 4, 3), "summary": "Minutes:\nall agreed", "city": "Kyoto",
        "partnership": "Kraków – Kyoto", "country": "JP", "version": 2})])
    table = read_ics(text.encode(), "activities.ics")
    assert [(r.line, *r.cells) for r in table.rows] == [
        (5, "Visit, spring; 2025", D(2025, 4, 1), D(2025, 4, 3), "visit", "Kyoto", "JP", "",
         "Kraków – Kyoto\n\nMinutes:\nall agreed", "a1@citypartner")]
    assert table.notes == ()


# --- dates ------------------------------------------------------------------------------------


def test_dates_are_the_events_own() -> None:
    assert _dates(
        # late evening in Warsaw: the 5th there (the 5th and 6th), whatever UTC says
        "DTSTART;TZID=Europe/Warsaw:20250505T233000\r\nDTEND;TZID=Europe/Warsaw:20250506T010000",
        # Outlook's Windows names, the end in another zone: 20:00 in New York is 02:00 on
        # the 6th in Warsaw
        "DTSTART;TZID=Central European Standard Time:20250505T200000\r\n"
        "DTEND;TZID=Eastern Standard Time:20250505T200000",
        # a zone nobody knows: as written
        'DTSTART;TZID="Customized Time Zone":20250505T233000\r\nDURATION:PT1H',
        # UTC without X-WR-TIMEZONE: the UTC day
        "DTSTART:20250504T223000Z\r\nDTEND:20250504T233000Z",
        # floating: as written
        "DTSTART:20250505T090000",
        # all day: DTEND is the day after; missing or equal, one day
        "DTSTART;VALUE=DATE:20250505\r\nDTEND;VALUE=DATE:20250508",
        "DTSTART;VALUE=DATE:20250505",
        "DTSTART;VALUE=DATE:20250505\r\nDTEND;VALUE=DATE:20250505",
        "DTSTART;VALUE=DATE:20250505\r\nDURATION:P2D",
        # ends at midnight: the day before
        "DTSTART:20250505T180000\r\nDTEND:20250506T000000",
    ) == [(D(2025, 5, 5), D(2025, 5, 6)), (D(2025, 5, 5), D(2025, 5, 6)),
          (D(2025, 5, 5), D(2025, 5, 6)), (D(2025, 5, 4), D(2025, 5, 4)),
          (D(2025, 5, 5), D(2025, 5, 5)), (D(2025, 5, 5), D(2025, 5, 7)),
          (D(2025, 5, 5), D(2025, 5, 5)), (D(2025, 5, 5), D(2025, 5, 5)),
          (D(2025, 5, 5), D(2025, 5, 6)), (D(2025, 5, 5), D(2025, 5, 5))]
    # the calendar's zone for UTC times (as Google writes them)
    assert _dates("DTSTART:20250504T223000Z\r\nDTEND:20250504T233000Z",
                  head="X-WR-TIMEZONE:Europe/Warsaw\r\n") == [(D(2025, 5, 5), D(2025, 5, 5))]


def test_a_date_that_is_not_one_is_left_for_the_import_to_report() -> None:
    [(start, end)] = _dates("DTSTART:20251345\r\nSUMMARY:x")
    assert (start, end) == ("20251345", "")
    [(start, end)] = _dates("SUMMARY:no start")
    assert (start, end) == ("", "")


def test_zone_names() -> None:
    assert str(zone_of("Central European Standard Time")) == "Europe/Warsaw"
    assert str(zone_of("W. Europe Standard Time")) == "Europe/Berlin"
    assert str(zone_of('"Europe/Warsaw"')) == "Europe/Warsaw"
    assert str(zone_of("/mozilla.org/20050126_1/Europe/Berlin")) == "Europe/Berlin"
    assert zone_of("Customized Time Zone") is None
    assert zone_of("../../../etc/passwd") is None
    assert zone_of("/etc/localtime") is None


def test_places() -> None:
    assert place_of("Kraków, Poland") == ("Kraków", "Poland", True)
    assert place_of("Rynek Główny 1, 31-042 Kraków, Polska") == ("Kraków", "Polska", False)
    assert place_of("Dam 1, 1012 JS Amsterdam, Netherlands") == ("Amsterdam", "Netherlands",
                                                                 False)
    assert place_of("10 Downing St, London SW1A 2AA, UK") == ("London", "UK", False)
    assert place_of("100 Main St, Springfield, IL 62701, USA") == ("Springfield", "USA",
                                                                   False)
    for nowhere in ("Town hall", "Sala 204, Ratusz", "Rynek 1, 31-042 Kraków",
                    "Microsoft Teams Meeting", "https://zoom.us/j/123", "Kraków; online", ""):
        assert place_of(nowhere) == ("", "", False), nowhere


# --- what is left out ---------------------------------------------------------------------------


def test_what_is_left_out_is_counted() -> None:
    table = read_ics(_calendar(
        "DTSTART:20250505T090000\r\nSUMMARY:a\r\nRRULE:FREQ=DAILY;COUNT=3\r\nATTACH:http://x/a",
        "DTSTART:20250506T090000\r\nSUMMARY:b\r\nRRULE:FREQ=DAILY;COUNT=3\r\nATTACH:http://x/b"
        "\r\nCATEGORIES:Meeting,Dinner\r\nCATEGORIES:Dinner",
        "DTSTART:20250507T090000\r\nSUMMARY:c\r\nSTATUS:CANCELLED\r\nATTACH:http://x/c",
        "DTSTART:20250508T090000\r\nSUMMARY:d\r\nSTATUS:CANCELLED"), "t.ics")
    assert [(r.cells[0], r.cells[3]) for r in table.rows] == [("a", ""), ("b", "meeting")]
    assert table.notes == (
        "2 events repeat (RRULE); only their first date was imported",
        "2 cancelled events (STATUS:CANCELLED) skipped",
        'categories not kept (not an activity kind): "Dinner" (2 events)',
        "not kept: ATTACH (2 events)")


def test_a_cancellation_message_has_nothing_to_import() -> None:
    with pytest.raises(FileRefused) as refused:
        read_ics(_calendar("DTSTART:20250505T090000\r\nSUMMARY:a", head="METHOD:CANCEL\r\n"),
                 "invite.ics")
    assert str(refused.value) == ("invite.ics has no event to import: 1 cancelled event "
                                  "(STATUS:CANCELLED) skipped.")


def test_windows_1252_is_read_and_said() -> None:
    table = read_ics(_calendar("DTSTART:20250505\r\nSUMMARY:Café münchen – ok",
                               encoding="cp1252"), "old.ics")
    assert table.rows[0].cells[0] == "Café münchen – ok"
    assert (table.encoding, table.notes) == ("Windows-1252", ("not UTF-8: read as Windows-1252",))


# --- refused --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "message"), [
    (b"title,start_date\r\nVisit,2025-05-05\r\n",
     "x.ics is not an iCalendar file: it does not begin with BEGIN:VCALENDAR."),
    (b"\x00\x01\x02\xff\xfe\x81\x8d",
     "x.ics is not text (not UTF-8, the encoding of iCalendar files)."),
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nSUMMARY:x\r\nEND:VTODO\r\n"
     b"END:VCALENDAR\r\n",
     "x.ics holds no event (BEGIN:VEVENT \u2026 END:VEVENT); it has only 1 to-do (VTODO)."),
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n",
     "x.ics: the event of line 3 never ends (END:VEVENT is missing); the file may have been "
     "cut short."),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nBEGIN:VEVENT\r\n",
     "x.ics line 4: an event begins before the event of line 2 has ended (END:VEVENT is "
     "missing)."),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VCALENDAR\r\n",
     "x.ics line 4: END:VCALENDAR where END:VEVENT was expected."),
    (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VEVENT\r\n",
     "x.ics line 3: VEVENT is outside the calendar (BEGIN:VCALENDAR \u2026 END:VCALENDAR)."),
])
def test_refused(data: bytes, message: str) -> None:
    with pytest.raises(FileRefused) as refused:
        read_ics(data, "x.ics")
    assert str(refused.value) == message


def test_files_made_to_exhaust_a_reader_are_refused() -> None:
    nested = b"BEGIN:VCALENDAR\r\n" + b"BEGIN:X\r\n" * 100_000
    with pytest.raises(FileRefused, match=r"^x.ics line 9: components nested more than 8 deep"):
        read_ics(nested, "x.ics")
    crowd = _calendar("DTSTART:20250501\r\n" + "ATTENDEE:mailto:a@b.c\r\n" * 20_001)
    with pytest.raises(FileRefused, match=r"^x.ics: the event of line 4 has more than 20,000 "):
        read_ics(crowd, "x.ics")


def test_limits() -> None:
    three = _calendar(*(f"DTSTART:2025050{i}\r\nSUMMARY:e{i}" for i in (1, 2, 3)))
    assert len(read_ics(three, "t.ics", Limits(rows=3)).rows) == 3
    with pytest.raises(FileRefused, match=r"^t.ics has more than 2 rows \(the event of line "
                                          r"16 is one too many\)"):
        read_ics(three, "t.ics", Limits(rows=2))
    held = len(three) + sys.getsizeof(three.decode())  # the file's bytes and text
    with pytest.raises(FileRefused, match=r"^t\.ics is too large to import at once: at the "
                                          r"event of line 4 it holds more than"):
        read_ics(three, "t.ics", Limits(held=held + 100))
    long = _calendar("DTSTART:20250501\r\nDESCRIPTION:" + "x" * 200)
    with pytest.raises(FileRefused, match=r"^t.ics line 4: the event's description is more "
                                          r"than 100 characters long"):
        read_ics(long, "t.ics", Limits(cell=100))
