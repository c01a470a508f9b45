"""File ▸ Import…, File ▸ Export list…, "Export list…" in every table page's context menu,
and Edit ▸ Find duplicates….
Kept out of main_window.py, which only creates this helper; nothing of the import or export
machinery (openpyxl, the services) loads until an action runs."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from citypartner_desktop.ui import workers
from citypartner_desktop.ui.error_report import explain_failure
from citypartner_desktop.ui.feature_host import Feature, FeatureHost, Needs, Place, Role
from citypartner_desktop.ui.shortcuts import set_shortcut

EXPORT_FOLDER_KEY = "folders/export"
# File-dialog filters: (format, fields) -> filter; contacts also go out as vCards and in the
# columns of Outlook and Google Contacts, activities as a calendar.
FILTERS = {("csv", "shown"): "CSV, as the page shows it (*.csv)",
           ("xlsx", "shown"): "Excel workbook, as the page shows it (*.xlsx)",
           ("csv", "all"): "CSV, every field (*.csv)",
           ("xlsx", "all"): "Excel workbook, every field (*.xlsx)",
           ("vcf", "shown"): "vCard (*.vcf)",
           ("csv", "outlook"): "Outlook contacts (*.csv)",
           ("csv", "google"): "Google Contacts (*.csv)",
           ("ics", "shown"): "iCalendar (*.ics)"}
LIST_CHOICES = (("csv", "shown"), ("xlsx", "shown"), ("csv", "all"), ("xlsx", "all"))
EXTRA_CHOICES = {"contact": (("vcf", "shown"), ("csv", "outlook"), ("csv", "google")),
                 "activity": (("ics", "shown"),)}

if TYPE_CHECKING:
    from citypartner_desktop.domain.records import ListQuery
    from citypartner_desktop.ui.context import AppContext
    from citypartner_desktop.ui.dialogs.duplicates_dialog import DuplicatesDialog
    from citypartner_desktop.ui.dialogs.import_wizard import ImportWizard
    from citypartner_desktop.ui.pages.record_page import RecordPage


def _tr(text: str) -> str:
    return QCoreApplication.translate("interop", text)


class InteropMenu(Feature):
    export_done = Signal()  # an export job ended (written, failed or cancelled) and was handled

    def __init__(self, window: FeatureHost) -> None:
        super().__init__(window)
        self.ctx: AppContext | None = None
        self.wizard: ImportWizard | None = None
        self.duplicates: DuplicatesDialog | None = None
        self.import_action = QAction(_tr("&Import…"), window)
        set_shortcut(self.import_action, "Ctrl+Shift+I")
        self.import_action.triggered.connect(self.open_wizard)
        self.export_action = QAction(_tr("&Export list…"), window)
        set_shortcut(self.export_action, "Ctrl+Shift+E")
        self.export_action.triggered.connect(lambda: self.export_page())
        self.export_job: workers.Job | None = None
        self.duplicates_action = QAction(_tr("Find d&uplicates…"), window)
        self.duplicates_action.triggered.connect(self.open_duplicates)
        window.menus.add(Place.FILE_DATA, self.import_action, needs=Needs.DATABASE,
                         role=Role.EDITOR)
        window.menus.add(Place.FILE_DATA, self.export_action, needs=Needs.DATABASE)
        # Finding duplicates is for merging them, which an office server leaves to its
        # administrators.
        window.menus.add(Place.EDIT_TOOLS, self.duplicates_action, needs=Needs.DATABASE,
                         role=Role.ADMINISTRATOR)

    def attach(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.window.pages.when_built(self._add_page_actions)  # pages are built when first shown

    def _add_page_actions(self, page: RecordPage) -> None:
        page.add_page_action(_tr("Export list…"), partial(self.export_page, page.kind))

    def open_duplicates(self) -> DuplicatesDialog:
        from citypartner_desktop.ui.dialogs.duplicates_dialog import DuplicatesDialog

        assert self.ctx is not None
        self.duplicates = DuplicatesDialog(self.ctx, self.window)
        self.duplicates.open()
        return self.duplicates

    def export_page(self, kind: str | None = None) -> workers.Job | None:
        """Ask for a file (CSV or Excel; contacts also vCard, activities also iCalendar), then
        export the page's list as it is shown."""
        assert self.ctx is not None
        page = self.window.pages[kind] if kind else self.window.current_page
        plural = page.spec.plural
        search = page.model.query.search.strip()
        name = re.sub(r"[^\w\-]+", "-", f"{plural}-{search}" if search else plural).strip("-")
        folder = Path(str(self.ctx.settings.value(EXPORT_FOLDER_KEY, "") or Path.home()))
        choices = (*LIST_CHOICES, *EXTRA_CHOICES.get(page.kind, ()))
        path, chosen = QFileDialog.getSaveFileName(
            self.window, _tr("Export {0}").format(_tr(plural).lower()),
            str(folder / f"{name}.csv"), ";;".join(_tr(FILTERS[c]) for c in choices))
        if not path:
            return None
        target = Path(path)
        picked = next((c for c in choices if _tr(FILTERS[c]) == chosen), choices[0])
        fmt, fields = picked
        if target.suffix.lower().lstrip(".") != fmt:
            typed = target.suffix.lower().lstrip(".")
            if fields == "shown" and any(c == (typed, "shown") for c in choices):
                fmt = typed  # a file named .xlsx under the CSV filter: the name says it
            else:
                target = target.with_name(f"{target.name}.{fmt}")
        self.ctx.settings.setValue(EXPORT_FOLDER_KEY, str(target.parent))
        self.export_job = self.build_export(page.kind, target, page.model.query,
                                            fields).start()
        return self.export_job

    def build_export(self, kind: str, target: Path, query: ListQuery,
                     fields: str = "shown") -> workers.Job:
        """The job that writes the list to ``target`` (``fields``: shown, all, or outlook /
        google for contacts); connected, not started."""
        from dataclasses import replace

        assert self.ctx is not None
        db = self.ctx.db
        full = replace(query, offset=0)
        progress = QProgressDialog(_tr("Exporting…"), _tr("Cancel"), 0, 0, self.window)
        progress.setWindowTitle(_tr("Export"))
        progress.setMinimumDuration(300)

        def work(report: Callable[[int, int, str], None], cancelled: Callable[[], bool]
                 ) -> Path:
            from citypartner_desktop.interop import export

            suffix = target.suffix.lower()
            if suffix in (".vcf", ".ics"):
                write = export.export_vcards if suffix == ".vcf" else export.export_calendar
                return write(db, target, full, progress=report, should_cancel=cancelled)
            if fields in ("outlook", "google"):
                from citypartner_desktop.interop.contact_export import export_for_program

                return export_for_program(db, fields, target, full, progress=report,
                                          should_cancel=cancelled)
            return export.export_list(db, kind, target, None, full, fields=fields,
                                      progress=report, should_cancel=cancelled)

        job = workers.Job(work)

        def on_progress(done: int, total: int, _what: str) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(min(done, total))

        def on_failed(exc: BaseException, details: str) -> None:
            explain_failure(self.window, _tr("Export"), _tr("Nothing was exported: {0}"), exc,
                            details)

        def on_finished() -> None:
            progress.close()
            self.export_done.emit()

        job.on_progress(on_progress).on_failure(on_failed).on_finished(on_finished)
        job.on_success(lambda out: self.window.statusBar().showMessage(
            _tr("Exported to {0}").format(out), 8000))
        progress.canceled.connect(job.cancel)
        return job

    def open_wizard(self) -> ImportWizard:
        from citypartner_desktop.ui.dialogs.import_wizard import ImportWizard

        assert self.ctx is not None
        self.wizard = ImportWizard(self.ctx, self.window)
        self.wizard.open()
        return self.wizard
