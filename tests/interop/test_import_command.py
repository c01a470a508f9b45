"""`citypartner import`: summary, exit codes, and a corpus of malformed files, each refused
with a clear message and the database unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from citypartner_desktop.cli import main
from citypartner_desktop.db.database import Database
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR
from tests.interop.conftest import snapshot

HEADER = "city1,country1,city2,country2\n"


def _counts(db_path: Path) -> dict[str, int]:
    db: Database = open_db(db_path, TEST_ACTOR)
    try:
        return snapshot(db)
    finally:
        db.close()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "office.db"
    assert main(["init", "--db", str(path)]) == 0
    assert main(["import", "cities", str(_file(tmp_path / "seed.csv", "name,country\n"
                                                "Kraków,PL\n")), "--db", str(path)]) == 0
    return path


def _file(path: Path, text: str | bytes, encoding: str = "utf-8") -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def test_import_prints_a_summary_and_exits_0(office: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path / "pairs.csv", HEADER + "Krakow,Poland,Lviv,Ukraine\n")
    assert main(["import", "partnerships", str(path), "--db", str(office)]) == 0
    out = capsys.readouterr().out
    assert "pairs.csv: CSV, UTF-8, comma-separated; 4 columns used." in out
    assert "1 rows read: 1 to create, 0 already there, 0 refused." in out
    assert "Imported: 1 cities, 1 partnerships, 2 memberships." in out
    assert "Backup before the import:" in out


def test_refused_rows_exit_1_and_are_listed_by_line(office: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path / "contacts.csv", "name,email,Shoe size\nAnna,anna@example.org,41\n"
                 "Bob,bob@,44\n")
    before = _counts(office)
    assert main(["import", "contacts", str(path), "--db", str(office)]) == 1
    out = capsys.readouterr().out
    assert 'contacts.csv line 3, column email: "bob@" is not an e-mail address' in out
    assert 'Ignored columns: "Shoe size"' in out
    assert "Nothing was imported" in out
    assert _counts(office) == before
    assert main(["import", "contacts", str(path), "--db", str(office), "--valid-only"]) == 1
    assert _counts(office)["contacts"] == before["contacts"] + 1


def test_dry_run_and_map(office: Path, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path / "pairs.csv", "Home;Land;Twin;Twin land\nKraków;PL;Lviv;UA\n")
    before = _counts(office)
    assert main(["import", "partnerships", str(path), "--db", str(office), "--dry-run",
                 "--map", "Home=city_a", "Land=country_a", "--map", "Twin land=country_b",
                 "--all-rows"]) == 0
    out = capsys.readouterr().out
    assert "line 2: create Kraków (PL) – Lviv (UA)" in out
    assert "Dry run: nothing was written" in out
    assert _counts(office) == before


MALFORMED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "unbalanced quotes": (
        lambda d: _file(d / "q.csv", HEADER + '"Kraków,PL,Lviv,UA\nBerlin,DE,Paris,FR\n'),
        'q.csv line 2: a quote (") that opens a cell is never closed'),
    "wrong delimiter": (
        lambda d: _file(d / "pipe.csv", "city1|country1|city2|country2\nA|PL|B|UA\n"),
        "has no column for city_a, country_a, city_b, country_b (required)."
        ' Its columns are: "city1|country1|city2|country2". The file seems to use another '
        "delimiter"),
    "missing headers": (
        lambda d: _file(d / "m.csv", "Kraków,PL,Lviv,UA\nBerlin,DE,Paris,FR\n"),
        'has no column for city_a, country_a, city_b, country_b (required). Its columns are: '
        '"Kraków", "PL"'),
    "duplicated headers": (
        lambda d: _file(d / "d.csv", "city1,country1,city2,country2,city2\nA,PL,B,UA,C\n"),
        'columns 3 ("city2") and 5 ("city2") both hold the city b'),
    "10 MB field": (
        lambda d: _file(d / "big.csv", HEADER + "A,PL,\"" + "x" * 10_000_000 + "\",UA\n"),
        "big.csv line 2: a cell is longer than 131,072 characters"),
    "empty file": (lambda d: _file(d / "empty.csv", ""), "empty.csv is empty."),
    "blank lines only": (lambda d: _file(d / "blank.csv", "\n\n  \n"), "blank.csv is empty."),
    "binary file": (
        lambda d: _file(d / "photo.csv", bytes(range(256)) * 40),
        "photo.csv is not a text file (it contains binary data)"),
    "old excel": (
        lambda d: _file(d / "old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 600),
        "old.xls is an old-style Excel file (.xls)"),
    "broken xlsx": (
        lambda d: _file(d / "broken.xlsx", b"PK\x03\x04 not really a zip"),
        "broken.xlsx is not a readable Excel workbook"),
    "missing file": (lambda d: d / "nothing.csv", "nothing.csv does not exist."),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_files_are_refused_clearly_and_change_nothing(
        case: str, office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make, message = MALFORMED[case]
    path = make(tmp_path)
    before = _counts(office)
    assert main(["import", "partnerships", str(path), "--db", str(office)]) == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert _counts(office) == before


def test_invalid_dates_and_windows_1252_names(office: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path / "ansi.csv", "city_a;country_a;city_b;country_b;start_date\n"
                 "München;Germany;Kraków;Poland;31.02.2001\n"
                 "Besançon;France;Kraków;Poland;2001-13-01\n"
                 "Besançon;France;Kraków;Poland;yesterday\n", encoding="cp1252")
    before = _counts(office)
    assert main(["import", "partnerships", str(path), "--db", str(office)]) == 1
    out = capsys.readouterr().out
    assert "CSV, Windows-1252, semicolon-separated" in out
    assert 'ansi.csv line 2, column start_date: "31.02.2001" is not a valid date' in out
    assert 'line 3, column start_date: "2001-13-01" is not a valid date' in out
    assert 'line 4, column start_date: "yesterday" is not a date; use YYYY-MM-DD' in out
    assert _counts(office) == before
    fixed = _file(tmp_path / "ansi2.csv", "city_a;country_a;city_b;country_b\n"
                  "München;Germany;Besançon;France\n", encoding="cp1252")
    assert main(["import", "partnerships", str(fixed), "--db", str(office)]) == 0
    assert "München (DE) – Besançon (FR)" not in capsys.readouterr().err


def test_usage_errors_exit_2(office: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "planets", str(tmp_path / "x.csv"), "--db", str(office)])
    assert exit_info.value.code == 2


def test_a_named_sheet_and_a_calendars_partnership(office: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """--sheet reads the sheet named (an unknown one is listed with the sheets there are);
    --partnership gives a calendar's events their partnership, and is for activities only."""
    sheets = Path(__file__).resolve().parents[1] / "data" / "corpus" / "sheets" / "partners.xlsx"
    before = _counts(office)
    assert main(["import", "cities", str(sheets), "--sheet", "Kontakte", "--db",
                 str(office)]) == 1
    assert 'has no sheet "Kontakte"; its sheets are: "Notes", "Cities"' in (
        capsys.readouterr().err)
    assert _counts(office) == before
    assert main(["import", "cities", str(sheets), "--sheet", "Cities", "--dry-run", "--db",
                 str(office)]) == 0
    out = capsys.readouterr().out
    assert "Note: header on line 3" in out and "6 rows read: 6 to create" in out
    assert main(["import", "cities", str(sheets), "--language", "Klingonish", "--db",
                 str(office)]) == 1
    assert '--language: "Klingonish" is not a known language.' in capsys.readouterr().err
    assert main(["import", "contacts", str(sheets), "--partnership", "X", "--db",
                 str(office)]) == 2
    assert "--partnership is for importing activities" in capsys.readouterr().err
    calendar = _file(tmp_path / "trip.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
                     "BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20250101T000000Z\r\n"
                     "DTSTART;VALUE=DATE:20250505\r\nSUMMARY:Study visit\r\nEND:VEVENT\r\n"
                     "END:VCALENDAR\r\n")
    assert main(["import", "activities", str(calendar), "--partnership", "No such one",
                 "--db", str(office)]) == 1
    assert 'column partnership: no partnership is titled "No such one"' in (
        capsys.readouterr().out)
    assert _counts(office) == before
