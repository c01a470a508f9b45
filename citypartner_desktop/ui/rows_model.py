"""A small read-only model over rows already loaded (detail-pane sections)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from citypartner_desktop.domain.formatting import display
from citypartner_desktop.domain.records import RelatedSection
from citypartner_desktop.ui.table_model import ID_ROLE

AnyIndex = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    def __init__(self, section: RelatedSection, parent: Any = None) -> None:
        super().__init__(parent)
        self.section = section
        self._texts = [
            tuple(display(c, v) for c, v in zip(section.columns, row.values, strict=True))
            for row in section.rows
        ]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._texts)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.section.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.section.columns)
        ):
            return QCoreApplication.translate("fields", self.section.columns[section].label)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._texts):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[index.row()][index.column()]
        if role == ID_ROLE:
            return self.section.rows[index.row()].id
        return None
