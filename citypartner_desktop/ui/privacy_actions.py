"""A person's data from the contacts page: Edit ▸ Everything we hold about this person… (a PDF or
JSON for a subject access request) and Edit ▸ Erase this person… (administrators only on an
office server; the server enforces it too).

Both act on the contact selected on the contacts page and run in the background; the window
only registers this feature.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.ui import workers
from citypartner_desktop.ui.error_report import explain_failure
from citypartner_desktop.ui.feature_host import Feature, FeatureHost, Place, Role

FOLDER_KEY = "folders/subject_access"


class PrivacyActions(Feature):
    def __init__(self, window: FeatureHost) -> None:
        super().__init__(window)
        self.job: workers.Job | None = None
        self.export_action = QAction(window.tr("Everything we hold about this &person…"),
                                     window)
        self.export_action.setToolTip(window.tr(
            "Every field, link, file and change of the selected contact, as PDF or JSON "
            "(a subject access request)"))
        self.export_action.triggered.connect(self.export_selected)
        self.erase_action = QAction(window.tr("Era&se this person…"), window)
        self.erase_action.setToolTip(window.tr(
            "Remove the selected contact's personal data for good (a request for erasure)"))
        self.erase_action.triggered.connect(self.erase_selected)
        window.menus.add(Place.EDIT_TOOLS, self.export_action)
        window.menus.add(Place.EDIT_TOOLS, self.erase_action, role=Role.ADMINISTRATOR)
        self.page_switched()

    def page_switched(self) -> None:
        on_contacts = (not self._on_dashboard() and self._attached()
                       and self.window.current_page.kind == "contact")
        self.export_action.setEnabled(on_contacts)
        allowed = (not self._attached() or Role.of(self.window.ctx.db.access)
                   is Role.ADMINISTRATOR)
        self.erase_action.setEnabled(on_contacts and allowed)

    def _attached(self) -> bool:
        try:
            self.window.ctx.db  # noqa: B018  (raises until the database is attached and open)
        except (AssertionError, NotImplementedError, RuntimeError):
            return False
        return self.window.dashboard is not None

    def _on_dashboard(self) -> bool:
        return bool(getattr(self.window, "on_dashboard", True))

    def _selected(self) -> str | None:
        record_id = self.window.current_page.selected_id()
        if record_id is None:
            QMessageBox.information(self.window, self.window.tr("Personal data"),
                                    self.window.tr("Select a contact first."))
        return record_id

    # -- subject access -------------------------------------------------------------------
    def export_selected(self) -> workers.Job | None:
        contact_id = self._selected()
        if contact_id is None:
            return None
        settings = self.window.settings
        folder = str(settings.value(FOLDER_KEY, str(Path.home())))
        chosen, used = QFileDialog.getSaveFileName(
            self.window, self.window.tr("Everything we hold about this person"),
            str(Path(folder) / "subject-access.pdf"),
            self.window.tr("PDF document (*.pdf);;JSON data (*.json)"))
        if not chosen:
            return None
        target = Path(chosen)
        as_json = target.suffix.lower() == ".json" or (
            not target.suffix and "json" in used.lower())
        if not target.suffix:
            target = target.with_suffix(".json" if as_json else ".pdf")
        settings.setValue(FOLDER_KEY, str(target.parent))
        self.job = self.export_job(contact_id, target, as_json).start()
        return self.job

    def export_job(self, contact_id: str, target: Path, as_json: bool) -> workers.Job:
        """The export, built and connected but not started (a test waits for it first)."""
        uow = self.window.ctx.db.uow

        def work(_progress: object, _cancelled: object) -> Path:
            from citypartner_desktop.reports.subject_access import write_pdf
            from citypartner_desktop.services import subject_access

            access = subject_access.gather(uow(), contact_id)
            if as_json:
                return subject_access.write_json(access, target)
            return write_pdf(access, target)

        job = workers.Job(work, title=self.window.tr("Everything we hold"))
        job.on_success(lambda path: QMessageBox.information(
            self.window, self.window.tr("Personal data"),
            self.window.tr("Wrote {0}.").format(path)))
        job.on_failure(lambda exc, details: explain_failure(
            self.window, self.window.tr("Personal data"),
            self.window.tr("Nothing was written: {0}"), exc, details))
        return job

    # -- erasure --------------------------------------------------------------------------
    def erase_selected(self) -> workers.Job | None:
        from citypartner_desktop.services import erasure

        contact_id = self._selected()
        if contact_id is None:
            return None
        ctx = self.window.ctx
        try:
            erasure.check_may_erase(ctx.db)
            name = erasure.name_to_erase(ctx.db, contact_id)
        except CityPartnerError as exc:
            QMessageBox.warning(self.window, self.window.tr("Erase this person"), str(exc))
            return None
        dialog = EraseDialog(name, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        self.job = self.erase_job(contact_id, dialog.reason()).start()
        return self.job

    def erase_job(self, contact_id: str, reason: str) -> workers.Job:
        """The erasure, built and connected but not started."""
        from citypartner_desktop.services import erasure

        ctx = self.window.ctx
        db = ctx.db
        job = workers.Job(lambda _p, _c: erasure.erase(db, contact_id, reason or None),
                          title=self.window.tr("Erasing"))

        def done(result: erasure.ErasureResult) -> None:
            ctx.undo.clear()  # an undo step could put the erased values back
            ctx.notify("*")
            text = self.window.tr(
                "The person was erased: {0} history entries emptied, {1} files deleted, {2} "
                "mentions in other records replaced. The erasure register keeps the date, "
                "who and why.").format(result.history_rows, result.attachments,
                                       result.mentions)
            if result.file_problem is None:
                QMessageBox.information(self.window, self.window.tr("Erase this person"), text)
                return
            QMessageBox.warning(self.window, self.window.tr("Erase this person"), text + "\n\n"
                                + self.window.tr(
                "But {0}, so the file may still hold their old bytes. Close other programs "
                "using the database and run: citypartner privacy clear").format(
                    result.file_problem))

        job.on_success(done)
        job.on_failure(lambda exc, details: explain_failure(
            self.window, self.window.tr("Erase this person"),
            self.window.tr("Nothing was erased: {0}"), exc, details))
        return job


class EraseDialog(QDialog):
    """Says what erasing does and cannot undo, and asks why (kept in the register)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Erase this person"))
        layout = QVBoxLayout(self)
        text = QLabel(self.tr(
            "<b>Erase {0} for good?</b><br><br>Their name, e-mail, phone, notes and other "
            "fields are removed (the record stays as “Erased contact”, so partnerships and "
            "counts stay true); what their changes were is removed from the history; their "
            "files are deleted; mentions of their name, e-mail or phone in other records "
            "are replaced. No backup is made of them.<br><br>This cannot be undone. Older "
            "backups still hold them until the rotation removes those backups; restoring "
            "one erases them again.").format(name.replace("<", "&lt;")), self)
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addWidget(QLabel(self.tr("Why (kept in the erasure register):"), self))
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText(self.tr("e.g. request by letter of 3 March"))
        layout.addWidget(self.reason_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.erase_button = buttons.addButton(self.tr("Erase"),
                                              QDialogButtonBox.ButtonRole.DestructiveRole)
        self.erase_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.resize(520, self.sizeHint().height())

    def reason(self) -> str:
        return self.reason_edit.text().strip()
