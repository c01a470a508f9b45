"""Files that real programs wrote — Outlook, Exchange, Google, Apple, Thunderbird, Android,
iOS, Nextcloud, … — taken from other open-source projects' test fixtures (each file's source
and licence in its README), read through ``read_table`` into exactly the expected rows; and
the smallest form of each slip of those programs that the readers once got wrong (CR CR LF
line ends, a lone CR in a value, UTF-8 damaged on the way, Apple's and Podio's \\", Exchange's
misquoted TZID, doubled line breaks, cards of an e-mail address only).

The files live beside the project, in ../shared/data/third_party, not in this repository (its
rules keep content fetched from other repositories out of commits); their tests skip where
that folder is absent. The slips' tests below need no file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from citypartner_desktop.domain.contact_details import Detail, address
from citypartner_desktop.interop.ics_reader import read_ics
from citypartner_desktop.interop.tables import read_table
from citypartner_desktop.interop.vcard import read_vcards

FILES = Path(__file__).resolve().parents[3] / "shared" / "data" / "third_party"
needs_files = pytest.mark.skipif(not FILES.is_dir(), reason=f"{FILES} is not there")


@pytest.fixture(autouse=True)
def _gazetteer() -> None:
    """No database here: the interop conftest's gazetteer is not needed."""


# Each file: how many rows, and per row (by its line) some cells exactly. Dates are the day in
# the event's own zone (TZID), or in the calendar's (X-WR-TIMEZONE) for a UTC time.
EXPECTED: dict[str, tuple[int, dict[int, dict[str, Any]]]] = {
    # --- vCards
    "ezvcard_outlook-2007.vcf": (1, {1: {
        "full_name": "Mr. Michael Angstadt Jr.", "first_name": "Michael",
        "last_name": "Angstadt", "title": "Mr.", "organisation": "TheCompany",
        "department": "TheDepartment", "email": "mike.angstadt@gmail.com",
        "phone": "(111) 555-1111", "city": "New York", "country": "USA"}}),
    "ezvcard_outlook-2003.vcf": (1, {1: {
        "full_name": "John Doe III", "organisation": "Company, The",
        "email": "jdoe@hotmail.com", "city": "Austin",
        "notes": "This is the note field!!\nSecond line\n\nThird line is empty\n"}}),
    "ezvcard_gmail-single2.vcf": (1, {1: {
        "full_name": "VCard Test", "first_name": "VCard", "last_name": "Test",
        "position": "TheJobTitle", "organisation": "TheCompany", "email": "email@example.com",
        "phone": "5555551111", "city": "NY",
        "notes": "note line 1\nnote line 2\nCustomField: field value"}}),
    "ezvcard_thunderbird-extension.vcf": (1, {1: {
        "full_name": "John Doe", "email": "doe.john@hotmail.com", "phone": "555-555-1111",
        "department": "TheDepartment", "tags": "category1, category2, category3"}}),
    "aosp_v30_ios_613_multiline.vcf": (1, {1: {
        "full_name": "Bob Smith", "first_name": "Bob", "last_name": "Smith",
        "organisation": "Smith Auto Repair", "email": "bob@smithauto.com",
        "phone": "(650) 555-1212", "details": [
            Detail("email", "bob@smithauto.com", "", True),
            Detail("phone", "(650) 555-1212", "mobile", True),
            Detail("web", "www.smithauto.com", "homepage", True)]}}),
    "aosp_v21_japanese_2.vcf": (1, {1: {
        "full_name": "安藤 ロイド 1", "first_name": "ロイド1", "last_name": "安藤", "notes": "メモ",
        "details": [address(["東京都渋谷区桜丘町26-1セルリアンタワー6階", "150-8512", "", "", ""],
                            "home")]}}),
    "thunderbird_export.vcf": (2, {
        1: {"full_name": "contact number one", "email": "contact1@invalid",
            "card_uid": "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"},
        8: {"full_name": "contact number two", "position": '"worker"',
            "email": "contact2@invalid", "notes": "here's some unicode text…"}}),
    "thunderbird_dos_vcard_addressbook.vcf": (1, {1: {
        "full_name": "Name Surname", "first_name": "Name", "last_name": "Surname",
        "email": "example@gmail.com"}}),
    "libical_issue339_outlook_2.1.vcf": (1, {1: {
        "full_name": "Test de Tester 04-04 (outlook)", "first_name": "Test",
        "last_name": "de Tester 04-04", "organisation": "Test BV", "position": "Tester",
        "email": "tester@test.com", "phone": "(010) 123-4567", "city": "Hometown",
        "country": "Netherlands"}}),
    "icaljs_escape_semicolon_nextcloud.vcf": (1, {1: {
        "full_name": "First Last NextCloud", "organisation": "Firma", "email": "home@gmx.de",
        "phone": "11111111", "city": "City Work", "country": "Germany work",
        "tags": "Test-Kontakte", "card_uid": "ad612c16-fe12-4ec5-abf6-49998ee5ab88"}}),
    # --- calendars
    "biweekly_outlook-2010.ics": (1, {21: {
        "title": "Team Meeting", "start_date": date(2013, 6, 10),
        "end_date": date(2013, 6, 10), "participant_count": 3}}),
    "nodeical_Office-2012-owa.ics": (4, {
        6: {"title": "TEST Syd", "start_date": date(2020, 10, 28)},
        63: {"title": "TEST2", "start_date": date(2020, 11, 2)}}),
    "nodeical_ms_timezones.ics": (4, {
        122: {"title": "test", "start_date": date(2020, 9, 10)},
        145: {"title": "Log Yesterday's Jira time", "start_date": date(2020, 6, 9),
              "end_date": date(2020, 6, 9), "summary": "text new evert 2"},
        192: {"title": "Not the actual summary either", "start_date": date(2020, 7, 7)}}),
    "nodeical_tentative-apple-calendar.ics": (3, {
        8: {"title": "Tentative", "start_date": date(2022, 7, 4),
            "summary": "Participants: tentative@example.com"},
        62: {"title": "No Status", "start_date": date(2022, 7, 7)}}),
    "nodeical_mixed-timezone-handling.ics": (5, {
        8: {"title": "No Timezone", "start_date": date(2002, 10, 28)},
        # 01:20 UTC on the 28th is the evening of the 27th in the calendar's US/Pacific
        15: {"title": "UTC Timezone", "start_date": date(2002, 10, 27),
             "end_date": date(2002, 10, 28)},
        22: {"title": "Inline Timezone", "start_date": date(2002, 10, 28)},
        36: {"title": "Date Only (Implicit)", "start_date": date(2002, 10, 28),
             "end_date": date(2002, 10, 28)}}),
    "nodeical_multi-event-basic.ics": (9, {
        7: {"title": "Dyncon 2011", "start_date": date(2011, 3, 12),
            "end_date": date(2011, 3, 14), "city": "Stockholm", "country": "Sweden"},
        47: {"title": "Falsy Values", "city": "Warsaw", "country": "Poland"},
        71: {"title": "Foobar", "start_date": "Next Year"}}),
    "nodeical_google-calendar-kiev-tz.ics": (1, {42: {
        "title": "repeated", "start_date": date(2016, 8, 25),
        "uid": "6m2q7kb2l02798oagemrcgm6pk@google.com"}}),
    "icalendar_alarm_google_future.ics": (1, {26: {
        "title": "event with alarms", "start_date": date(2024, 10, 4),
        "uid": "79fs7pkqvht9m5igs0vjv1sfra@google.com"}}),
    "icalendar_alarm_thunderbird_future.ics": (1, {603: {
        "title": "event with alarms", "start_date": date(2024, 10, 23),
        "uid": "b9a23b47-f109-4e7a-908c-75e925b27def"}}),
    "icalendar_alarm_etar_future.ics": (1, {211: {
        "title": "event with alarms android", "start_date": date(2024, 10, 5),
        "end_date": date(2024, 10, 5)}}),
    "icalendar_issue_350_podio.ics": (1, {10: {
        "title": 'Termin 4353 und"so"', "start_date": date(2022, 2, 22),
        "summary": 'Toller Termin fürmal zu"gucken"und so\n\nLocation: online'}}),
    "icalendar_multiple_calendar_components.ics": (3, {
        11: {"title": "Christmas Day", "start_date": date(2003, 12, 25), "uid": "956630271"},
        53: {"title": "Boxing Day", "start_date": date(2003, 5, 1)},
        74: {"title": "Christmas again!", "start_date": date(2003, 12, 25)}}),
    "ical4j_1106817412.ics": (1, {13: {
        "title": "2005年日本国際\ufffd?\ufffd覧会", "start_date": date(2005, 3, 25),
        "end_date": date(2005, 9, 25), "kind": "event", "uid": "bloc1106817412"}}),
    "thunderbird_importLatin1.ics": (4, {
        4: {"title": "Event One", "start_date": date(2019, 1, 1)},
        19: {"title": "Event Två", "start_date": date(2019, 1, 1)}}),
    "golangical_issue52_google.ics": (1, {26: {
        "title": "xxxxxxxxxxxxxxxx xxxxxxxx", "start_date": date(2022, 3, 1),
        "participant_count": 2, "uid": "37dfo8hp5hdsxxxxxxxxxxxxxx@google.com"}}),
}

# What the tables say about a file, where that is the point of the file.
NOTES = {
    "ical4j_1106817412.ics": ("not valid UTF-8 on lines 21, 22, 23: characters that could not "
                              "be read are shown as \ufffd", "not kept: URL (1 event)"),
    "thunderbird_importLatin1.ics": ("not UTF-8: read as Windows-1252",),
    "thunderbird_dos_vcard_addressbook.vcf": (),
    "nodeical_mixed-timezone-handling.ics": (),
    "nodeical_tentative-apple-calendar.ics": (
        "1 cancelled event (STATUS:CANCELLED) skipped",
        "not kept: program-specific X- properties (3 events)"),
}


def _data_files() -> list[str]:
    return sorted(p.name for p in FILES.iterdir() if p.suffix in (".vcf", ".ics"))


@needs_files
def test_every_file_is_checked_and_the_folder_stays_small() -> None:
    assert _data_files() == sorted(EXPECTED)
    assert sum(p.stat().st_size for p in FILES.rglob("*") if p.is_file()) <= 400 * 1024
    readme = (FILES / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in EXPECTED)
    assert all((FILES / "LICENSES" / f"{text}.txt").is_file() for text in (
        "BSD-2-Clause_icalendar", "BSD-2-Clause_ez-vcard", "BSD-2-Clause_biweekly",
        "BSD-3-Clause_ical4j", "Apache-2.0", "MPL-2.0"))


@needs_files
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_file_reads_into_the_expected_rows(name: str) -> None:
    count, expected = EXPECTED[name]
    table = read_table(FILES / name)
    assert table.file_type == ("iCalendar" if name.endswith(".ics") else "vCard")
    assert len(table.rows) == count
    by_line = {r.line: dict(zip(table.headers, r.cells, strict=True)) for r in table.rows}
    for line, cells in expected.items():
        assert line in by_line, f"no row at line {line}: {sorted(by_line)}"
        assert {k: by_line[line][k] for k in cells} == cells
    if name in NOTES:
        assert table.notes == NOTES[name]


# --- the programs' slips, each in its smallest form


def _one_card(text: str) -> dict[str, Any]:
    table = read_vcards(text.encode("utf-8"), "x.vcf")
    (read,) = table.rows
    return dict(zip(table.headers, read.cells, strict=True))


def _one_event(data: bytes) -> tuple[dict[str, Any], tuple[str, ...]]:
    table = read_ics(data, "x.ics")
    (read,) = table.rows
    return dict(zip(table.headers, read.cells, strict=True)), table.notes


def test_cr_cr_lf_line_ends_keep_folded_lines() -> None:
    """An iPhone card mailed to a Windows PC: every CR LF became CR CR LF; a folded line
    goes on after it (it used to be refused: "ded here" is no property)."""
    read = _one_card("BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nN:Smith;Bob;;;\r\r\nFN:Bob Smith\r\r\n"
                     "NOTE:fol\r\r\n ded here\r\r\nEND:VCARD\r\r\n")
    assert (read["full_name"], read["notes"]) == ("Bob Smith", "folded here")
    event, notes = _one_event(
        b"BEGIN:VCALENDAR\r\r\nBEGIN:VEVENT\r\r\nDTSTART;VALUE=DATE:20240105\r\r\n"
        b"SUMMARY:Visit from Kra\r\r\n k\xc3\xb3w\r\r\nEND:VEVENT\r\r\nEND:VCALENDAR\r\r\n")
    assert (event["title"], notes) == ("Visit from Kraków", ())


def test_a_lone_cr_inside_a_value_is_no_line_break() -> None:
    """Thunderbird writes a custom field's CR as it is; the card was refused at "3"."""
    read = _one_card("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Two\r\nX-CUSTOM3;VALUE=TEXT:custom\r3\r\n"
                     "NOTE:one\rtwo\r\nEND:VCARD\r\n")
    assert (read["full_name"], read["notes"]) == ("Two", "one\ntwo")
    # a file of CRs only (classic Mac OS) still has its lines
    mac = _one_card("BEGIN:VCARD\rVERSION:3.0\rFN:Mac\rNOTE:fol\r ded\rEND:VCARD\r")
    assert (mac["full_name"], mac["notes"]) == ("Mac", "folded")
    event, _notes = _one_event(b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20240105\n"
                               b"SUMMARY:t\nDESCRIPTION:a\rb\nEND:VEVENT\nEND:VCALENDAR\n")
    assert (event["title"], event["summary"]) == ("t", "a\nb")


def test_damaged_utf8_is_read_as_utf8_not_as_windows_1252() -> None:
    """A UTF-8 line with a byte lost is read as UTF-8 with U+FFFD where the byte was, and
    said so; the whole file used to be read as Windows-1252 ("Ã¥Â¹Â´" for 年)."""
    event, notes = _one_event("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20050325\n"
                              "SUMMARY:2005年日本\n".encode() + b"LOCATION:\xe5?\xe5\xb1\x8b\n"
                              b"END:VEVENT\nEND:VCALENDAR\n")
    assert event["title"] == "2005年日本"
    assert event["summary"] == "Location: \ufffd?屋"
    assert notes == ("not valid UTF-8 on line 5: characters that could not be read are shown "
                     "as \ufffd",)


def test_a_quotation_mark_escaped_with_a_backslash_loses_the_backslash() -> None:
    """Apple iCal 1.x, Sunbird and Podio write \\" for "; an escaped backslash before a
    quotation mark stays a backslash, and a colon in a quoted parameter is no value's start."""
    event, _notes = _one_event(
        b'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20030101\n'
        b'SUMMARY;X-A="a:b":Churchill\'s \\"Iron Curtain\\" speech\n'
        b'DESCRIPTION:C:\\\\temp\\\\"x\\, y\\;\nEND:VEVENT\nEND:VCALENDAR\n')
    assert event["title"] == 'Churchill\'s "Iron Curtain" speech'
    assert event["summary"] == 'C:\\temp\\"x, y;'


def test_exchange_start_time_inside_the_zone_quotes() -> None:
    """Exchange 2010: DTSTART;TZID="W. Europe Standard Time:20200609T230000" had no start."""
    event, _notes = _one_event(
        b'BEGIN:VCALENDAR\nBEGIN:VEVENT\n'
        b'DTSTART;TZID="W. Europe Standard Time:20200609T230000"\n'
        b'DTEND;TZID=W. Europe Standard Time:20200609T233000\n'
        b'SUMMARY:Jira\nEND:VEVENT\nEND:VCALENDAR\n')
    assert (event["start_date"], event["end_date"]) == (date(2020, 6, 9), date(2020, 6, 9))


def test_a_folded_line_after_blank_lines_goes_on() -> None:
    """Old Mozilla Calendar files with doubled line breaks: "UID", "", " :1"."""
    event, notes = _one_event(b"BEGIN:VCALENDAR\n\nBEGIN:VEVENT\n\nUID\n\n :956630271\n"
                              b"SUMMARY\n\n :Christmas Day\nDTSTART\n\n ;VALUE=DATE:20031225\n"
                              b"END:VEVENT\nEND:VCALENDAR\n")
    assert (event["title"], event["start_date"], event["uid"], notes) == (
        "Christmas Day", date(2003, 12, 25), "956630271", ())


def test_a_card_of_an_email_address_only_is_named_by_it() -> None:
    """Android and Gmail export the people one wrote to as cards of an address only; they
    were rows without a name, which the import refuses."""
    table = read_vcards(b"BEGIN:VCARD\r\nVERSION:2.1\r\nEMAIL;PREF:john.doe@company.com\r\n"
                        b"CATEGORIES:My Contacts\r\nEND:VCARD\r\n", "android.vcf")
    assert table.rows[0].cells[:8] == ("john.doe@company.com", "", "", "", "", "", "",
                                       "john.doe@company.com")
    assert table.notes == ("No name on 1 card: the e-mail address is used as the name.",)
