"""Reading files: encodings, delimiters, countries, dates, header matching."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citypartner_desktop.interop.countries import resolve_country
from citypartner_desktop.interop.dates import parse_import_date
from citypartner_desktop.interop.mapping import match_columns, parse_map_options
from citypartner_desktop.interop.tables import FileRefused, read_table

ROWS = "city1,country1,city2,country2\nŁódź,Poland,Köln,Germany\n"


@pytest.mark.parametrize(("encoding", "prefix", "expected"), [
    ("utf-8", b"", "UTF-8"),
    ("utf-8", b"\xef\xbb\xbf", "UTF-8"),
    ("utf-16", b"", "UTF-16"),  # Python writes a byte-order mark
    ("utf-16-le", b"", "UTF-16"),
    ("utf-16-be", b"", "UTF-16"),
])
def test_unicode_encodings_are_detected(tmp_path: Path, encoding: str, prefix: bytes,
                                        expected: str) -> None:
    path = tmp_path / "pairs.csv"
    path.write_bytes(prefix + ROWS.encode(encoding))
    table = read_table(path)
    assert table.encoding == expected
    assert table.headers == ("city1", "country1", "city2", "country2")
    assert table.rows[0].cells == ("Łódź", "Poland", "Köln", "Germany")
    assert table.rows[0].line == 2


def test_windows_1252_names_are_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("name;country\nMünchen;Germany\nSão Paulo;Brazil\nœuvre – “x”;France\n"
                     .encode("cp1252"))
    table = read_table(path)
    assert table.encoding == "Windows-1252"
    assert table.delimiter == ";"
    assert [r.cells[0] for r in table.rows] == ["München", "São Paulo", "œuvre – “x”"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f'name{delimiter}country\n"Bad, Ems"{delimiter}DE\n', encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == delimiter
    assert table.rows[0].cells == ("Bad, Ems", "DE")


def test_line_numbers_count_physical_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('name,notes\nA,"two\nlines"\n\nB,x\n', encoding="utf-8")
    assert [r.line for r in read_table(path).rows] == [2, 5]  # blank line 4 skipped


def test_xlsx_first_sheet_is_read(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook has one
    sheet.append(["City A", "Country A", "City B", "Country B", "Since"])
    sheet.append(["Kraków", "PL", "Kyoto", "Japan", 1994])
    sheet.append([None, None, None, None, None])
    sheet.append(["Lviv", "UA", "京都市", "JP", datetime(2001, 5, 3)])
    path = tmp_path / "pairs.xlsx"
    book.save(path)
    table = read_table(path)
    assert table.described == "Excel workbook"
    assert table.headers[:2] == ("City A", "Country A")
    assert table.rows[0].cells == ("Kraków", "PL", "Kyoto", "Japan", 1994)
    assert [r.line for r in table.rows] == [2, 4]
    assert table.rows[1].cells[4] == datetime(2001, 5, 3)


class TestCountries:
    @pytest.mark.parametrize(("text", "code"), [
        ("England, United Kingdom", "GB"), ("Scotland, United Kingdom", "GB"), ("Wales", "GB"),
        ("United Kingdom", "GB"), ("Republic of Korea", "KR"), ("South Korea", "KR"),
        ("People's Republic of China", "CN"), ("Georgia (country)", "GE"),
        ("Republic of Ireland", "IE"), ("Moldavia", "MD"), ("Czech Republic", "CZ"),
        ("Côte d'Ivoire", "CI"), ("Côte d’Ivoire", "CI"), ("Ivory Coast", "CI"),
        ("Vietnam", "VN"), ("Taiwan", "TW"), ("Russia", "RU"), ("Turkey", "TR"),
        ("Kosovo", "XK"), ("pl", "PL"), ("POL", "PL"), ("  germany ", "DE"),
        ("Réunion, France", "RE"), ("Brandenburg, Germany", "DE"),
        ("Åland Islands, Finland", "AX"),
    ])
    def test_known_names(self, text: str, code: str) -> None:
        assert resolve_country(text) == code

    @pytest.mark.parametrize("text", ["Grecce", "Kazakhstah", "in Italy", "", "Atlantis"])
    def test_unknown_names_are_not_guessed(self, text: str) -> None:
        assert resolve_country(text) is None


class TestDates:
    @pytest.mark.parametrize(("text", "expected"), [
        ("2025-03-04", date(2025, 3, 4)), ("2025-03-04T10:00:00", date(2025, 3, 4)),
        ("2025/3/4", date(2025, 3, 4)), ("04.03.2025", date(2025, 3, 4)),
        ("4. 3. 2025", date(2025, 3, 4)), ("25/12/2025", date(2025, 12, 25)),
        ("12/25/2025", date(2025, 12, 25)), ("05/05/2025", date(2025, 5, 5)),
        ("4 March 2025", date(2025, 3, 4)), ("March 4, 2025", date(2025, 3, 4)),
        ("4-Mar-2025", date(2025, 3, 4)),
    ])
    def test_readable_forms(self, text: str, expected: date) -> None:
        assert parse_import_date(text) == expected

    def test_ambiguous_date_is_refused_with_both_readings(self) -> None:
        with pytest.raises(ValueError, match=r"ambiguous \(3 April 2025 or 4 March 2025\)"):
            parse_import_date("03/04/2025")

    def test_a_given_format_decides_and_iso_still_works(self) -> None:
        assert parse_import_date("03/04/2025", "%m/%d/%Y") == date(2025, 3, 4)
        assert parse_import_date("2025-03-04", "%d/%m/%Y") == date(2025, 3, 4)
        with pytest.raises(ValueError, match="does not match the date format"):
            parse_import_date("4 March 2025", "%d/%m/%Y")

    @pytest.mark.parametrize(("raw", "expected"), [
        (45720, date(2025, 3, 4)), (45720.75, date(2025, 3, 4)), ("45720", date(2025, 3, 4)),
        ("45720.5", date(2025, 3, 4)), (10000, date(1927, 5, 18)),
    ])
    def test_excel_day_numbers_are_dates(self, raw: object, expected: date) -> None:
        """A date cell not formatted as one, or a CSV saved from it: days since 1899-12-30."""
        assert parse_import_date(raw) == expected

    @pytest.mark.parametrize("raw", [2025, "2025", 123])
    def test_a_year_or_small_number_is_no_day_number(self, raw: object) -> None:
        with pytest.raises(ValueError, match="is not"):
            parse_import_date(raw)

    @pytest.mark.parametrize("text", ["31.02.2025", "2025-13-01", "soon", "1/2/25"])
    def test_invalid(self, text: str) -> None:
        with pytest.raises(ValueError, match=f'"{text}"'):
            parse_import_date(text)


class TestMapping:
    def _table(self, tmp_path: Path, header: str) -> object:
        path = tmp_path / "t.csv"
        path.write_text(header + "\n" + ",".join("x" * len(header.split(","))) + "\n",
                        encoding="utf-8")
        return read_table(path)

    @pytest.mark.parametrize("header", ["city1,country1,city2,country2",
                                        "city_a,country_a,city_b,country_b,since_year",
                                        "City A,Country A,City B,Country B"])
    def test_pair_headers_work_as_they_are(self, tmp_path: Path, header: str) -> None:
        columns = match_columns("partnerships", self._table(tmp_path, header))  # type: ignore[arg-type]
        assert {"city_a", "country_a", "city_b", "country_b"} <= set(columns.fields)
        assert columns.extra == ()

    def test_aliases_extra_columns_and_explicit_map(self, tmp_path: Path) -> None:
        table = self._table(tmp_path, "Name,E-Mail,Telefon,Organization,Shoe size")
        columns = match_columns("contacts", table,  # type: ignore[arg-type]
                                parse_map_options(["Telefon=phone"]))
        assert columns.fields == {"full_name": 0, "email": 1, "phone": 2, "organisation": 3}
        assert columns.extra == ("Shoe size",)

    def test_missing_required_column_names_the_columns_found(self, tmp_path: Path) -> None:
        with pytest.raises(FileRefused, match=r'no column for city_b, country_b .*"city1"'):
            match_columns("partnerships",
                          self._table(tmp_path, "city1,country1,foo"))  # type: ignore[arg-type]

    def test_duplicated_field_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(FileRefused, match=r'columns 2 \("email"\) and 3 \("E-mail"\) both'):
            match_columns("contacts",
                          self._table(tmp_path, "name,email,E-mail"))  # type: ignore[arg-type]

    def test_bad_map_options(self, tmp_path: Path) -> None:
        table = self._table(tmp_path, "name,email")
        with pytest.raises(FileRefused, match='no column "Phone"'):
            match_columns("contacts", table, {"Phone": "phone"})  # type: ignore[arg-type]
        with pytest.raises(FileRefused, match='"shoe" is not a field of contacts'):
            match_columns("contacts", table, {"email": "shoe"})  # type: ignore[arg-type]
        with pytest.raises(FileRefused, match="COLUMN=FIELD"):
            parse_map_options(["phone"])


@given(st.text(max_size=30), st.sampled_from([None, "%d/%m/%Y", "%Y"]))
def test_date_reading_never_fails_other_than_with_a_reason(text: str, fmt: str | None) -> None:
    try:
        parse_import_date(text, fmt)
    except ValueError as exc:
        assert str(exc).startswith('"')  # the value in quotes, then why


@given(st.text(max_size=40))
def test_country_resolution_never_raises(text: str) -> None:
    code = resolve_country(text)
    assert code is None or (len(code) == 2 and code.isupper())


@pytest.mark.parametrize(("written", "code"), [
    ("Polska", "PL"), ("Polen", "PL"), ("Pologne", "PL"), ("Deutschland", "DE"),
    ("Niemcy", "DE"), ("Allemagne", "DE"), ("Italia", "IT"), ("Österreich", "AT"),
    ("Česko", "CZ"), ("Magyarország", "HU"), ("España", "ES"), ("Royaume-Uni", "GB"),
    ("ドイツ", "DE"), ("Германия", "DE"), ("ألمانيا", "DE"), ("Brandenburg, Deutschland", "DE"),
])
def test_countries_are_read_in_any_language(written: str, code: str) -> None:
    """Office lists are written in the office's language: CLDR's names in every locale."""
    assert resolve_country(written) == code


def test_a_name_that_means_two_countries_is_not_guessed() -> None:
    assert resolve_country("Kongo") is None  # CG in one language, CD in another
    assert resolve_country("Atlantis") is None  # nor is a place that is no country
