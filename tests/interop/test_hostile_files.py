"""Hostile import files: mixed encodings, stray zero bytes, zip bombs, huge cells, too many
rows or columns. Each is read correctly or refused with what and where; every file is built
here, the large ones streamed with zipfile so that the tests stay fast."""

from __future__ import annotations

import warnings
import zipfile
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import pytest

from benchmarks.import_limits import MAIN, MB, Writer
from benchmarks.import_limits import write_xlsx as xlsx
from citypartner_desktop.cli import main
from citypartner_desktop.interop import tables
from citypartner_desktop.interop.tables import FileRefused, read_table

# --- building workbooks by hand ---------------------------------------------------------------


def sheet_xml(rows: str) -> str:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def repeated(head: bytes, body: bytes, size: int, tail: bytes) -> Writer:
    """A part of ``size`` bytes: head, the body repeated, tail, written a megabyte at a time."""
    def write(handle: IO[bytes]) -> None:
        handle.write(head)
        block = body * (MB // len(body))
        left = size - len(head) - len(tail)
        while left > 0:
            handle.write(block[:left])
            left -= len(block)
        handle.write(tail)
    return write


def refused(path: Path) -> str:
    with pytest.raises(FileRefused) as caught:
        read_table(path)
    return str(caught.value)


# --- mixed encodings --------------------------------------------------------------------------


def test_mixed_utf8_and_windows_1252_lines_each_read_in_their_encoding(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"name,country\n" + "Kraków,PL\n".encode() + "Kraków,PL\n".encode("cp1252")
                     + "München,DE\n".encode("cp1252") + "Łódź,PL\n".encode())
    table = read_table(path)
    assert [r.cells[0] for r in table.rows] == ["Kraków", "Kraków", "München", "Łódź"]
    assert table.encoding == tables.MIXED
    assert table.described == "CSV, UTF-8 and Windows-1252 (line by line), comma-separated"


def test_a_utf8_mark_with_windows_1252_lines_is_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "marked.csv"
    path.write_bytes(b"\xef\xbb\xbfname;country\n" + "Kraków;PL\n".encode("cp1252"))
    table = read_table(path)
    assert table.headers == ("name", "country")
    assert table.rows[0].cells == ("Kraków", "PL")


def test_pure_windows_1252_and_pure_utf8_still_read(tmp_path: Path) -> None:
    text = "name,country\nKraków,PL\nSão Paulo,BR\n“Œuvre”,FR\n"
    for encoding, name in (("cp1252", "Windows-1252"), ("utf-8", "UTF-8")):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        table = read_table(path)
        assert table.encoding == name
        assert [r.cells[0] for r in table.rows] == ["Kraków", "São Paulo", "“Œuvre”"]


def test_a_line_mixing_both_encodings_is_refused_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"name,country\n" + "Łódź,PL\n".encode()
                     + "Kraków ".encode() + "München,DE\n".encode("cp1252"))
    message = refused(path)
    assert message.startswith("mixed.csv line 3: UTF-8 and Windows-1252 characters mixed")
    assert "save the file as CSV UTF-8" in message


def test_bytes_neither_encoding_reads_are_refused_by_line(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b"name,country\nA,PL\nB\x81,PL\nC,PL\nD\x8d,PL\n")
    assert refused(path).startswith("odd.csv lines 3 and 5: neither UTF-8 nor Windows-1252")


# --- stray zero bytes -------------------------------------------------------------------------


@pytest.mark.parametrize("line", [37, 5000])  # within the first 4 KB, and far beyond them
def test_a_zero_byte_is_refused_naming_its_line(tmp_path: Path, line: int) -> None:
    rows = [f"City {n},PL" for n in range(2, 6000)]
    rows[line - 2] = f"City{chr(0)} {line},PL"
    path = tmp_path / "nul.csv"
    path.write_text("name,country\n" + "\n".join(rows) + "\n", encoding="utf-8")
    message = refused(path)
    assert message.startswith(f"nul.csv line {line:,}: a zero byte (NUL)")
    assert "damaged or not a table" in message


def test_zero_bytes_on_several_lines_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"name,country\r\n" + b"".join(
        b"Sister city number %d\x00,PL\r\n" % n if n % 2 else b"B,PL\r\n" for n in range(2, 40)))
    message = refused(path)
    assert message.startswith("nul.csv lines 3, 5, 7, 9, 11 and more: zero bytes (NUL)")


def test_binary_data_is_still_not_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 40)
    assert refused(path).startswith("photo.csv is not a text file")


# --- workbook limits --------------------------------------------------------------------------


def test_a_worksheet_of_201_mb_unpacked_is_refused_before_reading(tmp_path: Path) -> None:
    head = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    writer = repeated(head.encode(), b"x", 201 * MB, b"</t></is></c></row></sheetData></worksheet>")
    path = xlsx(tmp_path / "huge.xlsx", writer, level=1)
    assert path.stat().st_size < 2 * MB
    assert refused(path) == ("huge.xlsx holds a worksheet of 201 MB when unpacked; that is not "
                             "an office spreadsheet (the limit is 200 MB).")


def test_oversized_shared_text_is_refused(tmp_path: Path) -> None:
    writer = repeated(f'<sst xmlns="{MAIN}">'.encode(), b"<si><t>ab</t></si>", 101 * MB,
                      b"</sst>")
    path = xlsx(tmp_path / "words.xlsx", sheet_xml(""), writer, level=1)
    assert refused(path).startswith("words.xlsx holds a list of shared text of 101 MB when "
                                    "unpacked")


def test_a_zip_bomb_is_refused_by_its_packing(tmp_path: Path) -> None:
    head = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'.encode()
    writer = repeated(head, b'<c r="A1"/>', 50 * MB, b"</row></sheetData></worksheet>")
    path = xlsx(tmp_path / "bomb.xlsx", writer, level=9)
    assert path.stat().st_size < 200_000
    message = refused(path)
    assert message.startswith("bomb.xlsx holds a worksheet packed ")
    assert "that is a zip bomb, not an office spreadsheet (the limit is 100 to 1)." in message


def test_a_workbook_of_too_many_parts_is_refused(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_PARTS", 20)
    path = xlsx(tmp_path / "parts.xlsx", sheet_xml(""))
    with zipfile.ZipFile(path, "a") as archive:
        for n in range(20):
            archive.writestr(f"xl/media/empty{n}.xml", "")
    assert refused(path) == ("parts.xlsx holds more than 20 parts; that is not an office "
                             "spreadsheet.")


def test_a_long_cell_is_refused_by_its_name(tmp_path: Path) -> None:
    rows = ('<row r="1">' + inline("A1", "name") + inline("B1", "notes") + "</row>"
            + '<row r="14">' + inline("A14", "Kraków") + inline("B14", "x" * 140_000)
            + "</row>")
    path = xlsx(tmp_path / "long.xlsx", sheet_xml(rows))
    assert refused(path) == ('long.xlsx sheet "Data" cell B14 is longer than 131,072 '
                             "characters; that is not a value of a table.")


def test_a_long_shared_text_is_refused_where_a_cell_uses_it(tmp_path: Path) -> None:
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
            '<row r="2"><c r="C2" t="s"><v>1</v></c></row>')
    path = xlsx(tmp_path / "long.xlsx", sheet_xml(rows), ["<t>name</t>", "<t>" + "y" * 140_000
                                                          + "</t>"])
    assert refused(path).startswith('long.xlsx sheet "Data" cell C2 is longer than 131,072')


def test_rows_past_the_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_ROWS", 50)
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 60))
    assert refused(xlsx(tmp_path / "rows.xlsx", sheet_xml(rows))) == (
        "rows.xlsx has more than 50 rows (row 52 is one too many); split it into smaller "
        "files.")
    path = tmp_path / "rows.csv"
    path.write_text("n\n" + "".join(f"{n}\n" for n in range(2, 60)), encoding="utf-8")
    assert refused(path).startswith("rows.csv has more than 50 rows (line 52 is one too many)")


def test_a_table_too_large_for_memory_is_refused(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_HELD", 2 * MB)
    rows = "".join(f'<row r="{n}">{inline(f"A{n}", f"unique text {n}")}</row>'
                   for n in range(1, 20_000))
    message = refused(xlsx(tmp_path / "wide.xlsx", sheet_xml(rows)))
    assert message.startswith("wide.xlsx is too large to import at once: by row ")
    assert message.endswith("it holds more than 2.0 MB of data. Split it into smaller files.")
    path = tmp_path / "rows.csv"
    path.write_text("a,b\n" + "x,y\n" * 100_000, encoding="utf-8")
    assert refused(path).startswith("rows.csv is too large to import at once: by line ")
    path.write_text("a,b\n" + "ł,y\n" * 300_000, encoding="utf-8")  # two bytes a character
    assert refused(path) == ("rows.csv is too large to import at once: once decoded it holds "
                             "more than 2.0 MB of data. Split it into smaller files.")
    path.write_text("a,b\n" + "x,y\n" * 600_000, encoding="utf-8")
    assert refused(path) == ("rows.csv is 2.3 MB; a file to import may be at most 2.0 MB. "
                             "Split it into smaller files.")


def test_a_large_file_of_mixed_lines_is_refused(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "_LINE_BY_LINE_MAX", 1000)
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"name,country\n" + "Kraków,PL\n".encode() * 100
                     + "Kraków,PL\n".encode("cp1252"))
    assert refused(path).startswith("mixed.csv is not UTF-8 text as a whole, and at 1 KB too "
                                    "large to be read line by line")


def test_cells_far_apart_are_placed_without_filling_the_sheet(tmp_path: Path) -> None:
    rows = ('<row r="1">' + inline("A1", "name") + inline("C1", "country") + "</row>"
            '<row r="1048576">' + inline("A1048576", "Lviv") + inline("XFD1048576", "far")
            + "</row>")
    table = read_table(xlsx(tmp_path / "far.xlsx", sheet_xml(rows)))
    assert table.headers == ("name", "column 2", "country")
    assert table.rows[0].line == 1_048_576
    assert table.rows[0].cells[0] == "Lviv"
    assert len(table.rows[0].cells) == 16_384 and table.rows[0].cells[-1] == "far"


def test_a_wrong_dimension_does_not_cut_the_sheet(tmp_path: Path) -> None:
    """Some programs write <dimension ref="A1"/> whatever the sheet holds; openpyxl's
    read-only mode then read one cell."""
    rows = "".join(f'<row r="{n}">{inline(f"A{n}", f"v{n}")}{inline(f"B{n}", "w")}</row>'
                   for n in range(1, 5))
    sheet = sheet_xml(rows).replace("<sheetData>", '<dimension ref="A1"/><sheetData>')
    table = read_table(xlsx(tmp_path / "dim.xlsx", sheet))
    assert [r.cells for r in table.rows] == [("v2", "w"), ("v3", "w"), ("v4", "w")]


def test_values_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    """Numbers, dates by style (built-in and custom formats, the 1904 date system), shared
    text with runs and a pronunciation guide, booleans, errors and a formula's value."""
    styles = (f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
              'formatCode="dd/mm/yyyy hh:mm"/></numFmts><cellXfs count="3"><xf numFmtId="0"/>'
              '<xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>')
    shared = ["<t>City</t>", "<r><t>Kra</t></r><r><t>ków</t></r>",
              "<t>東京</t><rPh sb='0' eb='2'><t>トウキョウ</t></rPh>", "<t> padded </t>"]
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>When</t>'
            '</is></c><c r="C1" t="inlineStr"><is><t>Year</t></is></c>'
            '<c r="D1" t="inlineStr"><is><t>Flag</t></is></c></row>'
            '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" s="1"><v>45000</v></c>'
            '<c r="C2"><v>1994</v></c><c r="D2" t="b"><v>1</v></c></row>'
            '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="2"><v>45000.5</v></c>'
            '<c r="C3"><v>2.5E3</v></c><c r="D3" t="e"><v>#N/A</v></c></row>'
            '<row r="5"><c r="A5" t="s"><v>3</v></c><c r="C5" t="str"><f>A5</f>'
            '<v>from a formula</v></c></row>')
    path = xlsx(tmp_path / "values.xlsx", sheet_xml(rows), shared, styles,
                workbook_pr='<workbookPr date1904="1"/>')
    table = read_table(path)
    assert table.headers == ("City", "When", "Year", "Flag")
    assert [(r.line, r.cells) for r in table.rows] == [
        (2, ("Kraków", datetime(2027, 3, 16), 1994, True)),
        (3, ("東京", datetime(2027, 3, 16, 12), 2500, "#N/A")),
        (5, ("padded", "", "from a formula")),
    ]
    assert _openpyxl_rows(path) == [(r.line, r.cells) for r in table.rows]


def test_a_workbook_openpyxl_wrote_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["City", "Country", "Since", "Population", "Active"])
    sheet.append(["Kraków", "PL", datetime(1994, 5, 3), 800_653, True])
    sheet.append([None, None, None, None, None])
    sheet.append(["  Lviv ", "UA", None, 717.5, False])
    sheet["G7"] = "stray"
    path = tmp_path / "book.xlsx"
    book.save(path)
    table = read_table(path)
    assert table.headers == ("City", "Country", "Since", "Population", "Active")
    assert _openpyxl_rows(path) == [(r.line, r.cells) for r in table.rows]
    assert table.rows[-1].cells == ("", "", "", "", "", "", "stray")


def _openpyxl_rows(path: Path) -> list[tuple[int, tuple[Any, ...]]]:
    """The data rows as the earlier reader built them from openpyxl (trailing blanks off)."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():  # "no default style" in the hand-made workbooks
        warnings.simplefilter("ignore")
        book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = []
        for line, values in enumerate(book.worksheets[0].iter_rows(values_only=True), 1):
            cells = [tables._cell(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            if cells:
                rows.append((line, tuple(cells)))
    finally:
        book.close()
    return rows[1:]


# --- very many columns ------------------------------------------------------------------------


def test_ignored_columns_are_listed_up_to_twenty(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "office.db"
    assert main(["init", "--db", str(db)]) == 0
    extra = [f"x{n}" for n in range(1, 100_001)]
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["name", "country", *extra]) + "\n"
                    + ",".join(["Kraków", "PL", *[""] * len(extra)]) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "cities", str(path), "--db", str(db), "--dry-run"]) == 0
    line = next(t for t in capsys.readouterr().out.splitlines()
                if t.startswith("Ignored columns"))
    assert line == ("Ignored columns: " + ", ".join(f'"x{n}"' for n in range(1, 21))
                    + " … and 99,980 more")
