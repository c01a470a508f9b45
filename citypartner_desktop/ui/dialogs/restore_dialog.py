"""File ▸ Restore…: the database's backups with their dates, reasons and record counts (read
from each backup, read-only, off the GUI thread); choosing one returns its path."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.services.backups import BackupDetails, describe_all
from citypartner_desktop.ui import workers

REASONS = {
    "auto": "Scheduled",
    "manual": "Backed up by hand",
    "before-restore": "Before a restore",
    "before-import": "Before an import",
    "before-merge": "Before a merge",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("RestoreDialog", text)


def reason_text(reason: str) -> str:
    if reason in REASONS:
        return _tr(REASONS[reason])
    if reason.startswith("before-upgrade-"):
        schema = reason.removeprefix("before-upgrade-").split("_", 1)[0]
        return _tr("Before the upgrade from schema {0}").format(schema)
    return reason


def counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {_tr(name)}" for name, n in counts.items() if n) or _tr("empty")


def backup_summary(details: BackupDetails) -> str:
    when = details.taken_at.astimezone().strftime("%Y-%m-%d %H:%M") if details.taken_at else ""
    return f"{when} – {reason_text(details.reason)} ({counts_text(details.counts)})"


class RestoreDialog(QDialog):
    COLUMNS = ("Taken", "Why", "Records", "Size", "State")

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.chosen: Path | None = None
        self.backups: list[BackupDetails] = []
        self.setObjectName("restoreDialog")
        self.setWindowTitle(self.tr("Restore a backup"))
        self.resize(940, 420)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self.tr(
            "Backups of {0}. Restoring replaces the current data; the current state is backed "
            "up first, so a restore can itself be undone.").format(db_path.name), self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setAccessibleName(self.tr("Backups"))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 130), (1, 250), (3, 80), (4, 110)):
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _i: self._restore_selected())
        layout.addWidget(self.table, 1)
        self.status = QLabel(self.tr("Reading the backups…"), self)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton(self.tr("Restore"), self)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._restore_selected)
        self.file_button = QPushButton(self.tr("Other file…"), self)
        self.file_button.clicked.connect(self._restore_file)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.job = workers.Job(lambda _p, _c: describe_all(db_path))
        self.job.on_success(self.show_backups)
        self.job.on_failure(lambda exc, _tb: self.status.setText(str(exc)))
        self.job.start()

    def show_backups(self, found: list[BackupDetails]) -> None:
        self.backups = found
        self.table.setRowCount(len(found))
        for row, b in enumerate(found):
            when = b.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if b.taken_at else ""
            size = f"{b.path.stat().st_size / 1_048_576:,.1f} MB" if b.path.exists() else ""
            state = self.tr("good") if b.usable else self.tr("cannot be used")
            what = counts_text(b.counts) if b.usable else self.tr("It {0}").format(b.problem)
            cells = (when, reason_text(b.reason), what, size, state)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(b.path) if b.usable else f"{b.path}: {b.problem}")
                if not b.usable:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
        self.status.setText(self.tr("{0} backups in {1}").format(
            len(found), found[0].path.parent) if found else self.tr("No backups yet."))
        first_good = next((i for i, b in enumerate(found) if b.usable), None)
        if first_good is not None:
            self.table.selectRow(first_good)

    def selected(self) -> BackupDetails | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        details = self.backups[rows[0].row()]
        return details if details.usable else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def _confirm(self, path: Path, what: str) -> None:
        answer = QMessageBox.question(
            self, self.tr("Restore"),
            self.tr("Replace the current data by the backup {0}?\n\nThe current state is backed "
                    "up first.").format(what),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.chosen = path
            self.accept()

    def _restore_selected(self) -> None:
        details = self.selected()
        if details is not None:
            self._confirm(details.path, backup_summary(details))

    def _restore_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Restore from file"), str(self.db_path.parent),
            self.tr("CityPartner databases (*.db);;All files (*)"))
        if path:
            self._confirm(Path(path), Path(path).name)
