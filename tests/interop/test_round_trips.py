"""Any text a person can type goes out to CSV and XLSX and comes back the same through the
importer's readers (hypothesis): formulas neutralised and restored, control characters as the
line breaks they mean, nothing else changed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citypartner_desktop.interop.cells import printable, restore
from citypartner_desktop.interop.export import csv_text
from citypartner_desktop.interop.tables import read_csv, read_xlsx
from citypartner_desktop.interop.xlsx_stream import write_xlsx_stream


@pytest.fixture(autouse=True)
def _gazetteer() -> None:
    """No database here: the interop conftest's gazetteer is not needed."""


# Any characters but surrogates (no file can hold them); a cell of whitespace only is blank.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda t: printable(t).strip() != "")
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _expected(text: str) -> str:
    """What a reader gives back: line breaks as people mean them, ends trimmed by the
    importer's reading of a cell."""
    return printable(text).replace("\r\n", "\n").replace("\r", "\n").strip()


@SETTINGS
@given(st.lists(TEXT, min_size=1, max_size=3))
def test_csv_round_trip(cells: list[str]) -> None:
    data = "".join(csv_text([f"c{i}" for i in range(len(cells))], iter([cells])))
    table = read_csv(data.encode("utf-8-sig"), "x.csv")
    back = [restore(str(c)) for c in table.rows[0].cells]
    assert [_expected(b) for b in back] == [_expected(c) for c in cells]


@SETTINGS
@given(st.lists(TEXT, min_size=1, max_size=3))
def test_xlsx_round_trip(cells: list[str]) -> None:
    handle = io.BytesIO()
    write_xlsx_stream(handle, [f"c{i}" for i in range(len(cells))], [cells], "Export")
    table = read_xlsx(handle.getvalue(), "x.xlsx")
    back = [str(c) for c in table.rows[0].cells]
    assert [_expected(b) for b in back] == [_expected(c) for c in cells]


def test_a_nul_in_a_note_does_not_stop_the_file_coming_back(tmp_path: Path) -> None:
    data = "".join(csv_text(["Notes"], iter([["line one\x00\x0bline two"]])))
    table = read_csv(data.encode("utf-8-sig"), "x.csv")
    assert table.rows[0].cells[0] == "line one\nline two"
