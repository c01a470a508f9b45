"""vCard 4.0 out and back, iCalendar out: escaping, folding, round trips; what is written is
also read with vobject and icalendar, not only with the app's own reader."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from citypartner_desktop.cli import main
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.interop.calendar import calendar_text
from citypartner_desktop.interop.cells import printable
from citypartner_desktop.interop.export import export_calendar, export_vcards
from citypartner_desktop.interop.importer import import_file
from citypartner_desktop.interop.tables import FileRefused, read_table
from citypartner_desktop.interop.textformats import unfolded_lines
from citypartner_desktop.interop.vcard import parse_cards
from citypartner_desktop.interop.vcard_write import card
from citypartner_desktop.services import records
from tests.interop.conftest import folded_lines, write


@pytest.fixture
def office(db: Database) -> Database:
    uow = db.uow
    kyoto = records.create(uow(), "city", {"name": "Kyoto", "native_name": "京都市",
                                           "country": "JP"}).id
    records.create(uow(), "contact", {
        "full_name": "山田 花子", "title": "Dr.", "position": "Head; International, Relations",
        "organisation": "City of Kyoto", "email": "hanako@kyoto.example", "city_id": kyoto,
        "phone": "+81 75 222 3072", "languages": "ja, en",
        "notes": "=1+1 first line\nsecond line with a very long text that must be folded over "
                 "several lines because it is longer than seventy-five octets: ÄÖÜ京都市"})
    records.create(uow(), "contact", {"full_name": "Anna Nowak"})
    partnership = records.create(uow(), "partnership", {
        "title": "Kraków – Kyoto", "kind": "twinning", "status": "active"}).id
    records.create(uow(), "activity", {
        "partnership_id": partnership, "kind": "visit", "title": "Visit, spring; 2025",
        "start_date": "2025-04-01", "end_date": "2025-04-03", "city_id": kyoto,
        "summary": "Minutes:\nall agreed"})
    return db


def vobject_values(card: Any) -> dict[str, str]:
    """A card as vobject reads it, keyed as the app's vCard columns."""
    values = {"full_name": card.fn.value}
    if hasattr(card, "n"):
        values["title"] = card.n.value.prefix
    if hasattr(card, "title"):
        values["position"] = card.title.value
    if hasattr(card, "org"):
        values["organisation"] = card.org.value[0]
    if hasattr(card, "email"):
        values["email"] = card.email.value
    if hasattr(card, "tel"):
        values["phone"] = card.tel.value
    if hasattr(card, "lang"):
        values["languages"] = ", ".join(lang.value for lang in card.lang_list)
    if hasattr(card, "adr"):
        values.update({k: v for k, v in (("city", card.adr.value.city),
                                         ("country", card.adr.value.country)) if v})
    if hasattr(card, "note"):
        values["notes"] = card.note.value
    return values


def test_vcards_are_valid_folded_and_import_back(office: Database, tmp_path: Path) -> None:
    path = export_vcards(office, tmp_path / "contacts.vcf", ListQuery(sort_field="full_name"))
    raw = path.read_bytes()
    assert raw.count(b"BEGIN:VCARD\r\n") == 2 and raw.count(b"VERSION:4.0\r\n") == 2
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert folded_lines(raw) >= 2  # the long note
    text = raw.decode("utf-8")
    anna, hanako = (vobject_values(c) for c in vobject.readComponents(text))
    assert anna == {"full_name": "Anna Nowak"}
    assert hanako == {
        "full_name": "山田 花子", "title": "Dr.", "position": "Head; International, Relations",
        "organisation": "City of Kyoto", "email": "hanako@kyoto.example",
        "phone": "tel:+81752223072", "languages": "ja, en", "city": "Kyoto", "country": "JP",
        "notes": "=1+1 first line\nsecond line with a very long text that must be folded over "
                 "several lines because it is longer than seventy-five octets: ÄÖÜ京都市"}
    assert "TITLE:Head\\; International\\, Relations" in text
    assert "TEL;VALUE=uri:tel:+81752223072" in text
    assert "ADR;TYPE=work:;;;Kyoto;;;JP" in text
    table = read_table(path)
    assert table.described == "vCard"
    first = dict(zip(table.headers, table.rows[0].cells, strict=True))
    assert first["full_name"] == "Anna Nowak"
    second = dict(zip(table.headers, table.rows[1].cells, strict=True))
    assert second["position"] == "Head; International, Relations"
    assert second["notes"].startswith("=1+1 first line\nsecond line")
    assert second["notes"].endswith("ÄÖÜ京都市")
    assert second["languages"] == "ja, en"
    _prepared, report = import_file(office, "contacts", path, dry_run=True)
    # The same contacts (by their card's UID): a contact stored without details comes back
    # with its e-mail, phone and city as details, which is nothing new.
    assert [o.action for o in report.outcomes] == ["match", "match"]


def test_vcards_from_other_programs(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "phone.vcf",
                 "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kowalski;Jan;;;\r\n"
                 "EMAIL;TYPE=home:jan@home.example\r\nEMAIL;TYPE=work,pref:jan@work.example\r\n"
                 "TEL;TYPE=cell:+48 601 234 567\r\nitem1.ADR:;;ul. Długa 1;Kraków;;;Poland\r\n"
                 "END:VCARD\r\n")
    _prepared, report = import_file(db, "contacts", path)
    assert report.committed
    row = records.list_page(db.uow(), "contact", ListQuery(columns=(
        "full_name", "email", "phone", "city_id")))[0]
    assert row.values == ("Jan Kowalski", "jan@work.example", "+48601234567", "Kraków (PL)")


@pytest.mark.parametrize(("text", "message"), [
    ("BEGIN:VCARD\nFN:A\n", "never ends (END:VCARD is missing)"),
    ("FN:A\n", "line 1: this is outside any card"),
    ("BEGIN:VCARD\nFN:A\nBEGIN:VCARD\n", "line 3: a card begins before the card of line 1"),
])
def test_broken_vcards_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(FileRefused, match=re.escape(message)):
        read_table(write(tmp_path / "x.vcf", text))


def test_icalendar_events(office: Database, tmp_path: Path) -> None:
    path = export_calendar(office, tmp_path / "activities.ics")
    folded_lines(path.read_bytes())
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert len(events) == 1
    visit: dict[str, Any] = dict(events[0])
    assert visit["DTSTART"].dt == date(2025, 4, 1)
    assert visit["DTEND"].dt == date(2025, 4, 4)
    assert str(visit["SUMMARY"]) == "Visit, spring; 2025"
    assert str(visit["LOCATION"]) == "Kyoto, JP"
    assert str(visit["DESCRIPTION"]) == "Kraków – Kyoto\n\nMinutes:\nall agreed"
    assert visit["CATEGORIES"].cats == ["Delegation visit"]
    raw = path.read_bytes().decode("utf-8")
    lines = [line for _n, line in unfolded_lines(raw)]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "DTSTART;VALUE=DATE:20250401" in lines
    assert "DTEND;VALUE=DATE:20250404" in lines  # the day after the last day
    assert "SUMMARY:Visit\\, spring\\; 2025" in lines
    assert "LOCATION:Kyoto\\, JP" in lines  # TEXT: the comma escaped (RFC 5545 §3.3.11)
    assert "DESCRIPTION:Kraków – Kyoto\\n\\nMinutes:\\nall agreed" in lines
    assert "CATEGORIES:Delegation visit" in lines
    assert any(line.startswith("UID:") and line.endswith("@citypartner") for line in lines)


@pytest.mark.file_only  # the command line on a file's path
def test_export_command_formats(office: Database, tmp_path: Path) -> None:
    path = str(office.path)
    office.close()
    assert main(["export", "contacts", "--db", path, "-o", str(tmp_path / "c.vcf")]) == 0
    assert main(["export", "activities", "--db", path, "-o", str(tmp_path / "a.ics")]) == 0
    assert (tmp_path / "a.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    events = Calendar.from_ical((tmp_path / "a.ics").read_bytes()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Visit, spring; 2025"]
    cards = vobject.readComponents((tmp_path / "c.vcf").read_text(encoding="utf-8"))
    assert sorted(c.fn.value for c in cards) == ["Anna Nowak", "山田 花子"]
    with pytest.raises(SystemExit):
        main(["export", "cities", "--db", path, "-o", str(tmp_path / "c.vcf")])


TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({}, optional={
    key: TEXT.filter(lambda t: t != "") for key in (
        "full_name", "title", "position", "organisation", "email", "city", "country", "notes")}))
def test_vcard_round_trip_is_identity(values: dict[str, str]) -> None:
    """Any Unicode, quotes, ; , \\ and newlines, leading = come back as they went out
    (CR LF and lone CR become LF, as vCard has one newline escape; control characters are
    line breaks or left out, as ``cells.printable`` says; the honorific, the e-mail address
    and the city and country, parts of a name and details, without spaces around them)."""
    cards = parse_cards(card(values, "id-1"))
    assert len(cards) == 1
    stripped = ("title", "email", "city", "country")
    expected = {k: printable(v).replace("\r\n", "\n").replace("\r", "\n")
                for k, v in values.items() if printable(v) or k == "full_name"}
    expected = {k: v.strip() if k in stripped else v for k, v in expected.items()
                if k not in stripped or v.strip()}
    got = {k: v for k, v in cards[0][1].items() if k in expected}
    if not expected.get("full_name", "").strip():  # no name: read from N or the organisation
        got.pop("full_name", None)
        assert got == {k: v for k, v in expected.items() if k != "full_name"}
    else:
        assert got == expected
    # vobject reads the same card the same way (a card always has its FN, maybe empty)
    assert vobject_values(vobject.readOne(card(values, "id-1"))) == {"full_name": "",
                                                                      **expected}


@settings(max_examples=100, deadline=None)
@given(*(TEXT.filter(lambda t: t != ""),) * 3)
def test_calendar_reads_back_in_icalendar(title: str, summary: str, city: str) -> None:
    """Any Unicode, quotes, ; , \\ and newlines in an activity come back unchanged through
    the icalendar library (CR LF and lone CR become LF, as iCalendar has one newline escape;
    control characters are line breaks or left out)."""
    text = calendar_text([("id-1", {
        "start_date": date(2025, 4, 1), "end_date": None, "title": title, "summary": summary,
        "partnership": "Kraków – Kyoto", "city": city, "country": "JP", "kind": "visit"})])
    folded_lines(text.encode("utf-8"))
    events = Calendar.from_ical(text).walk("VEVENT")
    assert len(events) == 1
    visit: dict[str, Any] = dict(events[0])

    def lf(value: str) -> str:
        return printable(value).replace("\r\n", "\n").replace("\r", "\n")

    assert str(visit["UID"]) == "id-1@citypartner"
    assert (visit["DTSTART"].dt, visit["DTEND"].dt) == (date(2025, 4, 1), date(2025, 4, 2))
    assert str(visit["SUMMARY"]) == lf(title)
    assert str(visit["DESCRIPTION"]) == f"Kraków – Kyoto\n\n{lf(summary)}"
    assert str(visit["LOCATION"]) == f"{lf(city)}, JP"
