"""Reports ▸ Record of processing: asks only for a file, makes the report in the background."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog

from citypartner_desktop.services import records
from citypartner_desktop.ui.main_window import MainWindow
from tests.reports.conftest import has, pdf_text


def test_the_menu_makes_the_record_of_processing(
        window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        _no_blocking_message_boxes: list[str]) -> None:
    uow = window.ctx.db.uow
    city = records.create(uow(), "city", {"name": "Kyoto", "native_name": "京都市",
                                          "country": "JP"}).id
    records.create(uow(), "contact", {"full_name": "田中 由美", "city_id": city,
                                      "legal_basis": "consent"})
    offered: list[str] = []
    target = tmp_path / "record.pdf"

    def save_as(_parent: object, _caption: str, suggested: str, _filter: str
                ) -> tuple[str, str]:
        offered.append(suggested)
        return str(target), "PDF (*.pdf)"

    def no_question(*_a: object, **_k: object) -> tuple[int, bool]:
        raise AssertionError("the record of processing asks for neither a year nor a record")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    monkeypatch.setattr(QInputDialog, "getInt", no_question)
    action = window.reports.actions["processing"]
    assert action.text() == "&Record of processing…"
    assert action in window.reports.menu.actions()
    with qtbot.waitSignal(window.reports.report_done, timeout=60_000):
        action.trigger()
    qtbot.waitUntil(lambda: bool(_no_blocking_message_boxes), timeout=5_000)
    assert Path(offered[0]).name == f"record-of-processing-{date.today().isoformat()}.pdf"
    content = pdf_text(target)
    assert has(content, "Record of processing activities")
    assert has(content, "Consent1")  # the one contact's legal basis, counted
    assert "Open it now?" in _no_blocking_message_boxes[0]  # answered No
