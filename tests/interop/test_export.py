"""Exports: a list as its page shows it, to CSV and Excel, with formulas neutralised."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citypartner_desktop.cli import main
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.interop.cells import neutralise, restore
from citypartner_desktop.interop.export import csv_text, export_list
from citypartner_desktop.interop.tables import read_csv, read_table
from citypartner_desktop.services import records


@pytest.fixture
def cities(db: Database) -> Database:
    for name, country, population in (("Kraków", "PL", 800_000), ("=HYPERLINK(\"x\")", "DE", 5),
                                      ("Łódź", "PL", 670_000), ("@Lviv", "UA", None)):
        records.create(db.uow(), "city", {"name": name, "country": country,
                                          "population": population})
    return db


def csv_records(path: Path) -> list[list[str]]:
    """The file as Python's csv module reads it (comma, UTF-8 after its mark): not through the
    app's reader, which guesses the encoding and the delimiter and skips blank rows."""
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""), strict=True))


def calamine_rows(path: Path) -> list[list[Any]]:
    """The first worksheet as python-calamine reads it: not openpyxl, which wrote the file and
    which the app reads with (numbers come back as floats, empty cells as "")."""
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def test_csv_is_the_page_as_shown_with_formulas_neutralised(cities: Database,
                                                            tmp_path: Path) -> None:
    target = tmp_path / "cities.csv"
    export_list(cities, "city", target, query=ListQuery(sort_field="population",
                                                        descending=True))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel recognises UTF-8 by its mark
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Name,Native name,Country,Region,Population,Time zone,To check"
    assert lines[1].startswith("Kraków,,PL,,800000,")
    assert '"\'=HYPERLINK(""x"")"' in raw.decode("utf-8-sig")
    assert not any(line.startswith(("=", "+", "-", "@")) for line in lines)
    assert raw.count(b"\r\n") == 5 and b"\n" not in raw.replace(b"\r\n", b"")  # RFC 4180
    assert csv_records(target) == [
        ["Name", "Native name", "Country", "Region", "Population", "Time zone", "To check"],
        ["Kraków", "", "PL", "", "800000", "", ""],
        ["Łódź", "", "PL", "", "670000", "", ""],
        ["'=HYPERLINK(\"x\")", "", "DE", "", "5", "", ""],
        ["'@Lviv", "", "UA", "", "", "", ""],  # no population: last
    ]
    searched = tmp_path / "pl.csv"
    export_list(cities, "city", searched, query=ListQuery(search="lodz"))
    assert [r.cells[0] for r in read_table(searched).rows] == ["Łódź"]
    assert [r[0] for r in csv_records(searched)] == ["Name", "Łódź"]


def test_xlsx_cells_are_typed_and_text_is_never_a_formula(cities: Database,
                                                          tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "cities.xlsx"
    export_list(cities, "city", target, query=ListQuery(sort_field="name"))
    sheet = load_workbook(target).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Name", "Native name", "Country")
    formula_cell = next(c for c in sheet["A"] if str(c.value).startswith("=HYPER"))
    assert formula_cell.data_type == "s"  # stored as text
    assert ("Kraków", None, "PL", None, 800000, None, None) in rows
    # Another reader sees the same cells; a formula written without its result would be empty.
    assert calamine_rows(target) == [
        ["Name", "Native name", "Country", "Region", "Population", "Time zone", "To check"],
        ['=HYPERLINK("x")', "", "DE", "", 5, "", ""],
        ["@Lviv", "", "UA", "", "", "", ""],
        ["Kraków", "", "PL", "", 800000, "", ""],
        ["Łódź", "", "PL", "", 670000, "", ""],
    ]


@pytest.mark.file_only  # the command line on a file's path
def test_export_command(cities: Database, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    path = str(cities.path)
    cities.close()
    out = tmp_path / "c.xlsx"
    assert main(["export", "cities", "--db", path, "-o", str(out), "--search", "krak"]) == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    assert [r.cells[0] for r in read_table(out).rows] == ["Kraków"]
    assert [r[0] for r in calamine_rows(out)] == ["Name", "Kraków"]
    with pytest.raises(SystemExit) as usage:
        main(["export", "cities", "--db", path, "-o", str(tmp_path / "c.pdf")])
    assert usage.value.code == 2
    assert main(["export", "cities", "--db", path, "-o", str(tmp_path / "no" / "c.csv")]) == 1
    assert "does not exist" in capsys.readouterr().err


# Any Unicode but lone surrogates (not encodable) and control characters other than tab, CR
# and LF (a file full of them is refused as binary, which is the point of that check).
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\r\n"),
               max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=6))
def test_csv_round_trip_is_identity(rows: list[tuple[str, str, str]]) -> None:
    """Whatever the text (any Unicode, quotes, delimiters, newlines, leading = + - @ tab CR),
    exported CSV read back by the importer gives it back."""
    text = "".join(csv_text(("a", "b", "c"), iter(rows)))
    table = read_csv(("\ufeff" + text).encode("utf-8"), "p.csv")
    read = [tuple(restore(str(c)) for c in r.cells) for r in table.rows]
    # Blank rows are skipped (a neutralised tab is not blank).
    expected = [r for r in rows if any(neutralise(c).strip() for c in r)]
    assert read == expected
    # Python's csv module, told the dialect, reads every row (blank ones too) as written.
    assert list(csv.reader(io.StringIO(text, newline=""), strict=True)) == [
        ["a", "b", "c"], *([neutralise(c) for c in r] for r in rows)]


@given(TEXT)
def test_neutralise_then_restore_is_identity(text: str) -> None:
    protected = neutralise(text)
    assert not protected.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore(protected) == text


NAME = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
               max_size=40).filter(lambda t: " ".join(t.split()) == t)
# Control characters are written as the line breaks they mean (tests/interop/test_round_trips)
FIELD = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                max_size=60).filter(lambda t: t.strip() == t)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAME, position=FIELD, organisation=FIELD)
def test_contact_list_export_imports_back_unchanged(
        tmp_path_factory: pytest.TempPathFactory, shared_gazetteer: Path, name: str,
        position: str, organisation: str) -> None:
    """A page's CSV export, imported into another database, gives the same list: any
    Unicode, quotes, newlines, leading = + - @, the city as "Name (CC)", formatted phones."""
    from citypartner_desktop.interop.importer import import_file
    from citypartner_desktop.services.database import open_db
    from tests.conftest import TEST_ACTOR

    folder = tmp_path_factory.mktemp("roundtrip")
    source, target = (open_db(folder / f"{n}.db", TEST_ACTOR) for n in ("s", "t"))
    try:
        city = records.create(source.uow(), "city", {"name": "Kraków", "country": "PL"}).id
        records.create(source.uow(), "contact", {
            "full_name": name, "position": position, "organisation": organisation,
            "city_id": city, "email": "a.b@example.org", "phone": "+48 12 616 12 00"})
        export_list(source, "contact", folder / "c.csv")
        assert csv_records(folder / "c.csv") == [
            ["Full name", "Position / role", "Organisation", "City", "E-mail", "Phone"],
            [neutralise(name), neutralise(position), neutralise(organisation), "Kraków (PL)",
             "a.b@example.org", "'+48 12 616 12 00"]]
        _prepared, report = import_file(target, "contacts", folder / "c.csv")
        assert report.committed, [o.problems for o in report.outcomes]
        shown = [r.values for r in records.list_page(target.uow(), "contact", ListQuery())]
        assert shown == [r.values for r in records.list_page(source.uow(), "contact",
                                                             ListQuery())]
    finally:
        source.close()
        target.close()


def test_control_characters_never_crash_an_export_nor_reach_a_file_raw(
        db: Database, tmp_path: Path) -> None:
    """Word's soft line break (vertical tab), a form feed, a Unicode line separator and a
    stray unit separator pasted into a record: Excel, vCard and iCalendar files are written,
    the breaks are line breaks in them and no control character is left."""
    from openpyxl import load_workbook

    from citypartner_desktop.interop.export import export_calendar, export_vcards

    city = records.create(db.uow(), "city", {"name": "Lyon", "country": "FR"}).id
    records.create(db.uow(), "contact", {
        "full_name": "Anne-Marie Dubois", "city_id": city,
        "notes": "first line\x0bsecond line\x0cnext page\u2028last\x1f."})
    partnership = records.create(db.uow(), "partnership", {
        "title": "Lyon – Kraków", "kind": "twinning", "status": "active"}).id
    records.create(db.uow(), "activity", {
        "partnership_id": partnership, "kind": "visit", "title": "Visit\x0bspring",
        "start_date": "2026-04-01", "summary": "Minutes\x0cpage two"})
    book = tmp_path / "contacts.xlsx"
    export_list(db, "contact", book, "xlsx", ListQuery(columns=("full_name", "notes")))
    sheet = load_workbook(book, read_only=True).worksheets[0]
    assert list(sheet.iter_rows(values_only=True))[1][1] == \
        "first line\nsecond line\nnext page\nlast."
    cards, events = tmp_path / "contacts.vcf", tmp_path / "activities.ics"
    export_vcards(db, cards)
    export_calendar(db, events)
    for written in (cards, events):
        data = written.read_bytes()
        assert not any(chr(c).encode() in data for c in (0x0b, 0x0c, 0x1f)), written.name
        assert "\u2028".encode() not in data
    assert "NOTE:first line\\nsecond line\\nnext page\\nlast." in cards.read_text("utf-8")
