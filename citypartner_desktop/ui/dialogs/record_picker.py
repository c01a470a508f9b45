"""Type to find a record (type-ahead over the whole table): what a report is about, when
no record of its kind is selected. Imported when first needed, not with the window's frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from citypartner_desktop.ui.context import AppContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("reports", text)


class RecordPicker(QDialog):
    """Type to find the record a report is about (type-ahead over the whole table)."""

    def __init__(self, ctx: AppContext, kind: str, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.setWindowTitle(title)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_tr("Type to search…"))
        self.search.setAccessibleName(_tr("Search"))
        self.results = QListWidget(self)
        self.results.setAccessibleName(_tr("Matching records"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.results.itemActivated.connect(lambda _i: self.accept())
        layout = QVBoxLayout(self)
        for widget in (self.search, self.results, buttons):
            layout.addWidget(widget)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.refresh()

    def refresh(self) -> None:
        from citypartner_desktop.services import records

        self.results.clear()
        for choice in records.lookup(self.ctx.db.uow(), self.kind, self.search.text(), 100):
            item = QListWidgetItem(choice.label, self.results)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
        if self.results.count():
            self.results.setCurrentRow(0)

    def chosen_id(self) -> str | None:
        item = self.results.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
