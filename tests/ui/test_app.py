"""Starting the application the way `citypartner` does, on a database that does not exist yet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from citypartner_desktop.ui.app import run_gui
from citypartner_desktop.ui.main_window import MainWindow


def test_gui_creates_the_database_and_offers_the_demo(tmp_path: Path, qapp: QApplication,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    offered: list[str] = []

    def exec_(box: QMessageBox) -> int:
        offered.append(box.text())
        next(b for b in box.buttons() if b.text() == "Start empty").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    seen: list[Any] = []

    def look_and_quit() -> None:
        seen.extend(w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)
                    and w.isVisible())
        for window in seen:
            window.close()
        qapp.quit()

    QTimer.singleShot(300, look_and_quit)
    db = tmp_path / "first" / "office.db"
    assert run_gui(db) == 0
    assert db.exists()
    assert seen and seen[0].windowTitle() == "CityPartner – office.db"
    assert offered and "empty" in offered[0]


def test_gui_refuses_a_newer_database_with_a_message(tmp_path: Path, qapp: QApplication,
                                                     _no_blocking_message_boxes: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from citypartner_desktop.services.database import open_db

    db = tmp_path / "future.db"
    open_db(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    conn.close()
    before = db.read_bytes()
    assert run_gui(db) == 1
    assert "newer version" in _no_blocking_message_boxes[-1]
    assert db.read_bytes() == before
