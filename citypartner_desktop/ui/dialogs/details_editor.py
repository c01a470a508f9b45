"""The editor of a contact's e-mails, phones, addresses and web pages: one row each, with its
kind, its type (work, home, mobile, … or the user's own word) and which one is preferred.

It keeps what the user typed; ``domain.contact_details.parse`` checks it when the record is
saved, and an address is typed as its parts separated by semicolons (street; postcode; city;
region; country), the way the detail pane's tooltip says.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.domain import contact_details
from citypartner_desktop.domain.specs import FieldSpec
from citypartner_desktop.ui.dialogs.field_editor_base import FieldEditor

_VALUE, _KIND, _LABEL, _PREFERRED = range(4)


class DetailsEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Address, number or e-mail"), self.tr("Kind"), self.tr("Type"),
             self.tr("Preferred")])
        self.table.setAccessibleName(spec.label)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(_VALUE, QHeaderView.ResizeMode.Stretch)
        for column in (_KIND, _LABEL, _PREFERRED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setToolTip(self.tr(
            "Type an address as its parts separated by semicolons: "
            "street; postcode; city; region; country"))
        self.table.setMinimumHeight(110)
        add = QPushButton(self.tr("&Add"), self)
        add.setAccessibleName(self.tr("Add an e-mail, phone, address or web page"))
        add.clicked.connect(lambda: self._add_row(contact_details.Detail("email", "")))
        remove = QPushButton(self.tr("Remove"), self)
        remove.setAccessibleName(self.tr("Remove the selected detail"))
        remove.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _add_row(self, detail: contact_details.Detail) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        value = QLineEdit(self.table)
        value.setText("; ".join(detail.parts) if detail.kind == "address" and detail.parts
                      else detail.value)
        value.setAccessibleName(self.tr("Detail {0}").format(row + 1))
        kind = QComboBox(self.table)
        for code in contact_details.KINDS:
            kind.addItem(self.tr(contact_details.KIND_LABELS[code]), code)
        kind.setCurrentIndex(contact_details.KINDS.index(detail.kind))
        label = QComboBox(self.table)
        label.setEditable(True)
        label.addItems(["", *contact_details.COMMON_LABELS])
        label.setCurrentText(detail.label)
        preferred = QCheckBox(self.table)
        preferred.setChecked(detail.preferred)
        preferred.setAccessibleName(self.tr("Preferred"))
        value.textEdited.connect(lambda _t: self.edited.emit())
        kind.currentIndexChanged.connect(lambda _i: self.edited.emit())
        label.currentTextChanged.connect(lambda _t: self.edited.emit())
        preferred.toggled.connect(lambda _b: self.edited.emit())
        self.table.setCellWidget(row, _VALUE, value)
        self.table.setCellWidget(row, _KIND, kind)
        self.table.setCellWidget(row, _LABEL, label)
        self.table.setCellWidget(row, _PREFERRED, preferred)
        if not detail.value:
            value.setFocus()
        self.edited.emit()

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.rowCount():
            rows = [self.table.currentRow() if self.table.currentRow() >= 0
                    else self.table.rowCount() - 1]
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.edited.emit()

    def value(self) -> Any:
        items = []
        for row in range(self.table.rowCount()):
            value = self._widget(row, _VALUE, QLineEdit).text().strip()
            if not value:
                continue
            kind = str(self._widget(row, _KIND, QComboBox).currentData())
            item: dict[str, Any] = {
                "kind": kind, "value": value,
                "label": self._widget(row, _LABEL, QComboBox).currentText().strip(),
                "preferred": self._widget(row, _PREFERRED, QCheckBox).isChecked()}
            if kind == "address" and ";" in value:
                item["parts"] = [part.strip() for part in value.split(";")]
            items.append(item)
        return items

    def set_value(self, value: Any, label: str = "") -> None:
        self.table.setRowCount(0)
        try:
            details = contact_details.parse(value)
        except ValueError:
            details = []
        for detail in details:
            self._add_row(detail)

    def _widget(self, row: int, column: int, kind: type[Any]) -> Any:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, kind)
        return widget

    def focus_widget(self) -> QWidget:
        return self.table
