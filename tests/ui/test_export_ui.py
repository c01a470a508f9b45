"""Export list…: a page's list as shown (search and sort) to CSV or Excel, in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from citypartner_desktop.interop.tables import read_table
from citypartner_desktop.services import records
from citypartner_desktop.ui.main_window import MainWindow


@pytest.mark.parametrize(("suffix", "filter_text"), [
    (".csv", "CSV, as the page shows it (*.csv)"),
    ("", "Excel workbook, as the page shows it (*.xlsx)")])
def test_page_exports_what_it_shows(window: MainWindow, qtbot: Any, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch, suffix: str,
                                    filter_text: str) -> None:
    for name, country in (("Kraków", "PL"), ("Łódź", "PL"), ("Lviv", "UA"), ("Lodève", "FR")):
        records.create(window.ctx.db.uow(), "city", {"name": name, "country": country})
    window.show_page("city")
    page = window.current_page
    page.model.set_search("lod")
    page.model.sort(0, Qt.SortOrder.DescendingOrder)
    target = tmp_path / f"cities{suffix}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(target), filter_text))
    assert any(text == "Export list…" for text, _act in page.page_actions)
    with qtbot.waitSignal(window.interop.export_done, timeout=30_000):
        assert window.interop.export_page() is not None
    written = target if suffix else target.with_name("cities.xlsx")
    assert [r.cells[0] for r in read_table(written).rows] == ["Łódź", "Lodève"]


def test_contacts_page_exports_vcards(window: MainWindow, qtbot: Any, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    records.create(window.ctx.db.uow(), "contact", {"full_name": "Олена Шевченко",
                                                    "email": "olena@kyiv.example"})
    target = tmp_path / "people"
    offered: list[str] = []

    def ask(*args: Any, **_k: Any) -> tuple[str, str]:
        offered.append(args[3])
        return str(target), "vCard (*.vcf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    with qtbot.waitSignal(window.interop.export_done, timeout=30_000):
        assert window.interop.export_page("contact") is not None
    assert "vCard (*.vcf)" in offered[0] and "iCalendar" not in offered[0]
    text = (tmp_path / "people.vcf").read_bytes().decode("utf-8")
    assert "FN:Олена Шевченко\r\n" in text and "EMAIL:olena@kyiv.example\r\n" in text


@pytest.mark.parametrize(("filter_text", "first_header"), [
    ("CSV, every field (*.csv)", "ID"), ("Outlook contacts (*.csv)", "First Name"),
    ("Google Contacts (*.csv)", "First Name")])
def test_contacts_go_out_with_every_field_or_for_a_mail_program(
        window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        filter_text: str, first_header: str) -> None:
    records.create(window.ctx.db.uow(), "contact", {
        "full_name": "Anna Nowak", "given_name": "Anna", "family_name": "Nowak",
        "details": "email (work, preferred): anna@krakow.example\nphone (mobile): +48600100200"})
    target = tmp_path / "people"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(target), filter_text))
    with qtbot.waitSignal(window.interop.export_done, timeout=30_000):
        assert window.interop.export_page("contact") is not None
    table = read_table(tmp_path / "people.csv")
    assert table.headers[0] == first_header
    row = dict(zip(table.headers, table.rows[0].cells, strict=False))
    if first_header == "ID":
        assert "phone (mobile): +48600100200" in row["All e-mails, phones, addresses"]
    elif filter_text.startswith("Outlook"):
        assert (row["First Name"], row["Mobile Phone"]) == ("Anna", "+48600100200")
        assert row["E-mail Address"] == "anna@krakow.example"
    else:
        assert row["E-mail 1 - Value"] == "anna@krakow.example"
