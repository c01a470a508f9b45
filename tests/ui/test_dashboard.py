"""The dashboard: loaded off the GUI thread, every entry opens its record; reminders on start."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from citypartner_desktop.services import records
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.main_window import MainWindow
from citypartner_desktop.ui.monitoring_actions import (
    SHOW_ON_START,
    attach_monitoring,
)
from citypartner_desktop.ui.pages.dashboard_page import DashboardPage
from tests.services.monitoring_data import TODAY, Office, build


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build(ctx.db)


@pytest.fixture
def board(window: MainWindow, ctx: AppContext, office: Office, qtbot: Any) -> DashboardPage:
    """The window's dashboard, reloaded as of the fixed day of the test data."""
    page = window.dashboard
    assert page is not None
    page.today = lambda: TODAY
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    return page


def _row_of(section: Any, text: str) -> int:
    for row in range(section.table.rowCount()):
        if section.table.item(row, 0).text() == text:
            return row
    raise AssertionError(f"{text!r} not in {section.base_title}")


def test_the_app_opens_on_the_dashboard_with_every_section(board: DashboardPage,
                                                           window: MainWindow) -> None:
    assert window.on_dashboard and window.stack.currentWidget() is board
    figures = {k: b.text().split("\n")[0] for k, b in board.figures.items()}
    assert figures == {"active": "3", "expiring": "1", "overdue": "1", "upcoming": "1",
                       "evaluations": "1", "review": "2"}
    assert board.expiring.table.item(0, 3).text() == "2026-10-31"  # decide by
    assert "notice period already running" in board.expiring.table.item(0, 4).text()
    assert board.row_color(board.actions_section, 0) == "#b71c1c"  # overdue: red
    assert window.count_label.text() == "Dashboard for 2026-11-28"


@pytest.mark.parametrize(("section", "text", "kind"), [
    ("expiring", "Cooperation programme 2024–2027", "agreement"),
    ("actions_section", "Send the youth camp invitation", "action"),
    ("evaluations", "Nürnberg – Kraków", "partnership"),
    ("review", "Friendship with Łódź", "partnership"),
    ("active", "Αθήνα cooperation", "partnership"),
])
def test_every_entry_opens_its_record(board: DashboardPage, window: MainWindow, qtbot: Any,
                                      section: str, text: str, kind: str) -> None:
    target = getattr(board, section)
    row = _row_of(target, text)
    record_kind, record_id = target.record_at(row)
    assert record_kind == kind
    target.table.setCurrentCell(row, 0)
    target.table.activated.emit(target.table.currentIndex())  # double-click / Enter
    assert not window.on_dashboard
    page = window.current_page
    assert page.kind == kind and page.selected_id() == record_id
    assert page.detail.record_id == record_id  # its details are shown


def test_a_figure_shows_the_records_behind_it(board: DashboardPage, qtbot: Any) -> None:
    qtbot.mouseClick(board.figures["overdue"], qtbot_left())
    assert board.actions_section.table.hasFocus() or board.actions_section.table.currentRow() == 0
    assert board.actions_section.table.currentRow() == 0


def qtbot_left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_dashboard_follows_changes(board: DashboardPage, ctx: AppContext, office: Office,
                                       qtbot: Any) -> None:
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        records.update(ctx.db.uow(), "action", office.overdue_action, {"done_date": "2026-11-28"})
        ctx.notify("action", [office.overdue_action])
    assert board.figures["overdue"].text().startswith("0\n")


def test_mark_reviewed_and_change_status_are_the_users_decision(
        board: DashboardPage, ctx: AppContext, office: Office, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from citypartner_desktop.ui import monitoring_actions
    from citypartner_desktop.ui.dialogs import reminders_dialog

    board.review.table.setCurrentCell(_row_of(board.review, "Friendship with Łódź"), 0)
    monkeypatch.setattr(reminders_dialog, "ask_date", lambda *_a: date(2027, 6, 1))
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.review_buttons["reviewed"].click()
    assert "Friendship with Łódź" not in [board.review.table.item(r, 0).text()
                                         for r in range(board.review.table.rowCount())]
    assert records.get(ctx.db.uow(), "partnership", office.quiet).values["status"] == "active"
    # Change status: the user picks "Dormant"; only then does it change.
    board.review.table.setCurrentCell(_row_of(board.review, "Αθήνα cooperation"), 0)
    monkeypatch.setattr(monitoring_actions.QInputDialog, "getItem",
                        lambda *_a: ("Dormant", True))
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.review_buttons["status"].click()
    assert records.get(ctx.db.uow(), "partnership", office.lapsed).values["status"] == "dormant"


def test_reminders_on_start_snooze_and_done(window: MainWindow, ctx: AppContext, office: Office,
                                            qtbot: Any) -> None:
    job = window.monitoring.reminders_job(lambda: TODAY)
    assert job is not None
    job.start()
    qtbot.waitUntil(lambda: window.monitoring.reminders_dialog is not None, timeout=10_000)
    dialog = window.monitoring.reminders_dialog
    assert not dialog.isModal() and dialog.isVisible()
    assert dialog.table.rowCount() == 3
    whats = [dialog.table.item(r, 2).text() for r in range(3)]
    dialog.table.selectRow(whats.index("Send the youth camp invitation"))
    dialog.done_button.click()
    assert records.get(ctx.db.uow(), "action", office.overdue_action).values["done_date"] == TODAY
    dialog.table.selectRow(0)
    dialog.ask_until = lambda: date(2026, 12, 5)
    dialog.snooze_button.click()
    assert dialog.table.rowCount() == 1
    # Open: the record's page, the record selected
    dialog.table.selectRow(0)
    kind, record_id = dialog.selected().record_kind, dialog.selected().record_id
    dialog.open_button.click()
    assert window.current_page.kind == kind and window.current_page.selected_id() == record_id


def test_no_reminders_window_when_nothing_is_due_or_when_turned_off(
        window: MainWindow, ctx: AppContext, office: Office, qtbot: Any) -> None:
    job = window.monitoring.reminders_job(lambda: date(2000, 1, 1))
    assert job is not None
    with qtbot.waitSignal(job.signals.succeeded, timeout=10_000) as looked:
        job.start()
    assert looked.args[0].total == 0
    qtbot.wait(50)
    assert window.monitoring.reminders_dialog is None
    ctx.settings.setValue(SHOW_ON_START, False)
    assert window.monitoring.reminders_job(lambda: TODAY) is None


def test_a_page_built_alone_loads_too(ctx: AppContext, office: Office, qtbot: Any) -> None:
    page = DashboardPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.charts_loaded, timeout=20_000):
        page.refresh()
    assert page.charts is not None and page.charts.years[-1] == 2026
    assert not page.settings_button.isEnabled()  # nothing wired it to a database that writes


def test_the_dashboard_buttons_that_write_wait_for_the_database(ctx: AppContext,
                                                                 qtbot: Any) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.dashboard
    assert page is not None
    assert page.settings_button.isEnabled()
    assert all(b.isEnabled() for b in page.review_buttons.values())
    fresh = DashboardPage(ctx)
    qtbot.addWidget(fresh)
    assert not any(b.isEnabled() for b in fresh.review_buttons.values())
    attach_monitoring(window, ctx, fresh)
    assert all(b.isEnabled() for b in fresh.review_buttons.values())


def test_the_first_figures_need_neither_qtcharts_nor_icalendar(tmp_path: Any) -> None:
    """Start-up speed: the dashboard paints its figures before QtCharts is imported (the
    charts follow), and the calendar library is loaded only for an export."""
    import os
    import subprocess
    import sys

    from citypartner_desktop.services.database import open_db

    database = open_db(tmp_path / "office.db")  # not new: no demo offered
    build(database)
    database.close()

    # What was loaded is noted the moment the figures are painted: the charts job, started
    # then, may well have drawn them (and imported QtCharts) before start_gui returns.
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from citypartner_desktop.ui.pages.dashboard_page import DashboardPage\n"
        "seen = []\n"
        "init = DashboardPage.__init__\n"
        "def noted(page, *args, **kwargs):\n"
        "    init(page, *args, **kwargs)\n"
        "    page.loaded.connect(lambda: seen.append((page.has_painted(),"
        " 'PySide6.QtCharts' in sys.modules, 'icalendar' in sys.modules)))\n"
        "DashboardPage.__init__ = noted\n"
        "from citypartner_desktop.ui.app import start_gui\n"
        f"ctx, window = start_gui(Path({str(tmp_path / 'office.db')!r}))\n"
        "started = time.time()\n"
        "while not seen and time.time() - started < 30:\n"
        "    app.processEvents()\n"
        "print(*seen[0])\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True False False"


def test_export_deadlines_from_the_menu(window: MainWindow, ctx: AppContext, office: Office,
                                        qtbot: Any, tmp_path: Any) -> None:
    from icalendar import Calendar

    from citypartner_desktop.ui.monitoring_actions import deadlines_job

    texts = [a.text() for a in window.menus.menu("file").actions()]
    assert "Export deadlines to calendar…" in texts and "Monitoring settings…" in texts
    target = tmp_path / "deadlines.ics"
    job = deadlines_job(window, ctx, target, TODAY)
    with qtbot.waitSignal(job.signals.finished, timeout=10_000):
        job.start()
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert any(f"action-{office.overdue_action}@" in str(e["UID"]) for e in events)


def test_monitoring_settings_dialog_saves(ctx: AppContext, qtbot: Any) -> None:
    from citypartner_desktop.services import monitoring
    from citypartner_desktop.ui.dialogs.monitoring_settings import MonitoringSettingsDialog

    dialog = MonitoringSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.boxes["dormant_after_months"].value() == 12
    dialog.boxes["dormant_after_months"].setValue(18)
    with qtbot.waitSignal(ctx.bus.changed):
        assert dialog.save()
    assert monitoring.load_settings(ctx.db.uow()).dormant_after_months == 18
