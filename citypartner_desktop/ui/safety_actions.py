"""The "nothing is ever lost" actions of the main window: File ▸ Back up now, Restore…, Check
database; Edit ▸ History…; View ▸ Deleted items; and the timer that backs up every 30 minutes
of use when something changed. Kept out of main_window.py, which only places them.

Nothing here imports the data layer until an action runs (the frame must appear at once)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.ui import workers
from citypartner_desktop.ui.error_report import explain_failure
from citypartner_desktop.ui.feature_host import Feature, FeatureHost, Needs, Place
from citypartner_desktop.ui.shortcuts import set_shortcut

if TYPE_CHECKING:
    from citypartner_desktop.ui.context import AppContext

MINUTE_MS = 60_000


class SafetyActions(Feature):
    def __init__(self, window: FeatureHost) -> None:
        super().__init__(window)
        self.backup_action = self._action(self.tr("&Back up now"), self.backup_now, "Ctrl+Shift+B")
        self.restore_action = self._action(self.tr("&Restore from backup…"), self.open_restore)
        self.check_action = self._action(self.tr("&Check database"), self.check_database)
        self.history_action = self._action(self.tr("&History…"), self.show_history, "Ctrl+H")
        self.deleted_action = self._action(self.tr("&Deleted items"), self.toggle_deleted,
                                           "Ctrl+Shift+D")
        self.deleted_action.setCheckable(True)
        window.menus.add(Place.FILE_SAFETY, self.backup_action, self.restore_action,
                         self.check_action, needs=Needs.DATABASE)
        window.menus.add(Place.EDIT_FIND, self.history_action, needs=Needs.RECORD_PAGE)
        window.menus.add(Place.VIEW_OPTIONS, self.deleted_action, needs=Needs.RECORD_PAGE)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.auto_backup)
        self.backup_job: workers.Job | None = None
        self.last_backup: Path | None = None

    def _action(self, text: str, slot: Any, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            set_shortcut(action, shortcut)
        action.triggered.connect(slot)
        return action

    # -- when the database is attached -------------------------------------------------------
    def attach(self, ctx: AppContext) -> None:
        from citypartner_desktop.services.backups import DEFAULT_INTERVAL_MINUTES

        minutes = self.window.settings.value("backups/interval_minutes", DEFAULT_INTERVAL_MINUTES)
        try:
            interval = max(1, int(str(minutes)))
        except ValueError:
            interval = DEFAULT_INTERVAL_MINUTES
        self.timer.start(interval * MINUTE_MS)  # runs only while the app is in use
        self.page_switched()

    def page_switched(self) -> None:
        if self.window.pages:
            self.deleted_action.setChecked(self.window.current_page.show_deleted.isChecked())

    def stop(self) -> None:
        self.timer.stop()

    # -- backups -----------------------------------------------------------------------------
    def _run_backup(self, work: Any, done_text: str) -> bool:
        """Start a backup unless one is running; say whether it was started."""
        if self.backup_job is not None:
            return False  # one backup at a time
        job = workers.Job(lambda _p, _c: work())

        def succeeded(path: Path | None) -> None:
            if path is not None:
                self.last_backup = path
                self.window.statusBar().showMessage(done_text.format(path), 10_000)

        def failed(exc: BaseException, details: str) -> None:
            explain_failure(self.window, self.tr("Backup"), "{0}", exc, details)

        job.on_success(succeeded).on_failure(failed).on_finished(self._backup_finished)
        self.backup_job = job.start()
        return True

    def _backup_finished(self) -> None:
        self.backup_job = None

    def backup_now(self) -> bool:
        from citypartner_desktop.services.backups import backup_now

        db = self.window.ctx.db
        if db.is_server:
            return self.archive_server()
        if db.passphrase is not None:
            QMessageBox.information(self.window, self.tr("Back up now"), self.tr(
                "An encrypted visit pack is backed up by copying its file when the app is "
                "closed; the copy stays encrypted. Its records go home with File ▸ Merge visit "
                "pack… in the office."))
            return False
        path = db.path
        return self._run_backup(lambda: backup_now(path), self.tr("Backed up to {0}"))

    def archive_server(self, target: Path | None = None) -> bool:
        """On an office server, Back up now writes the JSON archive of all its data to a file
        the user picks (the server itself is backed up by IT, with pg_dump)."""
        from datetime import date

        from PySide6.QtWidgets import QFileDialog

        from citypartner_desktop.interop.archive import export_archive

        db = self.window.ctx.db
        if target is None:
            folder = str(self.window.settings.value("folders/save", str(Path.home())))
            name = f"citypartner-{db.name}-{date.today():%Y-%m-%d}.json"
            chosen, _ = QFileDialog.getSaveFileName(
                self.window, self.tr("Save an archive of the office database"),
                str(Path(folder) / name), self.tr("CityPartner archive (*.json)"))
            if not chosen:
                return False
            target = Path(chosen)

        def work() -> Path:
            export_archive(db, target)
            return target

        return self._run_backup(work, self.tr("Archive of the office database saved to {0}"))

    def auto_backup(self) -> bool:
        """The timer's tick: a backup only if something changed since the newest one (a
        file's: IT backs up an office server)."""
        from citypartner_desktop.services.backups import backup_if_changed

        db = self.window.ctx.db
        if db.is_server or db.passphrase is not None:
            return False  # IT backs up a server; an encrypted pack is copied whole, closed
        return self._run_backup(lambda: backup_if_changed(db),
                                self.tr("Automatic backup: {0}"))

    def open_restore(self) -> None:
        from citypartner_desktop.ui.dialogs.restore_dialog import RestoreDialog

        if self.window.ctx.db.is_server:
            QMessageBox.information(self.window, self.tr("Restore"), self.tr(
                "{0} is an office server: it is restored by IT from the server's own backups "
                "(pg_dump; see the README). An archive saved with Back up now can be loaded "
                "into an empty office database with: citypartner import all FILE --db "
                "ADDRESS").format(self.window.ctx.where))
            return
        dialog = RestoreDialog(self.window.ctx.db.path, self.window)
        if dialog.exec() and dialog.chosen is not None:
            self.restore(dialog.chosen)

    def restore(self, backup: Path) -> bool:
        """Close the database, restore (after a safety copy), open it again and refresh."""
        from citypartner_desktop.services import backups
        from citypartner_desktop.services.database import open_db

        ctx = self.window.ctx
        path = ctx.db.path
        ctx.close_db()  # the reader too: an open file cannot be replaced on Windows
        try:
            result = workers.run_and_wait(lambda: backups.restore(path, backup, ctx.db.actor))
            message = self.tr("Restored {0}.").format(backup.name)
            if result.safety_copy:
                message += " " + self.tr("The data as it was before is in {0}.").format(
                    result.safety_copy.name)
            if result.erased_again:
                message += " " + self.tr(
                    "%n person(s) erased since the backup was taken were erased again.", "",
                    result.erased_again)
        except CityPartnerError as exc:
            result, message = None, str(exc)
        try:
            ctx.db = open_db(path, ctx.db.actor)
        except CityPartnerError as exc:
            QMessageBox.critical(self.window, self.tr("Restore"), f"{message}\n\n{exc}")
            return False
        ctx.undo.clear()  # the undo steps belong to the data that was replaced
        ctx.notify("*")
        if result is None:
            QMessageBox.warning(self.window, self.tr("Restore"), message)
            return False
        QMessageBox.information(self.window, self.tr("Restore"), message)
        return True

    def check_database(self) -> None:
        from citypartner_desktop.services.safety import full_check

        db = self.window.ctx.db
        if db.is_server:
            self._check_server()
            return
        if db.passphrase is not None:
            self._check_encrypted()
            return
        path = db.path
        job = workers.Job(lambda _p, _c: full_check(path))
        self.window.statusBar().showMessage(self.tr("Checking the database…"))

        def done(report: Any) -> None:
            self.window.statusBar().clearMessage()
            if report.ok:
                QMessageBox.information(self.window, self.tr("Check database"), self.tr(
                    "{0} is in good order (integrity and references checked).").format(
                        path.name))
            else:
                QMessageBox.critical(self.window, self.tr("Check database"), self.tr(
                    "{0} is damaged:\n{1}\n\nUse File ▸ Restore from backup… to go back to a "
                    "good backup.").format(path.name, "\n".join(report.problems)))

        job.on_success(done).on_failure(lambda exc, details: explain_failure(
            self.window, self.tr("Check database"), "{0}", exc, details))
        job.start()

    def _check_server(self) -> None:
        from citypartner_desktop.services.database import info

        db = self.window.ctx.db
        job = workers.Job(lambda _p, _c: info(db))

        def done(facts: Any) -> None:
            QMessageBox.information(self.window, self.tr("Check database"), self.tr(
                "{0} answers, and its CityPartner schema is current ({1}). An office server "
                "checks its own pages as it reads them; a full check of its files is IT's "
                "work (pg_amcheck).").format(self.window.ctx.where, facts.schema_revision))

        job.on_success(done).on_failure(lambda exc, details: explain_failure(
            self.window, self.tr("Check database"), "{0}", exc, details))
        job.start()

    def _check_encrypted(self) -> None:
        """An encrypted visit pack: SQLCipher's own check (every page's authentication code)
        and SQLite's quick check, both through its key."""
        db = self.window.ctx.db

        def work(_p: Any, _c: Any) -> str:
            return db.health()

        def done(health: str) -> None:
            if health == "ok":
                QMessageBox.information(self.window, self.tr("Check database"), self.tr(
                    "{0} is in good order.").format(db.path.name))
            else:
                QMessageBox.critical(self.window, self.tr("Check database"), self.tr(
                    "{0} is damaged:\n{1}").format(db.path.name, health))

        job = workers.Job(work)
        job.on_success(done).on_failure(lambda exc, details: explain_failure(
            self.window, self.tr("Check database"), "{0}", exc, details))
        job.start()

    # -- records -----------------------------------------------------------------------------
    def show_history(self) -> None:
        self.window.current_page.show_history()

    def toggle_deleted(self, checked: bool) -> None:
        self.window.current_page.show_deleted.setChecked(checked)
