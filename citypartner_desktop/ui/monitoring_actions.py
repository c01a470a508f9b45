"""Monitoring in the main window: the dashboard page, click-through to records, the reminders
shown on start, the deadlines calendar export and the monitoring settings (File menu).

Kept out of main_window.py, which only asks for the dashboard page and shows it first; the
menu entries are registered through feature_host's contract. The services load when an
action runs: the window's frame, which builds this feature, appears before the data layer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.ui import workers
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.error_report import explain_failure
from citypartner_desktop.ui.feature_host import Feature, FeatureHost, Needs, Place, Role

if TYPE_CHECKING:
    from citypartner_desktop.services import reminders
    from citypartner_desktop.ui.dialogs.reminders_dialog import RemindersDialog
    from citypartner_desktop.ui.pages.dashboard_page import DashboardPage

SHOW_ON_START = "reminders/show_on_start"
FOLDER_KEY = "folders/calendar"


class MonitoringActions(Feature):
    """File ▸ Export deadlines to calendar… and Monitoring settings…, the dashboard's commands
    and the reminders window."""

    def __init__(self, window: FeatureHost) -> None:
        super().__init__(window)
        self.reminders_dialog: RemindersDialog | None = None
        self.export_action = QAction(window.tr("Export deadlines to calendar…"), window)
        self.export_action.triggered.connect(lambda: export_deadlines(window, window.ctx))
        self.settings_action = QAction(window.tr("Monitoring settings…"), window)
        self.settings_action.triggered.connect(lambda: edit_settings(window, window.ctx))
        window.menus.add(Place.FILE_DATA, self.export_action, needs=Needs.DATABASE)
        window.menus.add(Place.FILE_DATA, self.settings_action, needs=Needs.DATABASE,
                         role=Role.EDITOR)

    def attach(self, ctx: AppContext) -> None:
        if self.window.dashboard is not None:
            attach_monitoring(self.window, ctx, self.window.dashboard)

    def reminders_job(self, today: Callable[[], date] = date.today) -> workers.Job | None:
        """The job (connected, not started) that looks for what is due off the GUI thread
        and shows the reminders only when something is (so an empty or a test database never
        gets a window it did not ask for); None when the user turned them off."""
        from citypartner_desktop.services import reminders

        ctx = self.window.ctx
        if not ctx.settings.value(SHOW_ON_START, True, type=bool):
            return None
        day = today()
        uow = ctx.db.uow
        job = workers.Job(lambda _p, _c: reminders.due_reminders(uow(), day))
        return job.on_success(lambda due: self._show_reminders(ctx, due, day))

    def _show_reminders(self, ctx: AppContext, due: reminders.DueReminders,
                        today: date) -> RemindersDialog | None:
        window = self.window
        if not due.total or not shiboken6.isValid(window):  # closed while looking
            return None
        from citypartner_desktop.ui.dialogs.reminders_dialog import RemindersDialog

        dialog = RemindersDialog(ctx, due, today, window)
        dialog.open_record.connect(lambda kind, record_id: open_record(window, kind, record_id))
        self.reminders_dialog = dialog
        dialog.show()  # not exec(): the app stays usable beside it
        return dialog


def attach_monitoring(window: FeatureHost, ctx: AppContext, page: DashboardPage) -> None:
    """The database is fully open: the dashboard's entries open their records, and its
    buttons change them."""
    page.open_record.connect(lambda kind, record_id: open_record(window, kind, record_id))
    page.settings_button.clicked.connect(lambda: edit_settings(window, ctx))
    page.review_actions["reviewed"] = lambda pid: mark_reviewed(window, ctx, page, pid)
    page.review_actions["status"] = lambda pid: change_status(window, ctx, pid)
    page.enable_commands()


def open_record(window: FeatureHost, kind: str, record_id: str) -> None:
    """Show the record on its page, selected with its details; if it is not among the first
    rows of the page (a large database), open it in its editor instead."""
    page = window.pages.get(kind)
    if page is not None:
        window.show_page(kind)
        if page.select_record(record_id):
            return
    from citypartner_desktop.ui.dialogs.city_dialog import open_record_dialog

    try:
        open_record_dialog(window.ctx, kind, record_id, parent=window).exec()
    except CityPartnerError as exc:
        QMessageBox.warning(window, window.tr("Open"), str(exc))


def edit_settings(window: QWidget, ctx: AppContext) -> None:
    from citypartner_desktop.ui.dialogs.monitoring_settings import MonitoringSettingsDialog

    MonitoringSettingsDialog(ctx, window).exec()


def mark_reviewed(window: QWidget, ctx: AppContext, page: DashboardPage,
                  partnership_id: str) -> None:
    from citypartner_desktop.services import reminders
    from citypartner_desktop.ui.dialogs.reminders_dialog import ask_date

    today = page.today()
    until = ask_date(window, window.tr("Mark reviewed"),
                     window.tr("Do not flag it again before"),
                     today + timedelta(days=180), today + timedelta(days=1))
    if until is None:
        return
    try:
        reminders.mark_reviewed(ctx.db.uow(), partnership_id, until, today)
    except CityPartnerError as exc:
        QMessageBox.warning(window, window.tr("Mark reviewed"), str(exc))
        return
    ctx.notify("partnership", [partnership_id])


def change_status(window: QWidget, ctx: AppContext, partnership_id: str) -> None:
    """The user decides what a flagged partnership's status is; nothing changes otherwise."""
    from citypartner_desktop.services import records

    try:
        current = records.get(ctx.db.uow(), "partnership", partnership_id)
    except CityPartnerError as exc:
        QMessageBox.warning(window, window.tr("Change status"), str(exc))
        return
    labels = [window.tr(label) for _k, label in vocab.PARTNERSHIP_STATUSES]
    keys = [k for k, _l in vocab.PARTNERSHIP_STATUSES]
    now = keys.index(current.values["status"]) if current.values["status"] in keys else 0
    text, ok = QInputDialog.getItem(
        window, window.tr("Change status"),
        window.tr("Status of “{0}”:").format(current.values["title"]), labels, now, False)
    if not ok or keys[labels.index(text)] == current.values["status"]:
        return
    try:
        records.update(ctx.db.uow(), "partnership", partnership_id,
                       {"status": keys[labels.index(text)]}, expected_version=current.version)
    except CityPartnerError as exc:
        QMessageBox.warning(window, window.tr("Change status"), str(exc))
        return
    ctx.notify("partnership", [partnership_id])


def export_deadlines(window: QWidget, ctx: AppContext) -> None:
    """Ask where, then write the calendar file off the GUI thread."""
    folder = Path(str(ctx.settings.value(FOLDER_KEY, "") or Path.home()))
    name, _ = QFileDialog.getSaveFileName(
        window, window.tr("Export deadlines to calendar"), str(folder / "deadlines.ics"),
        window.tr("iCalendar files (*.ics)"))
    if name:
        ctx.settings.setValue(FOLDER_KEY, str(Path(name).parent))
        deadlines_job(window, ctx, Path(name), date.today()).start()


def deadlines_job(window: QWidget, ctx: AppContext, target: Path, today: date) -> workers.Job:
    """The job that writes the deadlines calendar to ``target``; connected, not started."""
    from citypartner_desktop.interop.deadlines_ics import export_deadlines as write

    uow = ctx.db.uow
    job = workers.Job(lambda _p, _c: write(uow(), target, today))
    job.on_success(lambda n: QMessageBox.information(
        window, window.tr("Export deadlines"),
        window.tr("Wrote {0} deadlines to {1}.\n\nImport the file into your calendar program, "
                  "or subscribe to it: exporting again to the same file updates the "
                  "events.").format(n, target)))
    return job.on_failure(lambda exc, details: explain_failure(
        window, window.tr("Export deadlines"), "{0}", exc, details))
