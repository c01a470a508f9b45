"""Edit ▸ Find duplicates…: possible duplicate cities or contacts, and a field-by-field merge.

The search runs in a background job (200,000 contacts take a few seconds). Merging asks which
record to keep and, for every field where the two differ, whose value to take; the database
is backed up first, and the merge is one transaction recorded in the audit trail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.ui import workers

if TYPE_CHECKING:
    from citypartner_desktop.domain.records import RecordData
    from citypartner_desktop.services.duplicates import DuplicatePair
    from citypartner_desktop.ui.context import AppContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("duplicates", text)


class MergeDialog(QDialog):
    """Which record to keep, and for each differing field, whose value."""

    def __init__(self, ctx: AppContext, kind: str, first: RecordData, second: RecordData,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from citypartner_desktop.domain.formatting import display
        from citypartner_desktop.domain.specs import FieldKind, spec_for

        self.ctx, self.kind = ctx, kind
        self.records = (first, second)
        self.setWindowTitle(_tr("Merge two records"))
        spec = spec_for(kind)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_tr("Links to both go to the kept record; the other is "
                                    "deleted (it stays in Deleted items). Choose the value of "
                                    "each field that differs."), self))
        grid = QGridLayout()
        self.keep_group = QButtonGroup(self)
        grid.addWidget(QLabel(_tr("<b>Keep</b>"), self), 0, 0)
        for column, record in enumerate(self.records, start=1):
            title = str(record.values.get(spec.title_field) or "")
            button = QRadioButton(_tr("keep “{0}”").format(title), self)
            button.setChecked(column == 1)
            self.keep_group.addButton(button, column - 1)
            grid.addWidget(button, 0, column)
        self.choices: dict[str, QButtonGroup] = {}
        row = 1
        for field in spec.fields:
            if field.kind is FieldKind.SCORES or not field.shown:
                continue
            values = [r.values.get(field.name) for r in self.records]
            if values[0] == values[1]:
                continue
            grid.addWidget(QLabel(_tr(field.label), self), row, 0)
            group = QButtonGroup(self)
            for column, (record, value) in enumerate(zip(self.records, values, strict=True)):
                text = (record.labels.get(field.name) if field.kind is FieldKind.REF
                        else display(field, value)) or _tr("(empty)")
                button = QRadioButton(text, self)
                button.setAccessibleName(_tr("{0} from record {1}").format(field.label,
                                                                           column + 1))
                group.addButton(button, column)
                grid.addWidget(button, row, column + 1)
            filled = 0 if values[0] not in (None, "", (), False) else 1
            group.button(filled).setChecked(True)
            self.choices[field.name] = group
            row += 1
        layout.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.merge_button = buttons.addButton(_tr("&Merge"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.merge)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def merge(self) -> None:
        from citypartner_desktop.services.backups import backup_before
        from citypartner_desktop.services.duplicates import merge

        keep_index = self.keep_group.checkedId()
        keep, drop = self.records[keep_index], self.records[1 - keep_index]
        choices = {name: "keep" if group.checkedId() == keep_index else "drop"
                   for name, group in self.choices.items()}
        db = self.ctx.db
        try:
            workers.run_and_wait(lambda: merge(db, self.kind, keep.id, drop.id, choices,
                                               before=lambda: backup_before(db, "merge")))
        except CityPartnerError as exc:
            QMessageBox.warning(self, _tr("Merge"), _tr("Nothing was merged: {0}").format(exc))
            return
        self.ctx.notify("*")
        self.accept()


class DuplicatesDialog(QDialog):
    searched = Signal()  # a search ended (pairs shown, or why not) and was handled

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("Possible duplicates"))
        self.resize(900, 520)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName(_tr("Records to check"))
        self.kind.addItem(_tr("Cities"), "city")
        self.kind.addItem(_tr("Contacts"), "contact")
        find = self.find_button = QPushButton(_tr("&Find"), self)
        find.clicked.connect(self.search)
        self.status = QLabel(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setAccessibleName(_tr("Possible duplicates"))
        self.table.setHorizontalHeaderLabels([_tr("Similarity"), _tr("Record"),
                                              _tr("Possible duplicate"), _tr("Why")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.itemDoubleClicked.connect(lambda _i: self.merge_selected())
        self.merge_button = QPushButton(_tr("&Merge…"), self)
        self.merge_button.clicked.connect(self.merge_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(find)
        top.addWidget(self.status, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.merge_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.pairs: list[DuplicatePair] = []
        self.job: workers.Job | None = None

    def search(self) -> workers.Job:
        from citypartner_desktop.services.duplicates import find_duplicates

        kind = str(self.kind.currentData())
        db = self.ctx.db
        self.status.setText(_tr("Looking…"))
        job = workers.Job(lambda _p, _c: find_duplicates(db, kind))
        job.on_success(self.show_pairs).on_finished(self.searched.emit)
        job.on_failure(lambda exc, _d: self.status.setText(str(exc)))
        self.job = job.start()
        return job

    def show_pairs(self, pairs: list[DuplicatePair]) -> None:
        self.pairs = pairs
        self.table.setRowCount(len(pairs))
        for row, pair in enumerate(pairs):
            for column, value in enumerate((f"{pair.score} %", pair.first_label,
                                            pair.second_label, _tr(pair.reason))):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.status.setText(_tr("{0} possible duplicates").format(len(pairs)))
        if pairs:
            self.table.selectRow(0)

    def merge_selected(self) -> MergeDialog | None:
        from citypartner_desktop.services import records

        row = self.table.currentRow()
        if not 0 <= row < len(self.pairs):
            return None
        pair = self.pairs[row]
        try:
            first = records.get(self.ctx.db.uow(), pair.kind, pair.first_id)
            second = records.get(self.ctx.db.uow(), pair.kind, pair.second_id)
        except CityPartnerError as exc:
            QMessageBox.warning(self, _tr("Merge"), str(exc))
            return None
        dialog = MergeDialog(self.ctx, pair.kind, first, second, self)
        dialog.accepted.connect(self.search)
        dialog.open()
        return dialog

