"""GUI fixtures: an application context over a fresh database, with its own settings file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from citypartner_desktop.db.database import Database
from citypartner_desktop.ui.context import AppContext, ChangeBus
from citypartner_desktop.ui.main_window import MainWindow


@pytest.fixture
def ctx(db: Database, tmp_path: Path, qapp: object) -> Iterator[AppContext]:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    context = AppContext(db=db, bus=ChangeBus(), undo=QUndoStack(), settings=settings)
    yield context
    context.undo.clear()
    context.close_reader()


@pytest.fixture
def window(ctx: AppContext, qtbot: object) -> MainWindow:
    win = MainWindow(ctx)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.show()
    return win


@pytest.fixture
def answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Confirmation boxes answer Yes; the texts they showed are collected."""
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@pytest.fixture(autouse=True)
def _shared_gazetteer(gazetteer_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GUI tests share one built gazetteer instead of building it in every test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(gazetteer_cache))


@pytest.fixture(autouse=True)
def _no_blocking_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A modal box in an offscreen test would wait forever. Unless a test answers itself,
    questions get the cautious answer (Discard when closing a dialog at teardown, else No)
    and notices are just recorded."""
    shown: list[str] = []

    def question(_parent: object, _title: str, text: str,
                 buttons: object = None, *_a: object) -> QMessageBox.StandardButton:
        shown.append(text)
        if buttons is not None and int(buttons) & int(QMessageBox.StandardButton.Discard):  # type: ignore[call-overload]
            return QMessageBox.StandardButton.Discard
        return QMessageBox.StandardButton.No

    def notice(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", question)
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, notice)
    return shown
