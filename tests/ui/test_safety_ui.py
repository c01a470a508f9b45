"""What the user sees of the safety features: backups, restore, history, deleted items, disk
full, damaged files at start, a second instance, risky places, the full check."""

from __future__ import annotations

import hashlib
import random
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import backups, records
from citypartner_desktop.services.database import open_db
from citypartner_desktop.ui.app import start_gui
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.dialogs.city_dialog import open_record_dialog
from citypartner_desktop.ui.dialogs.history_dialog import HistoryDialog
from citypartner_desktop.ui.dialogs.restore_dialog import RestoreDialog
from citypartner_desktop.ui.main_window import MainWindow
from tests.services.test_storage_errors import disk_full
from tests.ui.helpers import click_save, enter


def _city_names(db: Database) -> list[str]:
    return sorted(str(r.values[0]) for r in records.list_page(db.uow(), "city", ListQuery()))


def _wait_backup(qtbot: Any, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.safety.backup_job is None, timeout=10_000)


@pytest.mark.file_only
def test_back_up_now_writes_a_backup_and_says_where(window: MainWindow, ctx: AppContext,
                                                    qtbot: Any) -> None:
    records.create(ctx.db.uow(), "city", {"name": "Łódź", "country": "PL"})
    window.safety.backup_action.trigger()
    _wait_backup(qtbot, window)
    [entry] = backups.list_backups(ctx.db.path)
    assert entry.reason == "manual"
    assert backups.describe(entry.path).counts["cities"] == 1
    assert entry.path.name in window.statusBar().currentMessage()


@pytest.mark.file_only
def test_timer_backs_up_only_after_a_change(window: MainWindow, ctx: AppContext,
                                            qtbot: Any) -> None:
    assert window.safety.timer.isActive()
    assert window.safety.timer.interval() == 30 * 60_000
    records.create(ctx.db.uow(), "city", {"name": "Kraków", "country": "PL"})
    window.safety.timer.timeout.emit()  # the 30 minutes, without waiting for them
    _wait_backup(qtbot, window)
    assert [e.reason for e in backups.list_backups(ctx.db.path)] == ["auto"]
    window.safety.timer.timeout.emit()
    _wait_backup(qtbot, window)
    assert len(backups.list_backups(ctx.db.path)) == 1  # nothing changed since


@pytest.mark.file_only
def test_timer_interval_is_a_setting(ctx: AppContext, qtbot: Any) -> None:
    ctx.settings.setValue("backups/interval_minutes", 5)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.safety.timer.interval() == 5 * 60_000


@pytest.mark.file_only
def test_restore_dialog_lists_backups_and_restoring_one_replaces_the_data(
        window: MainWindow, ctx: AppContext, qtbot: Any, answer_yes: list[str]) -> None:
    records.create(ctx.db.uow(), "city", {"name": "Łódź", "country": "PL"})
    backups.backup_now(ctx.db.path)
    records.create(ctx.db.uow(), "city", {"name": "Wrocław", "country": "PL"})
    window.show_page("city")
    dialog = RestoreDialog(ctx.db.path, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    row = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert row[1] == "Backed up by hand" and row[2] == "1 cities" and row[4] == "good"
    assert dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert answer_yes and "backed up first" in answer_yes[0]
    assert dialog.chosen is not None
    assert window.safety.restore(dialog.chosen)
    assert _city_names(ctx.db) == ["Łódź"]
    assert window.pages["city"].model.rowCount() == 1
    assert ctx.undo.count() == 0
    safety_copy = [e for e in backups.list_backups(ctx.db.path) if e.reason == "before-restore"]
    assert safety_copy and backups.describe(safety_copy[0].path).counts["cities"] == 2
    records.create(ctx.db.uow(), "city", {"name": "Toruń", "country": "PL"})  # still writable


@pytest.mark.file_only
def test_restore_of_a_bad_file_says_why_and_keeps_the_data(
        window: MainWindow, ctx: AppContext, tmp_path: Path,
        _no_blocking_message_boxes: list[str]) -> None:
    records.create(ctx.db.uow(), "city", {"name": "Łódź", "country": "PL"})
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"nonsense")
    assert not window.safety.restore(bad)
    assert "cannot be restored" in _no_blocking_message_boxes[-1]
    assert _city_names(ctx.db) == ["Łódź"]


def test_history_is_reachable_with_ctrl_h(window: MainWindow, ctx: AppContext,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    city = records.create(ctx.db.uow(), "city", {"name": "Lodz", "country": "PL"}).id
    records.update(ctx.db.uow(), "city", city, {"name": "Łódź"})
    window.show_page("city")
    page = window.pages["city"]
    page.model.refresh()
    page.table.selectRow(0)
    shown: list[HistoryDialog] = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append(self) or 0)
    assert window.safety.history_action.shortcut().toString() == "Ctrl+H"
    window.safety.history_action.trigger()
    [dialog] = shown
    assert "Łódź" in dialog.windowTitle()
    first = [dialog.table.item(0, c).text() for c in range(5)]
    assert first[1:] == [ctx.db.actor.user, "Name", "Lodz", "Łódź"]  # a server: its user
    last = dialog.table.rowCount() - 1
    assert dialog.table.item(last, 4).text() == "created"


def test_deleted_items_view_restores_a_deleted_record(window: MainWindow, ctx: AppContext,
                                                      answer_yes: list[str]) -> None:
    records.create(ctx.db.uow(), "city", {"name": "Łódź", "country": "PL"})
    window.show_page("city")
    page = window.pages["city"]
    page.model.refresh()
    page.table.selectRow(0)
    page.delete_selected()
    assert _city_names(ctx.db) == []
    window.safety.deleted_action.trigger()  # View ▸ Deleted items
    assert page.show_deleted.isChecked() and page.restore_button.isVisible()
    assert page.model.rowCount() == 1
    page.table.selectRow(0)
    page.restore_selected()
    assert _city_names(ctx.db) == ["Łódź"]
    page.show_deleted.setChecked(False)
    assert not window.safety.deleted_action.isChecked()  # the menu follows the page


@pytest.mark.file_only
def test_disk_full_while_saving_shows_a_message_and_the_save_works_later(
        window: MainWindow, ctx: AppContext, qtbot: Any,
        _no_blocking_message_boxes: list[str]) -> None:
    records.create(ctx.db.uow(), "city", {"name": "Łódź", "country": "PL"})
    dialog = open_record_dialog(ctx, "programme", parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    enter(qtbot, dialog, "name", "Eurocities")
    enter(qtbot, dialog, "kind", "network")
    dialog.editors["notes"].set_value("Netzwerk " * 2000)  # pasted, not typed key by key
    with disk_full(ctx.db):
        click_save(qtbot, dialog)
        assert "disk is full" in _no_blocking_message_boxes[-1]
        assert dialog.isVisible() and dialog.saved is None  # the typed input is still there
        assert _city_names(ctx.db) == ["Łódź"]
    click_save(qtbot, dialog)
    assert dialog.saved is not None
    assert records.get(ctx.db.uow(), "programme", dialog.saved.id).values["name"] == "Eurocities"


def _damaged_with_backup(folder: Path) -> Path:
    path = folder / "office.db"
    db = open_db(path)
    for i in range(150):
        records.create(db.uow(), "city", {"name": f"Stadt {i}", "country": "DE",
                                          "notes": "Partnerschaft " * 60})
    backups.backup_now(path)
    db.close()
    # Garbage over the schema (page 1 after the file header), so the damage is found before
    # opening whatever the layout of the rows; damage among the rows is found later by the
    # background check (test_damage_found_by_the_background_check…).
    data = bytearray(path.read_bytes())
    data[100:4096] = random.Random(6).randbytes(3996)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.file_only
def test_start_on_a_damaged_file_offers_the_newest_backup_and_restores_it(
        tmp_path: Path, qapp: QApplication, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        _no_blocking_message_boxes: list[str]) -> None:
    path = _damaged_with_backup(tmp_path)
    damaged = hashlib.sha256(path.read_bytes()).hexdigest()
    offered: list[str] = []

    def exec_(box: QMessageBox) -> int:
        offered.append(f"{box.text()}\n{box.informativeText()}")
        next(b for b in box.buttons() if b.text() == "Restore backup").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    started = start_gui(path)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    try:
        assert "is damaged" in offered[0] and "150 cities" in offered[0]
        assert "recovery" in offered[0]
        assert "was restored" in _no_blocking_message_boxes[-1]
        assert records.count(ctx.db.uow(), "city", ListQuery()) == 150
        [moved] = (tmp_path / "recovery").iterdir()
        assert hashlib.sha256((moved / "office.db").read_bytes()).hexdigest() == damaged
    finally:
        ctx.db.close()


@pytest.mark.file_only
def test_start_on_an_emptied_file_offers_the_newest_backup(
        tmp_path: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    """An emptied file (a failed copy, a sync client) is never made a new office: it is
    refused like a damaged one, with its newest good backup offered."""
    path = tmp_path / "office.db"
    open_db(path).close()
    backups.backup_now(path)
    path.write_bytes(b"")
    offered: list[str] = []

    def decline(box: QMessageBox) -> int:
        offered.append(f"{box.text()}\n{box.informativeText()}")
        next(b for b in box.buttons() if b.text() == "Quit").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", decline)
    assert start_gui(path) is None
    assert "empty (0 bytes)" in offered[0] and "newest good backup" in offered[0]
    assert path.read_bytes() == b""


@pytest.mark.file_only
def test_start_on_a_damaged_file_declined_leaves_it_untouched(
        tmp_path: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _damaged_with_backup(tmp_path)
    before = path.read_bytes()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: next(
        b for b in box.buttons() if b.text() == "Quit").click() or 0)
    assert start_gui(path) is None
    assert path.read_bytes() == before
    assert not (tmp_path / "recovery").exists()
    from citypartner_desktop.services.safety import take_lock

    take_lock(path).release()


def _corrupt_city_pages(path: Path) -> None:
    """Damage only the cities table: the file opens, its schema reads, quick_check fails."""
    import sqlite3

    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cities'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start: start + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))


@pytest.mark.file_only
def test_a_current_database_shows_at_once_and_is_checked_off_the_gui_thread(
        tmp_path: Path, qapp: QApplication, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from citypartner_desktop.domain.errors import DatabaseError
    from citypartner_desktop.services import safety

    path = tmp_path / "office.db"
    db = open_db(path)
    records.create(db.uow(), "city", {"name": "Łódź", "country": "PL"})
    db.close()
    on_main_thread: list[bool] = []
    real = safety.quick_check

    def recorded(p: Path) -> None:
        on_main_thread.append(threading.current_thread() is threading.main_thread())
        real(p)

    monkeypatch.setattr(safety, "quick_check", recorded)
    started = start_gui(path)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    try:
        # The data is there before the check has finished; saving waits for it.
        assert ctx.db.read_only
        window.show_page("city")
        shown = window.current_page.model
        assert [shown.data(shown.index(r, 0)) for r in range(shown.rowCount())] == ["Łódź"]
        assert ctx.db.read_only  # shown while the check still runs
        assert _city_names(ctx.db) == ["Łódź"]
        with pytest.raises(DatabaseError, match="still being checked"):
            records.create(ctx.db.uow(), "city", {"name": "Kraków", "country": "PL"})
        qtbot.waitUntil(lambda: not ctx.db.read_only, timeout=10_000)
        assert on_main_thread == [False]
        records.create(ctx.db.uow(), "city", {"name": "Kraków", "country": "PL"})
        assert _city_names(ctx.db) == ["Kraków", "Łódź"]
    finally:
        ctx.db.close()


@pytest.mark.file_only
def test_damage_found_by_the_background_check_offers_the_backup(
        tmp_path: Path, qapp: QApplication, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        _no_blocking_message_boxes: list[str]) -> None:
    path = tmp_path / "office.db"
    db = open_db(path)
    for i in range(30):
        records.create(db.uow(), "city", {"name": f"Stadt {i}", "country": "DE"})
    backups.backup_now(path)
    db.close()
    _corrupt_city_pages(path)
    damaged = hashlib.sha256(path.read_bytes()).hexdigest()
    offered: list[str] = []

    def exec_(box: QMessageBox) -> int:
        offered.append(f"{box.text()}\n{box.informativeText()}")
        next(b for b in box.buttons() if b.text() == "Restore backup").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    started = start_gui(path)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: bool(offered) and not ctx.db.read_only, timeout=10_000)
        assert "SQLite's check found" in offered[0] and "30 cities" in offered[0]
        assert records.count(ctx.db.uow(), "city", ListQuery()) == 30
        [moved] = (tmp_path / "recovery").iterdir()
        assert hashlib.sha256((moved / "office.db").read_bytes()).hexdigest() == damaged
    finally:
        ctx.db.close()


@pytest.mark.file_only
def test_damage_found_in_the_background_declined_stays_read_only_and_unchanged(
        tmp_path: Path, qapp: QApplication, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        _no_blocking_message_boxes: list[str]) -> None:
    path = tmp_path / "office.db"
    db = open_db(path)
    records.create(db.uow(), "city", {"name": "Łódź", "country": "PL"})
    backups.backup_now(path)
    db.close()
    _corrupt_city_pages(path)
    before = path.read_bytes()
    asked: list[str] = []

    def exec_(box: QMessageBox) -> int:
        asked.append(box.informativeText())
        next(b for b in box.buttons() if b.text() == "Not now").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    started = start_gui(path)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
        assert "stays open read-only" in asked[0]
        assert ctx.db.read_only
    finally:
        ctx.db.close()
    assert path.read_bytes() == before
    assert not (tmp_path / "recovery").exists()


@pytest.mark.file_only
def test_second_instance_is_refused_with_a_message_naming_the_holder(
        tmp_path: Path, qapp: QApplication, _no_blocking_message_boxes: list[str]) -> None:
    import os

    path = tmp_path / "office.db"
    first = open_db(path)
    try:
        assert start_gui(path) is None
        assert "already open" in _no_blocking_message_boxes[-1]
        assert f"process {os.getpid()}" in _no_blocking_message_boxes[-1]
    finally:
        first.close()


@pytest.mark.file_only
def test_risky_place_is_warned_about_once_per_database(
        tmp_path: Path, qapp: QApplication, qtbot: Any,
        _no_blocking_message_boxes: list[str]) -> None:
    path = tmp_path / "Dropbox" / "office.db"
    path.parent.mkdir()
    open_db(path).close()
    for _ in range(2):
        started = start_gui(path)
        assert started is not None
        qtbot.addWidget(started[1])
        started[1].close()
        started[0].db.close()
    warnings = [m for m in _no_blocking_message_boxes if "Dropbox" in m]
    assert len(warnings) == 1
    assert "local disk" in warnings[0]


@pytest.mark.file_only
def test_check_database_reports_good_order(window: MainWindow, qtbot: Any,
                                           _no_blocking_message_boxes: list[str]) -> None:
    window.safety.check_action.trigger()
    qtbot.waitUntil(lambda: any("good order" in m for m in _no_blocking_message_boxes),
                    timeout=10_000)


@pytest.mark.file_only
def test_start_after_a_crash_takes_over_the_stale_lock_and_says_so(
        tmp_path: Path, qapp: QApplication, qtbot: Any) -> None:
    import json
    import socket
    import subprocess
    import sys

    from citypartner_desktop.paths import lock_path_for

    path = tmp_path / "office.db"
    open_db(path).close()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    lock_path_for(path).write_text(json.dumps({
        "host": socket.gethostname(), "pid": int(dead.stdout), "user": "anna",
        "since": "2026-11-27T09:00:00+00:00"}), encoding="utf-8")
    started = start_gui(path)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    try:
        assert "not closed properly" in window.statusBar().currentMessage()
        assert "anna" in window.statusBar().currentMessage()
    finally:
        ctx.db.close()
