"""Spreadsheets as people lay them out: a title above the table, a header in two lines, merged
and hidden cells, a "Total:" line, several sheets; in .xlsx, LibreOffice's .ods and old
Excel's .xls alike. The workbooks in tests/data/corpus/sheets were saved by LibreOffice Calc
(make_sheets.py there says how); the others are built here as Excel writes them."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from citypartner_desktop.interop import tables
from citypartner_desktop.interop.mapping import match_columns
from citypartner_desktop.interop.sheet_layout import Grid, lay_out
from citypartner_desktop.interop.tables import FileRefused, read_table

CORPUS = Path(__file__).parents[1] / "data" / "corpus" / "sheets"
FORMATS = ("xlsx", "ods", "xls")


@pytest.fixture(autouse=True)
def _gazetteer() -> None:
    """These tests read files only: no gazetteer needed (the package's fixture builds one)."""


def refused(path: Path, sheet: str | None = None) -> str:
    with pytest.raises(FileRefused) as caught:
        read_table(path, sheet=sheet)
    return str(caught.value)


# --- workbooks as LibreOffice saved them --------------------------------------------------------


@pytest.mark.parametrize("kind", FORMATS)
def test_the_active_sheet_is_read_as_laid_out(kind: str) -> None:
    table = read_table(CORPUS / f"partners.{kind}")
    assert table.headers == ("City", "Country", "Population", "Since", "Contact")
    assert [(r.line, r.cells[:3]) for r in table.rows] == [
        (4, ("Łódź", "Poland", 658_444)),
        (5, ("Gdańsk", "Poland", 486_022)),  # "Poland" is merged over lines 4 to 8
        (6, ("Wrocław", "Poland", 674_132)),
        (8, ("Zakopane", "Poland", 27_266)),  # line 7 is hidden
        (9, ("Kyiv", "Ukraine", 2_952_301)),
        (11, ("Besançon", "France", 119_198)),  # line 10 is hidden by the filter
    ]
    assert table.rows[0].cells[3] == datetime(1994, 5, 3)
    assert table.notes == (
        'sheet "Cities" read (the one open when the file was saved); the file also has '
        '"Notes", "Contacts", "Pairs": name one to read it instead',
        "header on line 3 (the lines above it were taken as a title)",
        "lines 7 and 10 are hidden in the sheet (a filter?): skipped",
        'line 12 ("Total:") is a totals line: skipped',
    )


@pytest.mark.parametrize("kind", FORMATS)
def test_a_two_line_header_names_columns_by_the_lower_line(kind: str) -> None:
    table = read_table(CORPUS / f"partners.{kind}", sheet="Contacts")
    assert table.headers == ("Name", "E-mail", "Phone", "City", "Country")
    assert [r.line for r in table.rows] == [3, 4]
    assert table.rows[0].cells[:2] == ("Ewa Nowak", "ewa@lodz.pl")
    assert table.notes == ("header on lines 1 and 2 (its upper line groups the columns)",)


@pytest.mark.parametrize("kind", FORMATS)
def test_names_that_repeat_under_groups_are_prefixed_by_them(kind: str) -> None:
    table = read_table(CORPUS / f"partners.{kind}", sheet="pairs")  # any case
    assert table.headers == ("Home City", "Home Country", "Partner City", "Partner Country",
                             "Since")
    assert table.rows[0].cells == ("Kraków", "Poland", "Kyoto", "Japan", 1994)
    columns = match_columns("partnerships", table, {"Home Country": "country_a"})
    assert {f: table.headers[i] for f, i in columns.fields.items()} == {
        "city_a": "Home City", "country_a": "Home Country", "city_b": "Partner City",
        "country_b": "Partner Country", "since_year": "Since"}


@pytest.mark.parametrize("kind", FORMATS)
def test_an_unknown_sheet_is_refused_with_the_sheets_there_are(kind: str) -> None:
    assert refused(CORPUS / f"partners.{kind}", "Kontakte") == (
        f'partners.{kind} has no sheet "Kontakte"; its sheets are: "Notes", "Cities", '
        '"Contacts", "Pairs".')


def test_a_text_file_has_no_sheets(tmp_path: Path) -> None:
    path = tmp_path / "cities.csv"
    path.write_text("name,country\nKraków,PL\n", encoding="utf-8")
    assert refused(path, "Cities") == ('cities.csv is not a workbook: it has no sheets (asked '
                                       'for "Cities").')


def test_a_damaged_xls_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes((CORPUS / "partners.xls").read_bytes()[:3000])
    message = refused(path)
    assert message.startswith("old.xls is an old-style Excel file (.xls) that cannot be read (")
    assert message.endswith("open it in Excel or LibreOffice and save it as .xlsx.")


# --- workbooks as Excel writes them (openpyxl) ---------------------------------------------------


def excel(path: Path, rows: list[list[Any]], *, hidden: tuple[int, ...] = (),
          merged: tuple[str, ...] = (), autofilter: str | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    for line in hidden:
        sheet.row_dimensions[line].hidden = True
    for cells in merged:
        sheet.merge_cells(cells)
    if autofilter:
        sheet.auto_filter.ref = autofilter
    book.save(path)
    return path


def test_hidden_rows_of_an_autofilter_and_a_german_sum_line(tmp_path: Path) -> None:
    path = excel(tmp_path / "filtered.xlsx", [
        ["Stadt", "Land", "Einwohner"],
        ["Düsseldorf", "DE", 629_047], ["Besançon", "FR", 119_198], ["Kyiv", "UA", 2_952_301],
        [None, None, None],
        ["Summe", None, 3_700_446],
    ], hidden=(3,), autofilter="A1:C4")
    table = read_table(path)
    assert [r.cells[0] for r in table.rows] == ["Düsseldorf", "Kyiv"]
    assert table.notes == ("line 3 is hidden in the sheet (a filter?): skipped",
                           'line 6 ("Summe") is a totals line: skipped')


def test_a_block_of_details_above_the_table_is_not_its_header(tmp_path: Path) -> None:
    path = excel(tmp_path / "report.xlsx", [
        ["Prepared by:", "Anna Kowalska"],
        ["Date:", datetime(2025, 1, 15)],
        [],
        ["Partner city", "Country", "Since", "Status"],
        ["Kyoto", "JP", 1994, "active"],
        ["Razem:", None, 1, None],
    ])
    table = read_table(path)
    assert table.headers == ("Partner city", "Country", "Since", "Status")
    assert [r.line for r in table.rows] == [5]
    assert table.notes == ("header on line 4 (the lines above it were taken as a title)",
                           'line 6 ("Razem:") is a totals line: skipped')


def test_a_city_named_like_a_total_with_text_beside_it_stays(tmp_path: Path) -> None:
    path = excel(tmp_path / "t.xlsx", [["name", "country"], ["Kraków", "PL"], ["Total", "FR"]])
    assert [r.cells for r in read_table(path).rows] == [("Kraków", "PL"), ("Total", "FR")]


def test_a_merged_title_directly_above_the_header_is_a_title(tmp_path: Path) -> None:
    path = excel(tmp_path / "t.xlsx", [["Partner cities"], ["City", "Country", "Since"],
                                       ["Kyoto", "JP", 1994]], merged=("A1:C1",))
    table = read_table(path)
    assert table.headers == ("City", "Country", "Since")
    assert table.notes == ("header on line 2 (the lines above it were taken as a title)",)


def test_a_sheet_with_numbers_only_keeps_its_first_line_as_header(tmp_path: Path) -> None:
    path = excel(tmp_path / "n.xlsx", [[2024, 2025], [1, 2], [3, 4]])
    table = read_table(path)
    assert table.headers == ("2024", "2025")
    assert [r.line for r in table.rows] == [2, 3]
    assert table.notes == ()


def test_lay_out_on_its_own() -> None:
    """The rules apply to any reader's cells: a group row needs merged text over two labels."""
    rows: list[tuple[int, list[Any]]] = [
        (1, ["Home", "", "Partner", ""]), (2, ["City", "Country", "City", "Country"]),
        (3, ["Kraków", "PL", "Kyoto", "JP"]), (4, ["", "", "Lviv", "UA"])]
    merged = [(1, 1, 1, 2), (1, 3, 1, 4), (3, 1, 4, 1), (3, 2, 4, 2)]
    table = lay_out(Grid("t.xlsx", "t.xlsx", [(n, list(c)) for n, c in rows], merged))
    assert table.headers == ("Home City", "Home Country", "Partner City", "Partner Country")
    assert table.rows[1].cells == ("Kraków", "PL", "Lviv", "UA")
    unmerged = lay_out(Grid("t.xlsx", "t.xlsx", [(n, list(c)) for n, c in rows]))
    assert unmerged.headers == ("Home", "column 2", "Partner", "column 4")


# --- the read limits hold for .ods and .xls too --------------------------------------------------

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
            'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry'
            ' manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
            'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"/></manifest:manifest>')


def ods(path: Path, rows: str, title: str = "Data") -> Path:
    """A minimal OpenDocument spreadsheet, as the standard lays it out."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               f'xmlns:office="{OFFICE}" xmlns:table="{TABLE}" xmlns:text="{TEXT}" '
               'office:version="1.3"><office:body><office:spreadsheet>'
               f'<table:table table:name="{title}">{rows}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", MANIFEST)
    return path


def text(value: str, repeat: int = 1) -> str:
    return (f'<table:table-cell office:value-type="string" table:number-columns-repeated='
            f'"{repeat}"><text:p>{value}</text:p></table:table-cell>')


def row(cells: str, repeat: int = 1, visibility: str = "visible") -> str:
    return (f'<table:table-row table:number-rows-repeated="{repeat}" '
            f'table:visibility="{visibility}">{cells}</table:table-row>')


def test_an_ods_written_by_hand_is_read_from_where_its_cells_start(tmp_path: Path) -> None:
    empty = "<table:table-cell/>"
    path = ods(tmp_path / "t.ods", row(empty, 2) + row(empty * 2 + text("name") + text("country"))
               + row(empty * 2 + text("Kraków") + text("PL"))
               + row(empty * 2 + text("Lviv") + text("UA"), visibility="collapse"))
    table = read_table(path)
    assert table.headers == ("column 1", "column 2", "name", "country")
    assert [(r.line, r.cells) for r in table.rows] == [(4, ("", "", "Kraków", "PL"))]
    assert table.notes == ("line 5 is hidden in the sheet (a filter?): skipped",)


def test_an_ods_whose_cells_would_span_too_much_is_refused_before_reading(
        tmp_path: Path) -> None:
    """A few bytes of XML that repeat a value over a million rows and all columns."""
    path = ods(tmp_path / "bomb.ods", row(text("name")) + row(text("x", 16_384), 1_048_575))
    assert refused(path) == ('bomb.ods is too large to import at once: sheet "Data" spans '
                             "1,048,576 rows by 16,384 columns. Split it into smaller files.")


def test_ods_and_xls_rows_past_the_limit_are_refused(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_ROWS", 5)
    path = ods(tmp_path / "rows.ods", row(text("name")) + row(text("x"), 9))
    assert refused(path) == ("rows.ods has more than 5 rows (row 7 is one too many); split it "
                             "into smaller files.")
    monkeypatch.setattr(tables, "MAX_ROWS", 4)
    assert refused(CORPUS / "partners.xls").startswith(
        "partners.xls has more than 4 rows (row 7 is one too many)")


def test_ods_and_xls_long_cells_are_refused_by_their_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_CELL", 12)
    assert refused(CORPUS / "partners.xls") == (
        'partners.xls sheet "Cities" cell A1 is longer than 12 characters; that is not a value '
        "of a table.")
    path = ods(tmp_path / "long.ods", row(text("name") + text("notes"))
               + row(text("Kraków") + text("y" * 20)))
    assert refused(path) == ('long.ods sheet "Data" cell B2 is longer than 12 characters; that '
                             "is not a value of a table.")


def test_an_ods_past_the_memory_limit_is_refused(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_HELD", 200_000)
    path = ods(tmp_path / "wide.ods", row(text("name")) + "".join(
        row(text(f"unique text {n}")) for n in range(400)))
    assert refused(path).startswith("wide.ods is too large to import at once: by row ")


def test_an_ods_holding_a_zip_bomb_is_refused_before_calamine_unpacks_it(tmp_path: Path) -> None:
    path = ods(tmp_path / "bomb.ods", row(text("name") + text("country")))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("styles.xml", b"<a>" + b" " * 3_000_000 + b"</a>")
    assert refused(path).startswith("bomb.ods holds a part (styles.xml) of 2.9 MB packed into ")


def test_text_and_web_pages_named_xls_are_told_apart(tmp_path: Path) -> None:
    """Web applications often export tab-separated text, or a web page, as ".xls"."""
    path = tmp_path / "export.xls"
    path.write_bytes("name\tcountry\r\nKraków\tPL\r\n".encode("cp1250"))
    table = read_table(path)
    assert table.described == "CSV, Windows-1252, tab-separated"
    assert table.rows[0].cells == ("Kraków", "PL")
    path.write_text("<html><table><tr><td>name</td></tr></table></html>", encoding="utf-8")
    assert refused(path).startswith("export.xls is a web page (HTML) named .xls, not an Excel")
