"""The Reports menu: a report made in the background, cancel, errors, and no ReportLab at
start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog

from citypartner_desktop.services import records
from citypartner_desktop.ui.main_window import MainWindow
from tests.reports.conftest import has, pdf_text


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(path), "PDF (*.pdf)"))


def test_menu_makes_a_report_and_offers_to_open_it(
        window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        answer_yes: list[str], opened: list[QUrl]) -> None:
    city = records.create(window.ctx.db.uow(), "city",
                          {"name": "Kyoto", "native_name": "京都市", "country": "JP"}).id
    target = tmp_path / "reports" / "kyoto.pdf"
    target.parent.mkdir()
    save_as(monkeypatch, target)
    window.show_page("city")
    window.current_page.model.refresh()
    window.current_page.table.selectRow(0)
    assert window.current_page.selected_id() == city
    with qtbot.waitSignal(window.reports.report_done, timeout=60_000):
        window.reports.actions["city"].trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=5_000)
    assert target.read_bytes().startswith(b"%PDF")
    assert has(pdf_text(target), "City profile") and has(pdf_text(target), "Kyoto")
    assert opened[0].toLocalFile() == str(target)
    assert "Open it now?" in answer_yes[0]
    assert list(target.parent.iterdir()) == [target]


def test_portfolio_asks_for_the_year(window: MainWindow, qtbot: Any, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch, opened: list[QUrl],
                                     _no_blocking_message_boxes: list[str]) -> None:
    monkeypatch.setattr(QInputDialog, "getInt", lambda *_a, **_k: (2024, True))
    target = tmp_path / "portfolio.pdf"
    save_as(monkeypatch, target)
    with qtbot.waitSignal(window.reports.report_done, timeout=60_000):
        window.reports.actions["portfolio"].trigger()
    qtbot.waitUntil(lambda: bool(_no_blocking_message_boxes), timeout=5_000)
    assert has(pdf_text(target), "Annual portfolio report · 2024")  # the year answered
    assert opened == []  # the question was answered No


def test_cancel_leaves_no_file(window: MainWindow, qtbot: Any, tmp_path: Path,
                               _no_blocking_message_boxes: list[str]) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    window.reports.ctx = window.ctx
    job = window.reports.build("portfolio", folder / "p.pdf", year=2025)
    job.cancel()
    with qtbot.waitSignal(job.signals.finished, timeout=60_000):
        job.start()
    assert list(folder.iterdir()) == []
    assert _no_blocking_message_boxes == []  # a cancel is no error


def test_an_error_is_shown(window: MainWindow, qtbot: Any, tmp_path: Path,
                           _no_blocking_message_boxes: list[str], opened: list[QUrl]) -> None:
    job = window.reports.build("portfolio", tmp_path / "missing" / "p.pdf", year=2025)
    with qtbot.waitSignal(job.signals.finished, timeout=60_000):
        job.start()
    qtbot.waitUntil(lambda: bool(_no_blocking_message_boxes), timeout=5_000)
    assert "The report could not be made" in _no_blocking_message_boxes[0]
    assert "does not exist" in _no_blocking_message_boxes[0]
    assert opened == []


def test_the_city_page_offers_both_reports_on_the_selection(window: MainWindow) -> None:
    texts = [text for text, _act in window.pages["city"].record_actions]
    assert texts == ["Report…", "Visit briefing…"]
    assert [t for t, _a in window.pages["partnership"].record_actions] == ["Report…"]
    assert [t for t, _a in window.pages["evaluation"].record_actions] == ["Report…"]


def test_startup_does_not_import_reportlab(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from citypartner_desktop.services.database import open_db

    db = tmp_path / "office.db"
    open_db(db).close()
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from citypartner_desktop.ui.app import make_context\n"
        "from citypartner_desktop.ui.main_window import MainWindow\n"
        f"ctx = make_context(Path({str(db)!r}))\n"
        "window = MainWindow(ctx)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "print(window.reports.menu.title(), 'reportlab' in sys.modules)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "&Reports False"


def test_without_a_selection_a_picker_finds_the_record(
        window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        opened: list[QUrl], _no_blocking_message_boxes: list[str]) -> None:
    from citypartner_desktop.ui.dialogs.record_picker import RecordPicker

    uow = window.ctx.db.uow
    partnership = records.create(uow(), "partnership", {
        "title": "Nürnberg–Kraków", "kind": "twinning", "status": "active"}).id
    records.create(uow(), "partnership", {"title": "Friendship with Kyoto",
                                          "kind": "friendship", "status": "active"})
    shown: list[list[str]] = []

    def pick(picker: RecordPicker) -> int:
        picker.search.setText("krakow")  # accents ignored, as in every search
        picker.refresh()
        shown.append([picker.results.item(i).text() for i in range(picker.results.count())])
        return 1

    monkeypatch.setattr(RecordPicker, "exec", pick)
    target = tmp_path / "dossier.pdf"
    save_as(monkeypatch, target)
    window.show_page("city")  # not the partnership page: nothing is selected there
    with qtbot.waitSignal(window.reports.report_done, timeout=60_000):
        window.reports.actions["partnership"].trigger()
    assert shown == [["Nürnberg–Kraków"]]
    assert records.label(uow(), "partnership", partnership) == "Nürnberg–Kraków"
    assert has(pdf_text(target), "Partnership dossier · Nürnberg–Kraków")
