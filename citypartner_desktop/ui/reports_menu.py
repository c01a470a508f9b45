"""The Reports menu and the "Report…" actions of the record pages.

A report is made in a background job (its own unit of work, progress and cancel) and written
atomically; then the app offers to open it. ReportLab and the services are imported only
when a report is made, never at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QProgressDialog

from citypartner_desktop.ui import workers
from citypartner_desktop.ui.error_report import explain_failure
from citypartner_desktop.ui.feature_host import Feature, FeatureHost, Needs, Place, Role

if TYPE_CHECKING:
    from citypartner_desktop.ui.context import AppContext
    from citypartner_desktop.ui.pages.record_page import RecordPage

OFFICE_KEY = "reports/office"
FOLDER_KEY = "folders/reports"
# report -> (menu text, the kind of record it is about; None: about a year or, for the
# reports in WHOLE_DATABASE, about the whole database)
REPORTS: dict[str, tuple[str, str | None]] = {
    "partnership": ("Partnership &dossier…", "partnership"),
    "city": ("&City profile…", "city"),
    "visit": ("&Visit briefing pack…", "city"),
    "evaluation": ("&Evaluation report…", "evaluation"),
    "portfolio": ("Annual &portfolio report…", None),
    "processing": ("&Record of processing…", None),
}
WHOLE_DATABASE = ("processing",)  # about neither a record nor a year
# The file name offered for a report about the whole database (the day is added).
FILE_NAMES = {"processing": "record-of-processing"}
# Actions on a selected record, per page.
PAGE_ACTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "partnership": (("Report…", "partnership"),),
    "city": (("Report…", "city"), ("Visit briefing…", "visit")),
    "evaluation": (("Report…", "evaluation"),),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("reports", text)


class ReportsMenu(Feature):
    report_done = Signal()  # a report job ended (made, failed or cancelled) and was handled

    def __init__(self, window: FeatureHost) -> None:
        super().__init__(window)
        self.ctx: AppContext | None = None
        self.job: workers.Job | None = None
        self.menu = window.menus.menu("reports")
        self.actions: dict[str, QAction] = {}
        for report, (text, _kind) in REPORTS.items():
            action = QAction(_tr(text), window)
            action.triggered.connect(lambda _c=False, r=report: self.request(r))
            self.actions[report] = action
        self.office_action = QAction(_tr("&Office name on reports…"), window)
        self.office_action.triggered.connect(self.edit_office)
        window.menus.add(Place.REPORTS, *self.actions.values(), needs=Needs.DATABASE)
        window.menus.add(Place.REPORTS_OPTIONS, self.office_action, needs=Needs.DATABASE,
                         role=Role.EDITOR)

    def attach(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.window.pages.when_built(self._add_record_actions)

    def _add_record_actions(self, page: RecordPage) -> None:
        for text, report in PAGE_ACTIONS.get(page.kind, ()):
            page.add_record_action(_tr(text), partial(self._report_on, report))

    def _report_on(self, report: str, record_id: str) -> None:
        self.choose_file(report, record_id=record_id)

    # -- asking what to report on ------------------------------------------------------------
    def request(self, report: str) -> None:
        kind = REPORTS[report][1]
        if report in WHOLE_DATABASE:
            self.choose_file(report)
            return
        if kind is None:
            year, ok = QInputDialog.getInt(self.window, _tr("Annual portfolio report"),
                                           _tr("Year:"), date.today().year, 1900, 2200)
            if ok:
                self.choose_file(report, year=year)
            return
        record_id = self._selected(kind) or self._pick(kind, report)
        if record_id:
            self.choose_file(report, record_id=record_id)

    def _selected(self, kind: str) -> str | None:
        page = self.window.current_page
        return page.selected_id() if page.kind == kind else None

    def _pick(self, kind: str, report: str) -> str | None:
        assert self.ctx is not None
        from citypartner_desktop.ui.dialogs.record_picker import RecordPicker

        title = REPORTS[report][0].replace("&", "").rstrip("…")
        picker = RecordPicker(self.ctx, kind, _tr(title), self.window)
        return picker.chosen_id() if picker.exec() else None

    def edit_office(self) -> None:
        assert self.ctx is not None
        current = str(self.ctx.settings.value(OFFICE_KEY, "") or "")
        text, ok = QInputDialog.getText(
            self.window, _tr("Office name on reports"),
            _tr("Name in the header of every report (empty: the home city's office):"),
            QLineEdit.EchoMode.Normal, current)
        if ok:
            self.ctx.settings.setValue(OFFICE_KEY, text.strip())

    def choose_file(self, report: str, *, record_id: str | None = None,
                    year: int | None = None) -> workers.Job | None:
        assert self.ctx is not None
        from citypartner_desktop.services import records

        prefix = FILE_NAMES.get(report, report)
        if record_id is not None:
            kind = REPORTS[report][1] or ""
            subject = records.label(self.ctx.db.uow(), kind, record_id)
        elif report in WHOLE_DATABASE:
            subject = date.today().isoformat()
        else:
            subject = str(year)
        name = re.sub(r"[^\w\-]+", "-", f"{prefix}-{subject}", flags=re.UNICODE).strip("-")
        folder = Path(str(self.ctx.settings.value(FOLDER_KEY, "") or Path.home()))
        path, _ = QFileDialog.getSaveFileName(self.window, _tr("Save report"),
                                              str(folder / f"{name}.pdf"), _tr("PDF (*.pdf)"))
        if not path:
            return None
        target = Path(path) if path.lower().endswith(".pdf") else Path(f"{path}.pdf")
        self.ctx.settings.setValue(FOLDER_KEY, str(target.parent))
        self.job = self.build(report, target, record_id=record_id, year=year).start()
        return self.job

    # -- making it -------------------------------------------------------------------------------
    def build(self, report: str, path: Path, *, record_id: str | None = None,
              year: int | None = None) -> workers.Job:
        """The job that makes the report in the background, with a progress dialog that can
        cancel it; connected, not started."""
        assert self.ctx is not None
        db = self.ctx.db
        office = str(self.ctx.settings.value(OFFICE_KEY, "") or "")
        progress = QProgressDialog(_tr("Making the report…"), _tr("Cancel"), 0, 0, self.window)
        progress.setWindowTitle(_tr("Report"))
        progress.setMinimumDuration(300)

        def work(report_progress: Callable[[int, int, str], None],
                 cancelled: Callable[[], bool]) -> Path:
            from citypartner_desktop.reports.make import ReportRequest, make_report

            return make_report(db.uow, ReportRequest(report, record_id, year), path,
                               office=office, progress=report_progress,
                               should_cancel=cancelled)

        job = workers.Job(work)

        def on_progress(done: int, total: int, what: str) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(min(done, total))
            progress.setLabelText(_tr(what))

        def on_failed(exc: BaseException, details: str) -> None:
            explain_failure(self.window, _tr("Report"),
                            _tr("The report could not be made: {0}"), exc, details)

        def on_finished() -> None:
            progress.close()
            self.report_done.emit()

        job.on_progress(on_progress).on_failure(on_failed).on_finished(on_finished)
        job.on_success(lambda result: self._offer_to_open(Path(result)))
        progress.canceled.connect(job.cancel)
        return job

    def _offer_to_open(self, path: Path) -> None:
        answer = QMessageBox.question(
            self.window, _tr("Report"), _tr("The report was saved as {0}. Open it now?")
            .format(path), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
