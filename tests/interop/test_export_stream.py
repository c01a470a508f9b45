"""Streamed exports: keyset pages give the OFFSET pages' rows, the .xlsx written here reads
back in other programs, and ``--fields all`` goes through the importer without loss."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from citypartner_desktop.cli import main
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.records import ListQuery, RowData
from citypartner_desktop.interop.export import export_list
from citypartner_desktop.interop.tables import read_table
from citypartner_desktop.interop.xlsx_stream import write_xlsx_stream
from citypartner_desktop.services import records
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR

PAGE = 4  # keyset pages this small cross every boundary: empty values, duplicates


@pytest.fixture
def office(db: Database) -> Database:
    """Cities with duplicate and empty populations and regions, two of one name; contacts
    with and without a city and position; partnerships with and without a programme (a sort
    by a joined label)."""
    def create(kind: str, /, **values: Any) -> str:
        return records.create(db.uow(), kind, values, confirm_duplicate=True).id

    cities = [create("city", name=name, country=country, population=population, region=region)
              for name, country, population, region in (
                  ("Springfield", "US", 100, None), ("Springfield", "GB", 100, "Devon"),
                  ("Łódź", "PL", None, "Łódzkie"), ("Kraków", "PL", 800_000, "Małopolska"),
                  ("Київ", "UA", None, None), ("Αθήνα", "GR", 100, None),
                  ("Lyon", "FR", 500_000, None), ("Zürich", "CH", None, "Zürich"),
                  ("Spring Hill", "AU", 20, None), ("Springvale", "AU", 100, None),
                  ("Springe", "DE", None, None), ("Gdańsk", "PL", 470_000, "Pomorskie"))]
    for i, (name, position) in enumerate((
            ("Anna Nowak", "Mayor"), ("Ben Smith", None), ("Chloé Martin", "Mayor"),
            ("Dmytro Shevchenko", None), ("Eleni Papadopoulou", "Officer"),
            ("Frank Berger", None), ("Gosia Wiśniewska", "Officer"), ("Hans Müller", "Mayor"),
            ("Ines Costa", None), ("Jan Kowalski", None))):
        create("contact", full_name=name, position=position,
               city_id=None if i % 3 == 0 else cities[i % 4])
    programme = create("programme", name="URBACT", kind="network")
    for i in range(10):
        create("partnership", title=f"Spring partnership {i % 3}", kind="twinning",
               status="active", programme_id=programme if i % 2 else None)
    return db


def offset_pages(db: Database, kind: str, query: ListQuery) -> list[RowData]:
    """The list as the pages read it: OFFSET pages of ``PAGE`` rows."""
    rows: list[RowData] = []
    while True:
        page = records.list_page(db.uow(), kind, replace(query, offset=len(rows), limit=PAGE))
        rows.extend(page)
        if len(page) < PAGE:
            return rows


LISTS = [
    ("city", ListQuery()),
    ("city", ListQuery(sort_field="population")),  # empty values and duplicates
    ("city", ListQuery(sort_field="population", descending=True)),
    ("city", ListQuery(sort_field="region", descending=True)),  # no index: sorted
    ("city", ListQuery(search="spring", sort_field="population", descending=True)),  # walks
    ("city", ListQuery(search="spring", sort_field="population")),
    ("city", ListQuery(search="łódź")),  # too few matches to walk the sort index
    ("contact", ListQuery(sort_field="city_id")),  # the city's label copy, some empty
    ("contact", ListQuery(sort_field="city_id", descending=True)),
    ("contact", ListQuery(sort_field="position")),
    ("contact", ListQuery(sort_field="position", descending=True, search="a")),
    ("partnership", ListQuery(sort_field="programme_id")),  # a joined label, some empty
    ("partnership", ListQuery(sort_field="programme_id", descending=True)),
]


def test_keyset_pages_are_the_offset_pages(office: Database,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list (sorts with empty values and duplicates, searches, a joined label), walked
    by keyset pages of four rows, gives the rows of the OFFSET pages in their order."""
    monkeypatch.setattr(records, "EXPORT_PAGE", PAGE)
    for kind, query in LISTS:
        expected = offset_pages(office, kind, query)
        assert len(expected) > 2 * PAGE or query.search, (kind, query)
        assert list(records.iter_list(office.uow(), kind, query)) == expected, (kind, query)
        assert [r.id for r in records.iter_list(office.uow(), kind, query, only_ids=True)] == [
            r.id for r in expected], (kind, query)


def test_keyset_pages_hold_the_deleted_list_and_reference_ids(office: Database,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.setattr(records, "EXPORT_PAGE", PAGE)
    for kind, limit in (("city", 6), ("contact", 10)):
        for row in records.list_page(office.uow(), kind, ListQuery(limit=limit)):
            records.delete(office.uow(), kind, row.id)
    deleted = ListQuery(deleted=True, sort_field="population")
    assert list(records.iter_list(office.uow(), "city", deleted)) == offset_pages(
        office, "city", deleted)
    listed = ListQuery(columns=("full_name", "city_id"), deleted=True)
    rows = list(records.iter_list(office.uow(), "contact", listed, ref_ids=True))
    assert rows and all(len(r.values) == 3 for r in rows)
    for row in rows:  # the label, then the id it names
        _name, label, city_id = row.values
        assert (label is None) == (city_id is None)
        if city_id is not None:
            assert label == records.label(office.uow(), "city", city_id)


def test_the_xlsx_reads_back_alike_in_other_programs(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    rows = [(" lead & trail ", 1, 2.5, date(2026, 2, 28), True),
            ("=SUM(A1)<b>", None, -3, date(1900, 1, 1), False),
            ("line\r\nbreak\x0bsoft\x00", 10**12, 0.1, None, None)]
    path = tmp_path / "t.xlsx"
    with path.open("wb") as handle:
        write_xlsx_stream(handle, ("Text", "Int", "Float", "Date", "Yes"), rows, "A/B: [x]")
    sheet = load_workbook(path).worksheets[0]
    assert sheet.title == "A B   x"  # none of : / [ ] in a sheet's name
    got = list(sheet.iter_rows(values_only=True))
    assert got[0] == ("Text", "Int", "Float", "Date", "Yes")
    assert got[1][:3] == (" lead & trail ", 1, 2.5) and got[1][3].date() == date(2026, 2, 28)
    assert got[2][0] == "=SUM(A1)<b>" and sheet["A3"].data_type == "s"  # text, not a formula
    assert got[2][3].date() == date(1900, 1, 1)
    assert got[3][:3] == ("line\r\nbreak\nsoft", 10**12, 0.1)  # the CR kept, controls gone
    assert (got[1][4], got[2][4]) == (True, False)
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert calamine[1][:3] == [" lead & trail ", 1, 2.5]
    assert calamine[3][0] == "line\r\nbreak\nsoft"
    table = read_table(path)  # the app's own reader (imports)
    assert table.headers == ("Text", "Int", "Float", "Date", "Yes")
    assert table.rows[0].cells[3] == date(2026, 2, 28) or \
        table.rows[0].cells[3].date() == date(2026, 2, 28)


def test_the_xlsx_streams_and_continues_on_another_sheet(tmp_path: Path) -> None:
    """The sheet's XML reaches the file while rows are still being made; past the rows a
    sheet holds, the next sheet takes the rest, with the header again."""
    from openpyxl import load_workbook

    handle = io.BytesIO()
    written_before_the_end: list[int] = []

    def rows() -> Any:
        for i in range(5000):
            if i == 4999:
                written_before_the_end.append(handle.tell())
            yield (f"row {i} – ünïcode text to pack", i)

    write_xlsx_stream(handle, ("Name", "N"), rows(), "Rows", sheet_rows=3000)
    assert written_before_the_end[0] > 20_000
    path = tmp_path / "rows.xlsx"
    path.write_bytes(handle.getvalue())
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["Rows", "Rows (2)"]
    first, second = ([r for r in s.iter_rows(values_only=True)] for s in book.worksheets)
    assert len(first) == 3000 and len(second) == 2002  # 2,999 and 2,001 rows
    assert first[0] == second[0] == ("Name", "N") and second[-1] == (
        "row 4999 – ünïcode text to pack", 4999)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None


def test_all_fields_of_a_list(office: Database, tmp_path: Path) -> None:
    """Every field, in the spec's order: the id first, a reference as its name and id,
    choices as codes; the search and sort apply as to the page."""
    path = tmp_path / "p.csv"
    export_list(office, "partnership", path, query=ListQuery(sort_field="programme_id",
                                                              descending=True), fields="all")
    lines = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    header = lines[0]
    assert header[:4] == ["ID", "Title", "Kind", "Status"]
    assert header[header.index("Programme") + 1] == "Programme (id)"
    assert "Evaluate every (months)" in header
    first = dict(zip(lines[0], lines[1], strict=True))
    assert first["Kind"] == "twinning" and first["Programme"] == "URBACT"
    assert first["Evaluate every (months)"] == "12"
    assert records.get(office.uow(), "partnership", first["ID"]).values["programme_id"] == \
        first["Programme (id)"]
    at = header.index("Programme")
    assert [row[at] for row in lines[1:]] == ["URBACT"] * 5 + [""] * 5
    with pytest.raises(CityPartnerError, match="shown or all"):
        export_list(office, "city", tmp_path / "x.csv", fields="every")


def test_evaluation_scores_are_a_column_each(db: Database, tmp_path: Path) -> None:
    partnership = records.create(db.uow(), "partnership", {
        "title": "Lyon – Kraków", "kind": "twinning", "status": "active"}).id
    records.create(db.uow(), "evaluation", {
        "partnership_id": partnership, "period": "2025", "evaluated_on": "2025-12-01",
        "kind": "annual", "scores": {"relevance": (4, "fits the plan"),
                                            "impact": (2, "")}})
    path = tmp_path / "e.xlsx"
    export_list(db, "evaluation", path, fields="all")
    table = read_table(path)
    row = dict(zip(table.headers, table.rows[0].cells, strict=False))
    assert row["Relevance"] == 4 and row["Relevance – rationale"] == "fits the plan"
    assert row["Impact"] == 2 and row.get("Impact – rationale", "") == ""
    assert row.get("Coherence", "") == "" and row["Partnership"] == "Lyon – Kraków"


@pytest.mark.file_only  # the command line on database files
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_all_fields_round_trip_through_the_importer(
        tmp_path: Path, shared_gazetteer: Path, suffix: str) -> None:
    """``export contacts|cities --fields all`` then ``import`` into a new database: every
    field the importer knows comes back as it was."""
    source_path, target_path = tmp_path / "s.db", tmp_path / "t.db"
    source = open_db(source_path, TEST_ACTOR)
    try:
        krakow = records.create(source.uow(), "city", {
            "name": "Kraków", "native_name": "Kraków", "country": "PL", "region": "Małopolska",
            "population": 800_000, "latitude": 50.06143, "longitude": 19.93658,
            "timezone": "Europe/Warsaw", "geonames_id": 3094802,
            "website": "https://www.krakow.pl", "notes": "Twin since 1990;\n=not a formula",
            "review": "check the region"}).id
        records.create(source.uow(), "city", {
            "name": "Kyōto", "native_name": "京都市", "country": "JP", "population": 1_460_000,
            "timezone": "Asia/Tokyo", "review": "romanised name"})
        records.create(source.uow(), "contact", {
            "full_name": "Anna Nowak", "title": "Dr.", "position": "Mayor's adviser",
            "organisation": "+Urząd Miasta", "city_id": krakow, "email": "anna@example.pl",
            "phone": "+48 12 616 12 00", "languages": "pl, en, German",
            "notes": "Met in Lyon,\n«twinning»", "legal_basis": "legitimate_interest",
            "data_source": "Business card", "consent_date": "2025-03-01",
            "review_date": "2027-03-01"})
        records.create(source.uow(), "contact", {"full_name": "Ben Smith"})
    finally:
        source.close()
    assert main(["init", "--db", str(target_path)]) == 0
    for plural in ("cities", "contacts"):
        out = tmp_path / f"{plural}.{suffix}"
        assert main(["export", plural, "--db", str(source_path), "-o", str(out),
                     "--fields", "all"]) == 0
        assert main(["import", plural, str(out), "--db", str(target_path)]) == 0
    known = {"city": ("name", "native_name", "country", "region", "population", "latitude",
                      "longitude", "timezone", "geonames_id", "website", "notes", "review"),
             "contact": ("full_name", "title", "position", "organisation", "city_id",
                         "email", "phone", "languages", "notes", "legal_basis",
                         "data_source", "consent_date", "review_date")}
    for kind, fields in known.items():
        listed = ListQuery(columns=fields, limit=50, sort_field=fields[0])
        got = _page(target_path, kind, listed)
        given = _page(source_path, kind, listed)
        assert len(got) == len(given) == 2
        for was, now in zip(given, got, strict=True):  # the importer may add, never lose
            assert [w for w in was.values if w is not None] == [
                n for w, n in zip(was.values, now.values, strict=True) if w is not None]
        assert got[0].values == given[0].values  # every field given: all back as they were


def _page(path: Path, kind: str, query: ListQuery) -> list[RowData]:
    db = open_db(path, TEST_ACTOR)
    try:
        return records.list_page(db.uow(), kind, query)
    finally:
        db.close()


@pytest.mark.file_only  # the command line on a file's path
def test_export_command_fields_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    path = tmp_path / "office.db"
    assert main(["init", "--db", str(path)]) == 0
    out = tmp_path / "cities.csv"
    assert main(["export", "cities", "--db", str(path), "-o", str(out)]) == 0
    assert out.read_bytes().decode("utf-8-sig").startswith("Name,Native name,Country,")
    assert main(["export", "cities", "--db", str(path), "-o", str(out), "--fields", "all"]) == 0
    assert out.read_bytes().decode("utf-8-sig").startswith(
        "ID,Name,Native name,Other names,Country,")
    for wrong in (["contacts", "-o", str(tmp_path / "c.vcf"), "--fields", "all"],
                  ["cities", "-o", str(out), "--fields", "every"]):
        with pytest.raises(SystemExit) as usage:
            main(["export", "--db", str(path), *wrong])
        assert usage.value.code == 2
    assert "--fields" in capsys.readouterr().err
