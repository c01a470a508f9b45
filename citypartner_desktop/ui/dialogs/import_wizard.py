"""File ▸ Import…: choose a file → match its columns → preview every row → import.

The file is read and every row checked in a background job (the same dry run as
`citypartner import --dry-run`); the preview lists each row's outcome, refused rows in red
with their reasons. Import runs in a background job too, with progress and Cancel; a cancelled
or failed import leaves the database as it was (one transaction, backup first).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.ui import colours, workers
from citypartner_desktop.ui.error_report import explain_failure

if TYPE_CHECKING:
    from citypartner_desktop.interop.importer import PreparedImport
    from citypartner_desktop.interop.tables import SourceTable
    from citypartner_desktop.services.imports import ImportReport, RowOutcome
    from citypartner_desktop.ui.context import AppContext

AnyIndex = QModelIndex | QPersistentModelIndex
FOLDER_KEY = "folders/import"
KINDS = {"partnerships": "Partnerships (pairs of cities)", "cities": "Cities",
         "contacts": "Contacts", "activities": "Activities"}
IGNORED = "(ignore)"
DETAIL = "+detail"  # the combo's choice for one of a contact's several e-mails, phones, …
_ACTION_TEXT = {"create": "create", "update": "update", "match": "already there",
                "refuse": "REFUSED"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("import", text)


def row_swatch(outcome: RowOutcome) -> colours.Swatch | None:
    """The colours of a preview row: refused, to be checked (a place the gazetteer does not
    know, or knows several of), or plain (None)."""
    if outcome.action == "refuse":
        return colours.refused_row()
    if outcome.warnings or any("not in the world gazetteer" in n or "places of that name" in n
                               for n in outcome.notes):
        return colours.review_row()
    return None


class OutcomeModel(QAbstractTableModel):
    """The preview rows: line, outcome, record, reasons (refused) or notes."""

    HEADERS = ("Line", "Outcome", "Record", "Problems and notes")

    def __init__(self, outcomes: list[RowOutcome], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcomes = outcomes

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.outcomes)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        outcome = self.outcomes[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return outcome.line if role == Qt.ItemDataRole.DisplayRole else None
            if column == 1:
                return _tr(_ACTION_TEXT[outcome.action])
            if column == 2:
                return outcome.text
            return "; ".join(outcome.problems or (*outcome.warnings, *outcome.notes))
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            swatch = row_swatch(outcome)
            if swatch is not None:
                return QBrush(swatch.background if role == Qt.ItemDataRole.BackgroundRole
                              else swatch.text)
        if role == Qt.ItemDataRole.UserRole:
            return outcome.action
        return None


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle(_tr("Choose the file"))
        self.setSubTitle(_tr("A CSV file (any encoding; comma, semicolon or tab), a workbook "
                             "(.xlsx, .ods, .xls), for contacts an address book (.vcf), for "
                             "activities a calendar (.ics)."))
        self.kind = QComboBox(self)
        self.kind.setAccessibleName(_tr("What to import"))
        for key, label in KINDS.items():
            self.kind.addItem(_tr(label), key)
        self.path = QLineEdit(self)
        self.path.setAccessibleName(_tr("File"))
        self.path.textChanged.connect(lambda _t: self.completeChanged.emit())
        browse = QPushButton(_tr("&Browse…"), self)
        browse.clicked.connect(self.browse)
        self.date_format = QLineEdit(self)
        self.date_format.setAccessibleName(_tr("Date format"))
        self.date_format.setPlaceholderText(_tr("only for dates such as 03/04/2025, e.g. "
                                                "%d/%m/%Y"))
        self.sheet = QLineEdit(self)
        self.sheet.setAccessibleName(_tr("Sheet"))
        self.sheet.setPlaceholderText(_tr("a workbook: the sheet it opens on, or type a "
                                          "sheet's name"))
        self.language = QLineEdit(self)
        self.language.setAccessibleName(_tr("Language of the names"))
        self.language.setPlaceholderText(_tr("e.g. de: Krakau is then kept as Kraków's German "
                                             "name"))
        self.partnership = QComboBox(self)
        self.partnership.setAccessibleName(_tr("Partnership of rows that name none"))
        self.partnership.addItem(_tr("(as each row says)"), "")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {colours.css(colours.error_text())}")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(_tr("&Import:"), self.kind)
        file_label = QLabel(_tr("&File:"), self)  # a row of two widgets: say whose key it is
        file_label.setBuddy(self.path)
        form.addRow(file_label, row)
        form.addRow(_tr("&Sheet:"), self.sheet)
        form.addRow(_tr("&Date format:"), self.date_format)
        form.addRow(_tr("&Language of the names:"), self.language)
        form.addRow(_tr("&Partnership:"), self.partnership)
        form.addRow(self.error)
        self._form = form
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()

    def _kind_changed(self) -> None:
        """A calendar's events name no partnership: for activities, choose the one they
        belong to."""
        from citypartner_desktop.services import records

        activities = self.kind.currentData() == "activities"
        self._form.setRowVisible(self.partnership, activities)
        if activities and self.partnership.count() == 1:
            try:
                choices = records.lookup(self.owner.ctx.db.uow(), "partnership", "", 500)
            except CityPartnerError:
                choices = []
            for choice in choices:
                self.partnership.addItem(choice.label, choice.label)

    def browse(self) -> None:
        folder = str(self.owner.ctx.settings.value(FOLDER_KEY, "") or Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, _tr("Import from"), folder,
            _tr("Spreadsheets, address books and calendars (*.csv *.txt *.tsv *.xlsx *.xlsm "
                "*.ods *.xls *.vcf *.ics);;All files (*)"))
        if path:
            self.path.setText(path)

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:
        from citypartner_desktop.interop.importer import language_code, with_defaults
        from citypartner_desktop.interop.tables import read_table

        path = Path(self.path.text().strip()).expanduser()
        sheet = self.sheet.text().strip() or None
        partnership = str(self.partnership.currentData() or "")
        defaults = {"partnership": partnership} if partnership and (
            self.owner.kind == "activities") else {}
        try:
            self.owner.language = language_code(self.language.text())
            table = workers.run_and_wait(
                lambda: with_defaults(self.owner.kind, read_table(path, sheet=sheet)
                                      if sheet else read_table(path), defaults, None))
        except CityPartnerError as exc:
            self.error.setText(str(exc))
            return False
        if table.described == "vCard" and self.owner.kind != "contacts":
            self.error.setText(_tr("{0} is a vCard file: it holds contacts. Choose Contacts "
                                   "to import it.").format(table.name))
            return False
        self.error.clear()
        self.owner.ctx.settings.setValue(FOLDER_KEY, str(path.parent))
        self.owner.path = path
        self.owner.table = table
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle(_tr("Match the columns"))
        self.grid = QTableWidget(0, 3, self)
        self.grid.setAccessibleName(_tr("Columns of the file"))
        self.grid.setHorizontalHeaderLabels([_tr("Column in the file"), _tr("Read as"),
                                             _tr("First value")])
        self.grid.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().hide()
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {colours.css(colours.error_text())}")
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(self.error)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        from citypartner_desktop.domain import contact_details
        from citypartner_desktop.interop.contact_columns import detail_columns
        from citypartner_desktop.interop.mapping import fields_of, guess_fields

        table = self.owner.table
        assert table is not None
        kind = self.owner.kind
        self.setSubTitle(_tr("{0}: {1}, {2} rows. Columns read as nothing are ignored.")
                         .format(table.name, table.described, f"{len(table.rows):,}"))
        fields = fields_of(kind)
        guessed = guess_fields(kind, table.headers)
        details = detail_columns(table.headers) if kind == "contacts" else {}
        self.grid.setRowCount(len(table.headers))
        self.combos = []
        first = table.rows[0].cells if table.rows else ()
        for index, header in enumerate(table.headers):
            self.grid.setItem(index, 0, QTableWidgetItem(header))
            combo = QComboBox(self.grid)
            combo.setAccessibleName(_tr("Read column {0} as").format(header))
            combo.addItem(_tr(IGNORED), "-")
            for f in fields:
                combo.addItem(_tr(f.label) + (" *" if f.required else ""), f.name)
            if index in details and index not in guessed:
                detail = details[index]  # one of several e-mails, phones, addresses
                what = contact_details.KIND_LABELS[detail.kind]
                combo.addItem(_tr("{0} ({1})").format(_tr(what), detail.label or detail.part)
                              if detail.label or detail.part != "value" else _tr(what),
                              DETAIL)
                combo.setCurrentIndex(combo.count() - 1)
            if index in guessed:
                combo.setCurrentIndex(combo.findData(guessed[index]))
            self.grid.setCellWidget(index, 1, combo)
            self.combos.append(combo)
            sample = first[index] if index < len(first) else ""
            self.grid.setItem(index, 2, QTableWidgetItem(str(sample)))
        self.grid.resizeColumnsToContents()
        self.error.clear()

    def mapping(self) -> dict[str, str]:
        table = self.owner.table
        assert table is not None
        # A detail column is left to the file's own column set (match_columns finds it).
        return {header: str(combo.currentData())
                for header, combo in zip(table.headers, self.combos, strict=True)
                if combo.currentData() != DETAIL}

    def validatePage(self) -> bool:
        from citypartner_desktop.interop.mapping import match_columns

        table = self.owner.table
        assert table is not None
        try:
            self.owner.columns = match_columns(self.owner.kind, table, self.mapping())
        except CityPartnerError as exc:
            self.error.setText(str(exc).replace("--map", "the mapping"))
            return False
        return True


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle(_tr("Preview"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _tr("&Import"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(_tr("Summary"))
        self.notes = QLabel(self)  # how the file was read, what of it was not kept
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName(_tr("How the file was read"))
        self.progress = QProgressBar(self)
        self.only_refused = QCheckBox(_tr("Show only the &refused rows"), self)
        self.valid_only = QCheckBox(_tr("Import the &valid rows and leave the refused ones"),
                                    self)
        self.valid_only.toggled.connect(lambda _on: self.completeChanged.emit())
        self.view = QTableView(self)
        self.view.setAccessibleName(_tr("Rows of the file"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setWordWrap(False)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setFilterRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterKeyColumn(1)
        self.only_refused.toggled.connect(
            lambda on: self.proxy.setFilterFixedString("refuse" if on else ""))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.progress)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.only_refused)
        layout.addWidget(self.valid_only)
        self.report: ImportReport | None = None
        self.job: workers.Job | None = None

    def initializePage(self) -> None:
        self.report = None
        self.summary.setText(_tr("Checking every row…"))
        self.progress.show()
        self.progress.setRange(0, 0)
        self.valid_only.setChecked(False)
        self.valid_only.setEnabled(False)
        self.view.setModel(None)
        job = self.owner.run(dry_run=True, on_done=lambda report: self._done(job, report),
                             on_progress=self._on_progress)
        self.job = job.start()

    def _done(self, job: workers.Job, report: ImportReport) -> None:
        if job is self.job:  # not the answer of a check cancelled by Back
            self.show_report(report)

    def cleanupPage(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        self.summary.setText(_tr(message))  # e.g. the one-time gazetteer build, row counts

    def show_report(self, report: ImportReport) -> None:
        self.report = report
        self.progress.hide()
        model = OutcomeModel(report.outcomes, self)
        self.proxy.setSourceModel(model)
        self.view.setModel(self.proxy)
        self.view.setColumnWidth(0, 60)
        self.view.setColumnWidth(1, 110)
        self.view.setColumnWidth(2, 320)
        text = report.summary().replace("Dry run: nothing was written", "Nothing is written yet")
        if report.review:
            text += " " + (_tr("1 new city is not in the world gazetteer and will be marked "
                               "for review (yellow).") if len(report.review) == 1 else
                           _tr("{0} new cities are not in the world gazetteer and will be "
                               "marked for review (yellow).").format(len(report.review)))
        if report.refused:
            text += " " + _tr("Refused rows are red, with the reasons.")
        self.summary.setText(text)
        table, columns = self.owner.table, self.owner.columns
        lines = list(table.notes) if table is not None else []
        if columns is not None and columns.extra:
            lines.append(_tr("Not kept (no field reads them): {0}").format(
                ", ".join(columns.extra[:12]) + (" …" if len(columns.extra) > 12 else "")))
        warned = sum(1 for o in report.outcomes if o.warnings)
        if warned:
            lines.append(_tr("{0} rows are kept with a warning (yellow): see their notes.")
                         .format(warned))
        self.notes.setText("\n".join(lines))
        self.notes.setVisible(bool(lines))
        self.valid_only.setEnabled(bool(report.refused))
        self.only_refused.setChecked(bool(report.refused))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        report = self.report
        if report is None:
            return False
        if report.refused and not self.valid_only.isChecked():
            return False
        return report.count("create") + report.count("update") > 0


class ImportWizard(QWizard):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("Import"))
        self.setObjectName("importWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.path: Path | None = None
        self.table: SourceTable | None = None
        self.columns: Any = None
        self.result_report: ImportReport | None = None
        self.language = ""  # of the file's names, checked on the first page
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page):
            self.addPage(page)
        self.resize(900, 620)

    @property
    def kind(self) -> str:
        return str(self.file_page.kind.currentData())

    def prepared(self) -> PreparedImport:
        from citypartner_desktop.interop.importer import PreparedImport, to_rows

        assert self.table is not None and self.columns is not None
        date_format = self.file_page.date_format.text().strip() or None
        return PreparedImport(self.kind, self.table, self.columns,
                              to_rows(self.table, self.columns, date_format))

    def run(self, *, dry_run: bool, on_done: Callable[[ImportReport], None],
            on_progress: Callable[[int, int, str], None]) -> workers.Job:
        """The job that checks (dry run) or imports in the background; connected, not
        started."""
        from citypartner_desktop.services.imports import run_import

        prepared = self.prepared()
        db = self.ctx.db
        source = self.path.name if self.path else "file"
        valid_only = self.preview_page.valid_only.isChecked()
        language = self.language

        def work(progress: Callable[[int, int, str], None],
                 cancelled: Callable[[], bool]) -> ImportReport:
            return run_import(db, prepared.kind, prepared.rows, source=source, dry_run=dry_run,
                              valid_only=valid_only, progress=progress, should_cancel=cancelled,
                              language=language)

        job = workers.Job(work)
        return job.on_progress(on_progress).on_success(on_done).on_failure(self._failed)

    def _failed(self, exc: BaseException, details: str) -> None:
        from citypartner_desktop.services.imports import ImportCancelled

        if isinstance(exc, ImportCancelled):
            return
        explain_failure(self, _tr("Import"), _tr("Nothing was imported: {0}"), exc, details)

    def accept(self) -> None:
        """Import, with a progress dialog that can cancel; close when it is done."""
        from PySide6.QtWidgets import QProgressDialog

        progress = QProgressDialog(_tr("Importing…"), _tr("Cancel"), 0, 0, self)
        progress.setWindowTitle(_tr("Import"))
        progress.setMinimumDuration(300)

        def on_progress(done: int, total: int, message: str) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(min(done, total))
            progress.setLabelText(_tr(message))

        job = self.run(dry_run=False, on_done=self._imported, on_progress=on_progress)
        job.on_finished(progress.close)
        progress.canceled.connect(job.cancel)
        self.import_job = job.start()

    def _imported(self, report: ImportReport) -> None:
        self.result_report = report
        for kind in ("city", "partnership", "membership", "contact", "activity"):
            self.ctx.notify(kind)
        QMessageBox.information(self, _tr("Import"), report.summary())
        super().accept()
