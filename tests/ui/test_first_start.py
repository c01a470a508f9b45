"""First start: a new database, one click to a working demo office (in the background)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from citypartner_desktop.services.database import info
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.demo_loader import offer_demo
from citypartner_desktop.ui.main_window import MainWindow


def _click(label: str) -> Any:
    def exec_(box: QMessageBox) -> int:
        button = next(b for b in box.buttons() if b.text() == label)
        button.click()
        return 0

    return exec_


def test_one_click_loads_the_demo_office(window: MainWindow, ctx: AppContext, qtbot: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "exec", _click("Load demo data"))
    assert window.pages["partnership"].model.rowCount() == 0
    with qtbot.waitSignal(ctx.bus.changed, timeout=60_000):
        assert offer_demo(ctx, window, first_start=True)
    counts = info(ctx.db).counts
    for key in ("cities", "contacts", "partnerships", "agreements", "activities", "evaluations"):
        assert counts[key] > 0, key
    assert window.pages["partnership"].model.rowCount() == counts["partnerships"]


def test_start_empty_loads_nothing(window: MainWindow, ctx: AppContext,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "exec", _click("Start empty"))
    assert not offer_demo(ctx, window, first_start=True)
    assert info(ctx.db).counts["partnerships"] == 0


def test_demo_is_refused_on_a_database_with_data(window: MainWindow, ctx: AppContext,
                                                 _no_blocking_message_boxes: list[str]) -> None:
    from citypartner_desktop.services import records

    records.create(ctx.db.uow(), "partnership", {"title": "Ours", "kind": "friendship",
                                                 "status": "active"})
    assert not offer_demo(ctx, window, first_start=False)
    assert "empty database" in _no_blocking_message_boxes[-1]
