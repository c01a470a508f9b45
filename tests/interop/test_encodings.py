"""CSV files in the code page of the PC that saved them: Excel's plain "CSV" is Windows-1250 in
Central Europe, Windows-1251 where Cyrillic is written, Windows-1252 in the West. Each is read
right, never as mojibake, and a guess that could go either way is said in a note."""

from __future__ import annotations

from pathlib import Path

import pytest

from citypartner_desktop.interop import charsets
from citypartner_desktop.interop.tables import FileRefused, read_table


@pytest.fixture(autouse=True)
def _gazetteer() -> None:
    """These tests read files only: no gazetteer needed (the package's fixture builds one)."""


def csv(tmp_path: Path, text: str, encoding: str, name: str = "cities.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))  # as Excel writes it
    return path


POLISH = "name;country\nŁódź;PL\nKraków;PL\nGdańsk;PL\nZażółć gęślą jaźń;PL\n"
CYRILLIC = "name;country\nМосква;RU\nКиїв;UA\n"
WESTERN = "name;country\nDüsseldorf;DE\nBesançon;FR\n"


@pytest.mark.parametrize(("text", "codec", "name"), [
    (POLISH, "cp1250", "Windows-1250"),
    (CYRILLIC, "cp1251", "Windows-1251"),
    (WESTERN, "cp1252", "Windows-1252"),
    ("name,country\nΘεσσαλονίκη,GR\nΑθήνα,GR\n", "cp1253", "Windows-1253"),
    ("name,country\nİstanbul,TR\nŞanlıurfa,TR\nEskişehir,TR\nMuğla,TR\nIğdır,TR\n", "cp1254",
     "Windows-1254"),
    ("name,country\nČeské Budějovice,CZ\nPřerov,CZ\nPlzeň,CZ\n", "cp1250", "Windows-1250"),
    ("name,country\nКраків,UA\nЛьвів,UA\nСанкт-Петербург,RU\n", "cp1251", "Windows-1251"),
    ("name,country\n東京都,JP\n大阪市,JP\n", "cp932", "Shift_JIS"),
])
def test_code_pages_are_read_right(tmp_path: Path, text: str, codec: str, name: str) -> None:
    table = read_table(csv(tmp_path, text, codec))
    assert table.encoding == name
    expected = [line.split(text[4])[0] for line in text.splitlines()[1:]]
    assert [row.cells[0] for row in table.rows] == expected
    assert table.notes == ()


def test_the_encoding_is_named_for_the_preview(tmp_path: Path) -> None:
    table = read_table(csv(tmp_path, POLISH, "cp1250"))
    assert table.described == "CSV, Windows-1250, semicolon-separated"
    assert table.rows[3].cells == ("Zażółć gęślą jaźń", "PL")


def test_a_short_list_that_reads_either_way_says_so(tmp_path: Path) -> None:
    """"Gdańsk" in Windows-1250 is "Gdañsk" in Windows-1252; both look like names."""
    table = read_table(csv(tmp_path, "name,country\nGdańsk,PL\n", "cp1250"))
    assert table.rows[0].cells[0] == "Gdańsk"
    (note,) = table.notes
    assert note.startswith("The file's encoding is not certain: it was read as Windows-1250 "
                           '(Central European) ("Gdańsk", which Windows-1252 would read as '
                           '"Gdañsk")')
    assert 'save the file from Excel as "CSV UTF-8"' in note


def test_text_no_code_page_reads_right_is_read_as_before_with_a_note(tmp_path: Path) -> None:
    """Bytes that read as letters of no language in any code page (and Windows-1252 can read):
    Windows-1252, as the earlier reader did, and a note that it is a guess."""
    table = read_table(csv(tmp_path, "name,code\nx,A¤B¦C\nZ,q¤¤\n", "cp1252"))
    assert table.encoding == "Windows-1252"
    assert table.rows[0].cells == ("x", "A¤B¦C")
    assert table.notes[0].startswith("The file's encoding could not be told: it was read as "
                                     "Windows-1252")


def test_capitals_that_look_like_utf8_are_still_one_code_page(tmp_path: Path) -> None:
    """"ÓŁ" in Windows-1250 is the bytes D3 A3, which UTF-8 would read as one character."""
    table = read_table(csv(tmp_path, "name,country\nZAŻÓŁĆ GĘŚLĄ JAŹŃ,PL\nŁÓDŹ,PL\n", "cp1250"))
    assert table.encoding == "Windows-1250"
    assert [r.cells[0] for r in table.rows] == ["ZAŻÓŁĆ GĘŚLĄ JAŹŃ", "ŁÓDŹ"]


def test_utf8_lines_mixed_with_windows_1250_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"name,country\n" + "Łódź,PL\n".encode() + "Gdańsk,PL\n".encode("cp1250")
                     + "Zażółć gęślą jaźń,PL\n".encode("cp1250"))
    table = read_table(path)
    assert table.encoding == "UTF-8 and Windows-1250 (line by line)"
    assert [r.cells[0] for r in table.rows] == ["Łódź", "Gdańsk", "Zażółć gęślą jaźń"]


def test_bytes_the_chosen_code_page_cannot_read_are_refused_by_line(tmp_path: Path) -> None:
    lines = POLISH.encode("cp1250") + b"Odd\x98,PL\n"  # 0x98 is no character in Windows-1250
    path = tmp_path / "odd.csv"
    path.write_bytes(lines)
    with pytest.raises(FileRefused, match=r"^odd\.csv line 6: neither UTF-8 nor Windows-1250"):
        read_table(path)


@pytest.mark.parametrize(("word", "wrong"), [
    ("Łódź", "£ódŸ"), ("Москва", "Ěîńęâŕ"), ("Düsseldorf", "Dьsseldorf"),
    ("Zażółć", "Za¿ó³æ"), ("Київ", "Êè¿â"), ("Łódź", "ĹÓdĹş"),
])
def test_mojibake_is_told_from_the_word(word: str, wrong: str) -> None:
    """The check behind the choice: a word read right scores, a garbled one counts as wrong."""
    assert charsets.plausibility(word)[1] == 0
    assert charsets.plausibility(wrong)[1] == 1
