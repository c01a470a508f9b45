"""A record's History: every change (when, who, field, old → new), newest first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.domain.specs import spec_for
from citypartner_desktop.services import history, records
from citypartner_desktop.ui.context import AppContext

MAX_CELL = 200  # long texts are cut in the cell; the tooltip has them whole


class HistoryDialog(QDialog):
    COLUMNS = ("When", "Who", "Field", "Old value", "New value")

    def __init__(self, ctx: AppContext, kind: str, record_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        what = self.tr(spec_for(kind).label)
        label = records.label(ctx.db.uow(), kind, record_id)
        self.entries = history.history(ctx.db.uow(), kind, record_id)
        self.setWindowTitle(self.tr("History of {0} “{1}”").format(what.lower(), label))
        self.resize(900, 460)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self.tr("Changes to {0} “{1}”: {2}, newest first.").format(
            what.lower(), label, len(self.entries)), self)
        layout.addWidget(self.summary)
        self.table = QTableWidget(len(self.entries), len(self.COLUMNS), self)
        self.table.setAccessibleName(self.tr("Changes"))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, width in ((0, 140), (1, 170), (2, 130), (3, 200)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for row, entry in enumerate(self.entries):
            when = entry.when.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            cells = (when, entry.who, self.tr(entry.field), entry.old, entry.new)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text if len(text) <= MAX_CELL else text[:MAX_CELL] + "…")
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
